"""The Training tab, driven through its widgets: runs, pause/step/reset, divergence, runs
list, weights, state, data errors and the link to the Distributions tab."""

from __future__ import annotations

import math

import numpy as np
import pytest
from PySide6.QtWidgets import QComboBox, QProgressBar, QPushButton, QSpinBox

from explorer.model.config import MLPConfig
from explorer.ui.training.numbers import format_value
from explorer.ui.training.tab import TrainingTab
from tests.ui.training.tab_helpers import (
    WAIT_MS,
    click,
    make_tab,
    wait_loaded,
    wait_stopped,
)


def points(curve) -> int:
    x, _ = curve.getData()
    return 0 if x is None else len(x)


def shutdown(tab: TrainingTab) -> None:
    tab.shutdown()
    assert not tab.runner.controller.has_thread()


def test_controls_carry_the_documented_object_names(qtbot):
    tab = make_tab(qtbot)
    assert tab.objectName() == "trainingTab"
    assert tab.title == "Training" and tab.export_name == "training"
    for name in ("datasetKind", "trainingLoss", "optimizer"):
        assert isinstance(tab.findChild(QComboBox, name), QComboBox), name
    for name in ("epochs", "batchSize"):
        assert isinstance(tab.findChild(QSpinBox, name), QSpinBox), name
    assert tab.findChild(QProgressBar, "trainingProgress") is not None
    assert tab.findChild(type(tab.loss_plot), "lossPlot") is tab.loss_plot
    assert tab.findChild(type(tab.view.settings.learning_rate), "learningRate") is not None
    for name in ("startTraining", "pauseTraining", "stepTraining", "resetTraining"):
        button = tab.findChild(QPushButton, name)
        assert button is not None and button.toolTip(), name
    shutdown(tab)


def test_a_tiny_run_trains_to_the_end_and_fills_every_view(qtbot):
    tab = make_tab(qtbot, samples=120, epochs=2, batch=16)
    click(qtbot, tab.view.start)
    wait_stopped(qtbot, tab, "done")
    run = tab.display.run
    steps_per_epoch = math.ceil(96 / 16)  # 80% of 120 samples train
    x, y = tab.loss_plot.raw_curve.getData()
    assert list(x) == list(range(1, 2 * steps_per_epoch + 1))
    assert np.all(np.isfinite(y))
    assert len(tab.loss_plot.val_curve.getData()[0]) == 2
    assert len(tab.view.accuracy_plot.val_curve.getData()[1]) == 2
    assert tab.view.progress.value() == 1000
    assert tab.view.progress.format().startswith("Epoch 2/2")
    assert "finished: validation accuracy" in tab.message()
    assert tab.view.confusion_plot.matrix.sum() == 24
    assert tab.view.decision_plot.region_image() is not None
    assert run.status == "done" and len(run.val_accuracy) == 2
    assert set(tab.export_items()) >= {"loss", "accuracy", "decision-regions", "confusion-matrix"}
    shutdown(tab)


def test_the_sample_cross_entropy_equals_its_loss(qtbot):
    tab = make_tab(qtbot)
    click(qtbot, tab.view.start)
    wait_stopped(qtbot, tab, "done")
    info = tab.view.info_link
    info.select(3)
    p, q, h, loss = info.values()
    assert p.sum() == 1 and q.sum() == pytest.approx(1)
    assert h == pytest.approx(loss, rel=1e-4, abs=1e-6)
    assert info.cross_entropy_label.copied_text() == f"H(P, Q) = {format_value(h)} nats"
    assert info.loss_label.copied_text() == f"sample loss = {format_value(loss)} nats"
    with qtbot.waitSignal(tab.sigOpenDistributions) as blocker:
        click(qtbot, info.open_button)
    assert blocker.args[0] == p.tolist()
    assert blocker.args[2] == tab.data.dataset.class_names  # the categories keep their names
    shutdown(tab)


