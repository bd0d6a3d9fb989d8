import pyqtgraph as pg
import pytest

from explorer.ui.model.plot_style import ValueAxisItem, style_plot
from tests.ui.model.helpers import drawn_labels


@pytest.fixture
def plot(qtbot):
    widgets = []  # qtbot holds widgets weakly

    def make(**axes):
        widget = pg.PlotWidget(plotItem=style_plot(pg.PlotItem(axisItems=axes), "t", "y", "x"))
        qtbot.addWidget(widget)
        widgets.append(widget)
        widget.resize(220, 200)
        return widget.getPlotItem()

    return make


def test_value_axis_moves_a_huge_scale_into_the_label_and_never_overlaps(plot):
    item = plot(bottom=ValueAxisItem("bottom"))
    axis = item.getAxis("bottom")
    item.setXRange(-5.36e17, 5.51e17, padding=0)
    labels = drawn_labels(axis)
    assert "x1e+15" in axis.labelString()
    assert len(labels) >= 3 and "0" in labels
    assert all(len(text) <= 5 for text in labels), labels
    item.setXRange(-0.23, 0.23, padding=0)  # ordinary weights: raw numbers, no factor
    labels = drawn_labels(axis)
    assert "(x" not in axis.labelString()
    assert "0" in labels and "0.2" in labels


def test_value_axis_steps_of_a_quarter_keep_their_digits():
    axis = ValueAxisItem("bottom")
    assert axis.tickStrings([-0.25, 0.0, 0.25], 1.0, 0.25) == ["-0.25", "0", "0.25"]
    assert axis.tickStrings([250.0, 500.0], 1.0, 250.0) == ["250", "500"]
    assert axis.tickStrings([2.5e5], 1.0, 2.5e5) == ["250000"]
