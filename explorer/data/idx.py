"""Read MNIST-format IDX files (images and labels, plain or gzip-compressed), safely.

The IDX header is checked before any array is allocated: the magic number (``0x00000803``
for images, ``0x00000801`` for labels; unsigned bytes only), the dimensions, the size the
header promises against a bound (:data:`MAX_IDX_BYTES`) and against the bytes actually in
the file (truncated or trailing data), the images/labels counts against each other, and the
memory that loading, splitting, standardizing and training on the images would take
against a memory budget (:mod:`explorer.data.memory`; default a quarter of the machine's
RAM). Only regular files are read
(:func:`~explorer.io.bounded.open_bounded`); pixels are decoded in blocks straight into the
float32 array the dataset keeps. Every problem raises
:class:`~explorer.data.dataset.DataError` naming the file.

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
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np

from explorer.data.dataset import DataError, Dataset
from explorer.data.memory import check_memory_budget, working_set
from explorer.io.bounded import FileRefusedError, open_bounded

IMAGES_MAGIC = 0x00000803
LABELS_MAGIC = 0x00000801
# About 1.3 times EMNIST's largest split: anything above is a corrupt header, not data.
MAX_IDX_BYTES = 1 << 30
_GZIP_MAGIC = b"\x1f\x8b"


_BLOCK = 1 << 20  # pixels decoded per step: the only uint8 buffer held


@dataclass
class _Idx:
    """An IDX file whose header has been read and checked; ``stream`` is at the data."""

    path: Path
    dims: tuple[int, ...]
    stream: BinaryIO  # the file, or a gzip reader of it
    file: BinaryIO
    size: int  # data bytes the header promises

    def read_exactly(self, target: memoryview) -> None:
        """Fill ``target`` from the data (DataError if it ends first)."""
        filled = 0
        while filled < len(target):
            count = self.stream.readinto(target[filled:])
            if not count:
                raise DataError(
                    f"{self.path}: data is truncated: header dimensions {self.dims} need "
                    f"{self.size:,} bytes after the header, the file has {filled:,}"
                )
            filled += count

    def check_end(self) -> None:
        if self.stream.read(1):
            raise DataError(
                f"{self.path}: data is longer than its header says: header dimensions "
                f"{self.dims} need {self.size:,} bytes after the header"
            )

    def close(self) -> None:
        self.stream.close()  # a GzipFile leaves the file it was given open
        self.file.close()


# What a damaged gzip stream or a file that changes while read raises.
_CORRUPT = (EOFError, gzip.BadGzipFile, zlib.error, OSError)


def _open_idx(path: Path, expected_magic: int, max_bytes: int) -> _Idx:
    """Open ``path`` (plain or gzip) and validate its header; the caller closes it."""
    # A gzip of incompressible data is slightly larger than the data.
    try:
        raw = open_bounded(path, max_bytes + (max_bytes >> 6) + (1 << 20))
    except FileRefusedError as error:
        raise DataError(f"{path}: cannot open the file: {error.reason}") from None
    try:
        compressed = raw.read(2) == _GZIP_MAGIC
        raw.seek(0)
        stream = gzip.GzipFile(fileobj=raw, mode="rb") if compressed else raw
        dims, size = _read_header(path, stream, expected_magic, max_bytes)
        if not compressed:
            actual = os.fstat(raw.fileno()).st_size - (4 + 4 * len(dims))
            if actual != size:
                problem = "truncated" if actual < size else "longer than its header says"
                raise DataError(
                    f"{path}: data is {problem}: header dimensions {dims} need "
                    f"{size:,} bytes after the header, the file has {actual:,}"
                )
    except BaseException as error:
        raw.close()
        if isinstance(error, _CORRUPT):
            raise _corrupt(path, error) from None
        raise
    return _Idx(path, dims, stream, raw, size)


def _corrupt(path: Path, error: BaseException) -> DataError:
    if isinstance(error, FileRefusedError):
        return DataError(f"{path}: cannot read the file: {error.reason}")
    if isinstance(error, EOFError | gzip.BadGzipFile | zlib.error):
        return DataError(f"{path}: the gzip stream is corrupt or truncated ({error})")
    return DataError(f"{path}: cannot read the file ({error.strerror or error})")


def _read_header(
    path: Path, stream: BinaryIO, expected_magic: int, max_bytes: int
) -> tuple[tuple[int, ...], int]:
    kind = "images" if expected_magic == IMAGES_MAGIC else "labels"
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
    return dims, size


def load_idx(
    images_path: str | os.PathLike,
    labels_path: str | os.PathLike,
    num_classes: int | None = 10,
    name: str | None = None,
    max_bytes: int = MAX_IDX_BYTES,
    memory_budget: int | None = None,
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
    memory_budget : int, optional
        Bytes of memory the images may take once loaded, split, standardized and trained
        on (:func:`~explorer.data.memory.working_set`); more is refused before a pixel is
        read. Defaults to :func:`~explorer.data.memory.default_memory_budget` (a quarter
        of the RAM).

    Returns
    -------
    Dataset
        ``x`` float32 raw pixel values (0..255), ``feature_shape == (rows, cols)``.

    Raises
    ------
    DataError
        Naming the file and the problem (not a regular file, magic number, dimensions,
        truncation, size, memory budget, count mismatch, label out of range). No other
        exception escapes.
    """
    images_path, labels_path = Path(images_path), Path(labels_path)
    if num_classes is not None and num_classes < 2:
        raise DataError(f"num_classes must be at least 2; got {num_classes}")
    images = _open_idx(images_path, IMAGES_MAGIC, max_bytes)
    try:
        if len(images.dims) != 3:
            raise DataError(
                f"{images_path}: images must have 3 dimensions; header has {images.dims}"
            )
        count, rows, cols = images.dims
        check_memory_budget(
            f"{images_path}: {count:,} images of {rows}x{cols} pixels",
            working_set(count, rows * cols),
            memory_budget,
        )
        labels = _read_labels(labels_path, images_path, count, num_classes, max_bytes)
        if num_classes is None:
            num_classes = max(int(labels.max()) + 1, 2)
        x = np.empty((count, rows * cols), dtype=np.float32)
        _decode_pixels(images, x.reshape(-1))
    except _CORRUPT as error:
        raise _corrupt(images_path, error) from None
    finally:
        images.close()
    return Dataset(
        x=x,
        y=labels,
        num_classes=num_classes,
        name=name or images_path.name,
        feature_shape=(rows, cols),
    )


