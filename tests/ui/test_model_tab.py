import numpy as np
import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTreeView,
    QWidget,
)

from explorer.engine import Tensor
from explorer.inspect.mlp_config import build_mlp, validate_config
from explorer.ui.tabs.model import BUDGET_KEY, ModelTab

NAMES = {
    "inputFeatures": QSpinBox,
    "hiddenSizes": QLineEdit,
    "outputFeatures": QSpinBox,
    "activation": QComboBox,
    "initWeight": QComboBox,
    "initBias": QComboBox,
    "buildModel": QPushButton,
    "moduleTree": QTreeView,
    "recurse": QCheckBox,
    "modelRepr": QPlainTextEdit,
    "parameterListing": QPlainTextEdit,
}


@pytest.fixture
def tab(qtbot):
    widget = ModelTab()
    qtbot.addWidget(widget)
    return widget


def child(tab, name):
    return tab.findChild(QWidget, name)


def configure(qtbot, tab, inputs, hidden, outputs, activation="relu"):
    child(tab, "inputFeatures").setValue(inputs)
    child(tab, "outputFeatures").setValue(outputs)
    field = child(tab, "hiddenSizes")
    field.clear()
    qtbot.keyClicks(field, hidden)
    child(tab, "activation").setCurrentText(activation)


def tree_rows(tab):
    """(qualified name, column texts) for every row the tree view's model offers."""
    model = tab.tree.model()
    rows = []

    def visit(parent, prefix):
        for row in range(model.rowCount(parent)):
            index = model.index(row, 0, parent)
            texts = [model.index(row, c, parent).data() for c in range(model.columnCount())]
            name = texts[0] if parent.isValid() else ""
            path = f"{prefix}.{name}" if prefix and name else name
            rows.append((path, texts))
            visit(index, path)

    visit(QModelIndex(), "")
    return rows


def test_names_tooltips_and_defaults(tab):
    assert tab.objectName() == "modelTab"
    assert (tab.title, tab.export_name) == ("Model", "model")
    for name, kind in NAMES.items():
        widget = child(tab, name)
        assert isinstance(widget, kind), name
        assert widget.toolTip(), f"{name} has no tooltip"
    for kind in (QSpinBox, QComboBox, QLineEdit, QPushButton, QCheckBox):
        for widget in tab.findChildren(kind):
            if widget.objectName() and not widget.objectName().startswith("qt_"):
                assert widget.toolTip(), f"{widget.objectName()} has no tooltip"
    assert tab.model_config()["hidden_sizes"] == [256]
    assert child(tab, "hiddenSizes").text() == "256"
    assert child(tab, "modelRepr").toPlainText() == repr(tab.model())
    assert "Total params: 203,530" in tab.totals.text()
    assert "Params size (MB): 0.81" in tab.totals.text()


@pytest.mark.parametrize(
    ("inputs", "hidden", "outputs", "activation"),
    [
        (784, "256", 10, "relu"),
        (784, "256, 128, 64", 10, "tanh"),
        (5, "", 3, "sigmoid"),
        (2, "1 1 1 1 1 1 1 1", 2, "leaky_relu"),
    ],
)
def test_built_model_matches_the_engines_own_answers(
    qtbot, tab, inputs, hidden, outputs, activation
):
    configure(qtbot, tab, inputs, hidden, outputs, activation)
    with qtbot.waitSignal(tab.sigModelChanged) as blocker:
        qtbot.mouseClick(child(tab, "buildModel"), Qt.MouseButton.LeftButton)
    model = tab.model()
    assert blocker.args == [model]
    assert tab.model_config()["activation"] == activation
    expected = build_mlp(validate_config({**tab.model_config()}))
    assert repr(expected) == repr(model)
    assert child(tab, "modelRepr").toPlainText() == repr(model)

    rows = dict(tree_rows(tab))
    modules = dict(model.named_modules())
    params = dict(model.named_parameters())
    assert set(rows) == set(modules) | set(params)
    for name, module in modules.items():
        assert rows[name][1] == type(module).__name__
        assert rows[name][3] == f"{sum(p.numel() for p in module.parameters()):,}"
    for name, param in params.items():
        texts = rows[name]
        assert texts[1:6] == [
            "Parameter",
            "(" + ", ".join(map(str, param.shape)) + ("," if param.ndim == 1 else "") + ")",
            f"{param.numel():,}",
            "float32",
            "True",
        ]
        assert float(texts[6]) == pytest.approx(param.data.mean(), rel=1e-3, abs=1e-6)
    total = sum(p.numel() for p in model.parameters())
    assert f"Total params: {total:,}" in tab.totals.text()

    listing = child(tab, "parameterListing").toPlainText()
    for name, param in model.named_parameters():
        assert f"{name} {tuple(param.shape)}" in listing
    assert repr(list(model.state_dict().keys())) in listing


