import warnings
from dataclasses import replace

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QPointF
from PySide6.QtWidgets import QApplication

from explorer.engine import Tensor
from explorer.inspect.array_stats import symmetric_limit
from explorer.inspect.number_format import format_value
from explorer.model.config import MLPConfig
from tests.ui.model.helpers import drawn_labels, tree_rows


def test_selected_weight_is_shown_as_heatmap_and_histograms(tab):
    tab.select("linear2.weight")
    weight = tab.model().linear2.weight.data.numpy()
    image = tab.weights.image.image
    assert image.shape == (10, 256)
    np.testing.assert_array_equal(image, weight)
    low, high = tab.weights.colorbar.levels()
    assert low == pytest.approx(-high)
    x, y = tab.weights.values_curve.getData()
    assert y.sum() == weight.size
    assert tab.weights.gradient_message() == "no gradient yet"
    tab.select("linear1.bias")
    assert tab.weights.image.image.shape == (256, 1)
    tab.select("linear1")
    assert tab.weights.node().path == "linear1.weight"


def test_huge_weights_are_drawn_strided_with_true_coordinates(tab):
    tab.set_model_config(MLPConfig(input_features=2100, hidden_sizes=(1100,), output_features=2))
    tab.select("linear1.weight")
    assert tab.weights.image.image.shape == (550, 700)
    rect = tab.weights.image.mapRectToParent(tab.weights.image.boundingRect())
    assert (rect.width(), rect.height()) == (2100, 1100)
    assert "strided 2×3" in tab.weights.heatmap_plot.titleLabel.text


def test_hovering_the_heatmap_reads_the_weight(qtbot, tab):
    tab.resize(1280, 800)
    tab.show()
    qtbot.waitExposed(tab)
    tab.select("linear2.weight")
    view_box = tab.weights.heatmap_plot.vb
    tab.weights._on_scene_mouse_moved(view_box.mapViewToScene(QPointF(3.2, 2.1)))
    value = tab.model().linear2.weight.data.numpy()[2, 3]
    assert tab.weights.hover_text() == f"model.linear2.weight[2, 3] = {format_value(value, 5)}"
    tab.close()


def test_first_layer_rows_are_shown_as_the_input_picture(tab):
    tab.select("linear1.weight")
    weights = tab.weights
    assert weights.unit_shown()
    assert "unit-weights" in tab.export_items()
    weight = tab.model().linear1.weight.data.numpy()
    np.testing.assert_array_equal(weights.unit_plot.image.image, weight[0].reshape(28, 28))
    weights.select_unit(17)
    np.testing.assert_array_equal(weights.unit_plot.image.image, weight[17].reshape(28, 28))
    assert weights.unit_plot.titleLabel.text == "weight[17] as 28×28"
    weights.select_unit(10_000)  # the marker stops at the last row
    assert weights.unit_plot.unit == 255
    tab.select("linear2.weight")  # hidden units are no picture
    assert not weights.unit_shown()
    assert "unit-weights" not in tab.export_items()
    tab.select("linear1.bias")
    assert not weights.unit_shown()


def test_no_picture_when_the_input_is_not_square(tab):
    tab.set_model_config(MLPConfig(input_features=10, hidden_sizes=(4,), output_features=2))
    tab.select("linear1.weight")
    assert not tab.weights.unit_shown()


def test_colour_scale_holds_through_small_changes(tab):
    tab.select("linear2.weight")
    weight = tab.model().linear2.weight
    before = tab.weights.colorbar.levels()
    weight.data *= 1.05
    tab.weights.refresh()
    assert tab.weights.colorbar.levels() == before
    weight.data *= 2.0
    tab.weights.refresh()
    assert tab.weights.colorbar.levels()[1] > 1.5 * before[1]


def test_narrow_weight_has_whole_number_column_ticks(qtbot, tab):
    tab.set_model_config(MLPConfig(input_features=2, hidden_sizes=(256,), output_features=3))
    tab.resize(1280, 820)
    tab.show()
    qtbot.waitExposed(tab)
    tab.select("linear1.weight")
    assert drawn_labels(tab.weights.heatmap_plot.getAxis("bottom")) == ["0", "1"]
    rows = drawn_labels(tab.weights.heatmap_plot.getAxis("left"))
    assert rows and all(text.isdigit() for text in rows)
    tab.close()