def test_pause_step_resume_and_reset(qtbot):
    tab = make_tab(qtbot, samples=400, epochs=10_000, batch=4)
    view = tab.view
    click(qtbot, view.start)
    qtbot.waitUntil(lambda: len(tab.display.run.steps) > 3, timeout=WAIT_MS)
    click(qtbot, view.pause)
    wait_stopped(qtbot, tab, "paused")
    assert view.pause.text() == "&Resume"
    assert not view.dataset.isEnabled()
    # Count recorded steps, not curve points: the curve may be clipped to view and downsampled.
    before = len(tab.display.run.steps)
    click(qtbot, view.step)
    qtbot.waitUntil(lambda: len(tab.display.run.steps) > before, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not tab.runner.controller.is_running(), timeout=WAIT_MS)
    assert len(tab.display.run.steps) == before + 1  # Step takes exactly one batch
    tab.display.tick()
    assert tab.loss_plot.raw_curve.getData()[0][-1] == tab.display.run.steps[-1]
    click(qtbot, view.pause)  # resume
    qtbot.waitUntil(lambda: len(tab.display.run.steps) > before + 5, timeout=WAIT_MS)
    run = tab.display.run
    click(qtbot, view.reset)
    assert not tab.runner.controller.has_thread()
    assert run.status == "stopped"
    assert points(tab.loss_plot.raw_curve) == 0
    assert view.pause.text() == "&Pause" and not view.pause.isEnabled()
    assert view.dataset.isEnabled()
    shutdown(tab)


def test_a_diverging_run_ends_with_the_message_not_nan(qtbot):
    tab = make_tab(qtbot, kind="blobs", samples=400, epochs=5, batch=32)
    # Two hidden layers: the default single wide layer's dead ReLUs can keep lr=10 finite.
    classes = tab.data.dataset.num_classes
    tab.document.build(MLPConfig(input_features=2, hidden_sizes=(32, 32), output_features=classes))
    settings = tab.view.settings
    settings.optimizer.setCurrentIndex(settings.optimizer.findData("momentum"))
    settings.momentum.setValue(0.99)
    settings.learning_rate.setValue(10.0)
    click(qtbot, tab.view.start)
    wait_stopped(qtbot, tab, "diverged")
    assert "diverged at step" in tab.message()
    assert "learning rate" in tab.message()
    assert np.all(np.isfinite(tab.loss_plot.raw_curve.getData()[1]))
    assert np.all(np.isfinite(tab.loss_plot.smooth_curve.getData()[1]))
    assert "diverged" in tab.view.progress.format()
    shutdown(tab)


def test_runs_overlay_rename_and_delete(qtbot):
    tab = make_tab(qtbot, epochs=1)
    click(qtbot, tab.view.start)
    wait_stopped(qtbot, tab, "done")
    tab.view.settings.learning_rate.setValue(0.05)
    click(qtbot, tab.view.start)
    wait_stopped(qtbot, tab, "done")
    first, second = tab.runs.runs()
    assert tab.display.run is second
    assert tab.loss_plot.overlay_names() == [first.name]
    assert tab.runs.rename(0, "slow lr")
    assert tab.loss_plot.overlay_names() == ["slow lr"]
    legend = [label.text for _, label in tab.loss_plot.legend.items]
    assert legend == [second.name, "validation"]  # the runs list names "slow lr"
    tab.runs.set_overlay(0, False)
    assert tab.loss_plot.overlay_names() == []
    tab.runs.set_overlay(0, True)
    colour = tab.loss_plot.run_color()
    asked = []
    tab.confirm = lambda parent, title, text: asked.append(text) or False
    tab.view.runs_panel.select_row(0)
    click(qtbot, tab.view.runs_panel.delete_button)
    assert "slow lr" in asked[0] and len(tab.runs.runs()) == 2  # answered No: kept
    tab.confirm = lambda parent, title, text: True
    click(qtbot, tab.view.runs_panel.delete_button)
    assert [r.name for r in tab.runs.runs()] == [second.name]
    assert tab.loss_plot.overlay_names() == []
    assert tab.loss_plot.run_color() == colour  # the remaining run keeps its colour
    shutdown(tab)


def test_same_seed_same_run(qtbot):
    tab = make_tab(qtbot, epochs=1)
    for _ in range(2):
        click(qtbot, tab.view.start)
        wait_stopped(qtbot, tab, "done")
    first, second = tab.runs.runs()
    assert first.losses == second.losses
    shutdown(tab)


