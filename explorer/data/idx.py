"""Read MNIST-format IDX files (images and labels, plain or gzip-compressed), safely.

The IDX header is checked before any array is allocated: the magic number (``0x00000803``
for images, ``0x00000801`` for labels; unsigned bytes only), the dimensions, the size the
header promises against a bound (:data:`MAX_IDX_BYTES`) and against the bytes actually in
the file (truncated or trailing data), and the images/labels counts against each other.
Every problem raises :class:`~explorer.data.dataset.DataError` naming the file.

Examples
--------
>>> from explorer.data import load_idx
>>> train = load_idx("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz")  # doctest: +SKIP
"""

from __future__ import annotations

import gzip
import os
import struct
import zlib
from pathlib import Path
from typing import BinaryIO

import numpy as np

from explorer.data.dataset import DataError, Dataset

IMAGES_MAGIC = 0x00000803
LABELS_MAGIC = 0x00000801
# About 1.3 times EMNIST's largest split: anything above is a corrupt header, not data.
MAX_IDX_BYTES = 1 << 30
_GZIP_MAGIC = b"\x1f\x8b"


def _open(path: Path) -> BinaryIO:
    with open(path, "rb") as probe:
        compressed = probe.read(2) == _GZIP_MAGIC
    return gzip.open(path, "rb") if compressed else open(path, "rb")


def _read_idx(path: Path, expected_magic: int, max_bytes: int) -> tuple[tuple[int, ...], bytes]:
    """Validate the header of ``path`` and return its dimensions and raw payload."""
    kind = "images" if expected_magic == IMAGES_MAGIC else "labels"
    try:
        stream = _open(path)
    except OSError as error:
        raise DataError(f"{path}: cannot open the file ({error.strerror or error})") from error
    try:
        with stream:
            head = stream.read(4)
            if len(head) < 4:
                raise DataError(f"{path}: file is too short to be an IDX file ({len(head)} bytes)")
            (magic,) = struct.unpack(">I", head)
            if magic != expected_magic:
                hint = ""
                if magic in (IMAGES_MAGIC, LABELS_MAGIC):
                    other = "an images" if magic == IMAGES_MAGIC else "a labels"
                    hint = f"; this looks like {other} file (were the two swapped?)"
                elif magic >> 16 == 0 and (magic >> 8) & 0xFF != 0x08:
                    hint = "; only unsigned-byte IDX data (type 0x08) is supported"
                raise DataError(
                    f"{path}: wrong magic number 0x{magic:08X} for an IDX {kind} file "
                    f"(expected 0x{expected_magic:08X}){hint}"
                )
            ndim = magic & 0xFF
            raw_dims = stream.read(4 * ndim)
            if len(raw_dims) < 4 * ndim:
                raise DataError(f"{path}: header is truncated (dimensions missing)")
            dims = struct.unpack(f">{ndim}I", raw_dims)
            if any(d == 0 for d in dims):
                raise DataError(f"{path}: header has a zero dimension {dims}")
            size = 1
            for d in dims:
                size *= d
            if size > max_bytes:
                raise DataError(
                    f"{path}: header dimensions {dims} would need {size:,} bytes, "
                    f"more than the limit of {max_bytes:,}; the header is probably corrupt"
                )
            header = 4 + 4 * ndim
            if not isinstance(stream, gzip.GzipFile):
                actual = os.fstat(stream.fileno()).st_size - header
                if actual != size:
                    problem = "truncated" if actual < size else "longer than its header says"
                    raise DataError(
                        f"{path}: data is {problem}: header dimensions {dims} need "
                        f"{size:,} bytes after the header, the file has {actual:,}"
                    )
            payload = stream.read(size)
            if len(payload) < size:
                raise DataError(
                    f"{path}: data is truncated: header dimensions {dims} need {size:,} bytes "
                    f"after the header, the file has {len(payload):,}"
                )
            if stream.read(1):
                raise DataError(
                    f"{path}: data is longer than its header says: header dimensions {dims} "
                    f"need {size:,} bytes after the header"
                )
    except (EOFError, gzip.BadGzipFile, zlib.error) as error:
        raise DataError(f"{path}: the gzip stream is corrupt or truncated ({error})") from error
    return dims, payload


def load_idx(
    images_path: str | os.PathLike,
    labels_path: str | os.PathLike,
    num_classes: int | None = 10,
    name: str | None = None,
    max_bytes: int = MAX_IDX_BYTES,
) -> Dataset:
    """Load an IDX images file and its labels file (MNIST, Fashion-MNIST, ...).

    Parameters
    ----------
    images_path, labels_path : path-like
        ``*-images-idx3-ubyte`` and ``*-labels-idx1-ubyte`` files, optionally gzip-compressed
        (detected from the content, not the name).
    num_classes : int or None, default 10
        Labels must lie in ``[0, num_classes)``; None infers ``max(label) + 1``.
    name : str, optional
        Dataset name; defaults to the images file's name.
    max_bytes : int
        Refuse headers promising more image bytes than this.

    Returns
    -------
    Dataset
        ``x`` float32 raw pixel values (0..255), ``feature_shape == (rows, cols)``.

    Raises
    ------
    DataError
        Naming the file and the problem (magic number, dimensions, truncation, size,
        count mismatch, label out of range).
    """
    images_path, labels_path = Path(images_path), Path(labels_path)
    if num_classes is not None and num_classes < 2:
        raise DataError(f"num_classes must be at least 2; got {num_classes}")
    dims, pixels = _read_idx(images_path, IMAGES_MAGIC, max_bytes)
    if len(dims) != 3:
        raise DataError(f"{images_path}: images must have 3 dimensions; header has {dims}")
    label_dims, raw_labels = _read_idx(labels_path, LABELS_MAGIC, max_bytes)
    count, rows, cols = dims
    if label_dims[0] != count:
        raise DataError(
            f"{labels_path}: has {label_dims[0]:,} labels but {images_path.name} has "
            f"{count:,} images"
        )
    labels = np.frombuffer(raw_labels, dtype=np.uint8).astype(np.int64)
    if num_classes is None:
        num_classes = max(int(labels.max()) + 1, 2)
    bad = np.flatnonzero(labels >= num_classes)
    if bad.size:
        raise DataError(
            f"{labels_path}: label {labels[bad[0]]} at index {bad[0]} is out of range for "
            f"{num_classes} classes ({bad.size:,} labels out of range)"
        )
    images = np.frombuffer(pixels, dtype=np.uint8).reshape(count, rows * cols)
    return Dataset(
        x=images.astype(np.float32),
        y=labels,
        num_classes=num_classes,
        name=name or images_path.name,
        feature_shape=(rows, cols),
    )
