import math
import threading
from contextlib import contextmanager

from explorer.ui.training.gate import ModelGate
from explorer.ui.training.worker import GuiThreadGarbageCollection, TrainingController
from tests.ui.training.fakes import ScriptedJob


@contextmanager
def python_thread(target):
    """A plain thread for the gate's tests, started and joined inside; as for any worker
    thread, the cyclic garbage collector stays out of it (it could free Qt objects of
    earlier tests from the wrong thread)."""
    GuiThreadGarbageCollection.worker_starts()
    thread = threading.Thread(target=target)
    try:
        yield thread
    finally:
        if thread.is_alive():
            thread.join(5)
        GuiThreadGarbageCollection.worker_stops()


def collect(controller):
    got = {"steps": [], "losses": [], "epochs": [], "stopped": [], "views": []}
    controller.sigSteps.connect(
        lambda p: (got["steps"].extend(p["steps"]), got["losses"].extend(p["losses"]))
    )
    controller.sigEpochFinished.connect(lambda p: got["epochs"].append(p["epoch"]))
    controller.sigStopped.connect(lambda p: got["stopped"].append(p))
    controller.sigView.connect(lambda p: got["views"].append(p))
    return got


def test_runs_a_job_to_the_end_and_reports_everything(qtbot):
    controller = TrainingController()
    got = collect(controller)
    controller.attach(ScriptedJob([1.0, 0.8, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1]))
    with qtbot.waitSignal(controller.sigStopped, timeout=5000):
        controller.run()
    assert got["steps"] == list(range(1, 9))
    assert got["losses"] == [1.0, 0.8, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1]
    assert got["epochs"] == [1, 2]
    assert got["stopped"][-1]["reason"] == "done"
    assert got["views"], "a final view is sent when the run ends"
    assert not controller.is_running()
    controller.shutdown()


def test_step_takes_exactly_the_requested_steps(qtbot):
    controller = TrainingController()
    got = collect(controller)
    controller.attach(ScriptedJob([1.0] * 10))
    with qtbot.waitSignal(controller.sigStopped, timeout=5000):
        controller.step(1)
    assert got["steps"] == [1]
    assert got["stopped"][-1]["reason"] == "paused"
    with qtbot.waitSignal(controller.sigStopped, timeout=5000):
        controller.step(3)
    assert got["steps"] == [1, 2, 3, 4]
    controller.shutdown()


def test_divergence_ends_with_the_jobs_message_and_no_nan_point(qtbot):
    controller = TrainingController()
    got = collect(controller)
    controller.attach(ScriptedJob([1.0, 2.0, math.nan, 1.0]))
    with qtbot.waitSignal(controller.sigStopped, timeout=5000):
        controller.run()
    assert got["stopped"][-1]["reason"] == "diverged"
    assert got["stopped"][-1]["message"] == "diverged at step 3"
    assert all(math.isfinite(v) for v in got["losses"])
    controller.shutdown()


def test_shutdown_mid_run_stops_the_thread(qtbot):
    controller = TrainingController()
    controller.attach(ScriptedJob([1.0] * 10_000_000))
    controller.run()
    qtbot.waitUntil(lambda: controller.job.taken > 10, timeout=5000)
    controller.shutdown()
    assert TrainingController.running_threads() == []
    assert not controller.has_thread()


def test_pause_then_resume_continues_where_it_stopped(qtbot):
    controller = TrainingController()
    got = collect(controller)
    job = ScriptedJob([1.0] * 1_000_000)
    controller.attach(job)
    controller.run()
    qtbot.waitUntil(lambda: job.taken > 5, timeout=5000)
    with qtbot.waitSignal(controller.sigStopped, timeout=5000):
        controller.pause()
    assert got["stopped"][-1]["reason"] == "paused"
    paused_at = job.taken
    controller.run()
    qtbot.waitUntil(lambda: job.taken > paused_at + 5, timeout=5000)
    controller.shutdown()
    qtbot.wait(10)  # late signals from the stopped worker must not arrive as current
    assert got["steps"] == list(range(1, len(got["steps"]) + 1))


def test_gate_lets_the_gui_in_between_steps():
    gate = ModelGate()
    with gate.gui_turn():
        pass
    with gate.worker_turn():
        pass


def test_a_gui_read_nested_in_a_gui_read_does_not_deadlock():
    gate = ModelGate()
    with gate.gui_turn(), gate.gui_turn():
        pass
    with gate.worker_turn():  # released: the worker gets its turn
        pass


