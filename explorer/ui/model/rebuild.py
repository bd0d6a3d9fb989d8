"""The question a rebuild asks when it would discard trained weights or stop a training run."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox


def rebuild_question(trained: bool, training: bool) -> str:
    """What the person is asked before a rebuild, saying everything it ends."""
    if training:
        return (
            "The Training tab is training this model. Building a new model stops that run"
            + (" and discards the trained weights" if trained else "")
            + " (the Training tab will train the new model). Build anyway?"
        )
    return (
        "The current model holds trained weights. Building a new model discards them "
        "(the Training tab will train the new one). Build anyway?"
    )


def ask_rebuild(tab) -> bool:
    """Ask before a rebuild throws away trained weights or stops a training run."""
    answer = QMessageBox.question(
        tab,
        "Rebuild the model?",
        tab.rebuild_question(),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes
