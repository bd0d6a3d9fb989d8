import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTreeView,
)

from explorer.engine import Tensor
from explorer.model.config import MLPConfig
from explorer.model.document import ModelDocument
from explorer.ui.model.tab import ModelTab
from tests.ui.model.helpers import child, configure, make_tab, tree_rows

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
    return make_tab(qtbot)


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
    assert tab.document.config.hidden_sizes == (256,)
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
    assert tab.document.config.activation == activation
    expected = tab.document.config.build()
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
        assert float(texts[6]) == pytest.approx(param.data.numpy().mean(), rel=1e-3, abs=1e-6)
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
    monkeypatch.setattr(MLPConfig, "build", lambda config: pytest.fail("allocated"))
    before = tab.model()
    configure(qtbot, tab, 100_000, "1000", 10)
    assert tab.build_model() is False
    assert tab.model() is before
    text = child(tab, "configMessage").text()
    assert "100,011,010 parameters" in text and "budget of 50,000,000" in text
    with pytest.raises(ValueError, match="budget"):
        tab.set_model_config(MLPConfig(input_features=100_000, hidden_sizes=(1000,)))


def test_budget_is_a_remembered_setting(qtbot):
    from explorer.ui.settings import BUDGET_KEY, make_settings, model_document

    tab = ModelTab(model_document())
    qtbot.addWidget(tab)
    child(tab, "parameterBudget").setValue(100_000)
    assert tab.document.budget.limit == 100_000
    assert int(make_settings().value(BUDGET_KEY)) == 100_000
    configure(qtbot, tab, 784, "256", 10)
    assert tab.build_model() is False
    again = ModelTab(model_document())
    qtbot.addWidget(again)
    assert again.form.budget == 100_000
    make_settings().remove(BUDGET_KEY)


def test_refresh_parameters_rereads_values_and_gradients(qtbot, tab):
    tab.show()
    qtbot.waitExposed(tab)
    tab.select("linear2.weight")
    model = tab.model()
    model(Tensor(np.ones((4, 784), dtype=np.float32))).sum().backward()
    model.linear2.weight.data += 1.0
    tab.document.notify_weights_changed()  # as a training run says it
    x, y = tab.weights.values_curve.getData()
    assert x.min() > 0.5
    assert tab.weights.gradient_message() == ""
    gx, gy = tab.weights.grad_curve.getData()
    assert gy.sum() == model.linear2.weight.numel()
    rows = dict(tree_rows(tab))
    assert float(rows["linear2.weight"][6]) == pytest.approx(
        model.linear2.weight.data.numpy().mean(), rel=1e-3
    )
    assert float(rows["linear2.weight"][8]) == pytest.approx(
        np.linalg.norm(model.linear2.weight.grad), rel=1e-3
    )
    tab.close()


def test_rebuilding_a_trained_model_asks_first(qtbot, tab):
    asked = []
    tab.confirm_rebuild = lambda parent: asked.append(parent) or False
    first = tab.model()
    tab.document.set_trained(True)
    assert "trained" in tab.totals.text()
    assert tab.build_model() is False
    assert asked == [tab] and tab.model() is first
    tab.confirm_rebuild = lambda parent: True
    assert tab.build_model() is True
    assert tab.model() is not first and not tab.document.trained
    assert "trained" not in tab.totals.text()


def test_rebuilding_while_training_asks_and_says_the_run_stops(qtbot, tab):
    asked = []
    tab.confirm_rebuild = lambda parent: asked.append(parent.rebuild_question()) or False
    tab.document.set_training(True)
    first = tab.model()
    assert tab.document.training and not tab.document.trained
    assert tab.build_model() is False  # asks although no weights are trained yet
    assert "stops that run" in asked[0] and "discards" not in asked[0]
    assert tab.model() is first
    assert "training run were kept" in child(tab, "configMessage").text()
    tab.document.set_trained(True)
    assert "stops that run and discards the trained weights" in tab.rebuild_question()
    tab.document.set_training(False)
    assert "stops" not in tab.rebuild_question()
    assert "trained weights" in tab.rebuild_question()
    tab.document.set_trained(False)
    assert tab.build_model() is True and len(asked) == 1  # nothing to lose: no question
    assert tab.build_model(confirm=False) is True


