"""A ``pg.TextItem`` for plain text that changes often (values on bars, marks).

pyqtgraph's TextItem draws with a QGraphicsTextItem, which lays out a QTextDocument for every
new text (~75 us); a QGraphicsSimpleTextItem takes a few microseconds. Same anchoring, view
handling and export behaviour (it is still a TextItem); no HTML and no text width.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtWidgets import QGraphicsSimpleTextItem


class SimpleTextItem(pg.TextItem):
    """Plain text, unscaled by the view, anchored like ``pg.TextItem``; ``\\n`` breaks lines."""

    def __init__(self, text: str = "", color=(200, 200, 200), anchor=(0, 0)):
        super().__init__("", color=color, anchor=anchor)
        # Swap the document-based child for a simple one before anything is shown.
        document_item = self.textItem
        document_item.setParentItem(None)
        if document_item.scene() is not None:
            document_item.scene().removeItem(document_item)
        self.textItem = QGraphicsSimpleTextItem()
        self.textItem.setParentItem(self)
        self.setColor(color)
        self.setText(text)

    def setPlainText(self, text: str) -> None:  # noqa: N802 (pyqtgraph API)
        if not isinstance(self.textItem, QGraphicsSimpleTextItem):
            return  # pyqtgraph's __init__ sets the empty text on its own item
        if text != self.textItem.text():
            self.textItem.setText(text)
            self.updateTextPos()

    def toPlainText(self) -> str:  # noqa: N802 (pyqtgraph API)
        return self.textItem.text()

    def setColor(self, color) -> None:  # noqa: N802 (pyqtgraph API)
        self.color = pg.mkColor(color)
        if isinstance(self.textItem, QGraphicsSimpleTextItem):  # not yet during __init__
            self.textItem.setBrush(self.color)

    def setHtml(self, html: str) -> None:  # noqa: N802 (pyqtgraph API)
        raise TypeError("SimpleTextItem shows plain text only; use pg.TextItem for HTML")

    def setTextWidth(self, *args) -> None:  # noqa: N802 (pyqtgraph API)
        raise TypeError("SimpleTextItem does not wrap; use pg.TextItem for a text width")


__all__ = ["SimpleTextItem"]
