"""One look for the Model tab's plots: white background, dark axes, Tableau colours."""

from __future__ import annotations

import pyqtgraph as pg

# Tableau 10: distinct on white, readable by most colour-blind viewers.
TABLEAU = (
    (31, 119, 180),
    (255, 127, 14),
    (44, 160, 44),
    (214, 39, 40),
    (148, 103, 189),
    (140, 86, 75),
    (227, 119, 194),
    (127, 127, 127),
    (188, 189, 34),
    (23, 190, 207),
)
AXIS_COLOR = (70, 70, 70)
TITLE_SIZE = "10pt"


def style_plot(plot: pg.PlotItem, title: str, left: str, bottom: str) -> pg.PlotItem:
    """Title, axis labels and dark axes readable on a white background."""
    plot.setTitle(title, size=TITLE_SIZE, color=AXIS_COLOR)
    for side, text in (("left", left), ("bottom", bottom)):
        axis = plot.getAxis(side)
        axis.setPen(pg.mkPen(AXIS_COLOR))
        axis.setTextPen(pg.mkPen(AXIS_COLOR))
        # Students compare raw values with print(param): no "(x0.001)" rescaling.
        axis.enableAutoSIPrefix(False)
        plot.setLabel(side, text)
    return plot


def set_title(plot: pg.PlotItem, title: str) -> None:
    plot.setTitle(title, size=TITLE_SIZE, color=AXIS_COLOR)
