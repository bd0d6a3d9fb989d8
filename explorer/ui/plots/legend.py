"""Legends outside the data: in a row of their own between a plot's title and its data.

pyqtgraph's ``addLegend`` floats the legend over the view box, where it hides whatever the
data draws under it (a curve's peak, an ∞ mark). :func:`legend_outside` gives the plot a
legend in its header instead: the data area shrinks by the legend's height and nothing is
ever drawn under it. The entries flow into as many columns as the data area's width holds,
so a narrow plot gets a taller legend rather than a wider minimum. The legend is a child of
the plot: PNG and SVG exports of the plot include it. Its text takes the theme's colour and
zoomed size, and follows a change of either.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QSizeF, Qt
from PySide6.QtWidgets import QGraphicsLinearLayout, QSizePolicy

from explorer.ui.theme import style_legend, theme

#: The plot layout's row of the (hidden) top axis, between the title (row 0) and the data.
HEADER_ROW = 1
#: The least height left to the data under a legend, at 100 %, in pixels: a zoomed legend in
#: a short plot would otherwise take all of it.
DATA_MIN_HEIGHT = 48


class OutsideLegend(pg.LegendItem):
    """A frameless legend laid out in its plot's header row; see :func:`legend_outside`."""

    def __init__(self, max_columns: int, **options):
        options.setdefault("frame", False)
        super().__init__(offset=None, colCount=max_columns, **options)
        self.max_columns = max_columns
        self._width = None  # the data area's width the columns were last fitted to
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)

    def _entry_widths(self) -> list[float]:
        spacing = self.layout.horizontalSpacing()
        return [
            sample.boundingRect().width() + label.boundingRect().width() + 2 * spacing
            for sample, label in self.items
        ]

    def width_for(self, columns: int) -> float:
        """The width the entries need in ``columns`` columns (row by row, as pyqtgraph)."""
        widths = self._entry_widths()
        if not widths:
            return 0.0
        columns = max(1, min(columns, len(widths)))
        return sum(max(widths[c::columns]) for c in range(columns))

    def fit_columns(self, width: float) -> None:
        """Use the most columns (up to ``max_columns``) whose entries fit in ``width``."""
        self._width = width
        columns = self.max_columns
        while columns > 1 and self.width_for(columns) > width:
            columns -= 1
        if columns != self.columnCount:
            self.setColumnCount(columns)

    def sizeHint(self, which, constraint=QSizeF()):  # noqa: N802, B008 (Qt override)
        hint = super().sizeHint(which, constraint)
        if which == Qt.SizeHint.MinimumSize:
            # One column's width: a narrow plot re-flows the legend instead of growing.
            return QSizeF(min(hint.width(), self.width_for(1)), hint.height())
        return hint

    def updateSize(self) -> None:  # noqa: N802 (pyqtgraph API)
        # pyqtgraph moves a floating legend to (0, 0) at its new size; this one's place and
        # size are its plot layout's to give. Restyled (zoomed) entries may need other columns.
        if self._width is not None:
            self.fit_columns(self._width)
        self.updateGeometry()


def legend_outside(
    plot: pg.PlotItem, columns: int = 4, vertical_spacing: int = -4
) -> OutsideLegend:
    """Give ``plot`` a legend above its data area, under its title, and return it.

    Named items added to the plot afterwards join it (as with ``addLegend``); entries flow
    into up to ``columns`` columns, as many as the data area's width holds. The text is in the
    theme's colour and size (restyled with the plot's view).
    """
    legend = OutsideLegend(columns, verSpacing=vertical_spacing)
    style_legend(legend)
    plot.legend = legend
    top_axis = plot.getAxis("top")
    plot.layout.removeItem(top_axis)
    header = QGraphicsLinearLayout(Qt.Orientation.Vertical)
    header.setContentsMargins(0, 0, 0, 0)
    header.setSpacing(0)
    header.addItem(legend)
    header.addItem(top_axis)
    header.setAlignment(legend, Qt.AlignmentFlag.AlignHCenter)
    plot.layout.addItem(header, HEADER_ROW, 1)
    plot.vb.sigResized.connect(lambda view: legend.fit_columns(view.width()))
    view_box = plot.vb
    theme().watch(plot, lambda: view_box.setMinimumHeight(theme().px(DATA_MIN_HEIGHT)))
    return legend


__all__ = ["OutsideLegend", "legend_outside"]