def test_set_model_config_builds_and_announces(qtbot, tab):
    config = MLPConfig(input_features=64, hidden_sizes=(32, 16), output_features=10, seed=7)
    with qtbot.waitSignal(tab.sigModelChanged):
        assert tab.set_model_config(config) is True
    assert child(tab, "hiddenSizes").text() == "32, 16"
    assert tab.document.config.seed == 7
    assert [n for n, _ in tab.model().named_children()] == ["linear1", "linear2", "linear3"]
    with pytest.raises(ValueError, match="activation"):
        tab.set_model_config(MLPConfig(activation="swish"))


def test_state_round_trip_and_validation(qtbot, tab):
    tab.set_model_config(MLPConfig(hidden_sizes=(16,), input_features=8, output_features=3))
    tab.select("linear2.bias")
    child(tab, "recurse").setChecked(False)
    tab.views.setCurrentIndex(1)
    state = tab.state()
    assert "config" not in state  # the model document's, saved in its own section
    document = ModelDocument()
    document.restore_state(tab.document.state())  # a session restores the document first
    other = ModelTab(document)
    qtbot.addWidget(other)
    other.restore_state(state)
    assert other.state() == state
    assert other.document.config.hidden_sizes == (16,)
    assert other.selected_path() == "linear2.bias"
    with pytest.raises(ValueError, match="recurse"):
        other.restore_state({**state, "recurse": "yes"})
    with pytest.raises(ValueError, match="unknown"):
        other.restore_state({**state, "colour": 1})
    bad = {**tab.document.state(), "config": {"hidden_sizes": [0]}}
    with pytest.raises(ValueError, match="hidden_sizes"):
        other.document.restore_state(bad)


def test_export_items_are_the_tabs_plots_that_hold_data(tab):
    fresh = {"weight-heatmap", "weight-histogram"}
    assert set(tab.export_items()) == fresh | {"unit-weights"}  # 784 inputs = 28 x 28
    tab.model()(Tensor(np.ones((1, 784), dtype=np.float32))).sum().backward()
    tab.forward.run()
    tab.select("linear2")
    assert set(tab.export_items()) == fresh | {"gradient-histogram", "activations"}


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


def test_tree_copies_the_python_path_of_a_row(tab):
    from PySide6.QtGui import QGuiApplication

    tab.select("linear2.bias")
    assert tab.copy_path_action in tab.tree.actions()
    tab.copy_path_action.trigger()
    assert QGuiApplication.clipboard().text() == "model.linear2.bias"


def test_partial_state_keeps_the_configuration(tab):
    tab.set_model_config(MLPConfig(input_features=12, hidden_sizes=(5,), output_features=3))
    tab.restore_state({"view": "forward"})
    assert tab.document.config.input_features == 12
    assert tab.views.currentWidget() is tab.forward


def _shown(qtbot, tab, width=1280, height=800):
    tab.resize(width, height)
    tab.show()
    qtbot.waitExposed(tab)
    tab.grab()  # lays out the plots as painted


LARGE = MLPConfig(input_features=784, hidden_sizes=(4000, 4000), output_features=10)


