"""The Network tab, driven as a person does: train, look at the units, hover, click, export.

The unit pictures and the recorded numbers are compared with forward passes and norms
computed here in numpy from the weights the app holds.
"""

from __future__ import annotations

import gzip

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QPoint, Qt

from explorer.model.document import ModelDocument
from explorer.ui import MainWindow
from explorer.ui.export.files import ExportOptions, export_items
from explorer.ui.network.tab import NetworkTab
from explorer.ui.training.tab import TrainingTab
from tests.ui.training.tab_helpers import (
    assert_no_training_thread_left,
    click,
    wait_loaded,
    wait_stopped,
)

ACT = {"relu": lambda z: np.maximum(z, 0), "tanh": np.tanh}


@pytest.fixture(autouse=True)
def _no_training_thread_left():
    yield
    assert_no_training_thread_left()


def numpy_layers(model, x):
    """Each Linear layer's output for the rows of ``x``, written out in numpy."""
    act = ACT[model.activation]
    h, out = np.asarray(x, np.float64), {}
    layers = model.layers
    for index, layer in enumerate(layers):
        h = h @ layer.weight.data.numpy().astype(np.float64).T + layer.bias.data.numpy()
        if index < len(layers) - 1:
            h = act(h)
        out[f"linear{index + 1}"] = h
    return out


def assert_images_are_a_forward_pass(view, model):
    xs, ys = view.grid()
    assert len(xs) and len(ys)
    gx, gy = np.meshgrid(xs, ys)
    outputs = numpy_layers(model, np.stack([gx.ravel(), gy.ravel()], axis=1))
    images = view.unit_images()
    assert set(images) == set(outputs)
    for name, units in view.shown_units().items():
        expected = outputs[name][:, units].T.reshape(len(units), len(ys), len(xs))
        np.testing.assert_allclose(images[name], expected, rtol=1e-4, atol=1e-4)


def make_pair(qtbot, kind="moons", samples=120, epochs=2, batch=16, hidden=None):
    document = ModelDocument()
    training = TrainingTab(document)
    qtbot.addWidget(training, before_close_func=lambda widget: widget.shutdown())
    training.confirm = lambda parent, title, text: pytest.fail(f"unexpected question: {text}")
    network = NetworkTab(document)
    qtbot.addWidget(network)
    view = training.view
    view.dataset.kind.setCurrentIndex(view.dataset.kind.findData(kind))
    if kind in view.dataset.params:
        view.dataset.params[kind]["n_samples"].setValue(samples)
    view.settings.epochs.setValue(epochs)
    view.settings.batch_size.setValue(batch)
    if hidden is not None:
        data = training.data.dataset
        config = document.config.adapted(data.num_features, data.num_classes)
        from dataclasses import replace

        document.build(replace(config, hidden_sizes=hidden))
    network.resize(1100, 700)
    network.show()
    qtbot.waitExposed(network)
    return document, training, network


@pytest.mark.parametrize("kind", ["spiral", "moons", "xor"])
def test_unit_pictures_are_a_forward_pass_of_the_plane_live_and_after_the_run(qtbot, kind):
    document, training, network = make_pair(qtbot, kind, samples=200, epochs=3, hidden=(12, 6))
    click(qtbot, training.view.step)  # one step, then paused: the process's picture
    wait_stopped(qtbot, training, "paused")
    qtbot.waitUntil(lambda: document.run_stream.latest_picture is not None, timeout=30_000)
    assert document.training and document.run_stream.live is not None
    network.refresh_network()
    assert network.network.content.picture is document.run_stream.latest_picture
    assert_images_are_a_forward_pass(network.network, document.model)
    click(qtbot, training.view.pause)  # resume to the end
    wait_stopped(qtbot, training, "done")
    network.refresh()
    assert_images_are_a_forward_pass(network.network, document.model)
    view = network.network
    assert list(view.shown_units()) == ["linear1", "linear2", "linear3"]
    assert view.column("linear1").title == "linear1\n12 units"
    classes = document.data[0].num_classes
    assert view.column("linear3").title == f"linear3 (output)\n{classes} units"
    training.shutdown()


