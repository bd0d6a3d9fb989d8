"""The Training tab's runs and the model document the Model tab shares: adapting builds the
document's configuration, a rebuild elsewhere stops the run, the document knows a run is on."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from explorer.model.config import MLPConfig
from explorer.model.document import ModelDocument
from explorer.ui.model.tab import ModelTab
from explorer.ui.training.palette import color
from explorer.ui.training.tab import TrainingTab
from tests.ui.training.tab_helpers import (
    WAIT_MS,
    click,
    make_tab,
    wait_stopped,
)


@pytest.fixture
def tabs(qtbot):
    """A Model tab and a Training tab (moons, 120 samples) bound to one document."""
    document = ModelDocument(
        MLPConfig(hidden_sizes=(32, 16), activation="tanh", dtype="float64", seed=9)
    )
    model_tab = ModelTab(document)
    qtbot.addWidget(model_tab)
    training = TrainingTab(document)
    qtbot.addWidget(training, before_close_func=lambda widget: widget.shutdown())
    training.confirm = lambda parent, title, text: pytest.fail(f"unexpected question: {text}")
    dataset = training.view.dataset
    dataset.kind.setCurrentIndex(dataset.kind.findData("moons"))
    dataset.params["moons"]["n_samples"].setValue(120)
    return document, model_tab, training


def test_adapt_builds_the_documents_configuration_with_the_datas_sizes(qtbot, tabs):
    document, model_tab, training = tabs
    before = document.config
    assert not training.view.adapt_banner.isHidden()
    with qtbot.waitSignal(model_tab.sigModelChanged):
        click(qtbot, training.view.adapt)
    assert document.config == before.adapted(2, 2)  # seed, dtype, activation kept
    assert model_tab.model() is document.model and document.model.input_features == 2
    hidden = model_tab.findChild(QLineEdit, "hiddenSizes")
    assert hidden.text() == "32, 16" and "press Build" not in model_tab.form.message.text()
    assert training.view.adapt_banner.isHidden()


def test_the_document_knows_a_run_is_on_and_a_rebuild_elsewhere_stops_it(qtbot, tabs):
    document, model_tab, training = tabs
    training.view.settings.epochs.setValue(10_000)
    click(qtbot, training.view.step)  # adapts the untrained model, then one batch: paused
    wait_stopped(qtbot, training, "paused")
    assert document.training and document.trained
    asked = []
    model_tab.confirm_rebuild = lambda tab: asked.append(tab.rebuild_question()) or True
    assert model_tab.build_model() is True
    assert "stops that run and discards the trained weights" in asked[0]
    assert training.message() == "The model was rebuilt in the Model tab; the run was stopped."
    assert not training.runner.run_in_progress() and not document.training
    assert training.display.run.status == "stopped"
    assert training.view.start.isEnabled()
    qtbot.waitUntil(lambda: not training.runner.controller.has_thread(), timeout=WAIT_MS)


def test_after_resume_the_bar_and_the_runs_list_say_it_runs_with_the_time_left(qtbot):
    tab = make_tab(qtbot, samples=400, epochs=10_000, batch=4)
    view = tab.view
    click(qtbot, view.start)
    qtbot.waitUntil(lambda: len(tab.display.run.steps) > 3, timeout=WAIT_MS)
    click(qtbot, view.pause)
    wait_stopped(qtbot, tab, "paused")
    row = tab.runs.index(0)
    assert "paused" in view.progress.format() and "ETA" not in view.progress.format()
    assert "paused" in tab.runs.data(row)
    before = len(tab.display.run.steps)
    click(qtbot, view.pause)  # Resume
    qtbot.waitUntil(lambda: len(tab.display.run.steps) > before + 5, timeout=WAIT_MS)
    tab.display.tick()
    assert "paused" not in view.progress.format()
    assert "ETA" in view.progress.format()
    assert "paused" not in tab.runs.data(row)
    tab.shutdown()


def test_the_current_run_never_wears_a_listed_runs_colour(qtbot):
    tab = make_tab(qtbot, epochs=1)
    view, plot = tab.view, tab.loss_plot

    def listed():
        return [tab.runs.run_at(i).color_index for i in range(tab.runs.rowCount())]

    for _ in range(2):
        click(qtbot, view.start)
        wait_stopped(qtbot, tab, "done")
    assert len(set(listed())) == 2
    click(qtbot, view.reset)
    assert plot.run_color() not in [color(i) for i in listed()]
    assert tab.view.accuracy_plot.val_curve.opts["pen"].color().getRgb()[:3] == plot.run_color()
    # The legend draws an empty curve's marks from its scatter: the new colour there too.
    for curve in (plot.val_curve, tab.view.accuracy_plot.val_curve):
        assert curve.scatter.opts["pen"].color().getRgb()[:3] == plot.run_color()
    tab.confirm = lambda parent, title, text: True
    tab.view.runs_panel.select_row(0)
    click(qtbot, tab.view.runs_panel.delete_button)
    assert plot.run_color() not in [color(i) for i in listed()]
    for _ in range(2):
        click(qtbot, view.start)
        wait_stopped(qtbot, tab, "done")
        others = listed()[:-1]
        assert tab.display.run.color_index not in others
        assert plot.run_color() == color(tab.display.run.color_index)
    tab.shutdown()


def test_run_names_say_what_differs_from_the_run_before(qtbot):
    tab = make_tab(qtbot, epochs=1)
    view = tab.view

    def train():
        click(qtbot, view.start)
        wait_stopped(qtbot, tab, "done")
        return tab.display.run.name

    assert train() == "#1 moons adam lr=0.005"
    standardize = view.dataset.standardize
    standardize.setChecked(not standardize.isChecked())
    assert train() == f"#2 standardize {'on' if standardize.isChecked() else 'off'}"
    view.settings.keep_weights.setChecked(True)
    assert train() == "#3 continued from #2"
    view.settings.learning_rate.setValue(0.01)
    assert train() == "#4 lr=0.01 continued from #3"
    view.settings.keep_weights.setChecked(False)
    assert train() == "#5 fresh weights"
    assert train() == "#6 same as #5"
    assert "weights: fresh" in tab.runs.run_at(5).describe()
    assert "continued from #2" in tab.runs.run_at(2).describe()
    tab.shutdown()


def test_the_pace_goes_to_the_training_process_first_and_a_change_at_once(qtbot, monkeypatch):
    from explorer.training.process import TrainingProcess

    sent = []
    send = TrainingProcess.send
    monkeypatch.setattr(
        TrainingProcess, "send", lambda self, message: (sent.append(message), send(self, message))
    )
    tab = make_tab(qtbot, samples=400, epochs=10_000, batch=4)
    pace = tab.view.pace
    assert pace.objectName() == "trainingPace" and pace.currentData() == "watch"
    assert [pace.itemText(i) for i in range(pace.count())][-1] == "Full speed"
    click(qtbot, tab.view.start)
    kinds = [m["kind"] for m in sent]
    assert kinds[:2] == ["pace", "run"] and sent[0]["steps_per_second"] == 250.0
    qtbot.keyClick(pace, Qt.Key.Key_End)  # a person picks Full speed from the keyboard
    assert pace.currentData() == "full"
    assert sent[-1] == {"kind": "pace", "steps_per_second": None}
    click(qtbot, tab.view.pause)
    wait_stopped(qtbot, tab, "paused")
    pace.setCurrentIndex(pace.findData("slow"))  # while paused: the run keeps it
    assert sent[-1] == {"kind": "pace", "steps_per_second": 20.0}
    assert pace.isEnabled()
    tab.shutdown()


def test_the_pace_is_kept_in_the_session_and_a_bad_one_is_refused(qtbot):
    tab = make_tab(qtbot)
    tab.view.pace.setCurrentIndex(tab.view.pace.findData("fast"))
    state = tab.state()
    assert state["pace"] == "fast"
    other = make_tab(qtbot)
    other.restore_state(state)
    assert other.view.pace.currentData() == "fast"
    with pytest.raises(ValueError, match="pace.*'warp'"):
        other.restore_state({**state, "pace": "warp"})
    tab.shutdown()
    other.shutdown()
