import pyqtgraph as pg

from explorer.ui.plots.index_axis import IndexAxisItem
from tests.ui.seen import tick_labels_drawn


def test_index_axis_ticks_whole_numbers_only(qtbot):
    widget = pg.PlotWidget(axisItems={"bottom": IndexAxisItem("bottom")})
    qtbot.addWidget(widget)
    widget.resize(220, 200)
    item = widget.getPlotItem()
    item.setXRange(-0.5, 1.5, padding=0)  # two columns
    assert [text for _rect, text in tick_labels_drawn(item.getAxis("bottom"))] == ["0", "1"]
    item.setXRange(-0.5, 783.5, padding=0)
    labels = [text for _rect, text in tick_labels_drawn(item.getAxis("bottom"))]
    assert labels and all(text.isdigit() for text in labels)
