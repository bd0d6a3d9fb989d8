"""The Losses tab, driven through its controls; checked against explorer.engine.nn.functional."""

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QTableView

import explorer.engine.nn.functional as F
from explorer.engine import Tensor
from explorer.lossbench.codegen import pytorch_code
from explorer.lossbench.curves import sample_points
from explorer.lossbench.spec import LOSSES
from explorer.lossbench.tensors import random_tensor
from explorer.ui.losses.tab import LossesTab
from explorer.ui.plots.edge_marks import arrow_way
from explorer.ui.theme import theme

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


@pytest.fixture
def tab(qtbot):
    widget = LossesTab()
    qtbot.addWidget(widget)
    return widget


def combo(tab, name) -> QComboBox:
    return tab.findChild(QComboBox, name)


def choose(tab, name, data):
    box = combo(tab, name)
    index = box.findData(data)
    assert index >= 0, (name, data)
    box.setCurrentIndex(index)


def shown_value(tab) -> str:
    return tab.findChild(QLabel, "lossValue").text().split()[0]


def table(tab, name) -> QTableView:
    return tab.findChild(QTableView, name)


def shown_table(tab, name) -> np.ndarray:
    model = table(tab, name).model()
    return np.array(
        [
            [float(model.data(model.index(r, c))) for c in range(model.columnCount())]
            for r in range(model.rowCount())
        ]
    )


def edit_cell(tab, name, row, column, text):
    model = table(tab, name).model()
    assert model.setData(model.index(row, column), text, Qt.ItemDataRole.EditRole)


def engine_value_and_grad(kind, reduction, x, t, **kw):
    """The loss written directly with the engine's functional API (float64, like the tab)."""
    xt = Tensor(np.asarray(x, np.float64), requires_grad=True)
    fed = F.log_softmax(xt, dim=1) if kind in ("KLDiv", "NLL") else xt
    target = Tensor(np.asarray(t, np.int64 if kind in ("CrossEntropy", "NLL") else np.float64))
    fn = {
        "L1": F.l1_loss,
        "MSE": F.mse_loss,
        "CrossEntropy": F.cross_entropy,
        "NLL": F.nll_loss,
        "KLDiv": F.kl_div,
        "BCE": F.binary_cross_entropy,
        "BCEWithLogits": F.binary_cross_entropy_with_logits,
        "Huber": F.huber_loss,
        "SmoothL1": F.smooth_l1_loss,
    }[kind]
    out = fn(fed, target, reduction=reduction, **kw)
    total = out if out.dim() == 0 else out.sum()
    total.backward()
    return total.item(), xt.grad, out.detach().numpy()


def test_names_for_automation(tab):
    assert tab.objectName() == "lossesTab"
    assert (tab.title, tab.export_name) == ("Losses", "losses")
    assert combo(tab, "lossKind") and combo(tab, "reduction")
    assert tab.findChild(QCheckBox, "logTarget")
    for name in ("lossInput", "lossTarget", "lossGradient"):
        assert table(tab, name) is not None
    assert tab.findChild(QLabel, "lossValue")


def test_default_is_the_lecture_notes_example_l1_on_3_by_5(tab):
    x, t = tab.input_model.values(), tab.target_model.values()
    assert x.shape == t.shape == (3, 5)
    assert shown_value(tab) == f"{np.abs(x - t).mean():.6f}"
    np.testing.assert_allclose(shown_table(tab, "lossGradient"), np.sign(x - t) / 15, atol=5e-5)


