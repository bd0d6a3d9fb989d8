"""The Training tab's data: a fresh start is ready to train, and the data stays honest."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from explorer.ui import MainWindow
from tests.ui.training.tab_helpers import click, make_tab, wait_loaded, wait_stopped


@pytest.fixture
def window(qtbot):
    window = MainWindow()
    qtbot.addWidget(window, before_close_func=lambda w: w.tab("training").shutdown())
    return window


def choose_data(tab, kind: str) -> None:
    dataset = tab.view.dataset
    dataset.kind.setCurrentIndex(dataset.kind.findData(kind))


def test_a_fresh_start_is_ready_to_train_and_the_model_tab_shows_the_fitted_model(qtbot, window):
    model_tab, tab = window.tab("model"), window.tab("training")
    assert tab.view.adapt_banner.isHidden() and tab.view.start.isEnabled()
    form = model_tab.form
    assert (form.input_features.value(), form.output_features.value()) == (2, 3)
    assert tab.document.config.hidden_sizes == (256,)

    choose_data(tab, "digits")  # untrained: the model follows the data silently
    assert tab.view.adapt_banner.isHidden()
    assert (form.input_features.value(), form.output_features.value()) == (64, 10)


def test_the_banner_shows_when_the_persons_own_sizes_disagree(qtbot, window):
    model_tab, tab = window.tab("model"), window.tab("training")
    form = model_tab.form
    form.input_features.selectAll()
    qtbot.keyClicks(form.input_features, "784")
    form.output_features.selectAll()
    qtbot.keyClicks(form.output_features, "10")
    click(qtbot, form.build_button)
    qtbot.waitUntil(lambda: tab.document.config.input_features == 784)
    assert not tab.view.adapt_banner.isHidden()
    assert "784 inputs" in tab.view.adapt_label.text()
    choose_data(tab, "digits")  # still the person's 784: digits have 64 features
    assert not tab.view.adapt_banner.isHidden()
    click(qtbot, tab.view.adapt)
    assert tab.view.adapt_banner.isHidden() and tab.document.follows_data
    choose_data(tab, "spiral")
    assert tab.view.adapt_banner.isHidden()


def test_a_trained_model_is_never_adapted_without_asking(qtbot, window):
    tab = window.tab("training")
    tab.view.dataset.params["spiral"]["n_samples"].setValue(150)
    tab.view.settings.epochs.setValue(1)
    click(qtbot, tab.view.start)
    wait_stopped(qtbot, tab, "done")
    choose_data(tab, "moons")
    wait_loaded(qtbot, tab)
    assert not tab.view.adapt_banner.isHidden()
    assert tab.document.trained and tab.document.config.output_features == 3
    click(qtbot, tab.view.reset)  # fresh weights: nothing to lose, the model follows again
    assert tab.view.adapt_banner.isHidden() and tab.document.config.output_features == 2


def test_mnist_files_give_the_lecture_notes_784_256_10(qtbot, window, tmp_path):
    images, labels = tmp_path / "t10k-images-idx3-ubyte", tmp_path / "t10k-labels-idx1-ubyte"
    images.write_bytes(
        bytes([0, 0, 8, 3])
        + b"".join(n.to_bytes(4, "big") for n in (20, 28, 28))
        + bytes(20 * 28 * 28)
    )
    labels.write_bytes(bytes([0, 0, 8, 1]) + (20).to_bytes(4, "big") + bytes(range(10)) * 2)
    tab = window.tab("training")
    dataset = tab.view.dataset
    dataset.ask_open_path = lambda title, start, filters: str(
        images if "images" in title else labels
    )
    dataset.kind.setCurrentIndex(dataset.kind.findData("idx"))
    dataset.kind.activated.emit(dataset.kind.currentIndex())
    wait_loaded(qtbot, tab)
    assert tab.document.config.describe() == "784-256-10"
    assert tab.view.adapt_banner.isHidden()


def type_into(qtbot, box, text: str) -> None:
    box.setFocus()
    box.selectAll()
    qtbot.keyClicks(box, text)
    qtbot.keyClick(box, Qt.Key.Key_Return)


def test_a_new_validation_share_applies_to_the_next_run_not_to_the_trained_model(qtbot, tmp_path):
    tab = make_tab(qtbot, "moons", samples=120, epochs=3)
    click(qtbot, tab.view.start)
    wait_stopped(qtbot, tab, "done")
    run = tab.display.run
    confusion, panel = tab.view.confusion_plot, tab.view.info_link
    assert confusion.matrix.sum() == 24  # a fifth of 120
    accuracy = np.trace(confusion.matrix) / confusion.matrix.sum()
    assert accuracy == pytest.approx(run.val_accuracy[-1])

    type_into(qtbot, tab.view.dataset.val_fraction, "0.5")
    assert tab.data.prepared.val.x.shape[0] == 60  # the next run's split
    assert confusion.matrix.sum() == 24 and panel.sample.maximum() == 23
    assert np.trace(confusion.matrix) / confusion.matrix.sum() == pytest.approx(accuracy)
    assert len(tab.view.decision_plot.val_points.data) == 24
    assert tab.message().startswith("Validation share 0.50 applies to the next run")
    assert tab.view.message.property("textRole") == ""

    click(qtbot, tab.view.reset)  # no trained weights left: the new split is shown
    assert len(tab.view.decision_plot.val_points.data) == 60 and tab.message() == ""
    click(qtbot, tab.view.start)
    wait_stopped(qtbot, tab, "done")
    assert confusion.matrix.sum() == 60
    tab.shutdown()


def test_the_forward_inspector_indexes_the_validation_set_without_wrapping(qtbot, window):
    tab, model_tab = window.tab("training"), window.tab("model")
    tab.view.dataset.params["spiral"]["n_samples"].setValue(150)
    forward = model_tab.forward
    forward.source.setCurrentIndex(forward.source.findData("dataset"))
    assert forward.source.currentText() == "Sample from spiral"
    type_into(qtbot, forward.sample_index, "29")
    click(qtbot, forward.run_button)
    label = int(tab.data.shown.val.y[29])
    assert f"spiral sample #29 (label {label})" in forward.message.text()
    type_into(qtbot, forward.sample_index, "30")
    click(qtbot, forward.run_button)
    assert (
        "sample #30 is out of range: the validation set of spiral has 30 samples (#0 to #29)"
        in forward.message.text()
    )
