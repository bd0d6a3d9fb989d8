"""A read-out: a number shown rounded with its unit, copyable both ways from its menu.

Right-click offers *Copy <symbol>* (what the label shows, "H(P,Q) = 12.8016 nats") and
*Copy value* (the number at full precision without its unit, ``repr`` of the float, so it
pastes into a spreadsheet as a number). Every read-out of the app is a :class:`Readout`.
"""

from __future__ import annotations

import math

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QLabel


class Readout(QLabel):
    """A label showing one number; ``symbol`` names it in the copied text ("H(P,Q)")."""

    def __init__(self, symbol: str, parent=None, **kwargs):
        super().__init__("", parent, **kwargs)
        self.symbol = symbol
        self._value = math.nan
        self._shown = ""
        # Copied from a right-click menu rather than selected with the mouse: a selectable
        # label keeps a QTextDocument, and each new number costs three times as much.
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.copy_action = QAction(f"Copy {symbol}", self)
        self.copy_action.setObjectName("copyReadout")
        self.copy_action.setToolTip(f"Copy '{symbol} = …' as shown, rounded, with its unit")
        self.copy_action.triggered.connect(self._on_copy_action_triggered)
        self.copy_value_action = QAction("Copy value", self)
        self.copy_value_action.setObjectName("copyReadoutValue")
        self.copy_value_action.setToolTip(
            "Copy the number at full precision, without its unit (it pastes as a number)"
        )
        self.copy_value_action.triggered.connect(self._on_copy_value_action_triggered)
        self.addAction(self.copy_action)
        self.addAction(self.copy_value_action)

    def show_value(self, value: float, text: str) -> None:
        """Show ``text`` (``value`` rounded, with its unit) and keep ``value`` for copying."""
        self._value = float(value)
        if text != self._shown:  # an unchanged text costs no relayout and no repaint
            self._shown = text
            self.setText(text)

    def value(self) -> float:
        """The number behind the text (nan before the first :meth:`show_value`)."""
        return self._value

    def value_text(self) -> str:
        """What *Copy value* copies: the shortest text that reads back as the same float."""
        return repr(self._value)

    def copied_text(self) -> str:
        """What *Copy <symbol>* copies: 'H(P,Q) = 12.8016 nats'."""
        return f"{self.symbol} = {self.text()}"

    def _on_copy_action_triggered(self) -> None:
        QGuiApplication.clipboard().setText(self.copied_text())

    def _on_copy_value_action_triggered(self) -> None:
        QGuiApplication.clipboard().setText(self.value_text())
