"""The learning-rate range test (Leslie Smith, 2015; fastai's ``lr_find``).

Train from the current weights for about a hundred batches while the learning rate grows
exponentially, from 1e-7 to 10, and watch the loss: it stays flat while the rate is too small
to move anything, falls once steps are big enough, and blows up when they are too big. After
each step the loss is measured on one fixed sample of the training data (up to
:data:`EVAL_ROWS` rows, as torch-lr-finder does with a validation loader), so the curve shows
what each rate did to the weights rather than which batch came up. The test stops early once
the smoothed loss passes four times its minimum. Two suggestions are read off the smoothed
curve:

- ``lr_min_div10``: the rate of the lowest loss, divided by ten (a step back from where
  training starts to blow up): the suggestion, :meth:`LRFinderResult.suggested`;
- ``lr_steepest``: where the loss falls fastest per decade of rate (the steepest descent).
  On a short test the loss often falls fastest right before it blows up, so this one can be
  bold (with Adam on the spiral, about ten times the other).

The model's weights, gradients and train/eval mode are restored afterwards: nothing changes.

>>> from explorer.training import setup_run, DEFAULT_RUN
>>> run = setup_run(DEFAULT_RUN.with_training(seed=1))
>>> before = {k: v.clone() for k, v in run.model.state_dict().items()}
>>> result = lr_range_test(run.model, run.train, run.spec.training)
>>> 1e-7 <= result.lr_min_div10 <= 10, len(result.lrs) <= 100
(True, True)
>>> all((run.model.state_dict()[k] == before[k]).all() for k in before)
True
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from explorer.data import Dataset
from explorer.engine import Tensor, nn
from explorer.model.evaluate import input_dtype, mean_loss
from explorer.model.loss import compute_loss
from explorer.quoting import quoted
from explorer.training.config import TrainingConfig
from explorer.training.optimizer import make_optimizer
from explorer.training.smoothing import ema_debiased

START_LR = 1e-7
END_LR = 10.0
NUM_STEPS = 100
#: Weight of the debiased moving average (fastai's 0.98 suits noisy batch losses; the loss
#: on a fixed sample is smooth already, and a lighter average lags less behind a blow-up).
SMOOTHING = 0.9
DIVERGENCE = 4.0  # stop once the smoothed loss is this many times its minimum
EVAL_ROWS = 512  # rows of the training data the loss is measured on after each step
#: Points left out at each end when looking for the steepest descent (noisy at the start,
#: exploding at the end), as fastai and torch-lr-finder do.
SKIP_START, SKIP_END = 10, 5


@dataclass(frozen=True)
class LRFinderResult:
    """The range test's curve and suggestions.

    ``lrs[i]`` is the rate of step ``i`` and ``losses[i]`` its batch loss; ``smoothed`` the
    debiased moving average of the losses; ``stopped`` says why the test ended before its
    last step ("" when it ran them all).
    """

    lrs: np.ndarray
    losses: np.ndarray
    smoothed: np.ndarray
    lr_steepest: float | None
    lr_min_div10: float | None
    stopped: str = ""

    def rows(self) -> list[tuple[int, float, float, float]]:
        """``(step, lr, loss, smoothed_loss)`` per step: ``lr_find.csv``'s rows."""
        return [
            (i + 1, float(lr), float(loss), float(smooth))
            for i, (lr, loss, smooth) in enumerate(
                zip(self.lrs, self.losses, self.smoothed, strict=True)
            )
        ]

    @property
    def suggested(self) -> float | None:
        """The rate to train with: the minimum's rate divided by ten."""
        return self.lr_min_div10

    def suggestion(self) -> dict:
        """The suggestions as ``suggestion.json`` holds them."""
        return {
            "lr_steepest": self.lr_steepest,
            "lr_min_div10": self.lr_min_div10,
            "suggested": "lr_min_div10",
            "steps": len(self.lrs),
            "stopped": self.stopped,
        }


def schedule(start_lr: float, end_lr: float, num_steps: int) -> np.ndarray:
    """``num_steps`` rates from ``start_lr`` to ``end_lr``, evenly spaced in log scale.

    >>> schedule(1e-3, 1e-1, 3).tolist()
    [0.001, 0.01, 0.1]
    """
    return np.geomspace(start_lr, end_lr, num_steps)


