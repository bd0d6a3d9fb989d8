import gc
import math

import numpy as np

from explorer.model.config import MLPConfig
from explorer.training import DEFAULT_RUN, EpochRecord, setup_run
from explorer.training.run_setup import RunSetup
from explorer.ui.training.worker import TrainingController

WAIT_MS = 20_000


def small_run(**changes):
    spec = DEFAULT_RUN.with_training(**({"epochs": 2, "batch_size": 16} | changes))
    spec.dataset_params = {"n_samples": 150, "seed": 1}
    return setup_run(spec)


def collect(controller):
    got = {"steps": [], "losses": [], "epochs": [], "stopped": [], "views": []}
    controller.sigSteps.connect(
        lambda p: (got["steps"].extend(p["steps"]), got["losses"].extend(p["losses"]))
    )
    controller.sigEpochFinished.connect(lambda p: got["epochs"].append(p["record"]))
    controller.sigStopped.connect(lambda p: got["stopped"].append(p))
    controller.sigView.connect(lambda p: got["views"].append(p))
    return got


def attach(controller, trainer, run_id=1):
    """Attach the run ``trainer`` describes; its model follows the process."""
    model = trainer.model
    config = MLPConfig.from_dict(model.config())
    setup = RunSetup.create(
        run_id, config, model.state_dict(), trainer.train_data, trainer.val_data, trainer.config
    )
    controller.attach(setup, model)


def attached(trainer, run_id=1):
    """A controller with ``trainer``'s run attached (not stepping), and what it reports."""
    controller = TrainingController()
    got = collect(controller)
    attach(controller, trainer, run_id)
    return controller, got


def training_flat_out(qtbot, steps=5):
    """A controller whose long run is stepping (more than ``steps`` reported), and what
    it reported so far."""
    controller, got = attached(small_run(epochs=100_000).trainer)
    controller.run()
    qtbot.waitUntil(lambda: len(got["steps"]) > steps, timeout=WAIT_MS)
    return controller, got


def test_runs_to_the_end_and_reports_everything_in_the_gui_thread(qtbot):
    run = small_run()
    controller, got = attached(run.trainer, 4)
    with qtbot.waitSignal(controller.sigStopped, timeout=WAIT_MS):
        controller.run()
    steps = run.trainer.steps_per_epoch * 2
    assert got["steps"] == list(range(1, steps + 1))
    assert all(isinstance(r, EpochRecord) for r in got["epochs"])
    assert [r.epoch for r in got["epochs"]] == [1, 2]
    assert got["stopped"][-1]["reason"] == "done" and controller.job.done
    assert "regions" in got["views"][-1] and "confusion" in got["views"][-1]
    assert not controller.is_running()
    controller.shutdown()


def test_the_model_follows_the_process_bit_for_bit(qtbot):
    run, reference = small_run(), small_run()
    controller, got = attached(run.trainer)
    with qtbot.waitSignal(controller.sigStopped, timeout=WAIT_MS):
        controller.run()
    controller.shutdown()
    reference.trainer.run()
    np.testing.assert_array_equal(got["losses"], reference.trainer.history.step_losses())
    for name, value in reference.trainer.model.state_dict().items():
        np.testing.assert_array_equal(run.trainer.model.state_dict()[name], value)
    # the gradients too: the Model tab shows them
    followed = dict(run.trainer.model.named_parameters())
    for name, param in reference.trainer.model.named_parameters():
        np.testing.assert_array_equal(followed[name].grad, param.grad)


def test_step_takes_exactly_the_requested_steps(qtbot):
    run = small_run()
    controller, got = attached(run.trainer)
    with qtbot.waitSignal(controller.sigStopped, timeout=WAIT_MS):
        controller.step(1)
    assert got["steps"] == [1]
    assert got["stopped"][-1]["reason"] == "paused"
    with qtbot.waitSignal(controller.sigStopped, timeout=WAIT_MS):
        controller.step(3)
    assert got["steps"] == [1, 2, 3, 4]
    controller.shutdown()


def test_weights_changed_while_paused_are_where_the_run_continues(qtbot):
    run, reference = small_run(), small_run()
    controller = TrainingController()
    attach(controller, run.trainer)
    with qtbot.waitSignal(controller.sigStopped, timeout=WAIT_MS):
        controller.step(2)
    zeros = {k: np.zeros_like(v) for k, v in run.trainer.model.state_dict().items()}
    run.trainer.model.load_state_dict(zeros)  # e.g. weights loaded from a file meanwhile
    with qtbot.waitSignal(controller.sigStopped, timeout=WAIT_MS):
        controller.step(1)
    controller.shutdown()
    for _ in range(2):
        reference.trainer.step()
    reference.trainer.model.load_state_dict(zeros)
    reference.trainer.step()
    for name, value in reference.trainer.model.state_dict().items():
        np.testing.assert_array_equal(run.trainer.model.state_dict()[name], value)


