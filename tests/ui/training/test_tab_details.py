"""The Training tab in detail: start while paused, progress, reset, rename, delete, run
colours and names, the loss view following the current run, outputs after a restore or a
rebuild, export names, the link to Distributions, number formats, bad weights."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt

from explorer.engine import manual_seed
from explorer.model.config import MLPConfig
from explorer.training import DEFAULT_RUN
from explorer.ui.training.numbers import format_probability, format_value
from explorer.ui.training.plots import AccuracyPlot, LossCurvePlot
from explorer.ui.training.runs import Run, RunListModel
from explorer.ui.training.tab import TrainingTab
from tests.ui.training.tab_helpers import click, make_tab, wait_stopped


def test_start_is_disabled_while_paused_and_the_bar_never_says_ready_in_a_run(qtbot):
    tab = make_tab(qtbot, epochs=50, batch=4)
    view = tab.view
    click(qtbot, view.step)  # one batch: a paused run
    wait_stopped(qtbot, tab, "paused")
    assert not view.start.isEnabled() and "Resume" in view.start.toolTip()
    assert view.pause.text() == "&Resume"
    assert tab.runner.start() is False and "Resume" in tab.message()
    assert len(tab.runs.runs()) == 1  # the paused run was not abandoned
    assert view.progress.format() != "Ready"
    click(qtbot, view.reset)
    assert view.start.isEnabled() and view.progress.format() == "Ready"
    tab.view.settings.epochs.setValue(1)
    click(qtbot, view.start)
    assert view.progress.format().startswith("Epoch 1/1")  # at once, not after a tick
    wait_stopped(qtbot, tab, "done")
    tab.shutdown()


def test_reset_clears_a_diverged_message_and_the_step_numbers_agree(qtbot):
    tab = make_tab(qtbot, epochs=5, batch=32, samples=400)
    view = tab.view
    view.dataset.kind.setCurrentIndex(view.dataset.kind.findData("blobs"))
    view.dataset.params["blobs"]["n_samples"].setValue(400)
    classes = tab.data.dataset.num_classes  # two hidden layers diverge at lr 10
    tab.document.build(MLPConfig(input_features=2, hidden_sizes=(32, 32), output_features=classes))
    settings = tab.view.settings
    settings.optimizer.setCurrentIndex(settings.optimizer.findData("momentum"))
    settings.momentum.setValue(0.99)
    settings.learning_rate.setValue(10.0)
    click(qtbot, tab.view.start)
    wait_stopped(qtbot, tab, "diverged")
    tab.display.tick(flush=True)
    message = tab.message()
    step = message.split("diverged at step ")[1].split(":")[0]
    assert f"step {step}/" in tab.view.progress.format()
    click(qtbot, tab.view.reset)
    assert tab.message() == "" and tab.view.progress.format() == "Ready"
    tab.shutdown()


def test_rename_updates_the_message_and_run_names_say_what_differs(qtbot):
    tab = make_tab(qtbot, epochs=1)
    click(qtbot, tab.view.start)
    wait_stopped(qtbot, tab, "done")
    first = tab.runs.run_at(0)
    assert first.name == "#1 moons adam lr=0.005"
    assert first.name in tab.message()
    tab.runs.rename(0, "baseline")
    assert "baseline finished" in tab.message()
    tab.view.settings.batch_size.setValue(8)
    click(qtbot, tab.view.start)
    wait_stopped(qtbot, tab, "done")
    assert tab.runs.run_at(1).name == "#2 batch 8"
    tab.shutdown()


def test_each_run_keeps_its_colour_and_the_list_shows_it(qtbot):
    model = RunListModel()
    for run_id in (1, 2, 3):
        model.add(Run(run_id=run_id, name=f"r{run_id}"))
    colours = [model.data(model.index(i), Qt.ItemDataRole.DecorationRole) for i in range(3)]
    model.remove(0)
    after = [model.data(model.index(i), Qt.ItemDataRole.DecorationRole) for i in range(2)]
    assert after == colours[1:]
    assert Run(run_id=4, name="x").curves().color_index == 3


def test_curves_are_named_for_the_csv_and_the_raw_line_is_faint(qtbot):
    plot = LossCurvePlot()
    qtbot.addWidget(plot)
    plot.set_run_name("#1 spiral")
    assert plot.raw_curve.name() == "#1 spiral (raw)"
    assert plot.smooth_curve.name() == "#1 spiral (smoothed)"
    assert plot.val_curve.name() == "validation loss"
    assert plot.raw_curve.opts["pen"].color().alpha() < 60
    assert plot.cursor.csv_exclude and plot.readout.csv_exclude
    accuracy = AccuracyPlot()
    qtbot.addWidget(accuracy)
    major = accuracy.plot_item.getAxis("left")._tickLevels[0]
    assert (100, "100") in major


def test_numbers_keep_their_significant_digits():
    assert format_value(0.3219281) == "0.3219"
    assert format_value(4.31967) == "4.3197"
    assert format_value(0.0012345) == "0.001234"
    assert format_value(1.2345e-6) == "1.234e-06"
    assert format_value(0.0) == "0.0000"
    assert format_value(-0.0) == "0.0000"  # a confidently right sample's loss
    assert format_probability(1 - 2.5e-7) == "(1 − 2.500e-07)"
    assert format_probability(0.25) == "0.25"


def test_outputs_are_recomputed_after_a_restore_and_cleared_for_a_model_that_does_not_fit(
    qtbot,
):
    tab = make_tab(qtbot, epochs=1)
    click(qtbot, tab.view.start)
    wait_stopped(qtbot, tab, "done")
    state, model_state, arrays = tab.state(), tab.document.state(), tab.document.arrays()
    matrix = tab.view.confusion_plot.matrix.copy()
    tab.shutdown()

    again = TrainingTab()
    qtbot.addWidget(again)
    again.document.restore_state(model_state)  # a session restores the model first
    again.document.restore_arrays(arrays)
    again.restore_state(state)
    np.testing.assert_array_equal(again.view.confusion_plot.matrix, matrix)
    assert again.view.progress.format().startswith("#1 moons")
    assert again.view.decision_plot.region_image() is not None
    assert again.view.info_link.has_outputs()
    assert {"confusion-matrix", "sample-cross-entropy"} <= set(again.export_items())

    # e.g. rebuilt in the Model tab for other data
    again.document.build(MLPConfig(input_features=5, hidden_sizes=(4,), output_features=2))
    again.refresh_outputs()
    assert again.view.decision_plot.region_image() is None
    assert not again.view.info_link.has_outputs()
    assert "confusion-matrix" not in again.export_items()


def test_the_decision_and_confusion_images_export_labelled_tables(qtbot):
    tab = make_tab(qtbot, epochs=1)
    click(qtbot, tab.view.start)
    wait_stopped(qtbot, tab, "done")
    image = tab.view.decision_plot.image
    xs, ys, x_label, y_label = image.export_axes
    assert (x_label, y_label) == ("x₁", "x₂")
    assert image.export_matrix.shape == (len(ys), len(xs))
    confusion = tab.view.confusion_plot.image
    names = tab.data.dataset.class_names
    assert confusion.export_axes == (names, names, "predicted class", "true class")
    assert tab.view.decision_plot.selected.csv_exclude
    tab.shutdown()


def test_weights_with_nan_are_refused_through_the_tab(qtbot, tmp_path):
    tab = make_tab(qtbot, epochs=1)
    tab.runner.adapt(confirmed=True)
    state = {k: np.array(v) for k, v in tab.document.model.state_dict().items()}
    state["linear1.weight"][0, 0] = np.nan
    np.savez(tmp_path / "nan.npz", **state)
    assert not tab.load_weights(str(tmp_path / "nan.npz"))
    assert "non-finite" in tab.message()
    (tmp_path / "text.npz").write_bytes(b"not a zip")
    assert not tab.load_weights(str(tmp_path / "text.npz"))
    assert "is not an .npz (zip) file" in tab.message() and "pickle" not in tab.message()


def test_open_in_distributions_shows_the_discrete_view_with_class_names(qtbot):
    from explorer.ui import MainWindow

    window = MainWindow()
    qtbot.addWidget(window, before_close_func=lambda w: w.tab("training").shutdown())
    distributions, tab = window.tab("distributions"), window.tab("training")
    distributions.set_mode("gaussian")
    tab.view.dataset.params["spiral"]["n_samples"].setValue(150)
    tab.view.settings.epochs.setValue(1)
    click(qtbot, tab.view.start)
    wait_stopped(qtbot, tab, "done")
    p, q, _, _ = tab.view.info_link.values()
    click(qtbot, tab.view.info_link.open_button)
    assert window.tabs.currentWidget() is distributions
    assert distributions.mode() == "discrete"
    shown_p, shown_q = distributions.distributions()
    np.testing.assert_allclose(shown_p, p)
    np.testing.assert_allclose(shown_q, q / q.sum(), atol=1e-6)
    assert distributions.state()["selected"] == int(np.argmax(p))  # the true class


def test_the_apps_first_start_is_the_default_run(qtbot):
    from explorer.training import build_model
    from explorer.ui import MainWindow

    window = MainWindow()
    qtbot.addWidget(window, before_close_func=lambda w: w.tab("training").shutdown())
    tab = window.tab("training")
    assert tab.view.settings.config() == DEFAULT_RUN.training
    assert tab.view.dataset.description()["kind"] == DEFAULT_RUN.dataset
    tab.runner.adapt(confirmed=True)
    tab.document.reinitialize(DEFAULT_RUN.training.seed)
    manual_seed(0)
    expected = build_model(DEFAULT_RUN, 2, 3)
    model = tab.document.model
    assert model.hidden_sizes == DEFAULT_RUN.model.hidden_sizes
    for key, value in expected.state_dict().items():
        np.testing.assert_array_equal(model.state_dict()[key], value)
