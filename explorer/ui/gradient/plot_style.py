"""What the Gradient tab's views share in looks: plots in the theme, a scrolling controls
column beside what it controls."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from explorer.ui.theme import set_title, theme
from explorer.ui.theme import style_plot as style_in_theme

#: The controls column's width at 100 %, in pixels (it grows with the zoom).
CONTROLS_WIDTH = 250


def style_plot(plot: pg.PlotItem, title: str, left: str, bottom: str) -> pg.PlotItem:
    """Title, axis labels and a faint grid, in the theme's colours and sizes."""
    for side, text in (("left", left), ("bottom", bottom)):
        plot.setLabel(side, text)
    set_title(plot, title)
    style_in_theme(plot)
    plot.showGrid(x=True, y=True, alpha=0.15)
    return plot


class ControlsColumn(QScrollArea):
    """A column of controls that scrolls vertically when the window is short (a small
    screen, a large zoom), never horizontally: it is as wide as its widest control needs,
    at least :data:`CONTROLS_WIDTH` (zoomed), measured again after a zoom and when shown."""

    def __init__(self, controls: QWidget, name: str):
        super().__init__(objectName=name)
        for combo in controls.findChildren(QComboBox):
            # Long item texts must not widen the column.
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(10)
        self.setWidget(controls)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        theme().watch(self, self.fit)

    def fit(self) -> None:
        controls = self.widget()
        controls.ensurePolished()
        for widget in (controls, *controls.findChildren(QWidget)):
            if widget.layout() is not None:
                widget.layout().invalidate()  # sizes of the last zoom are remembered
        needed = controls.minimumSizeHint().width()
        bar = self.verticalScrollBar().sizeHint().width()
        self.setFixedWidth(max(theme().px(CONTROLS_WIDTH), needed) + bar)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        self.fit()  # a hidden page measured its widgets before they were drawn


def controls_column(name: str, *widgets: QWidget) -> ControlsColumn:
    """``widgets`` one under the other from the top, in a :class:`ControlsColumn` named
    ``name``."""
    controls = QWidget()
    column = QVBoxLayout(controls)
    for widget in widgets:
        column.addWidget(widget)
    column.addStretch(1)
    return ControlsColumn(controls, name)


def stacked(name: str, top: QWidget, bottom: QWidget, shares=(3, 1)) -> QSplitter:
    """``top`` over ``bottom`` in a splitter named ``name``, neither collapsible, sharing its
    height as ``shares`` (three parts to one) from the start and as it grows."""
    split = QSplitter(Qt.Orientation.Vertical, objectName=name)
    split.addWidget(top)
    split.addWidget(bottom)
    for index, share in enumerate(shares):
        split.setStretchFactor(index, share)
    # Without sizes the first layout follows the widgets' size hints (a graph canvas asks
    # for far more than a table), not the shares.
    split.setSizes([100 * share for share in shares])
    split.setChildrenCollapsible(False)
    return split


def lay_out_beside(view: QWidget, controls: ControlsColumn, content: QWidget) -> None:
    """``view``'s layout: ``controls`` left of ``content`` in a splitter, ``content`` taking
    the room the column leaves."""
    split = QSplitter(Qt.Orientation.Horizontal)
    split.addWidget(controls)
    split.addWidget(content)
    split.setStretchFactor(1, 1)
    split.setChildrenCollapsible(False)
    layout = QVBoxLayout(view)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(split)