@pytest.mark.parametrize("kind", list(LOSSES))
def test_each_loss_with_each_reduction_shows_the_engine_value_and_gradient(tab, kind):
    choose(tab, "lossKind", kind)
    for reduction in LOSSES[kind].reductions:
        choose(tab, "reduction", reduction)
        x, t = tab.input_model.values(), tab.target_model.values()
        value, grad, out = engine_value_and_grad(kind, reduction, x, t)
        assert shown_value(tab) == f"{value:.6f}", (kind, reduction)
        np.testing.assert_allclose(tab.gradient_model.values(), grad, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(shown_table(tab, "lossGradient"), grad, atol=5.1e-5)
        output_table = table(tab, "lossOutput")
        assert output_table.isVisibleTo(tab) == (reduction == "none")
        if reduction == "none":
            np.testing.assert_allclose(
                shown_table(tab, "lossOutput").reshape(out.shape), out, atol=5.1e-5
            )


def test_only_the_options_of_the_chosen_loss_are_visible(tab):
    form = tab.options_panel.form
    panel = tab.options_panel
    choose(tab, "lossKind", "Huber")
    assert "|x − y| &lt; δ" in tab.findChild(QLabel, "lossFormula").text()
    assert form.isRowVisible(panel.delta) and not form.isRowVisible(panel.beta)
    assert not form.isRowVisible(panel.size_average)
    assert not form.isRowVisible(panel.log_target)
    choose(tab, "lossKind", "KLDiv")
    assert form.isRowVisible(panel.log_target) and form.isRowVisible(panel.log_softmax)
    assert "batchmean" in [combo(tab, "reduction").itemData(i) for i in range(4)]
    choose(tab, "lossKind", "CrossEntropy")
    for widget in (
        panel.weight,
        panel.ignore_index,
        panel.label_smoothing,
        panel.probability_target,
        panel.size_average,
        panel.reduce,
    ):
        assert form.isRowVisible(widget)
    assert not form.isRowVisible(panel.pos_weight)
    assert combo(tab, "reduction").count() == 3


def test_every_control_has_a_tooltip(tab):
    from PySide6.QtWidgets import QAbstractButton, QAbstractSpinBox, QLineEdit

    for kind in (QComboBox, QAbstractButton, QAbstractSpinBox, QLineEdit, QTableView):
        for widget in tab.findChildren(kind):
            if widget.objectName().startswith("qt_") or isinstance(widget.parent(), QComboBox):
                continue
            if isinstance(widget, QLineEdit) and isinstance(widget.parent(), QAbstractSpinBox):
                continue
            assert widget.toolTip(), f"{type(widget).__name__} {widget.objectName()!r}"


def test_deprecated_flags_override_reduction_and_show_it(tab):
    choose(tab, "lossKind", "MSE")
    choose(tab, "reduction", "mean")
    choose(tab, "sizeAverage", False)
    x, t = tab.input_model.values(), tab.target_model.values()
    assert shown_value(tab) == f"{((x - t) ** 2).sum():.6f}"
    assert not combo(tab, "reduction").isEnabled()
    assert "reduction='sum'" in tab.findChild(QLabel, "effectiveReduction").text()
    assert "deprecated" in tab.findChild(QLabel, "lossMessage").text()
    assert "nn.MSELoss(size_average=False)" in tab.code.toPlainText()
    choose(tab, "reduce", False)
    assert table(tab, "lossOutput").isVisibleTo(tab)
    choose(tab, "sizeAverage", None)
    choose(tab, "reduce", None)
    assert combo(tab, "reduction").isEnabled()
    assert shown_value(tab) == f"{((x - t) ** 2).mean():.6f}"


def test_kldiv_log_softmax_toggle_and_log_target(tab):
    choose(tab, "lossKind", "KLDiv")
    choose(tab, "reduction", "batchmean")
    before = shown_value(tab)
    assert tab.findChild(QLabel, "lossValueNote").text().endswith(" / 3")
    choose(tab, "reduction", "mean")
    assert tab.findChild(QLabel, "lossValueNote").text().endswith(" / 15")
    assert "'batchmean' divides only by the batch size" in tab.message.text()
    choose(tab, "reduction", "batchmean")
    assert tab.options_panel.log_softmax.isChecked()
    assert "F.log_softmax(input, dim=1)" in tab.code.toPlainText()
    tab.findChild(QCheckBox, "logTarget").setChecked(True)
    assert np.all(tab.target_model.values() <= 0)  # converted to log-probabilities
    assert float(shown_value(tab)) == pytest.approx(float(before), abs=2e-4)
    assert "log_target=True" in tab.code.toPlainText()
    tab.options_panel.log_softmax.setChecked(False)
    # the input table now holds log_softmax(input): the same loss, fed as is
    assert "loss(input, target)" in tab.code.toPlainText()
    assert float(shown_value(tab)) == pytest.approx(float(before), abs=2e-4)
    assert "not log-probabilities" not in tab.message.text()
    edit_cell(tab, "lossInput", 0, 0, "2.5")  # raw scores where log-probabilities belong
    assert "input row 0 is not log-probabilities" in tab.message.text()


def test_cross_entropy_probability_target_converts_indices_to_one_hot(tab):
    choose(tab, "lossKind", "CrossEntropy")
    before = shown_value(tab)
    indices = tab.target_model.values()
    assert indices.shape == (3,) and table(tab, "lossTarget").model().columnCount() == 1
    tab.options_panel.probability_target.setChecked(True)
    np.testing.assert_array_equal(tab.target_model.values(), np.eye(5)[indices])
    assert shown_value(tab) == before


def test_weights_and_smoothing_reach_the_engine(tab):
    choose(tab, "lossKind", "CrossEntropy")
    panel = tab.options_panel
    panel.weight.setText("1, 2, 0.5, 1, 3")
    panel.weight.editingFinished.emit()
    panel.label_smoothing.setValue(0.2)
    x, t = tab.input_model.values(), tab.target_model.values()
    value, _, _ = engine_value_and_grad(
        "CrossEntropy",
        "mean",
        x,
        t,
        weight=Tensor(np.array([1, 2, 0.5, 1, 3.0])),
        label_smoothing=0.2,
    )
    assert shown_value(tab) == f"{value:.6f}"
    assert "weight=torch.tensor([1., 2., 0.5, 1., 3.]" in tab.code.toPlainText()


def test_a_bad_cell_is_marked_named_and_the_last_result_stays(tab):
    before = tab.findChild(QLabel, "lossValue").text()
    edit_cell(tab, "lossInput", 1, 3, "abc")
    message = tab.findChild(QLabel, "lossMessage").text()
    assert "input[1, 3] is not a finite number: 'abc'" in message
    model = table(tab, "lossInput").model()
    index = model.index(1, 3)
    assert model.data(index) == "abc"
    assert model.data(index, Qt.ItemDataRole.BackgroundRole).name() == "#f28b82"
    assert tab.findChild(QLabel, "lossValue").text() == before
    edit_cell(tab, "lossInput", 1, 3, "2.5")
    assert tab.input_model.values()[1, 3] == 2.5
    assert "not a finite number" not in tab.findChild(QLabel, "lossMessage").text()
    assert tab.findChild(QLabel, "lossValue").text() != before


def test_a_non_integer_class_index_is_named(tab):
    choose(tab, "lossKind", "NLL")
    edit_cell(tab, "lossTarget", 2, 0, "1.5")
    assert "target[2] is not a class index (an integer): '1.5'" in tab.message.text()


@pytest.mark.parametrize(
    ("kind", "setup", "message"),
    [
        ("CrossEntropy", ("lossTarget", 1, 0, "7"), "Target 7 is out of bounds"),
        ("BCE", ("lossInput", 0, 0, "1.5"), "all elements of input should be between 0 and 1"),
        ("BCE", ("lossTarget", 0, 0, "2"), "all elements of target should be between 0 and 1"),
        ("NLL", ("weight", "1, 2"), "weight tensor should be defined either for all 5 classes"),
        ("CrossEntropy", ("weight", "1, x"), "weight is not a list of finite numbers: '1, x'"),
    ],
)
def test_rejected_combinations_show_the_engine_message_not_a_traceback(tab, kind, setup, message):
    choose(tab, "lossKind", kind)
    before = tab.findChild(QLabel, "lossValue").text()
    panel = tab.options_panel
    if setup[0] == "weight":
        panel.weight.setText(setup[1])
        panel.weight.editingFinished.emit()
    else:
        edit_cell(tab, *setup)
    assert message in tab.findChild(QLabel, "lossMessage").text()
    assert "last valid result" in tab.message.text()
    assert tab.findChild(QLabel, "lossValue").text() == before


def test_shape_seed_and_randomize(tab):
    small = tab.input_model.values()
    tab.n_spin.setValue(16)
    tab.c_spin.setValue(16)
    assert tab.input_model.values().shape == (16, 16)
    assert table(tab, "lossGradient").model().rowCount() == 16
    np.testing.assert_array_equal(tab.input_model.values()[:3, :5], small)  # kept on resize
    tab.randomize_button.click()
    assert tab.seed_spin.value() == 1
    drawn = tab.input_model.values()
    tab.seed_spin.setValue(0)
    tab.seed_spin.setValue(1)
    np.testing.assert_array_equal(drawn, tab.input_model.values())  # same seed, same numbers
    tab.n_spin.setValue(2)
    np.testing.assert_array_equal(tab.input_model.values(), drawn[:2])
    tab.set_seed(1)  # the same seed draws afresh at the current shape
    np.testing.assert_array_equal(tab.input_model.values(), random_tensor("real", 2, 16, 1, 0))


def test_code_box_and_copy(tab, qtbot):
    from PySide6.QtGui import QGuiApplication

    tab.set_loss("KLDiv", reduction="batchmean")
    code = tab.code.toPlainText()
    assert 'loss = nn.KLDivLoss(reduction="batchmean", log_target=False)' in code
    assert "input = torch.tensor([[0.1257," in code
    tab.copy_button.click()
    assert QGuiApplication.clipboard().text() == code
    assert tab.code.isReadOnly()


def test_float32_dtype_is_offered(tab):
    choose(tab, "lossKind", "MSE")
    choose(tab, "dtype", "float32")
    assert "dtype" not in tab.code.toPlainText().replace("# float32", "")
    x, t = tab.input_model.values(), tab.target_model.values()
    expected = ((x.astype(np.float32) - t.astype(np.float32)) ** 2).mean()
    assert float(shown_value(tab)) == pytest.approx(float(expected), abs=2e-6)


def test_curves_follow_delta_and_beta(tab):
    items = tab.export_items()
    assert set(items) == {
        "regression-curves",
        "regression-derivatives",
        "classification-loss",
        "classification-gradient",
    }
    tab.set_loss("Huber", delta=0.5)
    x, y = tab.curves.regression_curves["Huber"].getData()
    assert y[-1] == pytest.approx(0.5 * (3 - 0.25))
    _, slope = tab.curves.slope_curves["Huber"].getData()
    assert slope[-1] == pytest.approx(0.5)
    dots_x, dots_y = tab.curves.sample_dots["regression-curves"].getData()
    x, t = tab.input_model.values(), tab.target_model.values()
    np.testing.assert_allclose(dots_x, (x - t).ravel())
    assert len(tab.curves.sample_dots["classification-loss"].getData()[0]) == 0
    tab.set_loss("CrossEntropy")
    dots_p, dots_loss = tab.curves.sample_dots["classification-loss"].getData()
    np.testing.assert_allclose(dots_loss, -np.log(dots_p))
    assert len(tab.curves.sample_dots["regression-curves"].getData()[0]) == 0
    p, se_grad = tab.curves.se_grad_curve.getData()
    _, ce_grad = tab.curves.ce_grad_curve.getData()
    wrong = p < 0.1
    assert np.all(np.abs(se_grad[wrong]) < 0.2) and np.all(np.abs(ce_grad[wrong]) > 0.9)


def test_state_round_trip_and_bad_state(tab, qtbot):
    tab.set_loss("CrossEntropy", reduction="sum", weight=(1, 2, 3, 4, 5), label_smoothing=0.1)
    tab.set_shape(4, 5)
    edit_cell(tab, "lossInput", 0, 0, "1.25")
    import json

    state = json.loads(json.dumps(tab.state()))
    other = LossesTab()
    qtbot.addWidget(other)
    other.restore_state(state)
    assert other.state() == state
    assert shown_value(other) == shown_value(tab)
    with pytest.raises(ValueError, match="state 'loss': unknown loss 'Hinge'"):
        other.restore_state({**state, "loss": "Hinge"})
    with pytest.raises(ValueError, match="state 'dtype'"):
        other.restore_state({**state, "dtype": "int8"})


def test_set_loss_rejects_unknown_names(tab):
    with pytest.raises(ValueError, match="unknown loss 'Hinge'"):
        tab.set_loss("Hinge")
    with pytest.raises(ValueError, match="unknown loss option 'gamma'"):
        tab.set_loss("L1", gamma=2)


def test_paste_a_block_and_copy_it_back(tab, qtbot):
    from PySide6.QtGui import QGuiApplication

    view = table(tab, "lossInput")
    view.setCurrentIndex(view.model().index(1, 2))
    QGuiApplication.clipboard().setText("1.5\t-2\t0.25\n3, 4, oops\n")
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    values = tab.input_model.values()
    np.testing.assert_array_equal(values[1, 2:5], [1.5, -2, 0.25])
    assert values[2, 2] == 3 and values[2, 3] == 4
    assert "input[2, 4] is not a finite number: 'oops'" in tab.message.text()
    edit_cell(tab, "lossInput", 2, 4, "5")
    x, t = tab.input_model.values(), tab.target_model.values()
    assert shown_value(tab) == f"{np.abs(x - t).mean():.6f}"
    view.selectionModel().clear()
    view.setCurrentIndex(view.model().index(1, 2))
    assert view.copy_selection() == "1.5"


def test_typing_into_a_cell_edits_it(tab, qtbot):
    from PySide6.QtWidgets import QApplication, QLineEdit

    tab.show()
    qtbot.waitExposed(tab)
    view = table(tab, "lossInput")
    index = view.model().index(0, 1)
    view.setCurrentIndex(index)
    view.edit(index)  # what a double-click or a key press does
    QApplication.processEvents()  # the editor takes the focus
    editor = view.findChild(QLineEdit)
    assert editor is not None and editor.text() == "-0.1321"
    editor.setText("0.75")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()  # the delegate commits on Return through a queued call
    assert tab.input_model.values()[0, 1] == 0.75
    x, t = tab.input_model.values(), tab.target_model.values()
    assert shown_value(tab) == f"{np.abs(x - t).mean():.6f}"
    tab.close()


def test_an_overflowing_cell_shows_inf_in_grey_with_a_message_and_no_stale_gradient(tab):
    """QA M2: 1e300 under MSE, reduction none, must not raise nor leave L1's gradient."""
    import warnings

    choose(tab, "reduction", "none")
    edit_cell(tab, "lossInput", 0, 0, "1e300")
    assert shown_value(tab).startswith("1.000000e+300")
    assert tab.input_model.text(0, 0) == "1e+300"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no numpy overflow warning escapes either
        choose(tab, "lossKind", "MSE")
    output, grad = tab.output_model, tab.gradient_model
    assert shown_value(tab) == "inf"
    assert output.text(0, 0) == "inf"
    neutral = theme().palette.neutral  # not on the heat scale
    assert output.background(0, 0).getRgb()[:3] == neutral
    assert "the loss overflows: output[0, 0] is inf" in tab.message.text()
    assert "MSELoss" in tab.findChild(QComboBox, "lossKind").currentText()
    # Every table shows MSE's numbers: the gradient is 2 (x - y), not L1's ±1.
    x, t = tab.input_model.values(), tab.target_model.values()
    with np.errstate(over="ignore"):
        expected = 2 * (x - t)
    np.testing.assert_allclose(grad.values(), expected)
    np.testing.assert_allclose(shown_table(tab, "lossGradient")[1:], expected[1:], atol=1e-4)
    choose(tab, "lossKind", "Huber")  # back to finite numbers: the note goes
    assert "overflows" not in tab.message.text()
    assert np.isfinite(tab.gradient_model.values()).all()
    choose(tab, "lossKind", "MSE")
    edit_cell(tab, "lossInput", 2, 4, "-1e300")  # typed while MSE is chosen
    assert tab.output_model.text(2, 4) == "inf" and tab.gradient_model.text(2, 4) == "-2e+300"
    choose(tab, "lossKind", "L1")
    assert tab.output_model.text(2, 4) != "inf" and "overflows" not in tab.message.text()
    assert tab.gradient_model.text(2, 4) == "-1.0000"


def test_huge_and_tiny_numbers_read_in_scientific_notation(tab):
    choose(tab, "reduction", "sum")
    tab.set_tensors(np.full((3, 5), 1e-9), np.zeros((3, 5)))
    assert shown_value(tab) == "1.500000e-08"
    assert tab.input_model.text(0, 0) == "1e-09"
    assert tab.gradient_model.text(0, 0) == "1.0000"


def test_nan_when_every_target_is_ignored_is_explained(tab):
    choose(tab, "lossKind", "CrossEntropy")
    tab.set_loss("CrossEntropy", reduction="mean", ignore_index=2)
    tab.set_tensors(tab.input_model.values(), np.array([2, 2, 2]))
    assert shown_value(tab) == "nan"
    assert "every target is ignore_index (2): the mean over 0 targets is 0/0 = nan" in (
        tab.message.text()
    )
    assert tab.findChild(QLabel, "lossValueNote").text() == "mean = sum 0.000000 / 0"


def test_huber_delta_cannot_be_zero_but_smooth_l1_beta_can(tab):
    from PySide6.QtWidgets import QDoubleSpinBox

    delta = tab.findChild(QDoubleSpinBox, "delta")
    beta = tab.findChild(QDoubleSpinBox, "beta")
    assert delta.minimum() > 0 and beta.minimum() == 0
    choose(tab, "lossKind", "SmoothL1")
    beta.setValue(0.0)
    assert "computed by the engine" in tab.message.text()


def test_export_tables_hold_the_tensors_the_value_and_the_code(tab):
    choose(tab, "reduction", "none")
    tables = tab.export_tables()
    header, rows = tables["tensors"]
    assert header == ["row", "column", "input", "target", "output", "input.grad"]
    assert len(rows) == 15
    x, t = tab.input_model.values(), tab.target_model.values()
    result = tab.last_result
    assert rows[7][:4] == [1, 2, x[1, 2], t[1, 2]]
    assert rows[7][4:] == [result.output[1, 2], result.grad[1, 2]]
    assert tables["value"] == (
        ["loss", "reduction", "value", "dtype"],
        [["L1Loss", "none", result.value, "float64"]],
    )
    extension, code = tab.export_texts()["pytorch-code"]
    assert extension == "py" and code == tab.code.toPlainText()
    # A rejected edit does not change what is exported: the last valid result is.
    choose(tab, "lossKind", "CrossEntropy")
    before = tab.export_tables()
    edit_cell(tab, "lossTarget", 1, 0, "7")
    assert "out of bounds" in tab.message.text()
    assert tab.export_tables() == before
    assert before["tensors"][0][:4] == ["row", "column", "input", "target"]


def test_delta_change_moves_dots_and_edits_code_in_place(tab):
    tab.set_loss("Huber", delta=1.0)
    code_before = tab.code.toPlainText()
    l1_before = tab.curves.regression_curves["L1"].getData()[1].copy()
    tab.set_loss("Huber", delta=0.25)
    # the dots were moved in place: they must still be exactly the engine's values
    x, t = tab.input_model.values(), tab.target_model.values()
    samples = sample_points("Huber", tab.current_options()[1], x, t)
    dots_x, dots_y = tab.curves.sample_dots["regression-curves"].getData()
    np.testing.assert_array_equal(dots_x, samples.x)
    np.testing.assert_array_equal(dots_y, samples.loss)
    _, slope_y = tab.curves.sample_dots["regression-derivatives"].getData()
    np.testing.assert_array_equal(slope_y, samples.slope)
    np.testing.assert_array_equal(tab.curves.regression_curves["L1"].getData()[1], l1_before)
    code = tab.code.toPlainText()
    options = tab.current_options()[1]
    assert "delta=0.25" in code
    assert code == pytorch_code("Huber", options, x, t, tab.current_dtype())
    assert code.replace("delta=0.25", "delta=1.0") == code_before


def shown(qtbot, tab, width=1600, height=940):
    tab.resize(width, height)
    tab.show()
    qtbot.waitExposed(tab)
    tab.grab()


def test_each_loss_keeps_what_was_typed_for_it(tab):
    choose(tab, "lossKind", "CrossEntropy")
    edit_cell(tab, "lossInput", 0, 1, "2.5")
    edit_cell(tab, "lossTarget", 1, 0, "3")
    typed_value = shown_value(tab)
    for kind in ("BCE", "KLDiv", "CrossEntropy"):
        choose(tab, "lossKind", kind)
    assert tab.input_model.text(0, 1) == "2.5000"
    assert tab.target_model.text(1, 0) == "3"
    assert shown_value(tab) == typed_value
    tab.set_seed(tab.seed_spin.value() + 1)  # new data: nothing typed before comes back
    choose(tab, "lossKind", "BCE")
    choose(tab, "lossKind", "CrossEntropy")
    assert tab.input_model.text(0, 1) != "2.5000"


def test_every_cell_of_every_table_shows_its_whole_text(qtbot, tab):
    from PySide6.QtGui import QFontMetrics

    from explorer.ui.losses.tensor_table import CELL_LEFT, CELL_RIGHT

    choose(tab, "lossKind", "MSE")
    choose(tab, "reduction", "none")
    tab.set_shape(16, 16)
    x = np.full((16, 16), 0.5)
    x[0, :3] = (-11.5075, -15.4083, -12.4688)
    x[1, 0] = -0.00004925  # its gradient 2x is -9.85e-05
    t = np.zeros((16, 16))
    tab.set_tensors(x, t)
    shown(qtbot, tab)
    for name in ("lossInput", "lossTarget", "lossOutput", "lossGradient"):
        view = table(tab, name)
        model, metrics = view.model(), QFontMetrics(view.font())
        for row in range(model.rowCount()):
            for column in range(model.columnCount()):
                text = model.text(row, column)
                room = view.columnWidth(column) - CELL_LEFT - CELL_RIGHT
                assert metrics.horizontalAdvance(text) <= room, (name, row, column, text)
    assert tab.gradient_model.text(1, 0) == "-9.85e-05"


def test_a_16_by_16_input_and_target_show_half_their_rows(qtbot, tab):
    tab.set_shape(16, 16)
    shown(qtbot, tab)
    for name in ("lossInput", "lossTarget"):
        view = table(tab, name)
        whole = [
            row
            for row in range(16)
            if view.viewport().rect().contains(view.visualRect(view.model().index(row, 0)))
        ]
        assert len(whole) >= 8, (name, len(whole))


def test_choosing_a_loss_never_moves_the_fields_nor_cuts_a_placeholder(qtbot, tab):
    from PySide6.QtCore import QPoint

    shown(qtbot, tab, 1024, 600)
    panel = tab.options_panel
    seen = set()
    for kind in LOSSES:
        choose(tab, "lossKind", kind)
        tab.grab()
        seen.add((panel.kind.mapTo(tab, QPoint(0, 0)).x(), panel.kind.width()))
        assert tab.controls_scroll.widget().width() <= tab.controls_scroll.viewport().width()
        for field in (panel.weight, panel.pos_weight):
            if field.isVisible():
                hint = field.fontMetrics().horizontalAdvance(field.placeholderText())
                assert hint <= field.contentsRect().width() - 8, (kind, field.objectName())
    assert len(seen) == 1


def test_curve_legends_stand_outside_the_data(qtbot, tab):
    shown(qtbot, tab, 1024, 640)
    for name, plot in tab.curves.plots.items():
        if plot.legend is None:
            continue
        assert plot.legend.items
        legend, data = plot.legend.sceneBoundingRect(), plot.vb.sceneBoundingRect()
        assert not legend.intersects(data), name
        assert plot.sceneBoundingRect().contains(legend), name


def type_into(qtbot, box, text: str) -> None:
    """Select the box's text and type ``text``, as a person would (no Enter yet)."""
    box.setFocus()
    box.lineEdit().selectAll()
    qtbot.keyClicks(box.lineEdit(), text)


def test_typing_a_shape_applies_it_only_when_the_edit_ends(qtbot, tab):
    tab.show()
    tab.activateWindow()
    qtbot.waitUntil(tab.isActiveWindow)  # Tab moves the focus in the active window only
    before = tab.input_model.values()
    seeds = []
    tab.seed_spin.valueChanged.connect(seeds.append)
    type_into(qtbot, tab.n_spin, "12")  # "1" on the way would drop rows 1 and 2
    assert tab.input_model.values().shape == (3, 5)
    qtbot.keyClick(tab.n_spin.lineEdit(), Qt.Key.Key_Tab)  # the focus leaves: applied
    assert tab.input_model.values().shape == (12, 5)
    np.testing.assert_array_equal(tab.input_model.values()[:3], before)
    type_into(qtbot, tab.c_spin, "12")
    qtbot.keyClick(tab.c_spin.lineEdit(), Qt.Key.Key_Return)
    np.testing.assert_array_equal(tab.input_model.values()[:3, :5], before)
    type_into(qtbot, tab.seed_spin, "42")
    qtbot.keyClick(tab.seed_spin.lineEdit(), Qt.Key.Key_Return)
    assert seeds == [42]  # one draw, not one per digit
    tab.close()


def paste_into(qtbot, tab, name, row, column, text):
    from PySide6.QtGui import QGuiApplication

    view = table(tab, name)
    view.setCurrentIndex(view.model().index(row, column))
    QGuiApplication.clipboard().setText(text)
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)


