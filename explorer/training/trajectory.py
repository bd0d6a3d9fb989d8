"""The weights a training run went through, one point per epoch: its trajectory.

The loss landscape's PCA directions are the main axes of this path, and the path is drawn on
the plane they span (:mod:`explorer.model.landscape`). A point is the model's parameters as
one vector (:func:`weight_vector`, in ``named_parameters`` order); the run's first point is
its starting weights. Memory is bounded: past :data:`MAX_BYTES` every other point is dropped
(the first and the last are kept), so a long run keeps an evenly thinned path.

>>> from explorer.model.config import MLPConfig
>>> model = MLPConfig(input_features=2, hidden_sizes=(4,), output_features=2).build()
>>> path = WeightTrajectory()
>>> path.begin(weight_vector(model))
>>> path.record(1, weight_vector(model))
>>> len(path), path.epochs().tolist()
(2, [0, 1])
"""

from __future__ import annotations

import numpy as np

from explorer.engine import nn
from explorer.model.document import Event
from explorer.model.landscape import flatten, parameter_arrays

MAX_BYTES = 64 * 2**20


def weight_vector(model: nn.Module) -> np.ndarray:
    """The model's parameters as one float32 vector, in ``named_parameters`` order."""
    return flatten(parameter_arrays(model)).astype(np.float32)


class WeightTrajectory:
    """Points of a run's path through weight space, with the epoch each was taken at.

    ``changed()`` is emitted after every change (plain callbacks, in the caller's thread).
    """

    def __init__(self, max_bytes: int = MAX_BYTES):
        self.changed = Event()
        self._max_bytes = int(max_bytes)
        self._points: list[np.ndarray] = []
        self._epochs: list[int] = []

    def __len__(self) -> int:
        return len(self._points)

    def clear(self) -> None:
        if self._points:
            self._points, self._epochs = [], []
            self.changed.emit()

    def begin(self, vector: np.ndarray) -> None:
        """Start a new path at ``vector``, the run's starting weights (epoch 0)."""
        self._points, self._epochs = [], []
        self.record(0, vector)

    def record(self, epoch: int, vector: np.ndarray) -> None:
        """Add the weights after ``epoch``; a vector of another size starts the path anew
        (the model changed shape)."""
        vector = np.asarray(vector, dtype=np.float32).ravel().copy()
        if self._points and len(vector) != len(self._points[0]):
            self._points, self._epochs = [], []
        self._points.append(vector)
        self._epochs.append(int(epoch))
        if len(self._points) > 2 and len(self._points) * vector.nbytes > self._max_bytes:
            keep = list(range(0, len(self._points) - 1, 2)) + [len(self._points) - 1]
            self._points = [self._points[i] for i in keep]
            self._epochs = [self._epochs[i] for i in keep]
        self.changed.emit()

    def points(self) -> np.ndarray:
        """The path, shape (n, parameters), float32 (empty: shape (0, 0))."""
        return np.stack(self._points) if self._points else np.zeros((0, 0), np.float32)

    def epochs(self) -> np.ndarray:
        """The epoch of each point (0: the starting weights)."""
        return np.array(self._epochs, dtype=np.int64)
