"""Two labelled tables that sit side by side when one is a single column, else stacked."""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

NARROW_WIDTH = 100


def labelled(label: QLabel, table: QWidget) -> QWidget:
    """``label`` above ``table`` in one widget (so both hide together)."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    layout.addWidget(label)
    layout.addWidget(table)
    return box


class TablePair(QWidget):
    """``first`` and ``second``; a single-column tensor (class indices) goes beside the other."""

    def __init__(self, first: QWidget, second: QWidget, parent=None):
        super().__init__(parent)
        self.first, self.second = first, second
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(6)
        self._layout_key = None
        self.arrange(narrow=None)

    def arrange(self, narrow: QWidget | None) -> None:
        """Put ``narrow`` (``first``, ``second`` or None) in a slim column beside the other."""
        if narrow is self._layout_key and self.grid.count():
            return
        self._layout_key = narrow
        for widget in (self.first, self.second):
            self.grid.removeWidget(widget)
            widget.setMaximumWidth(16777215)
        for i in range(2):
            self.grid.setRowStretch(i, 0)
            self.grid.setColumnStretch(i, 0)
        if narrow is None:
            self.grid.addWidget(self.first, 0, 0)
            self.grid.addWidget(self.second, 1, 0)
            self.grid.setRowStretch(0, 1)
            self.grid.setRowStretch(1, 1)
            self.grid.setColumnStretch(0, 1)
        else:
            wide = self.second if narrow is self.first else self.first
            narrow.setMaximumWidth(NARROW_WIDTH)
            self.grid.addWidget(self.first, 0, 0)
            self.grid.addWidget(self.second, 0, 1)
            self.grid.setColumnStretch(0 if wide is self.first else 1, 1)
            self.grid.setRowStretch(0, 1)
