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
    nan_count: int = 0
    inf_count: int = 0

    @property
    def finite(self) -> bool:
        """True when no value is NaN or infinite."""
        return self.nan_count == 0 and self.inf_count == 0

    @classmethod
    def of(cls, array: np.ndarray) -> ArrayStats:
        """Statistics of ``array`` (population std, as ``torch.std(unbiased=False)``).

        NaN and infinite values (a diverged training run) give what torch would print for
        the same tensor (``nan``, ``inf``), without numpy warnings, and are counted.
        """
        values = np.asarray(array)
        if values.size == 0:
            nan = float("nan")
            return cls(0, nan, nan, nan, nan, nan)
        # float64 accumulation keeps the mean of a large float32 weight honest.
        with np.errstate(invalid="ignore", over="ignore"):
            mean = float(values.mean(dtype=np.float64))
            std = float(values.std(dtype=np.float64))
        nan_count = inf_count = 0
        if not np.isfinite(mean):  # only then can a value be non-finite: skip the pass
            nan_count = int(np.count_nonzero(np.isnan(values)))
            inf_count = int(np.count_nonzero(np.isinf(values)))
        return cls(
            count=int(values.size),
            mean=mean,
            std=std,
            min=float(values.min()),
            max=float(values.max()),
            zero_fraction=float(np.count_nonzero(values == 0) / values.size),
            nan_count=nan_count,
            inf_count=inf_count,
        )

    def nonfinite_text(self) -> str:
        """``"3 nan, 2 inf"`` for the values that are not finite; ``""`` when all are."""
        counts = ((self.nan_count, "nan"), (self.inf_count, "inf"))
        return ", ".join(f"{count:,} {name}" for count, name in counts if count)


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
    if not np.isfinite(high - low):  # a float64 range wider than float64 can hold
        return np.array([low, high]), np.array([float(values.size)])
    counts, edges = np.histogram(values, bins=bins, range=(low, high))
    return edges, counts.astype(float)


def symmetric_limit(array: np.ndarray, stats: ArrayStats | None = None) -> float:
    """Colour limit for a diverging map centred on 0: 3 RMS, capped at the largest |value|.

    Using the RMS rather than the maximum keeps the bulk of the weights visible when a few
    outliers are large; NaN and infinite values are left out. With ``stats`` of the same
    array it costs no pass over the data (RMS² = std² + mean²).
    """
    stats = stats if stats is not None else ArrayStats.of(array)
    if stats.count == 0:
        return 1.0
    if not stats.finite:  # the colours describe the finite values; NaN and inf lie outside
        finite = np.asarray(array)[np.isfinite(array)]
        return symmetric_limit(finite) if finite.size else 1.0
    peak = max(abs(stats.min), abs(stats.max))
    rms = float(np.hypot(stats.std, stats.mean))  # no overflow for huge float64 weights
    limit = min(peak, 3.0 * rms)
    return limit if limit > 0 and np.isfinite(limit) else 1.0
