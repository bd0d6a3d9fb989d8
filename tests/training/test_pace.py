"""Pacing on a clock the tests drive: steps spaced at the rate, a new rate at once, no burst
after a slow step or a pause; a wake ends a wait."""

import math
import threading

import pytest

from explorer.training import DEFAULT_RUN, setup_run
from explorer.training.pace import DEFAULT_PACE, PACES, Pacer, check_rate


class Clock:
    """A clock that moves only when told (sleeping moves it)."""

    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


def step_times(pacer, clock, count, step_cost=0.0):
    """Step ``count`` times as a run loop does; the clock time of each step."""
    times = []
    while len(times) < count:
        delay = pacer.delay()
        if delay > 0:
            pacer.wait(delay)
            continue
        times.append(clock.now)
        pacer.stepped()
        clock.now += step_cost
    return times


def test_steps_are_spaced_at_the_rate():
    clock = Clock()
    pacer = Pacer(10.0, clock=clock, sleep=clock.sleep)
    assert step_times(pacer, clock, 5) == pytest.approx([0.0, 0.1, 0.2, 0.3, 0.4])


def test_a_step_slower_than_the_pace_is_not_made_up_for_by_a_burst():
    clock = Clock()
    pacer = Pacer(10.0, clock=clock, sleep=clock.sleep)
    times = step_times(pacer, clock, 2)
    clock.now += 0.55  # a slow step (or the process had no CPU)
    times += step_times(pacer, clock, 3)
    gaps = [b - a for a, b in zip(times[2:], times[3:], strict=False)]
    assert gaps == pytest.approx([0.1, 0.1])


def test_full_speed_never_waits_and_a_new_rate_applies_to_the_step_waited_for():
    clock = Clock()
    pacer = Pacer(None, clock=clock, sleep=clock.sleep)
    assert step_times(pacer, clock, 3) == [0.0, 0.0, 0.0]
    pacer.set_rate(1.0)
    pacer.stepped()
    assert pacer.delay() == pytest.approx(1.0)
    clock.now += 0.004
    pacer.set_rate(100.0)  # faster: due 0.01 s after the last step, not 1 s
    assert pacer.delay() == pytest.approx(0.006)
    pacer.set_rate(None)
    assert pacer.delay() == 0.0


def test_after_a_restart_the_first_step_goes_at_once():
    clock = Clock()
    pacer = Pacer(2.0, clock=clock, sleep=clock.sleep)
    pacer.stepped()
    assert pacer.delay() == pytest.approx(0.5)
    pacer.restart()  # a pause ended: nothing is owed, nothing is waited for
    assert pacer.delay() == 0.0


def test_a_wake_ends_a_wait_at_once():
    pacer = Pacer(1e-3)  # one step in 1,000 s
    started = threading.Event()

    def wait():
        started.set()
        pacer.wait(1000.0)

    waiter = threading.Thread(target=wait)
    waiter.start()
    started.wait(30)
    pacer.wake()
    waiter.join(30)
    assert not waiter.is_alive()


@pytest.mark.parametrize("bad", [0, -1.0, math.nan, math.inf, True, "fast", 2e6])
def test_a_bad_pace_is_refused_with_the_value_quoted(bad):
    with pytest.raises(ValueError, match="steps per second") as error:
        check_rate(bad)
    assert repr(bad) in str(error.value) or str(bad) in str(error.value)


def test_the_paces_offered_start_with_a_watchable_one_and_end_at_full_speed():
    assert list(PACES)[-1] == "full" and PACES["full"][1] is None
    assert DEFAULT_PACE in PACES and PACES[DEFAULT_PACE][1] is not None
    # The app's default run (spiral, 100 epochs) lasts 5 to 15 seconds at the default pace.
    trainer = setup_run(DEFAULT_RUN).trainer
    steps = trainer.steps_per_epoch * DEFAULT_RUN.training.epochs
    assert 5 <= steps / PACES[DEFAULT_PACE][1] <= 15
