"""The session's runs: each run's configuration and curves, as a Qt list model.

Runs are plain :class:`Run` records (JSON round trip via ``to_dict``/``from_dict``, sizes
bounded); :class:`RunListModel` shows them in a list view where a run is renamed by
editing its name and overlaid on the plots by ticking it.
"""

from __future__ import annotations

import html
import math
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePath
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
# How a run's default name says a setting that differs from the previous run's, by where the
# setting is kept; a setting not listed reads "key value".
NAME_PARTS: dict[str, dict[str, Callable[[Any], str]]] = {
    "dataset": {
        "kind": str,
        "val_fraction": lambda v: f"validation {v:.0%}",
        "standardize": lambda v: f"standardize {'on' if v else 'off'}",
        "path": lambda v: PurePath(str(v)).name,
        "images": lambda v: PurePath(str(v)).name,
        "labels": lambda v: PurePath(str(v)).name,
        "label_column": lambda v: f"label column {v}",
    },
    "model_config": {
        "hidden_sizes": lambda v: "hidden " + "-".join(str(h) for h in v),
        "activation": str,
        "init_weight": lambda v: f"init {v}",
        "init_bias": lambda v: f"bias init {v}",
        "dtype": str,
        "seed": lambda v: f"model seed {v}",
    },
    "config": {
        "loss": lambda v: "MSE" if v == "mse" else "cross entropy",
        "optimizer": str,
        "lr": lambda v: f"lr={v:g}",
        "batch_size": lambda v: f"batch {v}",
        "momentum": lambda v: f"momentum {v:g}",
        "weight_decay": lambda v: f"wd {v:g}",
        "epochs": lambda v: f"{v} epochs",
        "seed": lambda v: f"seed {v}",
        "shuffle": lambda v: f"shuffle {'on' if v else 'off'}",
        "val_fraction": lambda v: "",  # the dataset says it
    },
}
# A model's input and output widths follow the data: its kind says what changed.
UNNAMED = {"model_config": {"input_features", "output_features"}}


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
    #: Where its first weights came from when it continued from trained ones ("#3", a
    #: weights file's name); "" for fresh weights.
    continued_from: str = ""

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
        """A name that says what this run is: ``#1 spiral adam lr=0.005`` for a first run;
        after that, what differs from ``previous`` (``#4 standardize off``, ``#5 lr=0.01
        batch 8``, ``#6 continued from #5``), or ``#7 same as #6`` when nothing does.

        The full configuration is in the run's tooltip (:meth:`describe`).
        """
        if previous is None:
            c = self.config
            parts = [
                str(self.dataset.get("kind", "")),
                str(c.get("optimizer", "")),
                f"lr={c.get('lr', 0):g}",
                "MSE" if c.get("loss") == "mse" else "",
            ]
        else:
            parts = self._differences(previous)
        if self.continued_from:
            parts.append(f"continued from {self.continued_from}")
        elif previous is not None and previous.continued_from:
            parts.append("fresh weights")
        text = " ".join(p for p in parts if p)
        if not text:
            text = f"same as #{previous.run_id}"
        return f"#{self.run_id} {text}"[:MAX_NAME_LENGTH]

    def _differences(self, previous: Run) -> list[str]:
        """Each setting whose value differs from ``previous``'s, as the name says it."""
        parts = []
        same_data = self.dataset.get("kind") == previous.dataset.get("kind")
        for where, names in NAME_PARTS.items():
            mine, theirs = getattr(self, where), getattr(previous, where)
            for key in mine:
                value = mine[key]
                if key in UNNAMED.get(where, ()) or key not in theirs or value == theirs[key]:
                    continue
                if where == "dataset" and key != "kind" and not same_data:
                    continue  # another dataset's parameters: its kind says it
                if key == "momentum" and self.config.get("optimizer") != "momentum":
                    continue
                say = names.get(key, lambda v, key=key: f"{key.replace('_', ' ')} {v}")
                parts.append(say(value))
        return parts

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
        lines = []
        for title, values in (
            ("dataset", self.dataset),
            ("model", self.model_config),
            ("training", self.config),
        ):
            if values:
                lines.append(f"{title}: " + ", ".join(f"{k}={v}" for k, v in values.items()))
        if self.continued_from:
            lines.append(f"weights: continued from {self.continued_from}")
        elif self.config:
            lines.append("weights: fresh, from the seed")
        if self.message:
            lines.append(self.message)
        # Names and paths are the user's: shown as text, never as markup.
        return "<br>".join([f"<b>{html.escape(self.name)}</b>", *map(html.escape, lines)])

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
            "continued_from": self.continued_from,
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
        continued_from = data.get("continued_from", "")
        if not isinstance(continued_from, str) or len(continued_from) > MAX_NAME_LENGTH:
            raise ValueError(
                f"run continued_from must be a string of at most {MAX_NAME_LENGTH} characters; "
                f"got {continued_from!r}"[:300]
            )
        return cls(
            run_id=run_id,
            name=name,
            color_index=color_index,
            continued_from=continued_from,
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