def test_a_paint_takes_a_free_gate_and_goes_ahead_past_a_long_worker_turn():
    import time

    gate = ModelGate()
    with gate.gui_courtesy():  # free: taken, so the worker waits meanwhile
        assert gate._busy and gate._gui_owner == threading.get_ident()
    assert not gate._busy
    holding, release = threading.Event(), threading.Event()

    def worker():  # a long turn, as a live view of the decision regions is
        with gate.worker_turn():
            holding.set()
            release.wait(5)

    with python_thread(worker) as thread:
        thread.start()
        try:
            holding.wait(5)
            started = time.perf_counter()
            with gate.gui_courtesy(timeout=0.01):  # does not wait for the view to end
                assert gate._gui_owner is None
            assert time.perf_counter() - started < 1.0
            assert not gate.gui_waiting
        finally:
            release.set()
    with gate.gui_turn():  # and the gate is whole afterwards
        pass


def test_a_view_lets_a_waiting_gui_in_between_its_parts():
    from explorer.ui.training.worker import TrainingWorker

    gate = ModelGate()
    turns = []

    class SlicedJob:
        run_id = 1

        def view(self, final=False, between=None):
            for part in range(3):
                turns.append(("view", part))
                if part == 1:  # the GUI asks for the gate while the view runs
                    asked.start()
                    while not gate.gui_waiting:
                        pass
                if between is not None and part < 2:
                    between()
            return {"part": 3}

    def gui():
        with gate.gui_turn():
            turns.append(("gui", None))

    worker = TrainingWorker(SlicedJob(), gate)
    with python_thread(gui) as asked:
        worker._emit_view()
    # The GUI got the gate between the view's second and third parts, not after the view.
    assert turns == [("view", 0), ("view", 1), ("gui", None), ("view", 2)]


def test_the_training_plots_pause_the_worker_only_as_a_courtesy(qtbot):
    import pyqtgraph as pg

    from explorer.ui.tabs.training import TrainingTab
    from explorer.ui.training.paint_meter import TimedPaint

    tab = TrainingTab()
    qtbot.addWidget(tab)
    plots = [p for p in tab.view.findChildren(pg.PlotWidget) if isinstance(p, TimedPaint)]
    assert plots and all(p.turn == tab.gate.gui_courtesy for p in plots)
    assert tab.display.turn == tab.gate.gui_courtesy
    tab.shutdown()


def test_the_model_tab_waits_for_the_training_gate(qtbot):
    from explorer.ui.tabs.model import ModelTab
    from explorer.ui.tabs.training import TrainingTab

    model_tab = ModelTab()
    qtbot.addWidget(model_tab)
    training_tab = TrainingTab(model_tab=model_tab)
    qtbot.addWidget(training_tab)
    # the Model tab's own reads (forward pass, refresh on show) take the training gate
    assert model_tab._guard == training_tab.gate.gui_turn
    assert model_tab.forward.guard == training_tab.gate.gui_turn
    training_tab.shutdown()


def test_the_garbage_collector_stays_out_of_the_worker_while_it_steps(qtbot):
    import gc

    assert gc.isenabled()
    controller = TrainingController()
    job = ScriptedJob([1.0] * 1_000_000)
    controller.attach(job)
    assert not gc.isenabled()  # from the thread's start: it runs Python before it steps
    controller.run()
    assert not gc.isenabled()  # a collection in the worker could free GUI objects there
    qtbot.waitUntil(lambda: job.taken > 5, timeout=5000)
    with qtbot.waitSignal(controller.sigStopped, timeout=5000):
        controller.pause()
    assert not gc.isenabled()  # paused, the thread still runs Python (queued slots)
    controller.run()
    controller.shutdown()
    assert gc.isenabled()  # the thread is joined: the collector is back


def test_a_rebuild_during_a_run_says_the_run_will_stop(qtbot):
    from explorer.ui.tabs.model import ModelTab
    from explorer.ui.tabs.training import TrainingTab

    model_tab = ModelTab()
    qtbot.addWidget(model_tab)
    training_tab = TrainingTab(model_tab=model_tab)
    qtbot.addWidget(training_tab)
    assert not model_tab.is_training()
    from PySide6.QtWidgets import QPushButton

    training_tab.findChild(QPushButton, "stepTraining").click()  # one batch: a paused run
    qtbot.waitUntil(training_tab.run_in_progress, timeout=10000)
    assert model_tab.is_training()
    assert "stops that run" in model_tab.rebuild_question()
    training_tab.shutdown()


def test_the_worker_holds_the_gate_across_steps_until_the_gui_asks():
    gate = ModelGate()
    gate.worker_acquire()
    with gate.worker_turn():  # reentrant inside the worker's batch of steps
        pass
    assert not gate.gui_waiting
    entered = threading.Event()

    def gui_read():
        with gate.gui_turn():
            entered.set()

    with python_thread(gui_read) as reader:
        reader.start()
        while not gate.gui_waiting:  # the worker sees the GUI wait between two steps ...
            pass
        assert not entered.is_set()  # ... and the GUI never reads while the worker steps
        gate.worker_release()
        reader.join(timeout=5)
    assert entered.is_set()
