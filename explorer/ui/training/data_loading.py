"""The Training tab's data: read the chosen dataset and split it, files off the GUI thread.

Built-in datasets (synthetic, digits) take milliseconds and are ready at once. A file (an
MNIST-sized IDX pair: about a second to decompress, split and standardize) is read by a
:class:`~explorer.ui.background.BackgroundCall` while the window stays responsive; the newest
request wins, and an older one's result is dropped. The last split is kept, so a Start with
the same data, validation share, seed and standardization does not split it again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Signal

from explorer.data import Dataset, Standardizer
from explorer.training import TrainingConfig, prepare_data
from explorer.ui.background import BackgroundCall


@dataclass(frozen=True)
class PreparedData:
    """A dataset and its split (``scaler`` is None without standardization); ``raw_val``
    is the validation features in the data's own units (what the plots show)."""

    dataset: Dataset
    train: Dataset
    val: Dataset
    scaler: Standardizer | None
    raw_val: np.ndarray
    key: tuple[Any, ...]


def split_key(dataset: Dataset, config: TrainingConfig, standardize: bool) -> tuple[Any, ...]:
    """What a split depends on: the dataset itself, the validation share, seed, scaling."""
    return (id(dataset), config.val_fraction, config.seed, bool(standardize))


def prepare(dataset: Dataset, config: TrainingConfig, standardize: bool) -> PreparedData:
    train, val, scaler = prepare_data(dataset, config, standardize)
    raw_val = val.x if scaler is None else scaler.inverse_transform_array(val.x)
    return PreparedData(
        dataset, train, val, scaler, raw_val, split_key(dataset, config, standardize)
    )


class DataLoading(QObject):
    """Loads and splits the chosen dataset; results come back by signal."""

    sigLoaded = Signal(object)  # PreparedData
    sigFailed = Signal(object)  # the exception (DataError, ValueError or OSError)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._call = BackgroundCall(self)
        self._call.sigDone.connect(self._on_call_done)
        self._call.sigFailed.connect(self._on_call_failed)
        self._pending: Callable[[], PreparedData] | None = None
        self._dropped = False  # the running call's result is no longer wanted

    def is_loading(self) -> bool:
        return self._call.is_running()

    def request(
        self,
        load: Callable[[], Dataset],
        config: TrainingConfig,
        standardize: bool,
        background: bool,
    ) -> None:
        """Load with ``load()`` and split: at once (``background`` False: the signal is
        emitted before this returns) or in a thread."""

        def job() -> PreparedData:
            return prepare(load(), config, standardize)

        self._dropped = False

        if not background and not self.is_loading():
            self._pending = None
            try:
                result = job()
            except (ValueError, OSError) as error:  # DataError is a ValueError
                self.sigFailed.emit(error)
                return
            self.sigLoaded.emit(result)
            return
        if self.is_loading():
            self._pending = job  # runs when the current call ends; that one's result is stale
            return
        self._call.start(job)

    def split(self, data: PreparedData, config: TrainingConfig, standardize: bool) -> PreparedData:
        """``data`` split for ``config`` and ``standardize``: itself if nothing changed."""
        if data.key == split_key(data.dataset, config, standardize):
            return data
        return prepare(data.dataset, config, standardize)

    def cancel(self) -> None:
        """Forget what was asked for: a load under way ends without a signal."""
        self._pending = None
        self._dropped = self.is_loading()

    def shutdown(self) -> None:
        self._pending = None
        self._call.wait()

    def _on_call_done(self, result: PreparedData) -> None:
        if not self._next() and not self._dropped:
            self.sigLoaded.emit(result)
        self._dropped = False

    def _on_call_failed(self, error) -> None:
        dropped, self._dropped = self._dropped, False
        if not self._next() and not dropped:
            if not isinstance(error, (ValueError, OSError)):
                error = ValueError(f"{type(error).__name__}: {error}")
            self.sigFailed.emit(error)

    def _next(self) -> bool:
        """Start the newest request that waited, if any (the result just in is stale)."""
        job, self._pending = self._pending, None
        if job is None:
            return False
        self._call.start(job)
        return True