def test_weights_round_trip_and_mismatch_message(qtbot, tmp_path):
    tab = make_tab(qtbot, epochs=1)
    click(qtbot, tab.view.start)
    wait_stopped(qtbot, tab, "done")
    trained = {k: v.clone() for k, v in tab.document.model.state_dict().items()}
    path = tmp_path / "weights.npz"
    tab.ask_save_path = lambda: str(path)
    click(qtbot, tab.view.save_weights)
    assert "Saved" in tab.message()
    click(qtbot, tab.view.reset)
    fresh = tab.document.model.state_dict()["linear1.weight"]
    assert not np.allclose(fresh, trained["linear1.weight"])
    tab.ask_open_path = lambda: str(path)
    click(qtbot, tab.view.load_weights)
    for key, value in tab.document.model.state_dict().items():
        np.testing.assert_array_equal(value, trained[key])
    assert tab.view.settings.keep_weights.isChecked()
    bad = tmp_path / "bad.npz"
    np.savez(bad, **{"linear1.weight": np.zeros((3, 3), np.float32)})
    tab.ask_open_path = lambda: str(bad)
    click(qtbot, tab.view.load_weights)
    assert "Weights not loaded" in tab.message() and "missing keys" in tab.message()
    shutdown(tab)


def test_state_round_trip_keeps_runs_and_controls(qtbot):
    tab = make_tab(qtbot, epochs=1)
    tab.view.settings.learning_rate.setValue(0.02)
    tab.view.log_y.setChecked(True)
    click(qtbot, tab.view.start)
    wait_stopped(qtbot, tab, "done")
    tab.runs.rename(0, "kept")
    state = tab.state()
    again = TrainingTab()
    qtbot.addWidget(again)
    again.restore_state(state)
    assert again.state() == state
    assert again.display.run.name == "kept"
    np.testing.assert_array_equal(
        again.loss_plot.raw_curve.getData()[1], tab.loss_plot.raw_curve.getData()[1]
    )
    assert again.loss_plot.is_log_y()
    with pytest.raises(ValueError, match="runs"):
        again.restore_state({**state, "runs": [{"name": ""}]})
    with pytest.raises(ValueError, match="lr"):
        again.restore_state({**state, "settings": {**state["settings"], "lr": -1}})
    again.restore_state({**state, "runs": [], "current_run": None})  # a session without runs
    assert again.view.progress.format() == "Ready" and again.view.progress.value() == 0
    shutdown(tab)
    shutdown(again)


def test_data_files_that_do_not_load_give_a_clear_message(qtbot, tmp_path):
    tab = make_tab(qtbot)
    dataset = tab.view.dataset
    dataset.kind.setCurrentIndex(dataset.kind.findData("csv"))
    assert tab.message() == "Choose a CSV file (Open… beside File)."
    assert not tab.view.start.isEnabled()
    bad = tmp_path / "bad.csv"
    bad.write_text("1,2,0\n3,x,1\n")
    dataset.csv_path.setText(str(bad))
    dataset.csv_path.editingFinished.emit()
    assert tab.message() == "Loading bad.csv…" and not tab.view.start.isEnabled()
    # the moons of before are not shown as if they were this file's
    assert tab.view.picture.currentWidget() is tab.view.no_picture
    assert tab.view.no_picture.text() == "Loading bad.csv…"
    wait_loaded(qtbot, tab)
    assert "bad.csv" in tab.message() and tab.message().startswith("Data not loaded: ")
    assert tab.view.no_picture.text() == "No data: see the message above."
    dataset.kind.setCurrentIndex(dataset.kind.findData("idx"))
    junk = tmp_path / "images.idx"
    junk.write_bytes(b"\x00\x00\x08\x01junk")
    dataset.idx_images.setText(str(junk))
    dataset.idx_labels.setText(str(junk))
    dataset.idx_labels.editingFinished.emit()
    wait_loaded(qtbot, tab)
    assert "images.idx" in tab.message()
    assert not tab.view.start.isEnabled()
    shutdown(tab)


