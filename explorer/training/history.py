"""What a run recorded: per-step training loss and per-epoch metrics, in :class:`History`.

``history.csv`` (written by :meth:`History.write_csv`) has one row per epoch with the columns
of :data:`HISTORY_COLUMNS`:

- ``epoch``: 1-based epoch number;
- ``step``: global step count at the end of the epoch (steps are 1-based batches);
- ``train_loss``: mean training loss over the epoch's batches (weighted by batch size);
- ``train_accuracy``: share of the epoch's training samples classified correctly at the time
  their batch was seen (a running figure, as most training loops report);
- ``val_loss``, ``val_accuracy``: on the whole validation set after the epoch;
- ``seconds``: cumulative time spent inside the trainer (training and evaluation) so far;
- ``samples_per_second``: the epoch's training samples divided by the time its steps took.

:meth:`History.write_csv` may add columns after these (``explorer export training`` adds
each layer's gradient norm and update ratio at the epoch's end: see
:meth:`explorer.inspect.layer_history.LayerHistory.epoch_columns`).

The per-step losses live in a growable float64 buffer (:meth:`History.step_losses`, with
matching x values from :meth:`History.step_numbers`). Non-finite losses are never recorded.
"""

from __future__ import annotations

import csv
import math
import os
from dataclasses import asdict, dataclass, fields
from typing import Any

import numpy as np

from explorer.io.atomic import atomic_write
from explorer.quoting import quoted

HISTORY_COLUMNS: tuple[str, ...] = (
    "epoch",
    "step",
    "train_loss",
    "train_accuracy",
    "val_loss",
    "val_accuracy",
    "seconds",
    "samples_per_second",
)
STEP_COLUMNS: tuple[str, ...] = ("step", "train_loss")
MAX_SESSION_STEPS = 20_000
MAX_SESSION_EPOCHS = 100_000


@dataclass(frozen=True)
class EpochRecord:
    """Metrics at the end of one epoch (see the module docstring for each field)."""

    epoch: int
    step: int
    train_loss: float
    train_accuracy: float
    val_loss: float
    val_accuracy: float
    seconds: float
    samples_per_second: float


