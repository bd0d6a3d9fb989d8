"""The 8 x 8 handwritten digits shipped in ``resources/digits.npz`` (no network needed).

1,797 images from the UCI "Optical Recognition of Handwritten Digits" test set
(Alpaydin & Kaynak, 1998; CC BY 4.0; see ``resources/digits-LICENSE.txt``): each pixel counts
the "on" pixels of a 4 x 4 block of a 32 x 32 bitmap, so values are integers 0..16.
"""

from __future__ import annotations

import numpy as np

from explorer.data.dataset import DataError, Dataset
from explorer.resources import resource_path

DIGITS_RESOURCE = "digits.npz"
DIGITS_MAX_PIXEL = 16


def load_digits() -> Dataset:
    """Load the digits as a :class:`Dataset` of 64 float32 features (0..16), shape (8, 8).

    Returns
    -------
    Dataset
        ``x`` of shape (1797, 64), ``y`` in 0..9, ``feature_shape == (8, 8)``,
        ``class_names == ["0", ..., "9"]``. Pixel values are left unscaled (0..16); use
        :class:`~explorer.data.Standardizer` before training.
    """
    path = resource_path(DIGITS_RESOURCE)
    with np.load(path, allow_pickle=False) as archive:
        if set(archive.files) != {"images", "labels"}:
            raise DataError(
                f"{path}: expected arrays 'images' and 'labels'; found {sorted(archive.files)}"
            )
        images = archive["images"]
        labels = archive["labels"]
    if images.ndim != 3 or images.shape[1:] != (8, 8):
        raise DataError(f"{path}: images must have shape (n, 8, 8); got {images.shape}")
    return Dataset(
        x=images.reshape(len(images), 64).astype(np.float32),
        y=labels.astype(np.int64),
        num_classes=10,
        name="digits",
        feature_shape=(8, 8),
        class_names=[str(d) for d in range(10)],
    )
