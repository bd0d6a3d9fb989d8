"""The training loop the Training tab, the CLI and the tests all share: :class:`Trainer`.

A :class:`Trainer` owns one model, a training and a validation :class:`~explorer.data.Dataset`
and a :class:`~explorer.training.config.TrainingConfig`. It advances one batch per
:meth:`Trainer.step`, so a GUI worker can interleave steps with pause/stop checks and a CLI
can simply call :meth:`Trainer.run`:

>>> from explorer.training import DEFAULT_RUN, setup_run
>>> run = setup_run(DEFAULT_RUN.with_training(epochs=2))
>>> history = run.trainer.run(callback=lambda result: None)
>>> len(history.epochs)
2

Each step is: forward a batch, compute the loss, and if it is finite, ``zero_grad``,
``backward``, ``optimizer.step()``. A non-finite loss (or validation loss) stops the run:
:attr:`Trainer.diverged` holds a message such as ``"diverged at step 12: loss is nan -- try a
smaller learning rate (now 5)"``, nothing non-finite is recorded and nothing is raised.

Evaluation (outputs, probabilities, confusion matrix, decision regions) is not the trainer's:
it is :mod:`explorer.model.evaluate`'s plain functions of (model, data, loss), which the
trainer uses for its validation loss and accuracy.

Determinism: the batch order comes from ``numpy.random.default_rng(config.seed)``, so the same
initial weights and seed give an identical history. :meth:`Trainer.reset` restores the weights
the trainer started from (or re-initialises them from the seed) and clears the history.

Thread use: a Trainer is not thread-safe; a GUI calls it from one worker thread only.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

import numpy as np

from explorer.data import Dataset
from explorer.engine import Tensor, nn, no_grad
from explorer.model.config import reinitialize_model
from explorer.model.evaluate import evaluate, input_dtype
from explorer.model.loss import compute_loss
from explorer.quoting import quoted
from explorer.training.config import TrainingConfig
from explorer.training.history import EpochRecord, History
from explorer.training.optimizer import make_optimizer


@dataclass(frozen=True)
class StepResult:
    """What one :meth:`Trainer.step` did.

    ``step`` is the 1-based global step, ``epoch`` the 1-based epoch the batch belonged to,
    ``loss`` the batch loss (NaN/inf only when the step diverged), ``samples`` the batch's
    size (0 when the step diverged: nothing was learnt), ``epoch_finished`` the
    epoch's record when this step completed it, ``done`` whether training is over and
    ``diverged`` the divergence message or None.
    """

    step: int
    epoch: int
    loss: float
    samples: int
    epoch_finished: EpochRecord | None
    done: bool
    diverged: str | None


class Trainer:
    """Train ``model`` on ``train`` and evaluate on ``val`` as ``config`` says.

    Parameters
    ----------
    model : nn.Module
        Maps ``(N, train.num_features)`` to ``(N, train.num_classes)`` logits. It is trained
        in place (the Training tab trains the Model tab's instance).
    train, val : Dataset
        Same feature count and number of classes.
    config : TrainingConfig
        Validated on construction (ValueError naming the bad field).
    checked : bool
        The caller has validated ``config`` and that the model fits the data already (a
        :class:`~explorer.training.process.RunSetup` has): nothing is checked again.
    """

    def __init__(
        self,
        model: nn.Module,
        train: Dataset,
        val: Dataset,
        config: TrainingConfig,
        *,
        checked: bool = False,
    ):
        if not checked:
            config.validate()
            check_data_pair(train, val)
        self.model = model
        self.train_data = train
        self.val_data = val
        self.config = config
        self._dtype = input_dtype(model)  # float32 data goes into a float64 model as float64
        if not checked:
            self._check_model_shape()
        self._initial_state = {k: v.numpy().copy() for k, v in model.state_dict().items()}
        self.reset()

    def _check_model_shape(self) -> None:
        try:
            with no_grad(), np.errstate(all="ignore"):
                out = self.model(Tensor(self.train_data.x[:1].astype(self._dtype)))
        except Exception as error:  # the message must name both shapes, whatever failed
            raise ValueError(
                f"the model cannot take this data's {self.train_data.num_features} features: "
                f"{error}"
            ) from error
        if tuple(out.shape) != (1, self.train_data.num_classes):
            raise ValueError(
                f"the model outputs {out.shape[-1]} values per sample but the data has "
                f"{self.train_data.num_classes} classes"
            )

    # ----------------------------------------------------------------- state
    def reset(self, reinitialize: bool = False) -> None:
        """Start over: weights back to where this trainer began, empty history.

        With ``reinitialize=True`` the weights are instead drawn afresh from ``config.seed``
        by :func:`reinitialize_model` (the same weights :func:`~explorer.training.build_model`
        gives), and that becomes the new starting point.
        """
        if reinitialize:
            reinitialize_model(self.model, self.config.seed)
            self._initial_state = {k: v.numpy().copy() for k, v in self.model.state_dict().items()}
        else:
            self.model.load_state_dict(self._initial_state)
        self.model.zero_grad()
        self.optimizer = make_optimizer(self.model, self.config)
        self.history = History()
        self.global_step = 0
        self.epoch = 0  # completed epochs
        self.done = False
        self.diverged: str | None = None
        self._rng = np.random.default_rng(self.config.seed)
        self._order: np.ndarray | None = None
        self._cursor = 0
        self._epoch_loss = 0.0
        self._epoch_correct = 0
        self._epoch_seen = 0
        self._epoch_step_seconds = 0.0
        self.seconds = 0.0

    def extend(self, epochs: int) -> None:
        """Plan ``epochs`` more epochs, so a finished run can go on where it stopped.

        ValueError if the run diverged (reset it instead) or ``epochs`` is not positive.
        """
        if self.diverged:
            raise ValueError("a diverged run cannot continue; reset it first")
        if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 1:
            raise ValueError(f"epochs to add must be a positive integer; got {quoted(epochs)}")
        self.config = replace(self.config, epochs=self.config.epochs + epochs).validate()
        self.done = self.epoch >= self.config.epochs

    @property
    def steps_per_epoch(self) -> int:
        return math.ceil(len(self.train_data) / self.config.batch_size)

    @property
    def total_steps(self) -> int:
        return self.steps_per_epoch * self.config.epochs

    @property
    def progress(self) -> float:
        """Fraction of the planned steps done, 0..1 (1 once done, even after divergence)."""
        return 1.0 if self.done else self.global_step / self.total_steps

    # ------------------------------------------------------------- training
    def step(self) -> StepResult | None:
        """Train on one batch; None if training is already done."""
        if self.done:
            return None
        started = time.perf_counter()
        if self._order is None:
            n = len(self.train_data)
            self._order = self._rng.permutation(n) if self.config.shuffle else np.arange(n)
            self._cursor = 0
        batch = self._order[self._cursor : self._cursor + self.config.batch_size]
        self._cursor += len(batch)
        labels = self.train_data.y[batch]
        if not self.model.training:  # train() walks every module: skip when a no-op
            self.model.train()
        with np.errstate(all="ignore"):
            logits = self.model(Tensor(self.train_data.x[batch].astype(self._dtype, copy=False)))
            loss = compute_loss(logits, labels, self.config.loss)
            value = float(loss.item())
            if not math.isfinite(value):
                return self._diverge(self.global_step + 1, value, started)
            self.optimizer.zero_grad()
            loss.backward()
            self.optimizer.step()
        self.global_step += 1
        self.history.add_step(value)
        self._epoch_loss += value * len(batch)
        predicted = logits.detach().numpy().argmax(axis=1)
        self._epoch_correct += int(np.count_nonzero(predicted == labels))
        self._epoch_seen += len(batch)
        elapsed = time.perf_counter() - started
        self._epoch_step_seconds += elapsed
        self.seconds += elapsed
        epoch = self.epoch + 1
        finished = None
        if self._cursor >= len(self._order):
            finished = self._finish_epoch()
        return StepResult(
            self.global_step, epoch, value, len(batch), finished, self.done, self.diverged
        )

    def _finish_epoch(self) -> EpochRecord | None:
        started = time.perf_counter()
        val_loss, val_accuracy = evaluate(self.model, self.val_data, self.config.loss)
        if not math.isfinite(val_loss):
            self._diverge(self.global_step, val_loss, started, what="validation loss")
            return None
        self.seconds += time.perf_counter() - started
        self.epoch += 1
        record = EpochRecord(
            epoch=self.epoch,
            step=self.global_step,
            train_loss=self._epoch_loss / self._epoch_seen,
            train_accuracy=self._epoch_correct / self._epoch_seen,
            val_loss=val_loss,
            val_accuracy=val_accuracy,
            seconds=self.seconds,
            samples_per_second=self._epoch_seen / max(self._epoch_step_seconds, 1e-9),
        )
        self.history.add_epoch(record)
        self._order = None
        self._epoch_loss = 0.0
        self._epoch_correct = self._epoch_seen = 0
        self._epoch_step_seconds = 0.0
        if self.epoch >= self.config.epochs:
            self.done = True
        return record

    def _diverge(self, step: int, value: float, started: float, what: str = "loss") -> StepResult:
        self.seconds += time.perf_counter() - started
        self.diverged = (
            f"diverged at step {step}: {what} is {value} — try a smaller learning rate "
            f"(now {self.config.lr:g})"
        )
        self.done = True
        return StepResult(step, self.epoch + 1, value, 0, None, True, self.diverged)

    def run_epoch(self) -> EpochRecord | None:
        """Step until the current epoch ends; its record, or None if training ended first."""
        for result in self.iter_steps():
            if result.epoch_finished is not None:
                return result.epoch_finished
        return None

    def iter_steps(self) -> Iterator[StepResult]:
        """Yield one :class:`StepResult` per step until training is done (or diverges)."""
        while (result := self.step()) is not None:
            yield result

    def run(
        self,
        callback: Callable[[StepResult], None] | None = None,
        should_stop: Callable[[], bool] | None = None,
    ) -> History:
        """Train to the end; ``callback(result)`` after each step, ``should_stop()`` before.

        Returns the history (also :attr:`history`). Stopping early leaves the trainer ready
        to continue with another :meth:`run` or :meth:`step`.
        """
        while not self.done and not (should_stop is not None and should_stop()):
            result = self.step()
            if callback is not None and result is not None:
                callback(result)
        return self.history


def check_data_pair(train: Dataset, val: Dataset) -> None:
    """ValueError unless ``train`` and ``val`` have the same features and classes."""
    if train.num_features != val.num_features or train.num_classes != val.num_classes:
        raise ValueError(
            f"train ({train.num_features} features, {train.num_classes} classes) and val "
            f"({val.num_features} features, {val.num_classes} classes) do not match"
        )
