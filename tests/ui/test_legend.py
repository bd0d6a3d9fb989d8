import pyqtgraph as pg

from explorer.ui.colors import DARK
from explorer.ui.plots.legend import legend_outside
from explorer.ui.theme import LEGEND_PT, theme


def test_an_outside_legend_is_made_in_the_current_appearance_and_follows_a_zoom(qtbot):
    theme().set(palette=DARK)
    view = pg.PlotWidget()
    qtbot.addWidget(view)
    plot = view.getPlotItem()
    legend = legend_outside(plot, columns=2)
    plot.plot([0, 1], [0, 1], name="a curve")
    ((_sample, label),) = legend.items
    assert pg.mkColor(label.opts["color"]).getRgb()[:3] == DARK.text
    assert label.opts["size"] == f"{LEGEND_PT:g}pt"
    theme().set(zoom=1.5)
    assert label.opts["size"] == f"{1.5 * LEGEND_PT:g}pt"


def test_the_data_under_an_outside_legend_keeps_a_zoomed_least_height(qtbot):
    from explorer.ui.plots.legend import DATA_MIN_HEIGHT

    view = pg.PlotWidget()
    qtbot.addWidget(view)
    plot = view.getPlotItem()
    legend_outside(plot)
    assert plot.vb.minimumHeight() == DATA_MIN_HEIGHT
    theme().set(zoom=1.5)
    assert plot.vb.minimumHeight() == round(1.5 * DATA_MIN_HEIGHT)
