"""A :class:`~explorer.training.Trainer` as a job for :class:`~explorer.training.process.RunLoop`.

In the app this runs in the training process: it is the only code that touches the model
being trained. Results leave as plain numpy arrays, numbers and dicts (wire messages).
"""

from __future__ import annotations

import dataclasses
from typing import Any, Protocol

import numpy as np

from explorer.data import Dataset
from explorer.engine import Tensor, nn, no_grad
from explorer.training.trainer import Trainer

GRID_RESOLUTION = 100
SAMPLE_GRID_SIZE = 24
GRID_MARGIN = 0.15  # share of the data's span added around it in the decision-region plot


def plane_extent(x: np.ndarray) -> tuple[float, float, float, float]:
    """A square-ish window around 2-D points: (x_min, x_max, y_min, y_max) with a margin."""
    low, high = x.min(axis=0), x.max(axis=0)
    span = np.maximum(high - low, 1e-6)
    low, high = low - GRID_MARGIN * span, high + GRID_MARGIN * span
    return float(low[0]), float(high[0]), float(low[1]), float(high[1])


class TrainingJob(Protocol):
    """What :class:`~explorer.training.process.RunLoop` drives (:class:`TrainerJob`; tests
    script their own)."""

    run_id: int
    done: bool
    diverged: str | None

    def step(self) -> dict[str, Any]:
        """One optimizer step: ``{"step", "loss", "samples", "epoch_finished"}``."""

    def epoch_report(self, full: bool = True) -> dict[str, Any]:
        """The epoch's ``record`` (a dict of :class:`~explorer.training.EpochRecord`
        fields); with ``full`` also validation outputs (confusion, logits)."""

    def view(self, final: bool = False) -> dict[str, Any] | None:
        """A cheap live picture of the model (decision regions), or None; ``final`` adds the
        full validation outputs (sent when stepping stops)."""

    def state(self) -> dict[str, np.ndarray] | None:
        """The model's weights (a copy of its state_dict), or None."""

    def grads(self) -> dict[str, np.ndarray]:
        """The parameters' gradients from the last backward pass (copies), by name; a
        parameter without one is left out."""

    def load_state(self, state: dict[str, np.ndarray]) -> None:
        """Continue from these weights (the app's model was changed while paused)."""


class TrainerJob:
    """Adapts a Trainer to the :class:`TrainingJob` protocol."""

    def __init__(self, run_id: int, trainer: Trainer):
        self.run_id = run_id
        self.trainer = trainer
        val = trainer.val_data
        self.extent = (
            plane_extent(np.concatenate([trainer.train_data.x, val.x]))
            if (val.num_features == 2)
            else None
        )

    @property
    def done(self) -> bool:
        return self.trainer.done

    @property
    def diverged(self) -> str | None:
        return self.trainer.diverged

    def step(self) -> dict[str, Any]:
        trainer = self.trainer
        result = trainer.step()
        if result is None:
            return {"step": trainer.global_step, "loss": float("nan"), "samples": 0}
        n, batch = len(trainer.train_data), trainer.config.batch_size
        samples = n - (trainer.steps_per_epoch - 1) * batch if result.epoch_finished else batch
        return {
            "step": result.step,
            "loss": result.loss,
            "samples": min(samples, n),
            "epoch_finished": result.epoch_finished is not None,
        }

    def epoch_report(self, full: bool = True) -> dict[str, Any]:
        """The last epoch's record; with ``full`` also the validation outputs."""
        report = self.outputs() if full else {}
        report["record"] = dataclasses.asdict(self.trainer.history.last_epoch)
        return report

    def state(self) -> dict[str, np.ndarray]:
        return {k: np.array(v) for k, v in self.trainer.model.state_dict().items()}

    def grads(self) -> dict[str, np.ndarray]:
        return {
            name: np.array(param.grad)
            for name, param in self.trainer.model.named_parameters()
            if param.grad is not None
        }

    def load_state(self, state: dict[str, np.ndarray]) -> None:
        self.trainer.model.load_state_dict(state)

    def outputs(self) -> dict[str, Any]:
        """Validation logits, per-sample cross entropy, predictions and confusion matrix."""
        val = self.trainer.val_data
        logits = validation_logits(self.trainer.model, val)
        with no_grad(), np.errstate(all="ignore"):
            losses = nn.functional.cross_entropy(
                Tensor(logits), Tensor(val.y), reduction="none"
            ).numpy()
        predicted = logits.argmax(axis=1)
        classes = val.num_classes
        confusion = np.bincount(val.y * classes + predicted, minlength=classes * classes)
        return {
            "logits": logits,
            "losses": np.asarray(losses, dtype=np.float64),
            "predicted": predicted,
            "confusion": confusion.reshape(classes, classes),
        }

    def view(self, final: bool = False) -> dict[str, Any] | None:
        """Decision regions (2-D data) or the sample grid's predictions; all outputs if final."""
        out: dict[str, Any] = self.outputs() if final else {}
        trainer = self.trainer
        if self.extent is not None:
            x0, x1, y0, y1 = self.extent
            out["extent"] = self.extent
            out["regions"] = trainer.decision_grid((x0, x1), (y0, y1), GRID_RESOLUTION)
        elif not final:
            head = trainer.val_data.x[:SAMPLE_GRID_SIZE]
            out["sample_predictions"] = trainer.predict_proba(head).argmax(axis=1)
        out["step"] = trainer.global_step
        return out


def validation_logits(model: nn.Module, val: Dataset) -> np.ndarray:
    """The model's logits for every validation row, in eval mode, without a graph."""
    was_training = model.training
    model.eval()
    try:
        with no_grad(), np.errstate(all="ignore"):
            return np.asarray(model(Tensor(val.x)).data, dtype=np.float32)
    finally:
        model.train(was_training)