def _read_labels(
    path: Path, images_path: Path, count: int, num_classes: int | None, max_bytes: int
) -> np.ndarray:
    labels = _open_idx(path, LABELS_MAGIC, max_bytes)
    try:
        if labels.dims[0] != count:
            raise DataError(
                f"{path}: has {labels.dims[0]:,} labels but {images_path.name} has {count:,} images"
            )
        raw = np.empty(labels.size, dtype=np.uint8)
        labels.read_exactly(memoryview(raw))
        labels.check_end()
    except _CORRUPT as error:
        raise _corrupt(path, error) from None
    finally:
        labels.close()
    values = raw[:count].astype(np.int64)
    if num_classes is not None:
        bad = np.flatnonzero(values >= num_classes)
        if bad.size:
            raise DataError(
                f"{path}: label {values[bad[0]]} at index {bad[0]} is out of range for "
                f"{num_classes} classes ({bad.size:,} labels out of range)"
            )
    return values


def _decode_pixels(images: _Idx, out: np.ndarray) -> None:
    """Read the unsigned-byte pixels into the float32 ``out``, a block at a time."""
    block = np.empty(min(_BLOCK, images.size), dtype=np.uint8)
    for start in range(0, images.size, len(block)):
        part = block[: min(len(block), images.size - start)]
        images.read_exactly(memoryview(part))
        out[start : start + len(part)] = part
    images.check_end()