def test_exploded_weights_keep_readable_numbers_and_colour_bar_ticks(qtbot, tab):
    tab.resize(1280, 820)
    tab.show()
    qtbot.waitExposed(tab)
    weight = tab.model().linear1.weight
    weight.data[...] = np.random.default_rng(0).normal(size=weight.shape) * 1.1e17
    tab.select("linear1.weight")
    tab.refresh_parameters()
    std = dict(tree_rows(tab))["linear1.weight"][7]
    assert std == format_value(weight.data.numpy().std(dtype=np.float64))
    assert std.endswith("e+17") and len(std) <= 9
    # The tree column is wide enough: the view shows the text whole, not "1.1e…".
    index = tab.tree_model.index_of("linear1.weight").siblingAtColumn(7)
    width = tab.tree.fontMetrics().horizontalAdvance(std)
    assert tab.tree.columnWidth(7) > width
    bar = drawn_labels(tab.weights.colorbar.getAxis("right"))
    assert len(bar) >= 3 and "0" in bar and any("e+17" in text for text in bar)
    values = drawn_labels(tab.weights.values_plot.getAxis("bottom"))
    assert len(values) >= 3
    assert "x1e+15" in tab.weights.values_plot.getAxis("bottom").labelString()
    assert "e+17" in tab.weights.title.text()
    assert index.isValid()
    tab.close()


def test_nan_and_inf_weights_are_shown_plainly_and_do_not_set_the_colours(qtbot, tab):
    tab.resize(1280, 820)
    tab.show()
    qtbot.waitExposed(tab)
    weight = tab.model().linear2.weight
    finite_limit = tab.weights.colorbar.levels()[1]
    weight.data[0, :5] = np.nan
    weight.data[1, :3] = np.inf
    weight.data[2, 0] = -np.inf
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tab.select("linear2.weight")
        tab.refresh_parameters()
    weights = tab.weights
    rows = dict(tree_rows(tab))
    assert rows["linear2.weight"][6:8] == ["nan", "nan"]
    assert "5 nan, 4 inf" in weights.title.text()
    low, high = weights.colorbar.levels()
    assert np.isfinite(high) and low == -high
    finite = weight.data.numpy()[np.isfinite(weight.data.numpy())]
    assert high == pytest.approx(symmetric_limit(finite))
    assert finite_limit > 0
    assert weights.nan_backdrop.isVisible()  # NaN pixels are transparent: grey shows
    x, counts = weights.values_curve.getData()
    assert counts.sum() == finite.size
    view_box = weights.heatmap_plot.vb
    weights._on_scene_mouse_moved(view_box.mapViewToScene(QPointF(0, 0)))
    assert weights.hover_text() == "model.linear2.weight[0, 0] = nan"
    weights._on_scene_mouse_moved(view_box.mapViewToScene(QPointF(1, 1)))
    assert weights.hover_text() == "model.linear2.weight[1, 1] = inf"
    weight.data[...] = 0.01
    tab.refresh_parameters()
    assert not weights.nan_backdrop.isVisible()
    tab.close()


def test_export_leaves_out_plots_without_data_and_names_what_it_holds(qtbot, tab):
    tab.select("linear2.weight")
    items = tab.export_items()
    assert "gradient-histogram" not in items  # no backward pass yet
    assert "activations" not in items  # no forward pass yet
    model = tab.model()
    model(Tensor(np.ones((2, 784), dtype=np.float32))).sum().backward()
    tab.weights.refresh()
    tab.forward.run()
    items = tab.export_items()
    assert {"gradient-histogram", "activations"} <= set(items)
    weights = tab.weights
    np.testing.assert_array_equal(weights.image.export_matrix, model.linear2.weight.data.numpy())
    columns, rows, x_label, y_label = weights.image.export_axes
    assert (list(columns), list(rows)) == (list(range(256)), list(range(10)))
    assert (x_label, y_label) == ("input feature j", "output unit i")
    assert weights.values_curve.name() == "linear2.weight count"
    assert weights.grad_curve.name() == "linear2.weight.grad count"
    decorations = [
        item
        for plot in (weights.heatmap_plot, weights.values_plot, weights.grad_plot)
        for item in plot.items
        if not isinstance(item, pg.ImageItem | pg.PlotDataItem)
    ]
    assert decorations and all(getattr(item, "csv_exclude", False) for item in decorations)
    names = [curve.name() for curve in tab.forward._curves]
    assert names[0] == "input x" and "linear2" in names


