"""A growing (x, y) series in preallocated arrays, with a debiased EMA kept incrementally."""

from __future__ import annotations

import numpy as np


class GrowingSeries:
    """Append-only x/y arrays that double their capacity instead of reallocating per point.

    The debiased exponential moving average TensorBoard draws is updated as points arrive,
    so a long live run never re-smooths its whole history on each frame.
    """

    def __init__(self, capacity: int = 1024, smoothing: float = 0.0):
        self._x = np.empty(capacity, dtype=np.float64)
        self._y = np.empty(capacity, dtype=np.float64)
        self._smooth = np.empty(capacity, dtype=np.float64)
        self._n = 0
        self._weight = float(smoothing)
        self._ema = 0.0

    def __len__(self) -> int:
        return self._n

    @property
    def x(self) -> np.ndarray:
        return self._x[: self._n]

    @property
    def y(self) -> np.ndarray:
        return self._y[: self._n]

    @property
    def smoothed(self) -> np.ndarray:
        return self._smooth[: self._n]

    @property
    def smoothing(self) -> float:
        return self._weight

    def clear(self) -> None:
        self._n = 0
        self._ema = 0.0

    def extend(self, x, y) -> None:
        x = np.asarray(x, dtype=np.float64).ravel()
        y = np.asarray(y, dtype=np.float64).ravel()
        if x.shape != y.shape:
            raise ValueError(f"x and y differ in length: {x.size} != {y.size}")
        needed = self._n + x.size
        if needed > self._x.size:
            capacity = max(needed, 2 * self._x.size)
            for name in ("_x", "_y", "_smooth"):
                grown = np.empty(capacity, dtype=np.float64)
                grown[: self._n] = getattr(self, name)[: self._n]
                setattr(self, name, grown)
        start = self._n
        self._x[start:needed] = x
        self._y[start:needed] = y
        self._n = needed
        self._smooth_from(start)

    def set_smoothing(self, weight: float) -> None:
        """Change the EMA weight in [0, 1) and re-smooth the whole series once."""
        if not 0.0 <= weight < 1.0:
            raise ValueError(f"smoothing must be in [0, 1); got {weight!r}")
        self._weight = float(weight)
        self._ema = 0.0
        self._smooth_from(0)

    def _smooth_from(self, start: int) -> None:
        w = self._weight
        ema = self._ema
        y = self._y
        out = self._smooth
        # Debiasing divides by 1 - w**t, t counted from the first point, as TensorBoard does.
        for i in range(start, self._n):
            ema = ema * w + (1.0 - w) * y[i]
            debias = 1.0 - w ** (i + 1)
            out[i] = ema / debias if debias > 0 else y[i]
        self._ema = ema