def test_digits_show_captioned_samples(qtbot):
    tab = make_tab(qtbot, kind="digits", epochs=1, batch=64)
    assert tab.view.picture.currentWidget() is tab.view.sample_grid
    click(qtbot, tab.view.start)
    wait_stopped(qtbot, tab, "done")
    captions = tab.view.sample_grid.captions()
    assert len(captions) == 24 and all(captions)
    assert "validation-samples" in tab.export_items()
    shutdown(tab)


def test_in_the_main_window_it_trains_the_model_tabs_instance(qtbot):
    from explorer.ui import MainWindow

    window = MainWindow()
    qtbot.addWidget(window, before_close_func=lambda w: w.tab("training").shutdown())
    model_tab, tab = window.tab("model"), window.tab("training")
    assert tab.document.model is model_tab.model()
    tab.view.dataset.params["spiral"]["n_samples"].setValue(150)
    tab.view.settings.epochs.setValue(1)
    # A fresh start's untrained 784-256-10 follows the data: ready to train, no banner.
    assert tab.view.adapt_banner.isHidden()
    assert model_tab.model().input_features == 2 and tab.document.model is model_tab.model()
    click(qtbot, tab.view.start)
    wait_stopped(qtbot, tab, "done")
    model = model_tab.model()
    assert (model.input_features, model.output_features) == (2, 3)
    assert tab.document.model is model and window.model_document.trained
    assert tab.view.adapt_banner.isHidden()
    click(qtbot, tab.view.info_link.open_button)
    assert window.tabs.currentWidget() is window.tab("distributions")

    # The trained model no longer fits two-class data: Start asks once, then adapts.
    asked = []
    tab.confirm = lambda parent, title, text: asked.append(text) or True
    model_tab.confirm_rebuild = lambda parent: pytest.fail("asked twice")
    tab.view.dataset.kind.setCurrentIndex(tab.view.dataset.kind.findData("moons"))
    assert not tab.view.adapt_banner.isHidden()
    click(qtbot, tab.view.start)
    wait_stopped(qtbot, tab, "done")
    assert len(asked) == 1 and "3 outputs" in asked[0]
    assert model_tab.model().output_features == 2
    window.tab("training").shutdown()


def test_every_control_has_a_tooltip_and_state_is_json(qtbot):
    import json

    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractSpinBox,
        QComboBox,
        QLineEdit,
        QListView,
        QSlider,
    )

    def inside_another_control(widget) -> bool:  # a spin box's editor, a combo's popup list
        parent = widget.parent()
        while parent is not None:
            if isinstance(parent, (QAbstractSpinBox, QComboBox)):
                return True
            parent = parent.parent()
        return False

    tab = make_tab(qtbot)
    controls = [
        w
        for kind in (QAbstractButton, QAbstractSpinBox, QComboBox, QLineEdit, QListView, QSlider)
        for w in tab.findChildren(kind)
        if not inside_another_control(w)
    ]
    missing = [w.objectName() or type(w).__name__ for w in controls if not w.toolTip()]
    assert missing == []
    json.dumps(tab.state())
    shutdown(tab)


