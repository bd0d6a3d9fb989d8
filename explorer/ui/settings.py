"""The app's settings store (QSettings): window geometry, last tab, recent files, preferences,
the parameter budget."""

from __future__ import annotations

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