class History:
    """Per-step training loss and per-epoch :class:`EpochRecord` rows of one run.

    ``step_stride`` is 1 for a live run; a history restored from a session whose step losses
    were averaged in blocks (to bound its size) has ``step_stride > 1``, and each stored value
    is the mean of that many consecutive steps. :meth:`step_numbers` always gives the matching
    step numbers (the last step of each block), so plots stay correct.
    """

    def __init__(self) -> None:
        self._steps = np.empty(1024, dtype=np.float64)
        self._count = 0
        self.step_stride = 1
        self.epochs: list[EpochRecord] = []

    def add_step(self, loss: float) -> None:
        """Append one step's (finite) training loss."""
        if self._count == len(self._steps):
            grown = np.empty(2 * len(self._steps), dtype=np.float64)
            grown[: self._count] = self._steps[: self._count]
            self._steps = grown
        self._steps[self._count] = loss
        self._count += 1

    def add_epoch(self, record: EpochRecord) -> None:
        self.epochs.append(record)

    @property
    def num_steps(self) -> int:
        """Number of training steps recorded (counting each block of a strided history)."""
        return self._count * self.step_stride

    def step_losses(self) -> np.ndarray:
        """The recorded step losses (a read-only view; copy it to keep it)."""
        view = self._steps[: self._count]
        view.flags.writeable = False
        return view

    def step_numbers(self) -> np.ndarray:
        """1-based step number of each value of :meth:`step_losses` (float64 for plotting)."""
        return np.arange(1, self._count + 1, dtype=np.float64) * self.step_stride

    def epoch_column(self, name: str) -> np.ndarray:
        """One column of the per-epoch table as a float64 array (e.g. ``"val_accuracy"``)."""
        if name not in HISTORY_COLUMNS:
            raise ValueError(
                f"unknown history column {quoted(name)}; valid: {', '.join(HISTORY_COLUMNS)}"
            )
        return np.array([getattr(r, name) for r in self.epochs], dtype=np.float64)

    @property
    def last_epoch(self) -> EpochRecord | None:
        return self.epochs[-1] if self.epochs else None

    def to_rows(self) -> list[dict[str, float | int]]:
        """One dict per epoch, keyed by :data:`HISTORY_COLUMNS`."""
        return [asdict(record) for record in self.epochs]

    def write_csv(
        self, path: str | os.PathLike, extra: dict[str, np.ndarray] | None = None
    ) -> None:
        """Write ``history.csv`` (one row per epoch, :data:`HISTORY_COLUMNS`, then the
        ``extra`` columns, one value per epoch) atomically."""
        extra = extra or {}
        for name, values in extra.items():
            if name in HISTORY_COLUMNS or len(values) != len(self.epochs):
                raise ValueError(f"extra column {quoted(name)} must be new and one per epoch")
        rows = self.to_rows()
        for index, row in enumerate(rows):
            row.update({name: float(values[index]) for name, values in extra.items()})
        with atomic_write(path, "w") as handle:
            fields = [*HISTORY_COLUMNS, *extra]
            writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)

    def write_steps_csv(self, path: str | os.PathLike) -> None:
        """Write the per-step losses (:data:`STEP_COLUMNS`) atomically."""
        with atomic_write(path, "w") as handle:
            handle.write(",".join(STEP_COLUMNS) + "\n")
            for step, loss in zip(self.step_numbers(), self.step_losses(), strict=True):
                handle.write(f"{int(step)},{float(loss)!r}\n")

    def to_dict(self, max_steps: int = MAX_SESSION_STEPS) -> dict[str, Any]:
        """JSON-ready dict; more than ``max_steps`` step losses are averaged in equal blocks."""
        losses = self.step_losses()
        stride = max(1, math.ceil(len(losses) / max_steps))
        if stride > 1:
            usable = len(losses) // stride * stride
            losses = losses[:usable].reshape(-1, stride).mean(axis=1)
        return {
            "step_stride": self.step_stride * stride,
            "step_losses": [float(v) for v in losses],
            "epochs": [list(asdict(r).values()) for r in self.epochs],
            "columns": list(HISTORY_COLUMNS),
        }

    @classmethod
    def from_dict(cls, state: Any) -> History:
        """Rebuild from :meth:`to_dict` output; sizes are checked before anything is built."""
        if not isinstance(state, dict):
            raise ValueError(f"history must be a dict; got {type(state).__name__}")
        stride = state.get("step_stride", 1)
        losses = state.get("step_losses", [])
        rows = state.get("epochs", [])
        if state.get("columns", list(HISTORY_COLUMNS)) != list(HISTORY_COLUMNS):
            raise ValueError(f"history columns must be {list(HISTORY_COLUMNS)}")
        if isinstance(stride, bool) or not isinstance(stride, int) or stride < 1:
            raise ValueError(
                f"history step_stride must be a positive integer; got {quoted(stride)}"
            )
        if not isinstance(losses, list) or len(losses) > 5 * MAX_SESSION_STEPS:
            raise ValueError(
                f"history step_losses must be a list of at most {5 * MAX_SESSION_STEPS} numbers"
            )
        if not isinstance(rows, list) or len(rows) > MAX_SESSION_EPOCHS:
            raise ValueError(f"history epochs must be a list of at most {MAX_SESSION_EPOCHS} rows")
        history = cls()
        history.step_stride = stride
        for value in losses:
            history.add_step(_finite(value, "step loss"))
        types = [f.type for f in fields(EpochRecord)]
        for row in rows:
            if not isinstance(row, list) or len(row) != len(HISTORY_COLUMNS):
                raise ValueError(f"history epoch rows must have {len(HISTORY_COLUMNS)} values")
            values = [_finite(v, name) for v, name in zip(row, HISTORY_COLUMNS, strict=True)]
            history.add_epoch(
                EpochRecord(
                    *(
                        int(v) if kind == "int" else float(v)
                        for v, kind in zip(values, types, strict=True)
                    )
                )
            )
        return history


def _finite(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"history {name} must be a finite number; got {quoted(value)}")
    return value
