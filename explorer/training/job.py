"""A :class:`~explorer.training.Trainer` as a job for :class:`~explorer.training.process.RunLoop`.

In the app this runs in the training process: it is the only code that touches the model
being trained. Results leave as plain numpy arrays, numbers and dicts (wire messages), built
by :func:`validation_outputs` and :func:`model_view`, which the Training tab also calls to draw
a model outside a run.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Protocol

import numpy as np

from explorer.data import Dataset
from explorer.engine import nn
from explorer.inspect.network import network_picture
from explorer.model.evaluate import (
    confusion_matrix,
    decision_grid,
    outputs,
    plane_extent,
    predict_proba,
)
from explorer.training.probes import NetworkRecorder, recorded_step
from explorer.training.trainer import Trainer
from explorer.training.trajectory import weight_vector

GRID_RESOLUTION = 100
SAMPLE_GRID_SIZE = 24


def data_extent(train: Dataset, val: Dataset) -> tuple[float, float, float, float] | None:
    """The decision-region window around 2-D data's points (None for other data)."""
    if val.num_features != 2:
        return None
    return plane_extent(np.concatenate([train.x, val.x]))


def validation_outputs(model: nn.Module, val: Dataset) -> dict[str, Any]:
    """Validation logits, per-sample cross entropy, predictions and confusion matrix."""
    out = outputs(model, val, "cross_entropy")
    return {
        "logits": out.logits,
        "losses": out.cross_entropy,
        "predicted": out.predicted,
        "confusion": confusion_matrix(val.y, out.predicted, val.num_classes),
    }


def model_view(
    model: nn.Module,
    val: Dataset,
    extent: tuple[float, float, float, float] | None,
    final: bool = False,
) -> dict[str, Any]:
    """Decision regions over ``extent`` (2-D data) or the sample grid's predictions; with
    ``final`` every validation output too (:func:`validation_outputs`)."""
    out: dict[str, Any] = validation_outputs(model, val) if final else {}
    if extent is not None:
        x0, x1, y0, y1 = extent
        out["extent"] = extent
        out["regions"] = decision_grid(model, (x0, x1), (y0, y1), GRID_RESOLUTION)
    elif not final:
        head = val.x[:SAMPLE_GRID_SIZE]
        out["sample_predictions"] = predict_proba(model, head).argmax(axis=1)
    return out


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
        fields) and, optionally, ``weights`` (the parameters as one vector); with ``full``
        also validation outputs (confusion, logits)."""

    def view(self, final: bool = False) -> dict[str, Any] | None:
        """A cheap live picture of the model (decision regions, what its units compute), or
        None; ``final`` adds the full validation outputs (sent when stepping stops)."""

    def records(self) -> dict[str, Any] | None:
        """The layers' health recorded since the last call
        (:meth:`~explorer.training.probes.NetworkRecorder.drain`), or None."""

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
        self.extent = data_extent(trainer.train_data, trainer.val_data)
        self.recorder = NetworkRecorder(trainer.model, trainer.train_data.x)

    @property
    def done(self) -> bool:
        return self.trainer.done

    @property
    def diverged(self) -> str | None:
        return self.trainer.diverged

    def step(self) -> dict[str, Any]:
        trainer = self.trainer
        result = recorded_step(trainer, self.recorder)
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
        """The last epoch's record and the weights it ended with (one vector: the run's
        trajectory, :mod:`explorer.training.trajectory`); with ``full`` also the validation
        outputs."""
        trainer = self.trainer
        report = validation_outputs(trainer.model, trainer.val_data) if full else {}
        report["record"] = dataclasses.asdict(trainer.history.last_epoch)
        report["weights"] = weight_vector(trainer.model)
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

    def records(self) -> dict[str, Any] | None:
        return self.recorder.drain()

    def view(self, final: bool = False) -> dict[str, Any] | None:
        """Decision regions (2-D data) or the sample grid's predictions, and what the units
        compute (:func:`~explorer.inspect.network.network_picture`); all outputs if final."""
        trainer = self.trainer
        out = model_view(trainer.model, trainer.val_data, self.extent, final)
        out["network"] = network_picture(trainer.model, trainer.val_data, self.extent)
        out["step"] = trainer.global_step
        return out
