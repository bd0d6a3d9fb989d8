"""The :class:`Dataset` every loader returns and every trainer consumes, and :class:`DataError`.

A dataset is a float32 feature matrix ``x`` of shape ``(n, features)`` with int64 class labels
``y`` in ``[0, num_classes)``. ``feature_shape`` says how one row is laid out for display
(``(2,)`` for points in the plane, ``(8, 8)`` for the digits images), ``class_names`` how the
classes are labelled. Construction validates everything, so code downstream can trust it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from explorer.io.npz import first_non_finite


class DataError(ValueError):
    """A data file or array that cannot be used; the message names the file and the problem."""


@dataclass(eq=False)
class Dataset:
    """Features and integer class labels for classification.

    Parameters
    ----------
    x : array_like, shape (n, features)
        Finite feature values, stored as C-contiguous float32.
    y : array_like, shape (n,)
        Integer class labels in ``[0, num_classes)``, stored as int64.
    num_classes : int
        Number of classes (at least 2).
    name : str
        Human-readable name, e.g. ``"spiral"``.
    feature_shape : tuple of int, optional
        How one row of ``x`` is laid out, e.g. ``(8, 8)`` for images. Defaults to
        ``(features,)``; its product must equal ``features``.
    class_names : list of str, optional
        One name per class; defaults to ``["0", "1", ...]``.

    Raises
    ------
    DataError
        If shapes, dtypes, label range or names are inconsistent (the message says which).
    """

    x: np.ndarray
    y: np.ndarray
    num_classes: int
    name: str = "dataset"
    feature_shape: tuple[int, ...] | None = None
    class_names: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        x = np.asarray(self.x)
        y = np.asarray(self.y)
        if x.ndim != 2:
            raise DataError(f"{self.name}: x must be 2-D (n, features); got shape {x.shape}")
        if x.dtype.kind not in "biuf":
            raise DataError(f"{self.name}: x must be numeric; got dtype {x.dtype}")
        if y.ndim != 1:
            raise DataError(f"{self.name}: y must be 1-D (n,); got shape {y.shape}")
        if x.shape[0] != y.shape[0]:
            raise DataError(f"{self.name}: x has {x.shape[0]} rows but y has {y.shape[0]} labels")
        if x.shape[0] == 0:
            raise DataError(f"{self.name}: the dataset is empty")
        if x.shape[1] == 0:
            raise DataError(f"{self.name}: x has no feature columns")
        if y.dtype.kind not in "iu":
            if y.dtype.kind == "f" and np.all(np.isfinite(y)) and np.all(y == np.round(y)):
                y = y.astype(np.int64)
            else:
                raise DataError(f"{self.name}: labels must be integers; got dtype {y.dtype}")
        if not isinstance(self.num_classes, int | np.integer) or self.num_classes < 2:
            raise DataError(
                f"{self.name}: num_classes must be an integer >= 2; got {self.num_classes!r}"
            )
        self.num_classes = int(self.num_classes)
        low, high = int(y.min()), int(y.max())
        if low < 0 or high >= self.num_classes:
            bad = low if low < 0 else high
            raise DataError(
                f"{self.name}: label {bad} is out of range for {self.num_classes} classes "
                f"(labels must be 0..{self.num_classes - 1})"
            )
        x = np.ascontiguousarray(x, dtype=np.float32)
        bad = first_non_finite(x)  # in blocks: no temporary as large as x
        if bad is not None:
            raise DataError(f"{self.name}: x has a non-finite value (NaN or inf) in row {bad[0]}")
        self.x = x
        self.y = np.ascontiguousarray(y, dtype=np.int64)
        features = x.shape[1]
        shape = (features,) if self.feature_shape is None else tuple(self.feature_shape)
        if any(not isinstance(n, int | np.integer) or n < 1 for n in shape) or (
            math.prod(shape) != features
        ):
            raise DataError(f"{self.name}: feature_shape {shape} does not hold {features} features")
        self.feature_shape = tuple(int(n) for n in shape)
        names = list(self.class_names) or [str(i) for i in range(self.num_classes)]
        if len(names) != self.num_classes:
            raise DataError(
                f"{self.name}: {len(names)} class names given for {self.num_classes} classes"
            )
        self.class_names = [str(n) for n in names]

    def __len__(self) -> int:
        return int(self.x.shape[0])

    def __repr__(self) -> str:
        return (
            f"Dataset(name={self.name!r}, n={len(self)}, features={self.num_features}, "
            f"feature_shape={self.feature_shape}, num_classes={self.num_classes})"
        )

    @property
    def num_features(self) -> int:
        """Number of feature columns (the model's input size)."""
        return int(self.x.shape[1])

    @property
    def is_2d(self) -> bool:
        """True for points in the plane, whose decision regions can be drawn."""
        return self.num_features == 2

    @property
    def is_image(self) -> bool:
        """True when each row is an image (``feature_shape`` has two dimensions)."""
        return len(self.feature_shape) == 2

    def summary(self) -> str:
        """One line for a status bar, e.g. ``spiral: 900 samples, 2 features, 3 classes``."""
        shape = "x".join(map(str, self.feature_shape))
        features = f"{shape} images" if self.is_image else f"{self.num_features} features"
        counts = "/".join(str(c) for c in self.class_counts())
        return (
            f"{self.name}: {len(self):,} samples, {features}, {self.num_classes} classes ({counts})"
        )

    def class_counts(self) -> np.ndarray:
        """Number of samples of each class, shape ``(num_classes,)``."""
        return np.bincount(self.y, minlength=self.num_classes)

    def subset(self, indices: np.ndarray, name: str | None = None) -> Dataset:
        """A new dataset holding the rows ``indices`` (copied), with the same metadata."""
        indices = np.asarray(indices, dtype=np.int64)
        return self.with_x(self.x[indices], y=self.y[indices], name=name)

    def with_x(
        self, x: np.ndarray, y: np.ndarray | None = None, name: str | None = None
    ) -> Dataset:
        """A new dataset with features ``x`` (and optionally labels ``y``), same metadata."""
        return Dataset(
            x=x,
            y=self.y if y is None else y,
            num_classes=self.num_classes,
            name=self.name if name is None else name,
            feature_shape=self.feature_shape,
            class_names=list(self.class_names),
        )