def test_pasting_a_4_by_6_block_into_3_by_5_grows_the_shape_everywhere(qtbot, tab):
    before = tab.input_model.values()
    block = np.arange(24.0).reshape(4, 6) / 10
    paste_into(qtbot, tab, "lossInput", 0, 0, "\n".join("\t".join(map(str, r)) for r in block))
    assert tab.data_panel.shape() == (4, 6)
    assert (tab.n_spin.value(), tab.c_spin.value()) == (4, 6)
    np.testing.assert_array_equal(tab.input_model.values(), block)
    assert tab.target_model.values().shape == (4, 6)
    assert tab.gradient_model.values().shape == (4, 6)
    assert tab.message.text().startswith("N × C is now 4 × 6 to hold the pasted 4 × 6 block")
    assert "left out" not in tab.message.text()
    x, t = tab.input_model.values(), tab.target_model.values()
    assert shown_value(tab) == f"{np.abs(x - t).mean():.6f}"
    assert not np.array_equal(before, x[:3, :5])


def test_a_paste_beyond_16_rows_names_what_was_left_out(qtbot, tab):
    text = "\n".join(f"{r}\t{r + 0.5}" for r in range(20))
    paste_into(qtbot, tab, "lossInput", 0, 4, text)
    assert tab.data_panel.shape() == (16, 6)
    values = tab.input_model.values()
    np.testing.assert_array_equal(values[:, 4], np.arange(16.0))
    np.testing.assert_array_equal(values[:, 5], np.arange(16.0) + 0.5)
    message = tab.message.text()
    assert "⚠ Pasted 20 × 2 at input[0, 4]: rows 16–19 left out (N is at most 16)" in message
    assert tab.message.property("level") == "warning"


