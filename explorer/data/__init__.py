"""Datasets for the Training tab and the CLI (numpy only, no Qt).

- :class:`Dataset`: float32 features ``x`` (n, features), int64 labels ``y``, ``num_classes``,
  ``name``, ``feature_shape``, ``class_names``; validated on construction.
- Synthetic 2-D data: :func:`make_spiral`, :func:`make_moons`, :func:`make_circles`,
  :func:`make_xor`, :func:`make_blobs`; :data:`SYNTHETIC_DATASETS` describes each generator's
  parameters; :func:`make_synthetic` validates and generates by name.
- Files: :func:`load_digits` (shipped 8 x 8 digits), :func:`load_idx` (MNIST IDX, plain or
  .gz), :func:`load_csv`. Loaders raise :class:`DataError` (a ValueError) naming the file.
- :func:`train_val_split` and :class:`Standardizer`.
"""

from explorer.data.csvfile import load_csv
from explorer.data.dataset import DataError, Dataset
from explorer.data.digits import load_digits
from explorer.data.idx import load_idx
from explorer.data.split import train_val_split
from explorer.data.standardize import Standardizer
from explorer.data.synthetic import (
    SYNTHETIC_DATASETS,
    ParamSpec,
    SyntheticSpec,
    make_blobs,
    make_circles,
    make_moons,
    make_spiral,
    make_synthetic,
    make_xor,
)

__all__ = [
    "SYNTHETIC_DATASETS",
    "DataError",
    "Dataset",
    "ParamSpec",
    "Standardizer",
    "SyntheticSpec",
    "load_csv",
    "load_digits",
    "load_idx",
    "make_blobs",
    "make_circles",
    "make_moons",
    "make_spiral",
    "make_synthetic",
    "make_xor",
    "train_val_split",
]
