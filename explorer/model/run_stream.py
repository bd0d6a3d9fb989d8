"""The runs' live reports for any view: :class:`RunStream` (plain Python, no Qt).

The Training tab publishes what its training process reports about the model: which run is
live, what the model's units compute (the latest ``network`` picture of a ``view`` message)
and each layer's health (``records`` messages, kept per run in a
:class:`~explorer.inspect.layer_history.LayerHistory`). Any other view binds to its events
and never to the Training tab. The model document owns one (``document.run_stream``)::

    >>> stream = RunStream()
    >>> seen = []
    >>> stream.runs_changed.connect(lambda: seen.append(stream.names()))
    >>> stream.start(1, "#1 spiral adam")
    >>> stream.add_records(1, {"layers": ["linear1", "linear2"],
    ...     "scalars": {"step": [1], "grad_norm": [[1.0, 2.0]], "weight_norm": [[3.0, 4.0]],
    ...                 "update_norm": [[0.003, 0.004]]}})
    >>> seen[-1], stream.history(1).num_scalars
    ({1: '#1 spiral adam'}, 1)
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from explorer.inspect.layer_history import LayerHistory
from explorer.model.events import Event

#: Runs whose histories are kept (the oldest go first), as many as the runs list keeps.
MAX_HISTORIES = 50


class RunStream:
    """The live run and the recorded runs' layer histories.

    Events
    ------
    run_started(run_id)
        A run began (it is :attr:`live` and :attr:`selected`).
    picture(run_id, picture)
        The live run's latest :func:`~explorer.inspect.network.network_picture` (a dict).
    recorded(run_id)
        A run's history grew.
    run_stopped(run_id, reason)
        The live run stopped stepping (``paused``, ``stopped``, ``done``, ``diverged``,
        ``error``); a paused run stays :attr:`live`.
    runs_changed()
        A history was added, renamed, removed or restored.
    selection_changed(run_id)
        The run whose history the views show (None: none).
    """

    def __init__(self) -> None:
        self.run_started = Event()
        self.picture = Event()
        self.recorded = Event()
        self.run_stopped = Event()
        self.runs_changed = Event()
        self.selection_changed = Event()
        self._names: dict[int, str] = {}
        self._histories: dict[int, LayerHistory] = {}
        self.live: int | None = None
        self.selected: int | None = None
        self.latest_picture: dict[str, Any] | None = None

    # -- reading ----------------------------------------------------------------------------
    def names(self) -> dict[int, str]:
        """Run id -> name of every run with a history, oldest first."""
        return {run_id: self._names.get(run_id, f"#{run_id}") for run_id in self._histories}

    def history(self, run_id: int | None) -> LayerHistory | None:
        return None if run_id is None else self._histories.get(run_id)

    def histories(self) -> dict[int, LayerHistory]:
        return dict(self._histories)

    # -- publishing (the Training tab) ------------------------------------------------------
    def start(self, run_id: int, name: str) -> None:
        """Run ``run_id`` (called ``name``) began: it is live and selected."""
        self._names[run_id] = name
        self.live = run_id
        self.latest_picture = None
        self.run_started.emit(run_id)
        self.select(run_id)

    def add_picture(self, run_id: int, picture: dict[str, Any]) -> None:
        if run_id == self.live:
            self.latest_picture = picture
            self.picture.emit(run_id, picture)

    def add_records(self, run_id: int, records: dict[str, Any]) -> None:
        """A ``records`` message of run ``run_id``: its history grows (made on the first)."""
        history = self._histories.get(run_id)
        new = history is None
        if new:
            history = LayerHistory(records["layers"])
            self._histories[run_id] = history
            while len(self._histories) > MAX_HISTORIES:
                oldest = next(iter(self._histories))
                del self._histories[oldest]
                self._names.pop(oldest, None)
        history.extend(records)
        if new:
            self.runs_changed.emit()
        self.recorded.emit(run_id)

    def stop(self, run_id: int, reason: str) -> None:
        if run_id == self.live:
            if reason != "paused":
                self.live = None
            self.run_stopped.emit(run_id, reason)

    def rename(self, run_id: int, name: str) -> None:
        if self._names.get(run_id) != name:
            self._names[run_id] = name
            if run_id in self._histories:
                self.runs_changed.emit()

    def forget(self, run_id: int) -> None:
        """Run ``run_id`` was deleted: its history goes too."""
        self._names.pop(run_id, None)
        if self._histories.pop(run_id, None) is not None:
            self.runs_changed.emit()
        if self.selected == run_id:
            self.select(None)

    def keep_only(self, run_ids: Iterable[int]) -> None:
        """Forget every run but ``run_ids`` (the runs list was replaced)."""
        keep = set(run_ids)
        for run_id in [r for r in self._histories if r not in keep]:
            self.forget(run_id)

    # -- choosing and restoring (any view) --------------------------------------------------
    def select(self, run_id: int | None) -> None:
        """Show run ``run_id``'s history (None: none)."""
        if run_id != self.selected:
            self.selected = run_id
            self.selection_changed.emit(run_id)

    def restore(self, histories: dict[int, tuple[str, LayerHistory]]) -> None:
        """Replace every history (a session was opened); nothing is live."""
        self._histories = {run_id: history for run_id, (_, history) in histories.items()}
        self._names = {run_id: name for run_id, (name, _) in histories.items()}
        self.live = None
        self.latest_picture = None
        self.runs_changed.emit()
        last = next(reversed(self._histories), None)
        self.select(self.selected if self.selected in self._histories else last)
