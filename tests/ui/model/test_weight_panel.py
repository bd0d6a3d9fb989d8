import numpy as np
import pytest


def test_selected_weight_is_shown_as_heatmap_and_histograms(tab):
    tab.select("linear2.weight")
    weight = tab.model().linear2.weight.data
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
    tab.set_model_config({"input_features": 2100, "hidden_sizes": [1100], "output_features": 2})
    tab.select("linear1.weight")
    assert tab.weights.image.image.shape == (550, 700)
    rect = tab.weights.image.mapRectToParent(tab.weights.image.boundingRect())
    assert (rect.width(), rect.height()) == (2100, 1100)
    assert "strided 2×3" in tab.weights.heatmap_plot.titleLabel.text


def test_hovering_the_heatmap_reads_the_weight(qtbot, tab):
    from PySide6.QtCore import QPointF

    tab.resize(1280, 800)
    tab.show()
    qtbot.waitExposed(tab)
    tab.select("linear2.weight")
    view_box = tab.weights.heatmap_plot.vb
    tab.weights._on_scene_mouse_moved(view_box.mapViewToScene(QPointF(3.2, 2.1)))
    value = tab.model().linear2.weight.data[2, 3]
    assert tab.weights.hover.text() == f"model.linear2.weight[2, 3] = {value:.5g}"
    tab.close()


def test_first_layer_rows_are_shown_as_the_input_picture(tab):
    tab.select("linear1.weight")
    weights = tab.weights
    assert weights.unit_shown()
    assert "unit-weights" in tab.export_items()
    weight = tab.model().linear1.weight.data
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
    tab.set_model_config({"input_features": 10, "hidden_sizes": [4], "output_features": 2})
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