def test_class_indices_take_a_pasted_column_and_leave_the_rest_out(qtbot, tab):
    tab.set_loss("CrossEntropy")
    paste_into(qtbot, tab, "lossTarget", 0, 0, "1 7\n2 8\n0 9\n4 9\n")
    assert tab.data_panel.shape() == (4, 5)
    np.testing.assert_array_equal(tab.target_model.values(), [1, 2, 0, 4])
    assert tab.input_model.values().shape == (4, 5)
    assert (
        "⚠ Pasted 4 × 2 at target[0]: column 1 left out (class indices are one column)"
        in tab.message.text()
    )


def test_dots_beyond_the_view_are_arrows_at_its_edge_with_their_values(qtbot, tab):
    shown(qtbot, tab)
    x = np.zeros((3, 5))
    x[0, 0], x[1, 1] = 5.0, -4.0  # errors past ±3 (the target is 0)
    tab.set_tensors(x, np.zeros((3, 5)))
    marks = tab.curves.edge_marks["regression-curves"]
    assert marks.count() == 2
    true_x, true_y = marks.marked_points()
    np.testing.assert_array_equal(sorted(true_x), [-4.0, 5.0])
    spots = marks.scatter.data
    (x0, x1), (y0, y1) = tab.curves.regression.vb.viewRange()
    assert all(x0 < spot["x"] < x1 and y0 < spot["y"] < y1 for spot in spots)
    assert sorted(arrow_way(symbol) for symbol in spots["symbol"]) == ["left", "right"]
    tip = marks.scatter.opts["tip"](x=0, y=0, data=(5.0, 5.0))
    assert tip.startswith("error x − y = 5\nloss = 5")
    # Within the view again: no arrows.
    tab.set_tensors(np.full((3, 5), 0.5), np.zeros((3, 5)))
    assert marks.count() == 0 and len(marks.scatter.data) == 0


