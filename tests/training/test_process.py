import math
import threading

import numpy as np
import pytest

from explorer.training import DEFAULT_RUN, setup_run
from explorer.training.process import (
    RunLoop,
    TrainingProcess,
    dataset_from_message,
    dataset_message,
    job_from_setup,
    setup_message,
)
from explorer.training.wire import decode, encode
from tests.training.fakes import ScriptedJob


def scripted_loop(losses, **kwargs):
    sent = []
    job = ScriptedJob(losses, **kwargs)
    return RunLoop(job, sent.append), job, sent


def of_kind(sent, kind):
    return [m for m in sent if m["kind"] == kind]


def test_a_loop_runs_a_job_to_the_end_and_reports_everything():
    loop, job, sent = scripted_loop([1.0, 0.8, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1])
    assert loop.run() == "done"
    steps = of_kind(sent, "steps")
    assert [s for m in steps for s in m["steps"]] == list(range(1, 9))
    assert [v for m in steps for v in m["losses"]] == [1.0, 0.8, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1]
    assert [e["epoch"] for m in steps for e in m["epochs"]] == [1, 2]
    assert sum(m["samples"] for m in steps) == 8 * 8
    assert of_kind(sent, "view")[-1]["final"], "a final view is sent when the run ends"
    assert of_kind(sent, "state")[-1]["state"]["taken"][0] == 8
    # the weights and the final view come before the run says it stopped
    assert [m["kind"] for m in sent][-3:] == ["state", "view", "stopped"]
    assert sent[-1] == {"kind": "stopped", "run": 1, "reason": "done", "message": ""}
    for message in sent:  # every message can travel
        decode(encode(message))


def test_max_steps_takes_exactly_that_many_and_ignores_a_pause():
    loop, job, sent = scripted_loop([1.0] * 10)
    loop.request_pause()
    assert loop.run(max_steps=3) == "paused"
    assert job.taken == 3
    assert [s for m in of_kind(sent, "steps") for s in m["steps"]] == [1, 2, 3]


def test_a_pause_stops_an_open_ended_run_before_its_next_step():
    loop, job, sent = scripted_loop([1.0] * 10)
    loop.request_pause()
    assert loop.run() == "paused" and job.taken == 0
    loop.clear_pause()
    assert loop.run(max_steps=2) == "paused" and job.taken == 2


def test_divergence_ends_with_the_jobs_message_no_nan_point_and_no_view():
    loop, job, sent = scripted_loop([1.0, 2.0, math.nan, 1.0])
    assert loop.run() == "diverged"
    assert sent[-1]["message"] == "diverged at step 3"
    assert all(math.isfinite(v) for m in of_kind(sent, "steps") for v in m["losses"])
    assert [m["kind"] for m in sent][-2:] == ["state", "stopped"]  # weights, no final view


def test_a_stop_from_another_thread_ends_the_run_without_a_final_view():
    loop, job, sent = scripted_loop([1.0] * 10_000_000)
    stopper = threading.Timer(0.05, loop.request_stop)
    stopper.start()
    assert loop.run() == "stopped"
    stopper.join()
    assert 0 < job.taken < 10_000_000
    assert not any(m.get("final") for m in of_kind(sent, "view"))


def test_an_exception_in_the_job_ends_the_run_with_its_message():
    loop, job, sent = scripted_loop([1.0] * 5)

    def broken():
        raise RuntimeError("the job broke")

    job.step = broken
    assert loop.run() == "error"
    assert sent[-1]["reason"] == "error" and sent[-1]["message"] == "the job broke"
    assert "RuntimeError" in sent[-1]["details"]


def small_run(**changes):
    spec = DEFAULT_RUN.with_training(**({"epochs": 3, "batch_size": 16} | changes))
    spec.dataset_params = {"n_samples": 150, "seed": 1}
    return setup_run(spec)


def test_a_dataset_survives_the_trip():
    data = small_run().train
    back = dataset_from_message(decode(encode(dataset_message(data))))
    np.testing.assert_array_equal(back.x, data.x)
    np.testing.assert_array_equal(back.y, data.y)
    assert (back.name, back.class_names, back.feature_shape) == (
        data.name,
        data.class_names,
        data.feature_shape,
    )


def test_a_job_from_a_setup_trains_exactly_as_the_trainer_it_came_from():
    run = small_run()
    job = job_from_setup(decode(encode(setup_message(5, run.trainer))))
    assert job.run_id == 5
    while not job.done:
        job.step()
    run.trainer.run()
    np.testing.assert_array_equal(
        job.trainer.history.step_losses(), run.trainer.history.step_losses()
    )
    for name, value in run.trainer.model.state_dict().items():
        np.testing.assert_array_equal(job.state()[name], value)


def test_only_an_mlp_can_be_set_up_and_a_setup_must_come_first():
    from explorer.engine import nn
    from explorer.training import Trainer

    run = small_run()
    model = nn.Sequential(nn.Linear(2, 3))
    with pytest.raises(TypeError, match="only an nn.MLP can train in a process; got Sequential"):
        setup_message(1, Trainer(model, run.train, run.val, run.trainer.config))
    with pytest.raises(ValueError, match="expected a setup message first; got 'run'"):
        job_from_setup({"kind": "run"})


def read_until_stopped(process):
    messages = []
    while (message := process.read()) is not None:
        messages.append(message)
        if message["kind"] == "stopped":
            return messages
    raise AssertionError(f"the process ended without a stopped message: {messages}")


def test_a_process_trains_bit_for_bit_like_the_trainer_and_exits_cleanly():
    run = small_run()
    process = TrainingProcess(setup_message(3, run.trainer))
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
    process = TrainingProcess(setup_message(1, run.trainer))
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
    process = TrainingProcess(setup_message(1, run.trainer))
    process.send({"kind": "run"})
    assert process.read()["kind"] in ("steps", "view", "state")  # it is training
    assert process.close() == 0
    assert process.exit_code() == 0


def test_a_setup_the_process_cannot_build_is_reported_not_hung():
    run = small_run()
    setup = setup_message(9, run.trainer)
    setup["state"] = {"linear1.weight": np.zeros((1, 1), dtype=np.float32)}
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
    process.start(setup_message(2, run.trainer))
    with pytest.raises(RuntimeError, match="already has its run"):
        process.start(setup_message(2, run.trainer))
    process.send({"kind": "run"})
    assert read_until_stopped(process)[-1]["reason"] == "done"
    assert process.close() == 0


def test_a_process_that_never_got_a_run_closes_cleanly():
    process = TrainingProcess()
    assert process.close() == 0
    assert process.close() == 0  # closing twice is harmless
