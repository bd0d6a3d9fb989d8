"""Record each layer's health while a run trains, in a bounded share of its time.

:class:`NetworkRecorder` wraps the steps of a :class:`~explorer.training.Trainer`: before a
step it decides whether this step is recorded (and if so keeps a copy of the weights), after
it it measures each Linear layer's gradient norm, weight norm and update norm and, more
rarely, the histograms of its weights and gradients and its share of dead units (see
:class:`~explorer.inspect.layer_history.LayerHistory`). Records are spaced so that they take
at most :data:`SCALAR_SHARE` and :data:`DISTRIBUTION_SHARE` of the time, so a small network
training thousands of steps a second is not slowed by its own observation; with
``epoch_steps`` (the command line) the last step of every epoch is recorded too.

:meth:`NetworkRecorder.drain` hands over what was recorded since the last call as a plain
dict (a wire message part), which :meth:`LayerHistory.extend` takes.

>>> from explorer.training import DEFAULT_RUN, setup_run
>>> run = setup_run(DEFAULT_RUN.with_training(epochs=1))
>>> recorder = NetworkRecorder(run.model, run.train.x, epoch_steps=run.trainer.steps_per_epoch)
>>> while recorded_step(run.trainer, recorder) is not None:
...     pass
>>> records = recorder.drain()
>>> records["layers"], records["scalars"]["step"][-1] == run.trainer.global_step
(['linear1', 'linear2'], np.True_)
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np

from explorer.engine import nn
from explorer.inspect.layer_history import HIST_BINS
from explorer.inspect.network import (
    activation_of,
    dead_units,
    layer_norms,
    layer_outputs,
    linear_layers,
    value_histogram,
)
from explorer.training.trainer import StepResult, Trainer

#: Shares of the training time the scalar and the distribution records may take, at most.
SCALAR_SHARE = 0.01
DISTRIBUTION_SHARE = 0.01
#: Seconds between records, at least.
SCALAR_INTERVAL = 0.005
DISTRIBUTION_INTERVAL = 0.05
#: Training rows a distribution record runs through the model to find dead units.
PROBE_SAMPLES = 256


class NetworkRecorder:
    """Records ``model``'s Linear layers at sampled steps (see the module docstring).

    Parameters
    ----------
    model : nn.Module
        The model being trained (an ``nn.MLP``): read, never changed.
    probe : ndarray, optional
        Training inputs; the first :data:`PROBE_SAMPLES` rows find dead ReLU units.
    epoch_steps : int, optional
        Record the last step of every epoch too (steps that are multiples of it) ...
    distribution_epochs : int, optional
        ... and the distributions at the last step of every this many epochs.
    clock : callable
        Seconds, for the time shares (tests give their own).
    """

    def __init__(
        self,
        model: nn.Module,
        probe: np.ndarray | None = None,
        epoch_steps: int | None = None,
        distribution_epochs: int | None = None,
        clock: Callable[[], float] = time.perf_counter,
    ):
        self.model = model
        self.layers = linear_layers(model)
        self.names = [name for name, _ in self.layers]
        self.relu = activation_of(model) == "relu"
        self.probe = None if probe is None else np.asarray(probe)[:PROBE_SAMPLES]
        self.epoch_steps = epoch_steps
        self.distribution_epochs = distribution_epochs
        self.clock = clock
        self._next_scalar = self._next_distribution = -np.inf
        self._snapshot: list[np.ndarray] | None = None
        self._distribution_due = False
        self._started = 0.0
        self._scalars: list[tuple[int, list[float], list[float], list[float]]] = []
        self._distributions: list[dict[str, Any]] = []

    def before_step(self, step: int, last: bool = False) -> None:
        """Step ``step`` (1-based) is about to be taken: keep the weights if it is recorded
        (the ``last`` step of a run always is)."""
        now = self.clock()
        epoch_end = bool(self.epoch_steps) and step % self.epoch_steps == 0
        every = self.distribution_epochs
        chosen = epoch_end and bool(every) and (step // self.epoch_steps) % every == 0
        self._distribution_due = last or chosen or now >= self._next_distribution
        if now >= self._next_scalar or epoch_end or self._distribution_due:
            self._started = now
            self._snapshot = [layer.weight.data.numpy().copy() for _, layer in self.layers]

    def after_step(self, step: int) -> None:
        """Step ``step`` was taken: record it if :meth:`before_step` chose it."""
        if self._snapshot is None:
            return
        grad_norm, weight_norm, update_norm = [], [], []
        for (_, layer), before in zip(self.layers, self._snapshot, strict=True):
            weight = layer.weight.data.numpy()
            grad = layer.weight.grad
            grad = None if grad is None else grad.numpy()
            grad_norm.append(layer_norms(grad) if grad is not None else np.nan)
            weight_norm.append(layer_norms(weight))
            update_norm.append(layer_norms(weight - before))
        self._scalars.append((step, grad_norm, weight_norm, update_norm))
        self._snapshot = None
        now = self.clock()
        self._next_scalar = now + max(SCALAR_INTERVAL, (now - self._started) / SCALAR_SHARE)
        if self._distribution_due:
            self._distributions.append(self._distribution(step))
            done = self.clock()
            cost = done - now
            self._next_distribution = done + max(DISTRIBUTION_INTERVAL, cost / DISTRIBUTION_SHARE)

    def cancel(self) -> None:
        """The step was not taken (it diverged): forget the weights kept for it."""
        self._snapshot = None

    def _distribution(self, step: int) -> dict[str, Any]:
        count = len(self.layers)
        record: dict[str, Any] = {"step": step}
        for kind in ("weight", "grad"):
            counts = np.zeros((count, HIST_BINS), np.float32)
            ranges = np.zeros((count, 2))
            for index, (_, layer) in enumerate(self.layers):
                values = layer.weight.data if kind == "weight" else layer.weight.grad
                values = None if values is None else values.numpy()
                if values is None:
                    ranges[index] = (0.0, 1.0)
                    continue
                counts[index], *ranges[index] = value_histogram(values, HIST_BINS)
            record[f"{kind}_counts"], record[f"{kind}_range"] = counts, ranges
        dead = np.full(count, np.nan, np.float32)
        if self.relu and self.probe is not None and len(self.probe):
            outputs = layer_outputs(self.model, self.probe)
            for index, name in enumerate(self.names[:-1]):  # the logits have no activation
                dead[index] = float(np.mean(dead_units(outputs[name])))
        record["dead"] = dead
        return record

    def drain(self) -> dict[str, Any] | None:
        """What was recorded since the last call, as a plain dict; None if nothing was."""
        if not self._scalars and not self._distributions:
            return None
        out: dict[str, Any] = {"layers": list(self.names)}
        if self._scalars:
            steps, grad, weight, update = zip(*self._scalars, strict=True)
            out["scalars"] = {
                "step": np.asarray(steps, np.int64),
                "grad_norm": np.asarray(grad, np.float64),
                "weight_norm": np.asarray(weight, np.float64),
                "update_norm": np.asarray(update, np.float64),
            }
        if self._distributions:
            records = self._distributions
            out["distributions"] = {
                "step": np.asarray([r["step"] for r in records], np.int64),
                **{
                    key: np.stack([r[key] for r in records])
                    for key in (
                        "weight_counts", "weight_range", "grad_counts", "grad_range", "dead"
                    )
                },
            }  # fmt: skip
        self._scalars, self._distributions = [], []
        return out


def step_hooks(
    trainer: Trainer, recorder: NetworkRecorder
) -> tuple[Callable[[], bool], Callable[[StepResult | None], None]]:
    """``(before, after)``: call ``before()`` before each ``trainer.step()`` and
    ``after(result)`` after it; ``before`` returns False, so it serves as
    :meth:`Trainer.run`'s ``should_stop`` and ``after`` as its ``callback``."""

    def before() -> bool:
        step = trainer.global_step + 1
        recorder.before_step(step, last=step >= trainer.total_steps)
        return False

    def after(result: StepResult | None) -> None:
        if result is None or result.samples == 0:  # diverged: no step was taken
            recorder.cancel()
        else:
            recorder.after_step(result.step)

    return before, after


def recorded_step(trainer: Trainer, recorder: NetworkRecorder) -> StepResult | None:
    """``trainer.step()`` with ``recorder`` around it; None once training is done."""
    if trainer.done:
        return None
    before, after = step_hooks(trainer, recorder)
    before()
    result = trainer.step()
    after(result)
    return result