def test_a_wide_layer_shows_its_strongest_units_and_says_how_many_are_not(qtbot):
    document, _training, network = make_pair(qtbot, "spiral", hidden=(100,))
    network.refresh()
    view = network.network
    assert view.hidden_counts()["linear1"] == 100 - 24
    assert "76 not shown" in view.column("linear1").title
    strength = np.linalg.norm(document.model.linear2.weight.data, axis=0)
    shown = view.shown_units()["linear1"]
    assert set(shown) == set(np.argsort(-strength)[:24])
    network.units.setValue(8)
    assert (
        len(view.shown_units()["linear1"]) == 8 and "92 not shown" in view.column("linear1").title
    )


def test_a_dead_relu_unit_is_marked(qtbot):
    document, _training, network = make_pair(qtbot, "moons", hidden=(6,))
    model = document.model
    model.linear1.weight.data[4] = 0.0
    model.linear1.bias.data[4] = -1.0  # 0 for every input
    model.linear2.weight.data[:, 4] = 5.0  # strong, so it is shown first
    document.notify_weights_changed()
    network.refresh()
    view = network.network
    assert view.shown_units()["linear1"][0] == 4
    assert view.dead_units()["linear1"][0] and not view.dead_units()["linear1"][1:].any()
    assert np.all(view.unit_images()["linear1"][0] == 0)


def test_digits_units_are_weight_pictures_and_class_bars(qtbot):
    document, training, network = make_pair(qtbot, "digits", epochs=1, batch=64)
    wait_loaded(qtbot, training)
    data = training.data.dataset
    from dataclasses import replace

    document.build(replace(document.config.adapted(64, 10), hidden_sizes=(16, 8)))
    click(qtbot, training.view.start)
    wait_stopped(qtbot, training, "done")
    network.refresh()
    view = network.network
    content = view.content
    assert content.image_side == 8 and not content.plane and view.unit_images() == {}
    assert view.column("input").title == "input\n64 pixels (8×8)"
    val = document.data[1]
    outputs = numpy_layers(document.model, val.x[:512])
    labels = val.y[:512]
    for name, units in view.shown_units().items():
        means = content.picture["class_means"][name]
        expected = np.stack([outputs[name][labels == c][:, units].mean(axis=0) for c in range(10)])
        np.testing.assert_allclose(means, expected.T, rtol=1e-4, atol=1e-5)
    assert data.num_classes == 10
    # the first layer's edges are its pictures: no edge leaves the input
    first = view.column("linear1")
    edges_x = np.concatenate(
        [item.getData()[0] for item in view._edges if item.getData()[0] is not None]
    )
    assert not np.any(np.isclose(edges_x, view.column("input").right))
    assert len(first.units) == 16


def test_an_mnist_format_pair_trains_and_is_pictured(qtbot, tmp_path):
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(60, 28, 28), dtype=np.uint8)
    labels = (np.arange(60) % 10).astype(np.uint8)
    images_path, labels_path = tmp_path / "train-images.idx3-ubyte.gz", tmp_path / "labels.idx1"
    with gzip.open(images_path, "wb") as handle:
        dims = b"".join(n.to_bytes(4, "big") for n in (60, 28, 28))
        handle.write(bytes([0, 0, 8, 3]) + dims + images.tobytes())
    labels_path.write_bytes(bytes([0, 0, 8, 1]) + (60).to_bytes(4, "big") + labels.tobytes())
    document, training, network = make_pair(qtbot, "moons", epochs=1)
    dataset = training.view.dataset
    dataset.kind.setCurrentIndex(dataset.kind.findData("idx"))
    dataset.idx_images.setText(str(images_path))
    dataset.idx_labels.setText(str(labels_path))
    dataset.idx_labels.editingFinished.emit()
    wait_loaded(qtbot, training)
    assert training.message() == "", training.message()
    from dataclasses import replace

    document.build(replace(document.config.adapted(784, 10), hidden_sizes=(32,)))
    click(qtbot, training.view.start)
    wait_stopped(qtbot, training, "done")
    network.refresh()
    content = network.network.content
    assert content.image_side == 28
    assert content.picture["class_means"]["linear1"].shape == (32, 10)  # 64 at most
    assert len(network.network.shown_units()["linear1"]) == 24
    history = document.run_stream.history(document.run_stream.selected)
    assert history is not None and history.num_scalars >= 1
    training.shutdown()