def test_recurse_off_on_the_root_gives_nothing(qtbot, tab):
    tab.select("")
    box = child(tab, "recurse")
    listing = child(tab, "parameterListing")
    assert box.isChecked()
    box.setChecked(False)
    assert list(tab.model().parameters(recurse=False)) == []
    assert (
        "(nothing: MLP keeps no parameters of its own; they live in its children "
        "linear1, linear2)" in listing.toPlainText()
    )
    assert "Parameter (" not in listing.toPlainText()
    tab.select("linear1")
    assert "weight (256, 784)" in listing.toPlainText()
    assert "model.linear1.parameters(recurse=False)" in listing.toPlainText()
    box.setChecked(True)
    tab.select("")
    assert "# is model.linear2.bias" in listing.toPlainText()


def test_internals_show_the_registries(tab):
    tab.select("linear2")
    text = child(tab, "moduleInternals").toPlainText()
    assert "model.linear2.training = True" in text
    assert "('weight', Parameter(shape=(10, 256)" in text
    assert "model.linear2._forward_hooks = OrderedDict()" in text


@pytest.mark.parametrize(
    ("hidden", "quoted"),
    [("256, abc", "'abc'"), ("0", "got 0"), ("1,2,3,4,5,6,7,8,9", "9 hidden layers")],
)
def test_invalid_configuration_is_refused_with_a_message(qtbot, tab, hidden, quoted):
    before = tab.model()
    configure(qtbot, tab, 784, hidden, 10)
    message = child(tab, "configMessage")
    assert quoted in message.text()
    with qtbot.assertNotEmitted(tab.sigModelChanged):
        qtbot.mouseClick(child(tab, "buildModel"), Qt.MouseButton.LeftButton)
    assert tab.model() is before
    assert message.text().startswith("Not built:") and quoted in message.text()


def test_oversized_configuration_is_refused_before_allocation(qtbot, tab, monkeypatch):
    import explorer.ui.tabs.model as model_tab

    monkeypatch.setattr(model_tab, "build_mlp", lambda config: pytest.fail("allocated"))
    before = tab.model()
    configure(qtbot, tab, 100_000, "1000", 10)
    assert tab.build_model() is False
    assert tab.model() is before
    text = child(tab, "configMessage").text()
    assert "100,011,010 parameters" in text and "budget of 50,000,000" in text
    with pytest.raises(ValueError, match="budget"):
        tab.set_model_config({"input_features": 100_000, "hidden_sizes": [1000]})


def test_budget_is_a_remembered_setting(qtbot, tab):
    from explorer.ui.main_window import make_settings

    child(tab, "parameterBudget").setValue(100_000)
    assert int(make_settings().value(BUDGET_KEY)) == 100_000
    configure(qtbot, tab, 784, "256", 10)
    assert tab.build_model() is False
    again = ModelTab()
    qtbot.addWidget(again)
    assert again.form.budget == 100_000
    make_settings().remove(BUDGET_KEY)


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


def test_refresh_parameters_rereads_values_and_gradients(qtbot, tab):
    tab.show()
    qtbot.waitExposed(tab)
    tab.select("linear2.weight")
    model = tab.model()
    model(Tensor(np.ones((4, 784), dtype=np.float32))).sum().backward()
    model.linear2.weight.data += 1.0
    tab.refresh_parameters()
    x, y = tab.weights.values_curve.getData()
    assert x.min() > 0.5
    assert tab.weights.gradient_message() == ""
    gx, gy = tab.weights.grad_curve.getData()
    assert gy.sum() == model.linear2.weight.data.size
    rows = dict(tree_rows(tab))
    assert float(rows["linear2.weight"][6]) == pytest.approx(
        model.linear2.weight.data.mean(), rel=1e-3
    )
    assert float(rows["linear2.weight"][8]) == pytest.approx(
        np.linalg.norm(model.linear2.weight.grad), rel=1e-3
    )
    tab.close()


def test_forward_inspector_uses_hooks_and_removes_them(qtbot, tab):
    tab.views.setCurrentWidget(tab.forward)
    qtbot.mouseClick(child(tab, "runForward"), Qt.MouseButton.LeftButton)
    trace = tab.forward.last_trace
    assert [v.label for v in trace.values] == ["input x", "linear1", "relu(linear1)", "linear2"]
    table = child(tab, "activationTable")
    assert table.rowCount() == 4
    assert table.item(2, 0).text() == "relu(linear1)"
    assert table.item(2, 4).text() == "0"
    for name, module in tab.model().named_modules():
        assert len(module._forward_hooks) == 0, name
        assert len(module._forward_pre_hooks) == 0, name
    assert "argmax" in child(tab, "forwardMessage").text()
    curves = tab.forward.curve_data()
    assert curves["linear2"][1].sum() == 10


