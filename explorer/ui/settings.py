"""The app's settings store (QSettings): window geometry, last tab, recent files, preferences,
the parameter budget."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from explorer.model.budget import ParameterBudget
from explorer.model.document import ModelDocument

SETTINGS_ORG = "explorer"
SETTINGS_APP = "explorer"


def make_settings() -> QSettings:
    """The app's QSettings (window geometry, last tab, recent files, preferences)."""
    return QSettings(SETTINGS_ORG, SETTINGS_APP)


BUDGET_KEY = "model/parameter_budget"


def model_document() -> ModelDocument:
    """The app's model document: its parameter budget is the one in the settings, and a
    change of budget is remembered there."""
    document = ModelDocument(budget=ParameterBudget.from_setting(make_settings().value(BUDGET_KEY)))
    document.budget_changed.connect(
        lambda budget: make_settings().setValue(BUDGET_KEY, budget.limit)
    )
    return document


FOLDER_KEY = "folders/"  # + a kind of file: "csv", "idx", "weights"


def last_folder(kind: str) -> str:
    """The folder a file of ``kind`` was last opened from or saved to ('' if none, or if it
    is gone), where the next file dialog for that kind opens."""
    folder = make_settings().value(FOLDER_KEY + kind, "")
    return folder if isinstance(folder, str) and folder and Path(folder).is_dir() else ""


def remember_folder(kind: str, path: str | Path) -> None:
    """Remember the folder of ``path``, a file of ``kind`` the person just chose."""
    make_settings().setValue(FOLDER_KEY + kind, str(Path(path).parent))