def exploding_trainer():
    from explorer.data import Dataset, train_val_split
    from explorer.engine import manual_seed, nn
    from explorer.training import Trainer, TrainingConfig

    rng = np.random.default_rng(0)
    data = Dataset(rng.normal(size=(64, 2)) * 1e20, rng.integers(0, 2, 64), 2)
    train, val = train_val_split(data)
    manual_seed(0)
    return Trainer(nn.MLP(2, (4,), 2), train, val, TrainingConfig(optimizer="sgd", lr=10.0))


def test_divergence_ends_with_the_message_no_nan_point_and_the_last_good_weights(qtbot):
    trainer, reference = exploding_trainer(), exploding_trainer()
    controller, got = attached(trainer)
    with qtbot.waitSignal(controller.sigStopped, timeout=WAIT_MS):
        controller.run()
    stopped = got["stopped"][-1]
    assert stopped["reason"] == "diverged" and controller.job.done
    reference.run()
    assert stopped["message"] == reference.diverged
    assert all(math.isfinite(v) for v in got["losses"])
    for name, value in reference.model.state_dict().items():  # as a trainer leaves them
        np.testing.assert_array_equal(trainer.model.state_dict()[name], value)
    controller.shutdown()


def test_pause_then_resume_continues_where_it_stopped(qtbot):
    controller, got = training_flat_out(qtbot)
    with qtbot.waitSignal(controller.sigStopped, timeout=WAIT_MS):
        controller.pause()
    assert got["stopped"][-1]["reason"] == "paused"
    paused_at = len(got["steps"])
    controller.run()
    qtbot.waitUntil(lambda: len(got["steps"]) > paused_at + 5, timeout=WAIT_MS)
    controller.shutdown()
    qtbot.wait(50)  # late signals from the stopped process must not arrive as current
    assert got["steps"] == list(range(1, len(got["steps"]) + 1))


def test_shutdown_mid_run_ends_the_process_and_the_thread(qtbot):
    controller, _ = training_flat_out(qtbot, steps=10)
    process = controller.process
    controller.shutdown()
    assert process.exit_code() == 0
    assert TrainingController.running_threads() == []
    assert not controller.has_thread() and controller.job is None


def test_a_process_that_dies_ends_the_run_with_a_message(qtbot):
    controller, got = training_flat_out(qtbot, steps=3)
    with qtbot.waitSignal(controller.sigStopped, timeout=WAIT_MS):
        controller.process._process.kill()
    stopped = got["stopped"][-1]
    assert stopped["reason"] == "error"
    assert stopped["message"].startswith("the training process failed: it ended unexpectedly")
    assert not controller.is_running()
    controller.shutdown()


def test_the_garbage_collector_stays_out_of_the_relay_thread(qtbot):
    assert gc.isenabled()
    run = small_run(epochs=100_000)
    controller, got = attached(run.trainer)
    assert not gc.isenabled()  # from the thread's start: it runs Python as it relays
    controller.run()
    qtbot.waitUntil(lambda: len(got["steps"]) > 5, timeout=WAIT_MS)
    with qtbot.waitSignal(controller.sigStopped, timeout=WAIT_MS):
        controller.pause()
    assert not gc.isenabled()  # paused, the thread still reads
    controller.shutdown()
    assert gc.isenabled()  # the thread is joined: the collector is back


def test_a_rebuild_during_a_run_says_the_run_will_stop(qtbot):
    from PySide6.QtWidgets import QPushButton

    from explorer.model.document import ModelDocument
    from explorer.ui.model.tab import ModelTab
    from explorer.ui.training.tab import TrainingTab

    document = ModelDocument()
    model_tab = ModelTab(document)
    qtbot.addWidget(model_tab)
    training_tab = TrainingTab(document)
    qtbot.addWidget(training_tab)
    assert not document.training
    training_tab.findChild(QPushButton, "stepTraining").click()  # one batch: a paused run
    qtbot.waitUntil(training_tab.runner.run_in_progress, timeout=WAIT_MS)
    assert document.training
    assert "stops that run" in model_tab.rebuild_question()
    training_tab.shutdown()
    assert not document.training


def test_a_process_prepared_ahead_is_the_next_runs_and_close_ends_it(qtbot):
    controller = TrainingController()
    controller.prepare()
    spare = controller._spare
    controller.prepare()  # one is enough
    assert controller._spare is spare
    attach(controller, small_run().trainer)
    assert controller.process is spare and controller._spare is None
    controller.prepare()
    second = controller._spare
    controller.shutdown()  # ends the run; the next run's process stays ready
    assert spare.exit_code() == 0 and second.alive()
    second._process.kill()
    second._process.wait()
    attach(controller, small_run().trainer, 2)  # a dead spare is replaced
    assert controller.process is not second and controller.process.alive()
    controller.prepare()
    third = controller._spare
    controller.close()
    assert third.exit_code() == 0 and controller._spare is None
    assert not controller.has_thread()


def test_the_training_tab_keeps_a_process_ready_and_ends_it_on_shutdown(qtbot):
    from tests.ui.training.tab_helpers import make_tab

    tab = make_tab(qtbot)
    tab.show()
    spare = tab.runner.controller._spare
    assert spare is not None and spare.alive() and not spare.started
    tab.shutdown()
    assert spare.exit_code() == 0