@pytest.mark.parametrize("appearance", ["light", "dark"])
def test_edge_arrows_take_the_dots_colour_and_the_appearances_outline(qtbot, tab, appearance):
    from explorer.ui.colors import PALETTES
    from explorer.ui.losses.curve_panels import COLORS, curve_color

    shown(qtbot, tab)
    x = np.zeros((3, 5))
    x[0, 0] = 5.0
    tab.set_tensors(x, np.zeros((3, 5)))
    palette = PALETTES[appearance]
    theme().set(palette=palette, zoom=1.5)
    kind, _options = tab.current_options()
    dots = curve_color(kind if kind in COLORS else "CE")  # a classification loss: CE's
    assert tab.curves.edge_marks["regression-curves"].count() == 1
    for name, marks in tab.curves.edge_marks.items():
        assert marks.scatter.opts["brush"].color() == dots
        assert marks.scatter.opts["pen"].color().getRgb()[:3] == palette.outline
        assert marks.scatter.opts["brush"].color() == (
            tab.curves.sample_dots[name].opts["brush"].color()
        )


def test_the_dtype_box_shows_each_choice_whole_in_a_laptop_window(qtbot):
    from explorer.ui.main_window import MainWindow
    from tests.ui.seen import combo_shows_whole

    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(1280, 820)
    window.show_tab("losses")
    window.show()
    qtbot.waitExposed(window)
    dtype = window.tab("losses").data_panel.dtype
    for index in range(dtype.count()):
        dtype.setCurrentIndex(index)
        qtbot.waitUntil(lambda: combo_shows_whole(dtype))
    # Squeezed to the column's least width, it elides rather than cuts.
    window.tab("losses").splitter.setSizes([0, 5000, 5000])
    qtbot.waitUntil(lambda: dtype.shown_text() != dtype.currentText() or combo_shows_whole(dtype))
    if not combo_shows_whole(dtype):
        assert dtype.shown_text().endswith("…")
        assert dtype.toolTip().startswith(dtype.currentText())
