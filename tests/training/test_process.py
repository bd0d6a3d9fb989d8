import threading

import numpy as np
import pytest

from explorer.training import DEFAULT_RUN, setup_run
from explorer.training.process import TrainingProcess, job_from_setup
from explorer.training.run_setup import RunSetup
from explorer.training.wire import decode, encode


def small_run(**changes):
    spec = DEFAULT_RUN.with_training(**({"epochs": 3, "batch_size": 16} | changes))
    spec.dataset_params = {"n_samples": 150, "seed": 1}
    return setup_run(spec)


def test_a_job_from_a_setup_trains_exactly_as_the_trainer_it_came_from():
    run = small_run()
    job = job_from_setup(decode(encode(run.run_setup(5).to_message())))
    assert job.run_id == 5
    while not job.done:
        job.step()
    run.trainer.run()
    np.testing.assert_array_equal(
        job.trainer.history.step_losses(), run.trainer.history.step_losses()
    )
    for name, value in run.trainer.model.state_dict().items():
        np.testing.assert_array_equal(job.state()[name], value)


def read_until_stopped(process):
    messages = []
    while (message := process.read()) is not None:
        messages.append(message)
        if message["kind"] == "stopped":
            return messages
    raise AssertionError(f"the process ended without a stopped message: {messages}")


def test_a_process_trains_bit_for_bit_like_the_trainer_and_exits_cleanly():
    run = small_run()
    process = TrainingProcess(run.run_setup(3))
    process.send({"kind": "steps", "count": 5})
    first = read_until_stopped(process)
    assert first[-1] == {"kind": "stopped", "run": 3, "reason": "paused", "message": ""}
    assert [s for m in first if m["kind"] == "steps" for s in m["steps"]] == [1, 2, 3, 4, 5]
    process.send({"kind": "run"})
    rest = read_until_stopped(process)
    assert rest[-1]["reason"] == "done"
    assert process.close() == 0
    run.trainer.run()
    losses = [v for m in first + rest if m["kind"] == "steps" for v in m["losses"]]
    np.testing.assert_array_equal(losses, run.trainer.history.step_losses())
    final = [m for m in rest if m["kind"] == "state"][-1]["state"]
    for name, value in run.trainer.model.state_dict().items():
        np.testing.assert_array_equal(final[name], value)


def test_a_process_continues_from_weights_sent_with_a_command():
    run = small_run()
    process = TrainingProcess(run.run_setup(1))
    zeros = {k: np.zeros_like(v) for k, v in run.trainer.model.state_dict().items()}
    process.send({"kind": "steps", "count": 1, "state": zeros})
    messages = read_until_stopped(process)
    process.close()
    run.trainer.model.load_state_dict(zeros)
    run.trainer.step()
    state = [m for m in messages if m["kind"] == "state"][-1]["state"]
    for name, value in run.trainer.model.state_dict().items():
        np.testing.assert_array_equal(state[name], value)


def test_a_process_stops_mid_run_when_closed():
    run = small_run(epochs=100_000)
    process = TrainingProcess(run.run_setup(1))
    process.send({"kind": "run"})
    assert process.read()["kind"] in ("steps", "view", "state")  # it is training
    # Its output is read to the end, as the app's pump does: a process whose output
    # nobody reads blocks on its next message and can only be killed.
    pump = threading.Thread(target=lambda: read_until_stopped(process), daemon=True)
    pump.start()
    assert process.close() == 0
    pump.join()
    assert process.exit_code() == 0


def test_a_setup_the_process_cannot_build_is_reported_not_hung():
    run = small_run()
    good = run.run_setup(9)  # a message that does not fit comes only from elsewhere
    bad = {"linear1.weight": np.zeros((1, 1), dtype=np.float32)}
    setup = RunSetup(9, good.model, bad, good.train, good.val, good.config)
    process = TrainingProcess(setup)
    message = process.read()
    assert message["kind"] == "stopped" and message["reason"] == "error"
    assert message["message"].startswith("the training process could not set up the run: ")
    assert "size mismatch for linear1.weight" in message["message"]
    assert process.read() is None
    assert process.close() == 1


def test_a_process_started_ahead_takes_its_run_later():
    run = small_run(epochs=1)
    process = TrainingProcess()
    assert not process.started and process.alive()
    with pytest.raises(RuntimeError, match="takes commands only after its run"):
        process.send({"kind": "run"})
    process.start(run.run_setup(2))
    with pytest.raises(RuntimeError, match="already has its run"):
        process.start(run.run_setup(2))
    process.send({"kind": "run"})
    assert read_until_stopped(process)[-1]["reason"] == "done"
    assert process.close() == 0


def test_a_process_that_never_got_a_run_closes_cleanly():
    process = TrainingProcess()
    assert process.close() == 0
    assert process.close() == 0  # closing twice is harmless


def test_a_pace_sent_to_the_process_spaces_its_steps_and_another_lifts_it():
    run = small_run()
    process = TrainingProcess(run.run_setup(2))
    process.send({"kind": "pace", "steps_per_second": 1e-3})  # a step every 1,000 s
    process.send({"kind": "run"})
    while (message := process.read())["kind"] != "steps":
        pass
    process.send({"kind": "pause"})  # ends the wait for the second step
    messages = [message, *read_until_stopped(process)]
    assert messages[-1]["reason"] == "paused"
    assert [s for m in messages if m["kind"] == "steps" for s in m["steps"]] == [1]
    process.send({"kind": "pace", "steps_per_second": "fast"})  # refused: the pace stays
    process.send({"kind": "pace", "steps_per_second": None})
    process.send({"kind": "run"})
    rest = read_until_stopped(process)
    assert rest[-1]["reason"] == "done"
    assert process.close() == 0