CLOSE_WHILE_TRAINING = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
from explorer.ui.main_window import MainWindow
window = MainWindow()
window.show()
tab = window.tab("training")
tab.view.settings.epochs.setValue(100000)
assert tab.runner.start(), tab.message()
how = sys.argv[1]
QTimer.singleShot(400, window.close if how == "close" else app.quit)
code = app.exec()
assert not tab.runner.controller.has_thread(), "worker thread still there"
sys.exit(code)
"""


@pytest.mark.parametrize("how", ["close", "quit"])
def test_closing_the_app_while_training_exits_cleanly(tmp_path, how):
    import os
    import subprocess
    import sys

    script = tmp_path / "close.py"
    script.write_text(CLOSE_WHILE_TRAINING)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    import explorer

    root = os.path.dirname(os.path.dirname(os.path.abspath(explorer.__file__)))
    env["PYTHONPATH"] = root + os.pathsep + env.get("PYTHONPATH", "")
    done = subprocess.run(
        [sys.executable, str(script), how], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "QThread: Destroyed while thread" not in done.stderr


def test_a_csv_file_and_idx_files_train(qtbot, tmp_path):
    import gzip

    rng = np.random.default_rng(0)
    x = rng.normal(size=(90, 3))
    y = (x[:, 0] > 0).astype(int) + (x[:, 1] > 0).astype(int)
    path = tmp_path / "three.csv"
    path.write_text(
        "a,b,c,label\n" + "".join(f"{r[0]},{r[1]},{r[2]},{k}\n" for r, k in zip(x, y, strict=True))
    )
    tab = make_tab(qtbot, epochs=1)
    dataset = tab.view.dataset
    dataset.kind.setCurrentIndex(dataset.kind.findData("csv"))
    dataset.csv_path.setText(str(path))
    dataset.csv_path.editingFinished.emit()
    wait_loaded(qtbot, tab)
    assert tab.message() == "" and tab.data.dataset.num_features == 3
    assert tab.view.picture.currentWidget() is tab.view.no_picture
    click(qtbot, tab.view.start)
    wait_stopped(qtbot, tab, "done")
    assert tab.view.confusion_plot.matrix.shape == (3, 3)

    images = rng.integers(0, 256, size=(40, 5, 6), dtype=np.uint8)
    labels = rng.integers(0, 10, size=40, dtype=np.uint8)
    images_path, labels_path = tmp_path / "img.idx3.gz", tmp_path / "lbl.idx1"
    with gzip.open(images_path, "wb") as handle:
        handle.write(
            bytes([0, 0, 8, 3])
            + (40).to_bytes(4, "big")
            + (5).to_bytes(4, "big")
            + (6).to_bytes(4, "big")
            + images.tobytes()
        )
    labels_path.write_bytes(bytes([0, 0, 8, 1]) + (40).to_bytes(4, "big") + labels.tobytes())
    dataset.kind.setCurrentIndex(dataset.kind.findData("idx"))
    dataset.idx_images.setText(str(images_path))
    dataset.idx_labels.setText(str(labels_path))
    dataset.idx_labels.editingFinished.emit()
    wait_loaded(qtbot, tab)
    assert tab.message() == "", tab.message()
    assert tab.data.dataset.feature_shape == (5, 6)
    assert tab.view.picture.currentWidget() is tab.view.sample_grid
    asked = []  # the trained 3-feature model does not fit: Start asks before rebuilding it
    tab.confirm = lambda parent, title, text: asked.append(text) or True
    click(qtbot, tab.view.start)
    wait_stopped(qtbot, tab, "done")
    assert len(asked) == 1 and "3 inputs" in asked[0]
    assert all(tab.view.sample_grid.captions())
    shutdown(tab)


def test_the_display_timer_runs_only_while_training(qtbot):
    tab = make_tab(qtbot, epochs=1)
    assert not tab.runner.timer.isActive()
    click(qtbot, tab.view.step)
    wait_stopped(qtbot, tab, "paused")
    assert not tab.runner.timer.isActive()
    click(qtbot, tab.view.pause)  # resume
    assert tab.runner.timer.isActive()
    wait_stopped(qtbot, tab, "done")
    assert not tab.runner.timer.isActive()
    shutdown(tab)


def test_a_training_process_that_cannot_start_is_a_message_not_a_run(qtbot, monkeypatch):
    from explorer.training import process

    def no_process(*args, **kwargs):
        raise OSError("[Errno 11] Resource temporarily unavailable")

    monkeypatch.setattr(process.subprocess, "Popen", no_process)
    tab = make_tab(qtbot)
    click(qtbot, tab.findChild(QPushButton, "startTraining"))
    assert "Cannot start: the training process did not start: [Errno 11]" in tab.message()
    assert tab.runs.runs() == [] and not tab.runner.controller.has_thread()
    assert tab.runner.controller.job is None
    assert tab.findChild(QPushButton, "startTraining").isEnabled()
    monkeypatch.undo()  # processes start again: so does training
    click(qtbot, tab.findChild(QPushButton, "startTraining"))
    wait_stopped(qtbot, tab, "done")
    shutdown(tab)


def test_a_data_file_is_read_once_and_again_only_when_it_changes(qtbot, tmp_path, monkeypatch):
    import os

    from explorer.ui.training import dataset_panel

    reads = []
    real = dataset_panel.load_csv
    monkeypatch.setattr(
        dataset_panel, "load_csv", lambda *a, **k: (reads.append(1), real(*a, **k))[1]
    )
    path = tmp_path / "points.csv"
    rows = np.random.default_rng(0).normal(size=(60, 2))
    path.write_text("".join(f"{a},{b},{int(a > 0)}\n" for a, b in rows))
    tab = make_tab(qtbot)
    dataset = tab.view.dataset
    dataset.kind.setCurrentIndex(dataset.kind.findData("csv"))
    dataset.csv_path.setText(str(path))
    dataset.csv_path.editingFinished.emit()
    wait_loaded(qtbot, tab)
    assert len(reads) == 1 and len(tab.data.val) == 12
    dataset.val_fraction.setValue(0.5)  # split again, not read again
    wait_loaded(qtbot, tab)
    assert len(reads) == 1 and len(tab.data.val) == 30 and tab.message() == ""
    path.write_text(path.read_text() + "1.0,1.0,1\n")
    os.utime(path, ns=(1, 1))  # a changed file: read again
    dataset.csv_path.editingFinished.emit()
    wait_loaded(qtbot, tab)
    assert len(reads) == 2 and len(tab.data.dataset) == 61
    shutdown(tab)


def test_start_and_adapt_above_the_budget_say_so_in_the_tab(qtbot):
    from explorer.model.budget import ParameterBudget
    from explorer.model.document import ModelDocument

    document = ModelDocument(MLPConfig(input_features=2, hidden_sizes=(20, 20), output_features=3))
    document.set_budget(ParameterBudget(1_000))  # 543 parameters fit; 64-20-20-10 does not
    tab = TrainingTab(document)
    qtbot.addWidget(tab, before_close_func=lambda widget: widget.shutdown())
    dataset = tab.view.dataset
    dataset.kind.setCurrentIndex(dataset.kind.findData("digits"))
    before = document.model
    click(qtbot, tab.view.adapt)
    refusal = "64-20-20-10 would hold 1,930 parameters, above the parameter budget of 1,000"
    assert tab.message().startswith("Not adapted: " + refusal)
    click(qtbot, tab.view.start)
    assert tab.message().startswith("Not started: " + refusal)
    assert document.model is before and tab.runs.runs() == []
    assert not tab.runner.controller.has_thread()
    shutdown(tab)


def test_files_that_are_not_regular_or_over_the_memory_budget_give_a_clear_message(qtbot, tmp_path):
    import gzip
    import os
    import struct

    from explorer.ui.main_window import make_settings
    from explorer.ui.training.dataset_panel import MEMORY_BUDGET_KEY

    tab = make_tab(qtbot)
    dataset = tab.view.dataset
    dataset.kind.setCurrentIndex(dataset.kind.findData("csv"))
    special = []
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "pipe.csv")
        special.append((tmp_path / "pipe.csv", "not a regular file but a pipe (FIFO)"))
    if os.path.exists("/dev/zero"):
        (tmp_path / "zero.csv").symlink_to("/dev/zero")
        special.append((tmp_path / "zero.csv", "not a regular file but a device"))
    for path, reason in special:
        dataset.csv_path.setText(str(path))
        dataset.csv_path.editingFinished.emit()
        wait_loaded(qtbot, tab)
        assert tab.message() == f"Data not loaded: {path}: cannot open the file: {reason}"
        assert not tab.view.start.isEnabled()

    count = 1000
    rng = np.random.default_rng(0)
    with gzip.open(tmp_path / "images.gz", "wb") as handle:
        handle.write(struct.pack(">IIII", 0x803, count, 28, 28))
        handle.write(rng.integers(0, 256, count * 784, dtype=np.uint8).tobytes())
    with gzip.open(tmp_path / "labels.gz", "wb") as handle:
        handle.write(struct.pack(">II", 0x801, count) + bytes(range(10)) * (count // 10))
    make_settings().setValue(MEMORY_BUDGET_KEY, 1)
    try:
        dataset.kind.setCurrentIndex(dataset.kind.findData("idx"))
        dataset.idx_images.setText(str(tmp_path / "images.gz"))
        dataset.idx_labels.setText(str(tmp_path / "labels.gz"))
        dataset.idx_labels.editingFinished.emit()
        wait_loaded(qtbot, tab)
        assert tab.message() == (
            f"Data not loaded: {tmp_path / 'images.gz'}: 1,000 images of 28x28 pixels would "
            "need about 11 MiB of memory to load and train on, more than the memory budget "
            "of 1 MiB"
        )
    finally:
        make_settings().remove(MEMORY_BUDGET_KEY)
    dataset.idx_labels.editingFinished.emit()
    wait_loaded(qtbot, tab)
    assert tab.message() == "" and len(tab.data.dataset) == count
    shutdown(tab)


def test_weights_files_built_to_exhaust_memory_give_a_clear_message(qtbot, tmp_path):
    import os

    from tests.io.crafted import deflated_zeros, npy, npy_header, raw_zip, stored

    tab = make_tab(qtbot, epochs=1)
    tab.runner.adapt(confirmed=True)
    bomb = tmp_path / "bomb.npz"
    header = npy_header("<f8", (32 << 20,))
    bomb.write_bytes(raw_zip([deflated_zeros("linear1.weight.npy", header, 256)]))
    assert not tab.load_weights(str(bomb))
    assert tab.message().startswith(f"Weights not loaded: {bomb}: does not fit this model")
    lying = tmp_path / "lying.npz"
    state = tab.document.model.state_dict()
    members = [stored(f"{k}.npy", npy(np.array(v))) for k, v in state.items()]
    members[0] = stored("linear1.weight.npy", npy_header("<f4", (2**70, 0)))
    lying.write_bytes(raw_zip(members))
    assert not tab.load_weights(str(lying))
    assert tab.message().startswith(
        f"Weights not loaded: {lying}: linear1.weight has shape (1180591620717411303424, 0)"
    )
    if os.path.exists("/dev/zero"):
        (tmp_path / "zero.npz").symlink_to("/dev/zero")
        assert not tab.load_weights(str(tmp_path / "zero.npz"))
        assert "not a regular file but a device" in tab.message()
    shutdown(tab)


def test_ticked_runs_orders_of_magnitude_apart_offer_log_y(qtbot):
    from explorer.ui.training.runs import Run

    tab = make_tab(qtbot)
    tab.show()
    steps = [float(s) for s in range(1, 301)]
    tab.runs.add(
        Run(
            1,
            "#1 standardize off",
            steps=steps,
            losses=list(np.linspace(1400, 10, 300)),
            status="done",
        )
    )
    tab.runs.add(
        Run(
            2,
            "#2 standardize on",
            steps=steps,
            losses=list(np.linspace(0.6, 0.1, 300)),
            status="done",
        )
    )
    offer, log_y = tab.view.log_offer, tab.view.log_y
    assert offer.isVisible() and "log y" in offer.text()
    tab.runs.set_overlay(0, False)  # untick the far run: nothing to offer
    assert not offer.isVisible()
    tab.runs.set_overlay(0, True)
    click(qtbot, offer)
    assert log_y.isChecked() and tab.loss_plot.is_log_y() and not offer.isVisible()
    shutdown(tab)


def test_keys_start_pause_resume_step_and_reset_and_the_tooltips_say_them(qtbot):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    tab = make_tab(qtbot, samples=400, epochs=10_000, batch=4)
    view = tab.view
    tab.show()
    tab.activateWindow()
    qtbot.waitActive(tab)
    ctrl = Qt.KeyboardModifier.ControlModifier
    for button, key in (
        (view.start, "Ctrl+Return"),
        (view.pause, "Space"),
        (view.step, "Ctrl+Right"),
        (view.reset, "Ctrl+R"),
    ):
        assert key in button.toolTip()
    assert [b.text() for b in (view.start, view.pause, view.step, view.reset)] == [
        "&Start",
        "&Pause",
        "S&tep",
        "R&eset",
    ]
    tab.loss_plot.setFocus()
    qtbot.waitUntil(tab.loss_plot.hasFocus)
    qtbot.keyClick(tab.loss_plot, Qt.Key.Key_Return, ctrl)
    qtbot.waitUntil(lambda: tab.display.run is not None and len(tab.display.run.steps) > 3)
    qtbot.keyClick(tab.loss_plot, Qt.Key.Key_Space)  # pause
    wait_stopped(qtbot, tab, "paused")
    before = len(tab.display.run.steps)
    qtbot.keyClick(tab.loss_plot, Qt.Key.Key_Right, ctrl)  # one step
    qtbot.waitUntil(lambda: len(tab.display.run.steps) == before + 1, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not tab.runner.is_running(), timeout=WAIT_MS)
    qtbot.keyClick(tab.loss_plot, Qt.Key.Key_Space)  # resume
    qtbot.waitUntil(lambda: len(tab.display.run.steps) > before + 5, timeout=WAIT_MS)
    assert tab.runner.is_running()
    # A widget that takes Space keeps it: the check box toggles, the run goes on.
    view.log_y.setFocus()
    qtbot.keyClick(view.log_y, Qt.Key.Key_Space)
    assert view.log_y.isChecked() and tab.runner.is_running()
    qtbot.keyClick(tab.loss_plot, Qt.Key.Key_R, ctrl)  # reset
    assert not tab.runner.run_in_progress() and tab.display.run is None
    assert QApplication.focusWidget() is not None
    shutdown(tab)


def test_the_run_keys_clash_with_no_other_key_of_the_app(qtbot):
    from PySide6.QtGui import QAction, QKeySequence, QShortcut
    from PySide6.QtWidgets import QAbstractButton

    from explorer.ui.main_window import MainWindow
    from explorer.ui.training.view import RESET_KEY, START_KEYS, STEP_KEY

    window = MainWindow()
    qtbot.addWidget(window)
    keys = [k for a in window.findChildren(QAction) for k in a.shortcuts()]
    keys += [s.key() for s in window.findChildren(QShortcut)]
    keys += [b.shortcut() for b in window.findChildren(QAbstractButton)]
    texts = [k.toString() for k in keys if not k.isEmpty()]
    for key in (*START_KEYS, STEP_KEY, RESET_KEY):
        assert texts.count(QKeySequence(key).toString()) == 1, key
    mnemonics = [t for t in texts if t.startswith("Alt+")]
    assert len(mnemonics) == len(set(mnemonics)), mnemonics
    window.close()


def test_after_start_by_mouse_space_pauses_and_resumes_and_never_resets(qtbot):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    tab = make_tab(qtbot, samples=400, epochs=10_000, batch=4)
    view = tab.view
    tab.show()
    tab.activateWindow()
    qtbot.waitActive(tab)
    click(qtbot, view.start)
    qtbot.waitUntil(lambda: len(tab.display.run.steps) > 3, timeout=WAIT_MS)
    assert not view.reset.hasFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)
    wait_stopped(qtbot, tab, "paused")
    assert tab.runner.run_in_progress()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)
    qtbot.waitUntil(tab.runner.is_running, timeout=WAIT_MS)
    click(qtbot, view.pause)
    wait_stopped(qtbot, tab, "paused")
    click(qtbot, view.reset)  # the run ends; the focus leaves no run button behind
    qtbot.keyClick(QApplication.focusWidget() or tab, Qt.Key.Key_Space)
    assert tab.display.run is None and not tab.runner.run_in_progress()
    shutdown(tab)


def test_a_finished_run_is_not_evaluated_again_on_the_gui_thread(qtbot):
    tab = make_tab(qtbot, epochs=2)
    evaluated = []
    show_model = tab.display.show_model
    tab.display.show_model = lambda *args: (evaluated.append(1), show_model(*args))
    click(qtbot, tab.view.start)
    wait_stopped(qtbot, tab, "done")
    assert evaluated == []  # the run's own last outputs are what the views show
    tab.document.notify_weights_changed()  # weights changed elsewhere (the console)
    assert evaluated == [1]
