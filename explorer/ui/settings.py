"""The app's settings store (QSettings): window geometry, last tab, recent files, preferences."""

from __future__ import annotations

from PySide6.QtCore import QSettings

SETTINGS_ORG = "explorer"
SETTINGS_APP = "explorer"


def make_settings() -> QSettings:
    """The app's QSettings (window geometry, last tab, recent files, preferences)."""
    return QSettings(SETTINGS_ORG, SETTINGS_APP)