def test_strided_heatmap_exports_true_indices(tab):
    tab.set_model_config(MLPConfig(input_features=2100, hidden_sizes=(1100,), output_features=2))
    tab.select("linear1.weight")
    columns, rows, _, _ = tab.weights.image.export_axes
    assert (len(columns), len(rows)) == (700, 550)
    assert (columns[1], rows[1]) == (3, 2)
    assert tab.weights.image.export_matrix.shape == (550, 700)


def test_unit_picture_exports_as_a_picture_with_its_colour_bar(tab):
    tab.select("linear1.weight")
    unit = tab.weights.unit_plot
    assert unit.colorbar.levels() == tab.weights.colorbar.levels()
    assert unit.maximumHeight() <= 1.2 * unit.maximumWidth()  # not a tall strip
    weight = tab.model().linear1.weight.data.numpy()
    np.testing.assert_array_equal(unit.image.export_matrix, weight[0].reshape(28, 28))
    assert unit.image.export_axes[2:] == ("pixel column", "pixel row")


def shown_panel(qtbot, tab):
    tab.resize(1280, 800)
    tab.show()
    tab.activateWindow()
    qtbot.waitExposed(tab)
    tab.grab()  # lays out the plots as painted


def test_the_unit_marker_moves_from_the_keyboard(qtbot, tab):
    from PySide6.QtCore import Qt

    tab.select("linear1.weight")
    shown_panel(qtbot, tab)
    weights = tab.weights
    plots = weights.graphics
    plots.setFocus(Qt.FocusReason.TabFocusReason)
    weight = tab.model().linear1.weight.data
    steps = [
        (Qt.Key.Key_Down, 1),
        (Qt.Key.Key_Down, 2),
        (Qt.Key.Key_PageDown, 12),
        (Qt.Key.Key_Up, 11),
        (Qt.Key.Key_PageUp, 1),
        (Qt.Key.Key_PageUp, 0),
        (Qt.Key.Key_Up, 0),
        (Qt.Key.Key_End, 255),
        (Qt.Key.Key_Down, 255),
        (Qt.Key.Key_Home, 0),
    ]
    for key, unit in steps:
        qtbot.keyClick(plots, key)
        assert weights.unit_plot.unit == unit and weights.unit_line.value() == unit, key
    qtbot.keyClick(plots, Qt.Key.Key_End)
    np.testing.assert_array_equal(weights.unit_plot.image.image, weight[255].reshape(28, 28))
    tab.close()


def test_a_drag_that_misses_the_marker_cannot_pan_the_heatmap_away(qtbot, tab):
    from tests.ui.model.helpers import drag, view_point

    tab.select("linear1.weight")  # 256 x 784: a strip, its cells not square
    shown_panel(qtbot, tab)
    plot = tab.weights.heatmap_plot
    before = plot.vb.viewRange()
    start = view_point(plot, 400, 150)  # a few pixels off the marker at row 0
    drag(plot.scene().views()[0], start, start + QPointF(0, 400).toPoint())
    QApplication.processEvents()
    (x0, x1), (y0, y1) = plot.vb.viewRange()
    assert -0.5 - 1e-6 <= y0 and y1 <= 255.5 + 1e-6, (y0, y1)
    assert -0.5 - 1e-6 <= x0 and x1 <= 783.5 + 1e-6
    np.testing.assert_allclose(plot.vb.viewRange(), before, atol=1e-6)  # it was all shown
    assert tab.weights.unit_plot.unit == 0  # the marker stayed too
    tab.close()