def test_forward_inspector_takes_dataset_samples(qtbot, tab):
    source = child(tab, "sampleSource")
    assert not source.model().item(1).isEnabled()
    samples = np.random.default_rng(0).normal(size=(5, 784)).astype(np.float32)
    tab.set_sample_provider(lambda index: (samples[index], index % 3), "digits")
    assert source.model().item(1).isEnabled()
    source.setCurrentIndex(1)
    child(tab, "sampleIndex").setValue(4)
    trace = tab.forward.run()
    np.testing.assert_allclose(trace.values[0].stats.mean, samples[4].mean(), rtol=1e-5)
    assert "digits sample #4 (label 1)" in child(tab, "forwardMessage").text()
    tab.set_sample_provider(lambda: np.ones(3), "tiny")
    assert tab.forward.run() is None
    assert "784 input features" in child(tab, "forwardMessage").text()


def test_rebuilding_a_trained_model_asks_first(qtbot, tab):
    asked = []
    tab.confirm_rebuild = lambda parent: asked.append(parent) or False
    first = tab.model()
    tab.mark_trained(True)
    assert "trained" in tab.totals.text()
    assert tab.build_model() is False
    assert asked == [tab] and tab.model() is first
    tab.confirm_rebuild = lambda parent: True
    assert tab.build_model() is True
    assert tab.model() is not first and not tab.is_trained()


def test_set_model_config_builds_and_announces(qtbot, tab):
    config = {"input_features": 64, "hidden_sizes": [32, 16], "output_features": 10, "seed": 7}
    with qtbot.waitSignal(tab.sigModelChanged):
        assert tab.set_model_config(config) is True
    assert child(tab, "hiddenSizes").text() == "32, 16"
    assert tab.model_config()["seed"] == 7
    assert [n for n, _ in tab.model().named_children()] == ["linear1", "linear2", "linear3"]
    with pytest.raises(ValueError, match="activation"):
        tab.set_model_config({"activation": "swish"})


def test_state_round_trip_and_validation(qtbot, tab):
    tab.set_model_config({"hidden_sizes": [16], "input_features": 8, "output_features": 3})
    tab.select("linear2.bias")
    child(tab, "recurse").setChecked(False)
    tab.views.setCurrentIndex(1)
    state = tab.state()
    other = ModelTab()
    qtbot.addWidget(other)
    other.restore_state(state)
    assert other.state() == state
    assert other.model_config()["hidden_sizes"] == [16]
    assert other.selected_path() == "linear2.bias"
    with pytest.raises(ValueError, match="recurse"):
        other.restore_state({**state, "recurse": "yes"})
    with pytest.raises(ValueError, match="unknown"):
        other.restore_state({**state, "colour": 1})
    with pytest.raises(ValueError, match="hidden size"):
        other.restore_state({**state, "config": {**state["config"], "hidden_sizes": [0]}})


def test_export_items_are_the_tabs_plots(tab):
    assert set(tab.export_items()) == {
        "weight-heatmap",
        "weight-histogram",
        "gradient-histogram",
        "activations",
    }


def test_main_window_shows_the_model_tab(qtbot):
    from explorer.ui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    assert isinstance(window.tab("model"), ModelTab)


def test_unapplied_edits_are_flagged_until_built(qtbot, tab):
    message = child(tab, "configMessage")
    assert "press Build" not in message.text()
    configure(qtbot, tab, 784, "128", 10)
    assert "784-128-10" in message.text() and "press Build model" in message.text()
    tab.build_model()
    assert "press Build" not in message.text()


def test_a_provider_without_samples_is_reported(tab):
    tab.set_sample_provider(lambda index: None, "digits")
    tab.forward.source.setCurrentIndex(1)
    assert tab.forward.run() is None
    assert "digits has no sample to give yet" in child(tab, "forwardMessage").text()


def test_large_models_build_in_the_background(qtbot, tab, monkeypatch):
    import explorer.ui.tabs.model as model_tab

    monkeypatch.setattr(model_tab, "BACKGROUND_BUILD_THRESHOLD", 1000)
    before = tab.model()
    configure(qtbot, tab, 64, "32", 10)
    with qtbot.waitSignal(tab.sigModelChanged, timeout=10_000) as blocker:
        qtbot.mouseClick(child(tab, "buildModel"), Qt.MouseButton.LeftButton)
        assert tab.is_building()
        assert not child(tab, "buildModel").isEnabled()
        assert "in the background" in child(tab, "configMessage").text()
    assert blocker.args[0] is tab.model() is not before
    assert not tab.is_building()
    assert child(tab, "buildModel").isEnabled()
    assert [n for n, _ in tab.model().named_parameters()][0] == "linear1.weight"
    assert tab.model().linear1.weight.shape == (32, 64)


def test_shutdown_waits_for_a_background_build(qtbot, tab, monkeypatch):
    import explorer.ui.tabs.model as model_tab

    monkeypatch.setattr(model_tab, "BACKGROUND_BUILD_THRESHOLD", 1000)
    before = tab.model()
    configure(qtbot, tab, 64, "32", 10)
    assert tab.build_model(background=True)
    tab.shutdown()
    assert not tab.is_building()
    qtbot.wait(10)
    assert tab.model() is before


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
