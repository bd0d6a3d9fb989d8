"""Per-feature standardization (zero mean, unit variance) fitted on the training part only."""

from __future__ import annotations

from typing import Any

import numpy as np

from explorer.data.dataset import DataError, Dataset

MAX_STANDARDIZER_FEATURES = 1 << 20


class Standardizer:
    """``(x - mean) / scale`` per feature, with ``mean`` and ``scale`` learnt by :meth:`fit`.

    A feature that never varies in the training data (e.g. the digits' blank corner pixels)
    gets ``scale = 1``, so it maps to 0 rather than dividing by zero.

    Examples
    --------
    >>> from explorer.data import Standardizer, load_digits, train_val_split
    >>> train, val = train_val_split(load_digits())
    >>> scaler = Standardizer().fit(train)
    >>> train, val = scaler.transform(train), scaler.transform(val)
    """

    def __init__(self, mean: np.ndarray | None = None, scale: np.ndarray | None = None):
        self.mean = None if mean is None else np.asarray(mean, dtype=np.float32)
        self.scale = None if scale is None else np.asarray(scale, dtype=np.float32)

    @property
    def fitted(self) -> bool:
        return self.mean is not None

    def fit(self, data: Dataset | np.ndarray) -> Standardizer:
        """Learn the mean and standard deviation of every column; returns ``self``."""
        x = np.asarray(data.x if isinstance(data, Dataset) else data)
        if x.ndim != 2 or x.shape[0] == 0:
            raise DataError(
                f"Standardizer.fit needs a non-empty (n, features) array; got shape {x.shape}"
            )
        # Blocks of about a million values keep the float64 temporaries at 8 MB for any data.
        rows = max(1, (1 << 20) // max(x.shape[1], 1))
        mean = np.zeros(x.shape[1], dtype=np.float64)
        for start in range(0, x.shape[0], rows):
            mean += x[start : start + rows].sum(axis=0, dtype=np.float64)
        mean /= x.shape[0]
        squares = np.zeros_like(mean)
        for start in range(0, x.shape[0], rows):
            centred = x[start : start + rows].astype(np.float64)
            centred -= mean
            squares += np.einsum("ij,ij->j", centred, centred)
        std = np.sqrt(squares / x.shape[0])
        self.mean = mean.astype(np.float32)
        self.scale = np.where(std > 1e-8 * np.maximum(1.0, np.abs(mean)), std, 1.0).astype(
            np.float32
        )
        return self

    def transform_array(self, x: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        """Standardize an ``(n, features)`` array (float32).

        ``out`` receives the result, as in numpy (``out=x`` standardizes ``x`` in place,
        without a second array of its size).
        """
        if self.mean is None:
            raise RuntimeError("Standardizer is not fitted; call fit() first")
        x = np.asarray(x, dtype=np.float32)
        if x.ndim != 2 or x.shape[1] != self.mean.shape[0]:
            raise DataError(
                f"Standardizer was fitted on {self.mean.shape[0]} features; "
                f"got an array of shape {x.shape}"
            )
        out = np.subtract(x, self.mean, out=out)
        return np.divide(out, self.scale, out=out)

    def transform(self, data: Dataset) -> Dataset:
        """A new dataset with standardized features and the same labels and metadata."""
        return data.with_x(self.transform_array(data.x))

    def inverse_transform_array(self, x: np.ndarray) -> np.ndarray:
        """Map standardized values back to the original units."""
        if self.mean is None:
            raise RuntimeError("Standardizer is not fitted; call fit() first")
        out = np.multiply(np.asarray(x, dtype=np.float32), self.scale)
        out += self.mean  # in place: one array of x's size, not two
        return out

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready ``{"mean": [...], "scale": [...]}`` (``None`` values when unfitted)."""
        return {
            "mean": None if self.mean is None else self.mean.tolist(),
            "scale": None if self.scale is None else self.scale.tolist(),
        }

    @classmethod
    def from_dict(cls, state: Any) -> Standardizer:
        """Rebuild from :meth:`to_dict` output, validating types, lengths and values."""
        if not isinstance(state, dict) or set(state) != {"mean", "scale"}:
            raise ValueError(
                f"standardizer state must be a dict with keys 'mean' and "
                f"'scale'; got {_describe(state)}"
            )
        mean, scale = state["mean"], state["scale"]
        if mean is None and scale is None:
            return cls()
        for key, values in (("mean", mean), ("scale", scale)):
            if not isinstance(values, list) or not 0 < len(values) <= MAX_STANDARDIZER_FEATURES:
                raise ValueError(
                    f"standardizer {key} must be a non-empty list of numbers; "
                    f"got {_describe(values)}"
                )
            if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
                raise ValueError(f"standardizer {key} must hold only numbers")
        if len(mean) != len(scale):
            raise ValueError(f"standardizer mean has {len(mean)} values but scale has {len(scale)}")
        mean_array = np.asarray(mean, dtype=np.float32)
        scale_array = np.asarray(scale, dtype=np.float32)
        if not (
            np.all(np.isfinite(mean_array))
            and np.all(np.isfinite(scale_array))
            and np.all(scale_array > 0)
        ):
            raise ValueError("standardizer values must be finite and every scale > 0")
        return cls(mean_array, scale_array)


def _describe(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else f"{type(value).__name__} {text[:57]}..."
