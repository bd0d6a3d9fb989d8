import math
import threading

import numpy as np
import pytest

from explorer.training.run_loop import RunLoop
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


class TickingClock:
    """A clock for the loop: every reading is 10 ms after the previous one."""

    def __init__(self):
        self.now = 0.0

    def __call__(self):
        self.now += 0.01
        return self.now


def state_messages(monkeypatch, weights_bytes: int) -> int:
    """How many weight copies a 1000-step run sends while it runs (a fake 10 ms clock)."""
    from explorer.training import run_loop
    from explorer.training.pace import Pacer

    monkeypatch.setattr(run_loop, "STATE_BYTES_PER_SECOND", 1000.0)
    sent = []
    job = ScriptedJob([1.0] * 1000, steps_per_epoch=10**9)
    loop = RunLoop(job, sent.append, Pacer(clock=TickingClock()))
    job.state = lambda: {"w": np.zeros(weights_bytes // 8)}
    job.grads = lambda: {"w": np.zeros(weights_bytes // 8)}
    loop.run()
    return len(of_kind(sent, "state")) - 1  # the last one comes with the end of the run


def test_a_large_model_s_weights_go_out_less_often(monkeypatch):
    # A step reads the clock about once: 1000 steps are some 10-12 s of fake time.
    small = state_messages(monkeypatch, 8)  # 16 bytes: every 0.2 s
    large = state_messages(monkeypatch, 400)  # 800 bytes at 1000 bytes/s: every 0.8 s
    assert small >= 45 and 10 <= large <= 20 and 3 * large < small  # about a quarter


def test_a_trainer_jobs_records_follow_its_steps():
    from explorer.training import DEFAULT_RUN
    from explorer.training.job import TrainerJob
    from explorer.training.run import setup_run

    run = setup_run(DEFAULT_RUN.with_training(epochs=3))
    sent = []
    RunLoop(TrainerJob(1, run.trainer), sent.append).run()
    records = [m for m in sent if m["kind"] == "records"]
    assert records and all(m["run"] == 1 and m["layers"] == ["linear1", "linear2"] for m in records)
    steps = np.concatenate([m["scalars"]["step"] for m in records if "scalars" in m])
    assert steps[0] == 1 and steps[-1] == run.trainer.global_step  # the last step too
    views = [m for m in sent if m["kind"] == "view"]
    assert views[-1]["network"]["images"]["linear1"].shape[1:] == (40, 40)


class TimedJob(ScriptedJob):
    """A scripted job that notes the clock's time at each step."""

    def __init__(self, losses, clock, **kwargs):
        super().__init__(losses, **kwargs)
        self.clock = clock
        self.times = []

    def step(self):
        self.times.append(self.clock.now)
        return super().step()


def test_a_paced_loop_spaces_its_steps_and_a_new_pace_applies_at_once():
    from explorer.training.pace import Pacer
    from tests.training.test_pace import Clock

    clock = Clock()
    sent = []
    job = TimedJob([1.0] * 8, clock)
    loop = RunLoop(job, sent.append, Pacer(20.0, clock=clock, sleep=clock.sleep))
    assert loop.run(max_steps=4) == "paused"
    assert np.allclose(job.times, [0.0, 0.05, 0.10, 0.15])
    clock.now += 60.0  # paused for a minute: the next steps are not owed to it
    resumed = len(sent)
    assert loop.run(max_steps=2) == "paused"
    assert np.allclose(job.times[4:], [60.15, 60.2])
    # The progress bar's speed: the samples over the time spent stepping, the pause left out.
    reports = of_kind(sent[resumed:], "steps")
    assert sum(r["samples"] for r in reports) == 2 * 8
    assert sum(r["seconds"] for r in reports) == pytest.approx(0.05)
    loop.set_pace(None)
    assert loop.run() == "done"
    assert job.times[6:] == [clock.now] * 2  # full speed: no wait at all
    assert [s for m in of_kind(sent, "steps") for s in m["steps"]] == list(range(1, 9))


@pytest.mark.parametrize(
    "command, reason, taken", [("pause", "paused", 1), ("stop", "stopped", 1), ("pace", "done", 5)]
)
def test_a_pause_a_stop_or_a_new_pace_ends_the_wait_between_paced_steps(command, reason, taken):
    loop, job, sent = scripted_loop([1.0] * 5)
    loop.set_pace(1e-3)  # the second step would be due in 1,000 s
    ended, stepped, step = [], threading.Event(), job.step
    job.step = lambda: (step(), stepped.set())[0]
    runner = threading.Thread(target=lambda: ended.append(loop.run()))
    runner.start()
    assert stepped.wait(30)  # the first step went; the loop waits for the second
    if command == "pause":
        loop.request_pause()
    elif command == "stop":
        loop.request_stop()
    else:
        loop.set_pace(None)
    runner.join(30)
    assert not runner.is_alive()
    assert (ended[0], job.taken) == (reason, taken)


def test_a_loop_runs_at_full_speed_unless_told_otherwise():
    loop, job, sent = scripted_loop([1.0] * 3)
    assert loop.pacer.rate is None and loop.pacer.delay() == 0.0
