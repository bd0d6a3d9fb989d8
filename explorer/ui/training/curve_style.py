"""What the Training tab's curve plots share: run curves, styling, legends, live ranges."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg

from explorer.ui.theme import set_title
from explorer.ui.theme import style_plot as style_in_theme

FOLLOW_PADDING = 0.05  # share of the current run's span added around it when following it
# While a run trains, the followed view keeps room ahead of it (x) and below it (y) and moves
# only when the run leaves it: the axes, the costliest part of a repaint, are then redrawn
# a few times per run instead of every frame (they are cached as pixmaps in between).
LIVE_X_HEADROOM = 0.5  # share of the run's step span kept free past its last step
LIVE_Y_MARGIN = 0.15  # share of the run's loss span kept free below its lowest value
# Per-epoch curves mark each epoch while the marks stay apart; past this many epochs they
# are a line (hundreds of marks blur into a thick band and cost a scatter repaint each).
MAX_EPOCH_MARKS = 60


def mark_epochs(curve: pg.PlotDataItem, count: int, symbol: str = "o") -> None:
    """Show ``curve``'s per-epoch marks only while there are at most MAX_EPOCH_MARKS."""
    wanted = symbol if count <= MAX_EPOCH_MARKS else None
    if curve.opts["symbol"] != wanted:
        curve.setSymbol(wanted)


@dataclass
class CurveData:
    """One run's curves, as the plots overlay them (x = optimizer step or epoch)."""

    name: str
    steps: np.ndarray
    losses: np.ndarray
    val_steps: np.ndarray
    val_losses: np.ndarray
    epochs: np.ndarray
    val_accuracy: np.ndarray
    train_accuracy: np.ndarray | None = None
    color_index: int = 0  # the run's own color, kept while runs come and go


def style_plot(plot: pg.PlotItem, title: str, left: str, bottom: str) -> None:
    plot.setLabel("left", left)
    plot.setLabel("bottom", bottom)
    set_title(plot, title)
    style_in_theme(plot)
    plot.showGrid(x=True, y=True, alpha=0.15)
    plot.setMenuEnabled(True)


def set_symbol_style(curve: pg.PlotDataItem, pen, brush) -> None:
    """Give ``curve``'s marks ``pen`` and ``brush``, an empty curve's too: its legend sample
    draws the marks from the curve's scatter, which pyqtgraph restyles only when it has data."""
    curve.setSymbolPen(pen)
    curve.setSymbolBrush(brush)
    curve.scatter.setPen(pen)
    curve.scatter.setBrush(brush)


def repaint_samples(legend: pg.LegendItem) -> None:
    """Redraw the legend's line samples after their curves' pens changed (a sample is not
    told)."""
    for sample, _label in legend.items:
        sample.update()


def rebuild_legend(legend: pg.LegendItem, entries: list[tuple[pg.PlotDataItem, str]]) -> None:
    # Removing entries leaves the legend as wide as its longest old label: start afresh.
    legend.clear()
    for item, name in entries:
        legend.addItem(item, name)
