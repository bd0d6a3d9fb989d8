"""The session's runs: each run's configuration and curves, as a Qt list model.

Runs are plain :class:`Run` records (JSON round trip via ``to_dict``/``from_dict``, sizes
bounded); :class:`RunListModel` shows them in a list view where a run is renamed by
editing its name and overlaid on the plots by ticking it.
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from PySide6.QtCore import QAbstractListModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from explorer.ui.training.curve_style import CurveData
from explorer.ui.training.palette import TABLEAU, color

MAX_RUNS = 50
MAX_STORED_POINTS = 20_000  # per curve in a saved session; longer curves are thinned
MAX_NAME_LENGTH = 80
STATUSES = ("new", "running", "paused", "done", "stopped", "diverged", "error")
# Settings a run's default name mentions when they differ from the previous run's:
# (where, key, how it reads).
NAME_DIFFS = (
    ("model", "hidden_sizes", lambda v: "hidden " + "-".join(str(h) for h in v)),
    ("model", "activation", str),
    ("model", "init_weight", lambda v: f"init {v}"),
    ("config", "batch_size", lambda v: f"batch {v}"),
    ("config", "momentum", lambda v: f"momentum {v:g}"),
    ("config", "weight_decay", lambda v: f"wd {v:g}"),
    ("config", "epochs", lambda v: f"{v} epochs"),
    ("config", "seed", lambda v: f"seed {v}"),
)


@dataclass
class Run:
    """One training run: what was trained how, and what it recorded."""

    run_id: int
    name: str
    config: dict[str, Any] = field(default_factory=dict)
    model_config: dict[str, Any] = field(default_factory=dict)
    dataset: dict[str, Any] = field(default_factory=dict)
    steps: list[float] = field(default_factory=list)
    losses: list[float] = field(default_factory=list)
    val_steps: list[float] = field(default_factory=list)
    val_losses: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)
    train_accuracy: list[float] = field(default_factory=list)
    status: str = "new"
    message: str = ""
    overlay: bool = True
    #: The run's palette colour, kept for its life (deleting a run recolours no other); by
    #: default the one its id gives. :meth:`RunListModel.next_color` picks a free one.
    color_index: int = -1

    def __post_init__(self) -> None:
        if self.color_index < 0:
            self.color_index = (self.run_id - 1) % len(TABLEAU)

    def curves(self) -> CurveData:
        epochs = np.arange(1, len(self.val_accuracy) + 1, dtype=float)
        return CurveData(
            name=self.name,
            steps=np.asarray(self.steps, dtype=float),
            losses=np.asarray(self.losses, dtype=float),
            val_steps=np.asarray(self.val_steps, dtype=float),
            val_losses=np.asarray(self.val_losses, dtype=float),
            epochs=epochs,
            val_accuracy=np.asarray(self.val_accuracy, dtype=float),
            train_accuracy=np.asarray(self.train_accuracy, dtype=float),
            color_index=self.color_index,
        )

    def default_name(self, previous: Run | None = None) -> str:
        """``#3 spiral adam lr=0.005``, plus what differs from ``previous`` (``init zero``).

        The loss is named only when it is MSE (cross entropy is the default); the full
        configuration is in the run's tooltip.
        """
        c, m = self.config, self.model_config
        parts = [
            f"#{self.run_id}",
            str(self.dataset.get("kind", "")),
            str(c.get("optimizer", "")),
            f"lr={c.get('lr', 0):g}",
            "MSE" if c.get("loss") == "mse" else "",
        ]
        if previous is not None:
            sources = {"model": (m, previous.model_config), "config": (c, previous.config)}
            for where, key, text in NAME_DIFFS:
                mine, theirs = (d.get(key) for d in sources[where])
                if key == "momentum" and c.get("optimizer") != "momentum":
                    continue
                if mine is not None and theirs is not None and mine != theirs:
                    parts.append(text(mine))
        return " ".join(p for p in parts if p)[:MAX_NAME_LENGTH]

    def summary(self) -> str:
        """One line for the list: final validation accuracy and status."""
        parts = [self.name]
        if self.val_accuracy:
            parts.append(f"{100 * self.val_accuracy[-1]:.1f}%")
        if self.status not in ("done", "new"):
            parts.append(self.status)
        return " · ".join(parts)

    def describe(self) -> str:
        """A tooltip: the configuration the run was trained with."""
        lines = [f"<b>{self.name}</b>"]
        if self.dataset:
            lines.append("dataset: " + ", ".join(f"{k}={v}" for k, v in self.dataset.items()))
        if self.model_config:
            lines.append("model: " + ", ".join(f"{k}={v}" for k, v in self.model_config.items()))
        if self.config:
            lines.append("training: " + ", ".join(f"{k}={v}" for k, v in self.config.items()))
        if self.message:
            lines.append(self.message)
        return "<br>".join(lines)

    def to_dict(self) -> dict[str, Any]:
        stride = max(1, math.ceil(len(self.steps) / MAX_STORED_POINTS))
        return {
            "run_id": self.run_id,
            "name": self.name,
            "config": self.config,
            "model_config": self.model_config,
            "dataset": self.dataset,
            "steps": [float(v) for v in self.steps[::stride]],
            "losses": [float(v) for v in self.losses[::stride]],
            "val_steps": [float(v) for v in self.val_steps[:MAX_STORED_POINTS]],
            "val_losses": [float(v) for v in self.val_losses[:MAX_STORED_POINTS]],
            "val_accuracy": [float(v) for v in self.val_accuracy[:MAX_STORED_POINTS]],
            "train_accuracy": [float(v) for v in self.train_accuracy[:MAX_STORED_POINTS]],
            "status": self.status,
            "message": self.message,
            "overlay": self.overlay,
            "color_index": self.color_index,
        }

    @classmethod
    def from_dict(cls, data: Any) -> Run:
        """Validate a stored run (types, lengths, bounds); ValueError names the bad entry."""
        if not isinstance(data, dict):
            raise ValueError(f"a run must be an object; got {type(data).__name__}")
        run_id = data.get("run_id")
        if isinstance(run_id, bool) or not isinstance(run_id, int) or run_id < 0:
            raise ValueError(f"run_id must be a non-negative integer; got {run_id!r}")
        name = data.get("name")
        if not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME_LENGTH:
            raise ValueError(f"run name must be 1..{MAX_NAME_LENGTH} characters; got {name!r}")
        curves = {}
        for key in ("steps", "losses", "val_steps", "val_losses", "val_accuracy", "train_accuracy"):
            curves[key] = _float_list(data.get(key, []), key)
        if len(curves["steps"]) != len(curves["losses"]):
            raise ValueError("run 'steps' and 'losses' differ in length")
        if len(curves["val_steps"]) != len(curves["val_losses"]):
            raise ValueError("run 'val_steps' and 'val_losses' differ in length")
        dicts = {}
        for key in ("config", "model_config", "dataset"):
            value = data.get(key, {})
            if not isinstance(value, dict):
                raise ValueError(f"run {key!r} must be an object; got {value!r}")
            dicts[key] = value
        status = data.get("status", "done")
        if status not in STATUSES:
            raise ValueError(f"run status must be one of {', '.join(STATUSES)}; got {status!r}")
        if status in ("running", "paused", "new"):
            status = "stopped"  # a restored run has no live trainer behind it
        message = data.get("message", "")
        if not isinstance(message, str):
            raise ValueError(f"run message must be a string; got {message!r}")
        color_index = data.get("color_index", -1)
        if isinstance(color_index, bool) or not isinstance(color_index, int):
            raise ValueError(f"run color_index must be an integer; got {color_index!r}")
        if not -1 <= color_index < len(TABLEAU):
            raise ValueError(
                f"run color_index must be from 0 to {len(TABLEAU) - 1}; got {color_index!r}"
            )
        return cls(
            run_id=run_id,
            name=name,
            color_index=color_index,
            status=status,
            message=message[:500],
            overlay=bool(data.get("overlay", True)),
            **dicts,
            **curves,
        )


def parse_runs(data: Any) -> list[Run]:
    """Validate stored runs (a list of :meth:`Run.to_dict` objects, at most :data:`MAX_RUNS`)."""
    if not isinstance(data, list):
        raise ValueError(f"training runs must be a list; got {type(data).__name__}")
    if len(data) > MAX_RUNS:
        raise ValueError(f"training runs: {len(data)} stored, at most {MAX_RUNS} are allowed")
    try:
        return [Run.from_dict(item) for item in data]
    except ValueError as error:
        raise ValueError(f"training runs: {error}") from None


def _float_list(value: Any, key: str) -> list[float]:
    if not isinstance(value, list):
        raise ValueError(f"run {key!r} must be a list of numbers; got {type(value).__name__}")
    if len(value) > MAX_STORED_POINTS:
        raise ValueError(
            f"run {key!r} holds {len(value)} points; at most {MAX_STORED_POINTS} are allowed"
        )
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value):
        raise ValueError(f"run {key!r} must hold only numbers")
    numbers = [float(v) if abs(v) <= sys.float_info.max else math.inf for v in value]
    for index, number in enumerate(numbers):
        if not math.isfinite(number):  # a run never records one: the file was edited
            raise ValueError(
                f"run {key!r} holds {value[index]!r} at index {index}; curves hold finite numbers"
            )
    return numbers


class RunListModel(QAbstractListModel):
    """The runs of this session, newest last; checkable (overlay) and editable (rename)."""

    RunRole = Qt.ItemDataRole.UserRole + 1
    sigOverlayChanged = Signal()
    sigRenamed = Signal(int, str, str)  # run id, old name, new name

    def __init__(self, parent=None):
        super().__init__(parent)
        self._runs: list[Run] = []

    # -- Qt model ------------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008, N802 (Qt API)
        return 0 if parent.isValid() else len(self._runs)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._runs):
            return None
        run = self._runs[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return run.summary()
        if role == Qt.ItemDataRole.EditRole:
            return run.name
        if role == Qt.ItemDataRole.ToolTipRole:
            return run.describe()
        if role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if run.overlay else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.DecorationRole:
            return QColor(*color(run.color_index))  # the run's color in the plots
        if role == self.RunRole:
            return run
        return None

    def flags(self, index: QModelIndex):
        base = super().flags(index)
        if not index.isValid():
            return base
        return base | Qt.ItemFlag.ItemIsEditable | Qt.ItemFlag.ItemIsUserCheckable

    def setData(self, index: QModelIndex, value, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid():
            return False
        run = self._runs[index.row()]
        if role == Qt.ItemDataRole.EditRole:
            name = str(value).strip()[:MAX_NAME_LENGTH]
            if not name or name == run.name:
                return False
            old, run.name = run.name, name
        elif role == Qt.ItemDataRole.CheckStateRole:
            run.overlay = Qt.CheckState(value) == Qt.CheckState.Checked
        else:
            return False
        self.dataChanged.emit(index, index, [role, Qt.ItemDataRole.DisplayRole])
        self.sigOverlayChanged.emit()
        if role == Qt.ItemDataRole.EditRole:
            self.sigRenamed.emit(run.run_id, old, run.name)
        return True

    # -- runs ----------------------------------------------------------------------------
    def runs(self) -> list[Run]:
        return list(self._runs)

    def run_at(self, row: int) -> Run:
        return self._runs[row]

    def find(self, run_id: int) -> Run | None:
        return next((r for r in self._runs if r.run_id == run_id), None)

    def row_of(self, run_id: int) -> int:
        return next((i for i, r in enumerate(self._runs) if r.run_id == run_id), -1)

    def next_id(self) -> int:
        return max((r.run_id for r in self._runs), default=0) + 1

    def next_color(self) -> int:
        """The palette colour for the next run: one no listed run has (the least used once
        every colour is taken), trying them in order after the newest run's."""
        counts = [0] * len(TABLEAU)
        for run in self._runs:
            counts[run.color_index % len(TABLEAU)] += 1
        start = self._runs[-1].color_index + 1 if self._runs else 0
        order = [(start + i) % len(TABLEAU) for i in range(len(TABLEAU))]
        return min(order, key=lambda index: counts[index])

    def add(self, run: Run) -> None:
        """Append a run, dropping the oldest finished runs beyond :data:`MAX_RUNS`."""
        while len(self._runs) >= MAX_RUNS:
            self.remove(0)
        row = len(self._runs)
        self.beginInsertRows(QModelIndex(), row, row)
        self._runs.append(run)
        self.endInsertRows()
        self.sigOverlayChanged.emit()

    def remove(self, row: int) -> Run:
        self.beginRemoveRows(QModelIndex(), row, row)
        run = self._runs.pop(row)
        self.endRemoveRows()
        self.sigOverlayChanged.emit()
        return run

    def rename(self, row: int, name: str) -> bool:
        return self.setData(self.index(row), name, Qt.ItemDataRole.EditRole)

    def set_overlay(self, row: int, on: bool) -> None:
        state = Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
        self.setData(self.index(row), state, Qt.ItemDataRole.CheckStateRole)

    def touch(self, run_id: int) -> None:
        """Tell views a run's summary changed (new accuracy, new status)."""
        row = self.row_of(run_id)
        if row >= 0:
            index = self.index(row)
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole])

    def replace_all(self, runs: list[Run]) -> None:
        self.beginResetModel()
        self._runs = list(runs)[-MAX_RUNS:]
        self.endResetModel()
        self.sigOverlayChanged.emit()
