"""The stepping of a run, independent of where it runs: :class:`RunLoop`.

It drives any :class:`~explorer.training.job.TrainingJob` until paused, stopped, finished
or diverged, at the pace its :class:`~explorer.training.pace.Pacer` sets (full speed unless
told otherwise), and reports through a ``send`` callback as plain messages (dicts of numbers,
lists and numpy arrays): ``steps`` every ~1/30 s, live ``view`` s within a share of its
time, the model's ``state`` (weights and gradients) a few times a second and whenever
stepping stops, then ``stopped``. The training process (:mod:`explorer.training.process`)
sends them to the app.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from typing import Any

from explorer.training.job import TrainingJob
from explorer.training.pace import Pacer

EMIT_INTERVAL = 1 / 30  # seconds between batches of step losses sent to the app
VIEW_INTERVAL = 0.15  # seconds between live views (decision regions) while running, at least
VIEW_SHARE = 0.025  # share of the process's time the live views may take
OUTPUTS_INTERVAL = 0.25  # seconds between full validation outputs at epoch ends
STATE_INTERVAL = 0.2  # seconds between copies of the weights sent to the app while running
#: ... at least; a large model's copies (weights and gradients) are spaced to this many bytes
#: a second, so neither this process nor the app's GUI thread spends its time copying them.
STATE_BYTES_PER_SECOND = 25e6

Send = Callable[[dict[str, Any]], None]


class RunLoop:
    """Steps a job until paused, stopped, finished or diverged, reporting through ``send``.

    :meth:`request_pause`, :meth:`request_stop`, :meth:`clear_pause` and :meth:`set_pace`
    may be called from any thread; the loop checks the flags between two steps, and a pause,
    a stop or a new pace ends a wait between two paced steps at once.
    """

    def __init__(self, job: TrainingJob, send: Send, pacer: Pacer | None = None):
        self.job = job
        self.send = send
        self.pacer = pacer if pacer is not None else Pacer()
        self._pause = threading.Event()
        self._stop = threading.Event()

    def request_pause(self) -> None:
        self._pause.set()
        self.pacer.wake()

    def clear_pause(self) -> None:
        self._pause.clear()

    def request_stop(self) -> None:
        self._stop.set()
        self.pacer.wake()

    def set_pace(self, steps_per_second: float | None) -> None:
        """Step at most this many times a second (None: full speed), from now on."""
        self.pacer.set_rate(steps_per_second)

    @property
    def stop_requested(self) -> bool:
        return self._stop.is_set()

    def run(self, max_steps: int | None = None) -> str:
        """Step until told otherwise (``max_steps`` None: until paused) or ``max_steps``
        are taken; send everything, then ``stopped``. Returns the reason."""
        job, send = self.job, self.send
        steps: list[int] = []
        losses: list[float] = []
        epochs: list[dict[str, Any]] = []
        samples = 0
        clock = self.pacer.clock  # one clock for pacing and timing (tests drive it)
        started = last_emit = last_view = last_state = clock()
        last_outputs = -OUTPUTS_INTERVAL
        view_interval = VIEW_INTERVAL
        state_interval = STATE_INTERVAL
        taken = 0

        def flush() -> None:
            # One message per ~1/30 s carries every step and epoch since the last one.
            nonlocal samples, started
            if not steps and not epochs:
                return
            now = clock()
            send(
                {
                    "kind": "steps",
                    "run": job.run_id,
                    "steps": list(steps),
                    "losses": list(losses),
                    "samples": samples,
                    "seconds": now - started,
                    "epochs": list(epochs),
                }
            )
            steps.clear()
            losses.clear()
            epochs.clear()
            samples = 0
            started = now
            records = job.records()  # the layers' health recorded meanwhile, if any
            if records is not None:
                send({"kind": "records", "run": job.run_id, **records})

        reason, message = "paused", ""
        pacer = self.pacer
        pacer.restart()  # time spent paused is not owed
        try:
            while not job.done:
                if self._stop.is_set():
                    reason = "stopped"
                    break
                if max_steps is None and self._pause.is_set():
                    break
                if max_steps is not None and taken >= max_steps:
                    break
                delay = pacer.delay()
                if delay > 0:
                    now = clock()
                    if now + delay - last_emit >= EMIT_INTERVAL:  # due before the wait ends
                        flush()
                        last_emit = now
                    pacer.wait(delay)  # then the flags again: a pause or stop ends the wait
                    continue
                event = job.step()
                pacer.stepped()
                taken += 1
                if job.diverged:
                    break
                steps.append(int(event["step"]))
                losses.append(float(event["loss"]))
                samples += int(event["samples"])
                now = clock()
                if event.get("epoch_finished"):
                    # Full validation outputs (confusion, P/Q) at most every OUTPUTS_INTERVAL.
                    full = job.done or now - last_outputs >= OUTPUTS_INTERVAL
                    epochs.append(job.epoch_report(full=full))
                    if full:
                        last_outputs = now
                if now - last_emit >= EMIT_INTERVAL:
                    flush()
                    last_emit = now
                if now - last_view >= view_interval:
                    self._send_view()
                    last_view = clock()
                    # Live views may take at most VIEW_SHARE of the process's time.
                    view_interval = max(VIEW_INTERVAL, (last_view - now) / VIEW_SHARE)
                if now - last_state >= state_interval:
                    size = self._send_state()
                    state_interval = max(STATE_INTERVAL, size / STATE_BYTES_PER_SECOND)
                    last_state = now
        except Exception as exc:  # a bug in a job must end the run with its message
            flush()
            send(
                {
                    "kind": "stopped",
                    "run": job.run_id,
                    "reason": "error",
                    "message": f"{exc}",
                    "details": traceback.format_exc(),
                }
            )
            return "error"
        flush()
        if job.diverged:
            reason, message = "diverged", job.diverged
        elif job.done:
            reason = "done"
        self._send_state()  # diverged too: the weights before the step that diverged
        if reason not in ("stopped", "diverged"):  # a diverged model has nothing to show
            self._send_view(final=True)
        send({"kind": "stopped", "run": job.run_id, "reason": reason, "message": message})
        return reason

    def _send_view(self, final: bool = False) -> None:
        view = self.job.view(final=final)
        if view is not None:
            self.send({"kind": "view", "run": self.job.run_id, **view})

    def _send_state(self) -> int:
        """Send the model's weights and gradients; returns their size in bytes."""
        state = self.job.state()
        if state is None:
            return 0
        grads = self.job.grads()
        self.send({"kind": "state", "run": self.job.run_id, "state": state, "grads": grads})
        return sum(a.nbytes for a in state.values()) + sum(a.nbytes for a in grads.values())
