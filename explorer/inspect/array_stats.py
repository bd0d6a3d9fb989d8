"""Summary statistics and histograms of arrays, shared by the weight and activation views."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class ArrayStats:
    """What a glance at an array should tell: size, centre, spread, range and zeros."""

    count: int
    mean: float
    std: float
    min: float
    max: float
    zero_fraction: float

    @classmethod
    def of(cls, array: np.ndarray) -> ArrayStats:
        """Statistics of ``array`` (population std, as ``torch.std(unbiased=False)``)."""
        values = np.asarray(array)
        if values.size == 0:
            nan = float("nan")
            return cls(0, nan, nan, nan, nan, nan)
        # float64 accumulation keeps the mean of a large float32 weight honest.
        mean = float(values.mean(dtype=np.float64))
        std = float(values.std(dtype=np.float64))
        return cls(
            count=int(values.size),
            mean=mean,
            std=std,
            min=float(values.min()),
            max=float(values.max()),
            zero_fraction=float(np.count_nonzero(values == 0) / values.size),
        )


def histogram(
    array: np.ndarray, bins: int = 60, stats: ArrayStats | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """``(edges, counts)`` of ``array`` over its own range, ready for ``stepMode='center'``.

    Pass ``stats`` (of the same array) to reuse its min and max instead of another pass.
    A constant array (a zero-initialized bias) gets one bin of width 1 around its value
    instead of numpy's degenerate range.
    """
    values = np.asarray(array).ravel()
    if values.size == 0:
        return np.array([0.0, 1.0]), np.array([0.0])
    if stats is not None:
        low, high = stats.min, stats.max
    else:
        low, high = float(values.min()), float(values.max())
    if not np.isfinite(low) or not np.isfinite(high):
        values = values[np.isfinite(values)]
        if values.size == 0:
            return np.array([0.0, 1.0]), np.array([0.0])
        low, high = float(values.min()), float(values.max())
    if low == high:
        return np.array([low - 0.5, high + 0.5]), np.array([float(values.size)])
    counts, edges = np.histogram(values, bins=bins, range=(low, high))
    return edges, counts.astype(float)


def symmetric_limit(array: np.ndarray, stats: ArrayStats | None = None) -> float:
    """Colour limit for a diverging map centred on 0: 3 RMS, capped at the largest |value|.

    Using the RMS rather than the maximum keeps the bulk of the weights visible when a few
    outliers are large. With ``stats`` of the same array it costs no pass over the data
    (RMS² = std² + mean²).
    """
    stats = stats if stats is not None else ArrayStats.of(array)
    if stats.count == 0:
        return 1.0
    peak = max(abs(stats.min), abs(stats.max))
    rms = float(np.sqrt(stats.std**2 + stats.mean**2))
    limit = min(peak, 3.0 * rms)
    return limit if limit > 0 and np.isfinite(limit) else 1.0