def suggest(lrs: np.ndarray, smoothed: np.ndarray) -> tuple[float | None, float | None]:
    """``(steepest descent, rate of the minimum / 10)`` of a smoothed loss curve.

    The slope is taken against log10(lr); :data:`SKIP_START` and :data:`SKIP_END` points are
    left out of the search for the steepest one when the curve is long enough.
    """
    lrs, smoothed = np.asarray(lrs, dtype=np.float64), np.asarray(smoothed, dtype=np.float64)
    finite = np.isfinite(smoothed)
    if finite.sum() < 2:
        return None, None
    lrs, smoothed = lrs[finite], smoothed[finite]
    minimum = float(lrs[int(np.argmin(smoothed))]) / 10
    start, end = (
        (SKIP_START, len(lrs) - SKIP_END) if len(lrs) > SKIP_START + SKIP_END + 2 else (0, len(lrs))
    )
    slope = np.gradient(smoothed[start:end], np.log10(lrs[start:end]))
    steepest = float(lrs[start + int(np.argmin(slope))])
    return steepest, minimum


def lr_range_test(
    model: nn.Module,
    train: Dataset,
    config: TrainingConfig,
    start_lr: float = START_LR,
    end_lr: float = END_LR,
    num_steps: int = NUM_STEPS,
    *,
    progress: Callable[[int, int], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> LRFinderResult | None:
    """Run the range test on ``model`` with ``config``'s loss, optimizer and batch size.

    Batches are drawn in an order seeded by ``config.seed``, reshuffled every pass over
    ``train``. ``progress(step, num_steps)`` follows each step; ``should_stop()`` is asked
    before each, and True ends the test and returns None. The weights, gradients and
    train/eval mode are restored whatever happens.
    """
    if not (0 < start_lr < end_lr) or not math.isfinite(end_lr):
        raise ValueError(f"the rates must grow from a positive start; got {start_lr}, {end_lr}")
    if isinstance(num_steps, bool) or not isinstance(num_steps, int) or not 2 <= num_steps:
        raise ValueError(f"num_steps must be a whole number of at least 2; got {quoted(num_steps)}")
    if len(train) == 0:
        raise ValueError("the range test needs training data; this set is empty")
    saved = _Snapshot(model)
    try:
        return _run(model, train, config, schedule(start_lr, end_lr, num_steps),
                    progress, should_stop)  # fmt: skip
    finally:
        saved.restore()


def _run(model, train, config, rates, progress, should_stop) -> LRFinderResult | None:
    optimizer = make_optimizer(model, replace(config, lr=float(rates[0])))
    rng = np.random.default_rng(config.seed)
    dtype = input_dtype(model)
    probe = (
        train
        if len(train) <= EVAL_ROWS
        else train.subset(np.sort(rng.choice(len(train), EVAL_ROWS, replace=False)))
    )
    model.train()
    order, cursor = rng.permutation(len(train)), 0
    losses: list[float] = []
    average, best, stopped = 0.0, math.inf, ""
    for step, rate in enumerate(rates):
        if should_stop is not None and should_stop():
            return None
        if cursor >= len(order):
            order, cursor = rng.permutation(len(train)), 0
        batch = order[cursor : cursor + config.batch_size]
        cursor += len(batch)
        for group in optimizer.param_groups:
            group["lr"] = float(rate)
        with np.errstate(all="ignore"):
            logits = model(Tensor(train.x[batch].astype(dtype, copy=False)))
            loss = compute_loss(logits, train.y[batch], config.loss)
            if math.isfinite(float(loss.item())):
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                value = mean_loss(model, probe, config.loss)
            else:
                value = float(loss.item())
        if not math.isfinite(value):
            stopped = f"the loss became {value} at lr {rate:.3g}"
            break
        losses.append(value)
        average = SMOOTHING * average + (1 - SMOOTHING) * value
        smoothed = average / (1 - SMOOTHING ** len(losses))
        best = min(best, smoothed)
        if progress is not None:
            progress(step + 1, len(rates))
        if step > 0 and smoothed > DIVERGENCE * best:
            stopped = f"the smoothed loss passed {DIVERGENCE:g}x its minimum at lr {rate:.3g}"
            break
    lrs = np.asarray(rates[: len(losses)], dtype=np.float64)
    raw = np.asarray(losses, dtype=np.float64)
    smoothed_curve = ema_debiased(raw, SMOOTHING)
    steepest, minimum = suggest(lrs, smoothed_curve)
    return LRFinderResult(lrs, raw, smoothed_curve, steepest, minimum, stopped)


class _Snapshot:
    """A model's weights, gradients and mode, put back by :meth:`restore`."""

    def __init__(self, model: nn.Module):
        self.model = model
        self.training = model.training
        self.state = {key: np.array(np.asarray(v)) for key, v in model.state_dict().items()}
        self.grads = []
        for parameter in model.parameters():
            grad = parameter.grad
            copy = None if grad is None else np.array(np.asarray(grad))
            self.grads.append((parameter, grad, copy))

    def restore(self) -> None:
        self.model.load_state_dict(self.state)
        for parameter, grad, copy in self.grads:
            if grad is not None:
                np.copyto(np.asarray(grad), copy)  # the same gradient object, its old values
            parameter.grad = grad
        self.model.train(self.training)