def test_a_zoomed_square_heatmap_pans_only_within_its_data(qtbot, tab):
    from tests.ui.model.helpers import drag, view_point

    tab.set_model_config(replace(tab.document.config, input_features=64, hidden_sizes=(64,)))
    tab.select("linear1.weight")  # 64 x 64: square cells
    shown_panel(qtbot, tab)
    plot = tab.weights.heatmap_plot
    plot.vb.scaleBy((0.25, 0.25))  # zoomed in on the middle
    view = plot.scene().views()[0]
    start = view_point(plot, 32, 32)
    drag(view, start, start + QPointF(-600, -600).toPoint())  # far up-left: data goes off
    (x0, x1), (y0, y1) = plot.vb.viewRange()
    assert x1 - x0 < 64 and y1 - y0 < 64  # still zoomed in ...
    assert -0.5 - 1e-6 <= x0 and x1 <= 63.5 + 1e-6  # ... on the data, its far corner
    assert -0.5 - 1e-6 <= y0 and y1 <= 63.5 + 1e-6
    assert x1 == pytest.approx(63.5) and y1 == pytest.approx(63.5)
    width, height = plot.vb.viewPixelSize()
    assert width == pytest.approx(height, rel=0.01)  # the cells stay square
    plot.vb.scaleBy((100, 100))  # zooming far out (as the wheel does) stops at View All
    plot.vb.sigRangeChangedManually.emit(plot.vb.state["mouseEnabled"])
    (x0, x1), (y0, y1) = plot.vb.viewRange()
    assert min(x1 - x0, y1 - y0) == pytest.approx(64)
    tab.close()


def test_the_value_read_out_follows_the_pointer_and_clears(qtbot, tab):
    from PySide6.QtCore import QEvent

    from tests.ui.model.helpers import hover, view_point

    tab.select("linear2.weight")
    shown_panel(qtbot, tab)
    weights = tab.weights
    plot = weights.heatmap_plot
    pointer = view_point(plot, 3, 2)
    qtbot.waitUntil(lambda: hover(weights.graphics, pointer) or weights.hover_text() != "")
    value = tab.model().linear2.weight.data[2, 3]
    assert weights.hover_text() == f"model.linear2.weight[2, 3] = {format_value(value, 5)}"
    # Beside the pointer, not at the bottom of the panel.
    box = weights.hover.mapRectToScene(weights.hover.boundingRect())
    corner = weights.graphics.mapToScene(pointer)
    distance = min(abs(corner.x() - box.left()), abs(corner.x() - box.right())) + min(
        abs(corner.y() - box.top()), abs(corner.y() - box.bottom())
    )
    assert distance < 30
    QApplication.sendEvent(weights.graphics, QEvent(QEvent.Type.Leave))
    assert weights.hover_text() == ""
    # The pointer comes back (pyqtgraph passes on a move only so often: move until it does).
    back = pointer + QPointF(1, 0).toPoint()
    qtbot.waitUntil(lambda: hover(weights.graphics, back) or weights.hover_text() != "")
    tab.set_model_config(replace(tab.document.config, seed=7))  # a rebuild
    assert weights.hover_text() == ""  # no stale value from the old weights
    tab.close()


@pytest.mark.parametrize("appearance", ["light", "dark"])
def test_the_value_read_out_is_in_the_appearances_colours_and_zoom(qtbot, tab, appearance):
    from explorer.ui.colors import PALETTES
    from explorer.ui.theme import theme
    from tests.ui.model.helpers import hover, view_point

    tab.select("linear2.weight")
    shown_panel(qtbot, tab)
    weights = tab.weights
    palette = PALETTES[appearance]
    theme().set(palette=palette, zoom=1.5)
    pointer = view_point(weights.heatmap_plot, 3, 2)
    qtbot.waitUntil(lambda: hover(weights.graphics, pointer) or weights.hover_text() != "")
    assert weights.hover.textItem.defaultTextColor().getRgb()[:3] == palette.text
    assert weights.hover.fill.color().getRgb() == palette.legend
    assert weights.hover.textItem.font().pointSizeF() == pytest.approx(theme().font().pointSizeF())
    tab.close()


def test_a_long_read_out_stays_inside_the_plots(qtbot, tab):
    from explorer.ui.theme import theme
    from tests.ui.model.helpers import hover, view_point

    tab.select("linear1.weight")
    theme().set(zoom=2.0)
    tab.resize(1024, 640)
    tab.show()
    qtbot.waitExposed(tab)
    tab.grab()
    weights = tab.weights
    rows, cols = weights._image_shape
    for x, y in ((0.7, 0.2), (0.98, 0.98), (0.02, 0.02)):
        pointer = view_point(weights.heatmap_plot, x * (cols - 1), y * (rows - 1))
        previous = weights.hover_text()
        qtbot.waitUntil(
            lambda p=pointer, t=previous: hover(weights.graphics, p) or weights.hover_text() != t
        )
        text = weights.hover.mapRectToScene(weights.hover.boundingRect())
        shown = weights.graphics.mapToScene(weights.graphics.viewport().rect()).boundingRect()
        assert shown.contains(text), (x, y)
    tab.close()