def test_a_large_models_names_and_counts_fit_their_columns(qtbot, tab):
    from PySide6.QtGui import QFontMetrics

    from explorer.ui.model.tab import FITTED_COLUMNS

    tab.set_model_config(LARGE)
    _shown(qtbot, tab)
    model, metrics = tab.tree.model(), QFontMetrics(tab.tree.font())
    bold = QFontMetrics(tab.tree_model._bold)
    root = model.index(0, 0)
    assert model.index(0, 3).data() == "19,184,010"
    rows = [root] + [model.index(r, 0, root) for r in range(model.rowCount(root))]
    for row in rows:
        for column in FITTED_COLUMNS[1:]:
            index = row.siblingAtColumn(column)
            font = bold if model.data(index, Qt.ItemDataRole.FontRole) else metrics
            needed = font.horizontalAdvance(index.data()) + 6  # the delegate's text margins
            assert needed <= tab.tree.columnWidth(column), (index.data(), column)


def test_the_unit_picture_keeps_a_readable_size_and_its_whole_title(qtbot, tab):
    from explorer.ui.model.unit_image import MINIMUM

    tab.set_model_config(LARGE)
    tab.select("linear1.weight")
    _shown(qtbot, tab, 1024, 640)
    unit = tab.weights.unit_plot
    assert tab.weights.unit_shown()
    assert unit.width() >= MINIMUM and unit.height() >= MINIMUM
    title = unit.titleLabel
    assert title.text.startswith("weight[0] as 28×28")
    assert title.item.boundingRect().width() <= title.geometry().width()


def test_an_edited_configuration_does_not_move_the_tree(qtbot, tab):
    from PySide6.QtCore import QPoint

    _shown(qtbot, tab, 1024, 640)
    before = tab.tree.mapTo(tab, QPoint(0, 0))
    field = child(tab, "hiddenSizes")
    field.setText("512, 256, 128, 64, 32")  # "… · edited: press Build model to apply"
    tab.grab()
    assert "edited" in tab.form.message.text()
    assert tab.tree.mapTo(tab, QPoint(0, 0)) == before


def test_a_square_weight_has_square_cells_on_screen_and_in_the_png(qtbot, tab, tmp_path):
    from PySide6.QtGui import QImage

    from explorer.ui.export.files import ExportOptions, export_png

    tab.set_model_config(MLPConfig(input_features=64, hidden_sizes=(64,)))
    tab.model().linear1.weight.data[...] = 0.05  # one colour: the picture is easy to find
    tab.select("linear1.weight")
    _shown(qtbot, tab)
    width, height = tab.weights.heatmap_plot.vb.viewPixelSize()
    assert width == pytest.approx(height, rel=0.01)
    path = export_png(tab.weights.heatmap_plot, tmp_path / "heatmap.png", ExportOptions(width=900))
    image = QImage(str(path)).convertToFormat(QImage.Format.Format_RGB32)
    colour = image.pixelColor(image.width() // 3, image.height() // 2)
    pixels = np.array(
        [
            [image.pixelColor(x, y) == colour for x in range(image.width())]
            for y in range(0, image.height())
        ]
    )
    # The colour bar holds the colour too, in a strip far narrower than the picture.
    least = image.width() // 5
    rows = np.flatnonzero(pixels.sum(axis=1) > least)
    columns = np.flatnonzero(pixels.sum(axis=0) > least)
    drawn_width, drawn_height = columns[-1] - columns[0] + 1, rows[-1] - rows[0] + 1
    assert drawn_width == pytest.approx(drawn_height, rel=0.03)
    # A long strip (10 x 64) fills its plot instead.
    tab.select("linear2.weight")
    assert not tab.weights.heatmap_plot.vb.state["aspectLocked"]


def test_typing_a_size_only_prices_it_and_never_rebuilds(qtbot, tab):
    # The form prices each keystroke (a live parameter count); only Build model replaces the
    # model, so a number passed through on the way ("1" of "128") destroys nothing.
    model = tab.model()
    box = child(tab, "outputFeatures")
    box.setFocus()
    box.lineEdit().selectAll()
    qtbot.keyClicks(box.lineEdit(), "12")
    assert tab.model() is model
    message = child(tab, "configMessage").text()
    assert message.split(":")[0].endswith("-12")  # the layer sizes, priced as typed
    assert "edited: press Build model to apply" in message