def test_the_history_view_draws_what_the_run_recorded(qtbot, tmp_path):
    document, training, network = make_pair(qtbot, "spiral", epochs=4, hidden=(16, 16))
    click(qtbot, training.view.start)
    wait_stopped(qtbot, training, "done")
    stream = document.run_stream
    history = stream.history(stream.selected)
    assert history.layers == ("linear1", "linear2", "linear3")
    assert history.steps()[-1] == training.display.step  # the last step is recorded
    network.refresh()
    view = network.history
    curve = view.norm_curves[0]  # the data as given (getData is log10 on a log axis)
    np.testing.assert_array_equal(curve.xData, history.steps())
    np.testing.assert_allclose(curve.yData, history.scalar("grad_norm")[:, 0])
    np.testing.assert_allclose(view.ratio_curves[2].yData, history.update_ratio()[:, 2])
    assert len(view.dead_curves) == 2  # hidden layers only
    assert view.images["weight"].isVisible()
    assert network.run_box.currentText().startswith("#1 spiral")
    network.layer_box.setCurrentIndex(2)
    assert view.heatmaps["grad"].titleLabel.text == "gradients of linear3"
    items = network.export_items()
    assert {"network", "weights-linear3", "gradients-linear3", "gradient-norms"} <= set(items)
    written = export_items(items, tmp_path, "network", ExportOptions(formats=("png", "svg", "csv")))
    names = {path.name for path in written}
    assert {
        "network-network.png",
        "network-update-ratios.svg",
        "network-weights-linear3.csv",
    } <= names
    table = (tmp_path / "network-network.csv").read_text().splitlines()
    assert "unit: layer" in table[0] and "unit: bias" in table[0]
    training.shutdown()


