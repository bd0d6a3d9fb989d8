"""The autograd graph page: the Losses tab's call and one sample, stepped through backward,
with what the view shows equal to what the engine computes."""

import numpy as np
import pytest
from PySide6.QtCore import QRectF, QSizeF

from explorer.engine import Tensor, plain_path
from explorer.model.loss import compute_loss
from explorer.ui.gradient.graph_canvas import READABLE
from explorer.ui.losses.tab import LossesTab
from tests.ui.gradient.helpers import click, make_tab, small_run


def test_a_sample_through_the_model_stepped_to_the_end_gives_the_engines_gradients(qtbot):
    tab = make_tab(qtbot)
    tab.show()
    view = tab.graph_view
    qtbot.waitUntil(lambda: view.graph() is not None)
    assert view.source.currentData() == "sample"
    records = {record["name"]: record for record in view.graph_nodes()}
    assert all(r["grad"] is None for r in records.values())  # before backward: values only
    assert not view.reset_button.isEnabled() and view.step_button.isEnabled()
    click(qtbot, view.step_button)
    assert view.current_step() == 1 and "Step 1 of" in view.step_label.text()
    click(qtbot, view.run_button)
    assert view.current_step() == view.step_count() and not view.step_button.isEnabled()
    assert "every leaf holds its .grad" in view.step_label.text()
    # the same sample, through the same model, on the engine's plain path
    val = tab.training_document.val
    model = tab.model_document.model
    x, label = val.x[0], int(val.y[0])
    for parameter in model.parameters():
        parameter.grad = None  # training left its last step's there
    with plain_path():
        logits = model(Tensor(x.reshape(1, -1)))
        loss = compute_loss(logits, np.array([label]), tab.training_document.config.loss)
        loss.backward()
    records = {record["name"]: record for record in view.graph_nodes()}
    assert float(records["loss"]["value"]) == float(loss.item())
    np.testing.assert_array_equal(records["linear2"]["value"], np.asarray(logits.detach()))
    for name, parameter in model.named_parameters():
        np.testing.assert_array_equal(records[name]["grad"], np.asarray(parameter.grad))
        assert records[name]["shape"] == tuple(parameter.shape)
    assert records["input"]["grad"] is None and records["input"]["kind"] == "constant"
    assert view.table.rowCount() == len(view.graph_nodes())
    click(qtbot, view.reset_button)
    assert view.current_step() == 0


def test_the_losses_tabs_call_is_shown_and_followed(qtbot):
    tab = make_tab(qtbot, record_path=False)
    losses = LossesTab(call=tab.loss_document)
    qtbot.addWidget(losses)
    tab.show()
    view = tab.graph_view
    view.set_source("loss")
    losses.set_loss("CrossEntropy")
    losses.set_shape(2, 3)
    qtbot.waitUntil(lambda: view.graph() is not None and not view._stale)
    click(qtbot, view.run_button)
    records = {record["name"]: record for record in view.graph_nodes()}
    result = losses.last_result
    np.testing.assert_allclose(records["input"]["grad"], result.grad, rtol=1e-6)
    assert float(records["loss"]["value"]) == pytest.approx(result.value, rel=1e-6)
    # the Losses tab changes its call: the graph follows
    losses.set_loss("MSE")
    qtbot.waitUntil(lambda: view.graph().title.startswith("MSELoss"), timeout=5000)
    call = losses.call_document.call
    np.testing.assert_array_equal(
        view.graph().node_named("input").value, call.input.astype(call.dtype)
    )


def test_a_model_that_does_not_fit_the_data_gets_a_random_input(qtbot):
    from explorer.model.config import MLPConfig

    tab = make_tab(qtbot, record_path=False)
    tab.model_document.build(MLPConfig(input_features=5, hidden_sizes=(4,), output_features=2))
    tab.show()
    view = tab.graph_view
    qtbot.waitUntil(lambda: view.graph() is not None)
    assert "random input" in view.about.text()
    assert view.graph().node_named("input").shape == (1, 5)


def test_the_step_labels_name_what_each_input_received(qtbot):
    tab = make_tab(qtbot, record_path=False)
    tab.show()
    view = tab.graph_view
    qtbot.waitUntil(lambda: view.graph() is not None)
    for _ in range(2):
        click(qtbot, view.step_button)
    text = view.step_label.text()
    assert "Step 2 of" in text and "linear2.weight" in text and "received ∂loss/∂linear2" in text
    assert len(view.canvas._labels) == 1 + 3  # received, and one per input of addmm


def box_rects(canvas) -> dict[str, QRectF]:
    """Each node's box, in the graph's coordinates."""
    return {
        key: QRectF(box.frame.pos(), QSizeF(box.width, box.height))
        for key, box in canvas._boxes.items()
    }


def seen(canvas) -> QRectF:
    """The part of the graph the view shows."""
    (left, right), (top, bottom) = canvas.plot_item.vb.viewRange()
    return QRectF(left, top, right - left, bottom - top)


def test_the_first_view_shows_the_whole_graph_and_a_step_shows_its_op_whole(qtbot):
    tab = make_tab(qtbot, small_run(hidden=(64, 64)), record_path=False)
    tab.resize(900, 600)  # too narrow for the whole graph at a size its text reads
    tab.show()
    view = tab.graph_view
    qtbot.waitUntil(lambda: view.graph() is not None)
    canvas, box = view.canvas, view.canvas.plot_item.vb
    qtbot.waitUntil(lambda: box.width() > 100)
    assert all(seen(canvas).contains(rect) for rect in box_rects(canvas).values())
    click(qtbot, view.step_button)  # the walk, followed at a size that reads
    shown = seen(canvas)
    assert box.width() / shown.width() >= READABLE * 0.99
    rects = box_rects(canvas)
    assert shown.contains(rects[view.graph().steps[0].op])
    assert shown.contains(rects[view.graph().root.key])  # the loss, at the graph's end, whole


def visible_rows(table) -> int:
    """How many of the table's rows are in view whole."""
    bottom = table.viewport().height()
    return sum(
        1
        for row in range(table.rowCount())
        if 0 <= table.rowViewportPosition(row)
        and table.rowViewportPosition(row) + table.rowHeight(row) <= bottom
    )


@pytest.mark.parametrize("size", [(1280, 820), (1600, 1000)])
def test_the_node_table_shows_several_rows_under_the_graph_in_the_window(qtbot, size):
    from explorer.ui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window, before_close_func=lambda w: [t.shutdown() for t in w.all_tabs()])
    window.resize(*size)
    window.show_tab("gradient")
    window.show()
    qtbot.waitExposed(window)
    view = window.tab("gradient").graph_view
    qtbot.waitUntil(lambda: view.graph() is not None and view.table.rowCount() >= 6)
    assert view.table.isVisible()
    assert visible_rows(view.table) >= 6
    assert view.canvas.height() > 2 * view.table.height() * 0.9  # the graph keeps most