def test_hover_tells_a_unit_and_a_click_selects_its_row_in_the_model_tab(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(1280, 820)
    window.show()
    training, model_tab, tab = window.tab("training"), window.tab("model"), window.tab("network")
    training.view.dataset.kind.setCurrentIndex(training.view.dataset.kind.findData("moons"))
    training.runner.adapt(confirmed=True)
    window.show_tab("network")
    qtbot.waitUntil(lambda: tab.network.content is not None, timeout=10_000)
    view = tab.network
    layer, unit = "linear1", int(view.shown_units()["linear1"][2])
    centre = view.plot_item.vb.mapViewToScene(view.unit_center(layer, unit))
    point = view.mapFromScene(centre)
    qtbot.mouseMove(view.viewport(), point)
    qtbot.waitUntil(lambda: f"linear1 unit {unit}" in tab.hover.text())
    bias = window.model_document.model.linear1.bias.data[unit]
    assert "bias" in tab.hover.text() and "incoming weights x₁" in tab.hover.text()
    assert np.isfinite(bias)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert window.model_document.selected_unit == (layer, unit)
    assert model_tab.selected_path() == "linear1.weight"
    assert model_tab.weights.unit == unit and model_tab.weights.unit_line.value() == unit
    assert view._selection.getData()[0] is not None  # outlined
    qtbot.mouseMove(view.viewport(), QPoint(2, 2))
    window.close()


def test_histories_are_kept_in_sessions(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    window = MainWindow()
    qtbot.addWidget(window)
    window.sessions.report_error = pytest.fail
    training = window.tab("training")
    training.view.dataset.kind.setCurrentIndex(training.view.dataset.kind.findData("moons"))
    training.view.settings.epochs.setValue(3)
    click(qtbot, training.view.start)
    wait_stopped(qtbot, training, "done")
    stream = window.model_document.run_stream
    saved = stream.history(stream.selected).to_arrays()
    window.tab("network").units.setValue(9)
    path = tmp_path / "lab.json"
    assert window.sessions.save_to(path)
    training.shutdown()

    again = MainWindow()
    qtbot.addWidget(again)
    again.sessions.report_error = pytest.fail
    assert again.sessions.open_from(path)
    restored = again.model_document.run_stream
    assert restored.names() == {1: training.runs.run_at(0).name} and restored.selected == 1
    for key, value in restored.history(1).to_arrays().items():
        np.testing.assert_array_equal(value, saved[key])
    assert again.tab("network").units.value() == 9
    again.tab("training").delete_run(0)  # the run goes, and its history with it
    assert restored.names() == {}


def test_the_tab_fits_a_laptop_at_150_percent_and_follows_dark(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(1024, 640)
    window.show()
    window.set_zoom(1.5)
    window.set_appearance("dark")
    window.show_tab("network")
    tab = window.tab("network")
    qtbot.waitUntil(lambda: tab.network.isVisible() and tab.history.isVisible())
    for widget in (tab.network, tab.history):
        assert widget.width() >= 250 and widget.height() >= 250, widget.objectName()
    from explorer.ui.theme import theme

    assert theme().palette.dark
    assert tab.network.backgroundBrush().color().getRgb()[:3] == theme().palette.background
    for plot in tab.findChildren(pg.GraphicsView):
        assert plot.backgroundBrush().color().getRgb()[:3] == theme().palette.background


def test_hints_say_what_the_numbers_show_on_one_line(qtbot):
    from explorer.inspect.layer_history import LayerHistory

    document, _training, network = make_pair(qtbot, "moons")
    history = LayerHistory(["linear1", "linear2"])
    history.add_scalars(1, [1e-9, 1.0], [1.0, 1.0], [1e-3, 1e-3])
    document.run_stream.restore({5: ("#5 moons", history)})
    height = network.hints.height()
    network.refresh()
    assert network.hints.text().startswith("Vanishing gradients: linear1")
    assert network.hints.toolTip() == network.hints.text() and network.hints.height() == height
    assert network.run_box.currentText() == "#5 moons"


def test_the_run_chooser_names_the_run_in_full_where_there_is_room(qtbot):
    from explorer.inspect.layer_history import LayerHistory
    from tests.ui.seen import combo_shows_whole

    network = NetworkTab(ModelDocument())
    qtbot.addWidget(network)
    network.resize(1600, 900)
    network.show()
    qtbot.waitExposed(network)
    controls = network.layout().itemAt(0)
    least = controls.minimumSize().width()
    name = "#1 spiral adam lr=0.005 standardize off"
    network.document.run_stream.restore({1: (name, LayerHistory(["linear1", "linear2"]))})
    qtbot.waitUntil(lambda: network.run_box.currentText() == name)
    qtbot.waitUntil(lambda: combo_shows_whole(network.run_box))
    assert controls.minimumSize().width() <= least  # a long name never widens the window


@pytest.mark.parametrize("width", [1600, 1100, 800])
def test_every_layer_title_lies_inside_the_view_whole(qtbot, width):
    from explorer.ui.theme import theme

    _document, _training, network = make_pair(qtbot, "spiral", hidden=(256,))
    theme().set(zoom=1.5)
    network.resize(width, 800)
    network.refresh()
    view = network.network
    qtbot.waitUntil(lambda: view.content is not None)
    labels = [label for label in view._labels if label.isVisible()]
    assert len(labels) == 3

    def outside():  # the titles not wholly inside the view, once it is laid out and painted
        box = view.plot_item.vb.sceneBoundingRect()
        return [
            label.textItem.toPlainText()
            for label in labels
            if not box.contains(label.mapRectToScene(label.boundingRect()))
        ]

    qtbot.waitUntil(lambda: not outside(), timeout=5000)
    assert "(output)" in labels[-1].textItem.toPlainText()
