"""Read ``.npz`` archives of numeric arrays without trusting them: headers first, data after.

Sessions (their arrays file) and model weights are ``.npz`` archives: a zip of ``.npy``
members. :func:`open_npz` checks everything it can before a byte of array data is read:

- the file itself, through :func:`~explorer.io.bounded.open_bounded` (a regular file, at
  most ``max_file_bytes``);
- the zip's directory, from its end record, before :mod:`zipfile` parses it (the number of
  members and the directory's size, so a directory of millions of entries is not built);
- every member: a ``.npy`` name, stored or deflated (no other compression, no encryption),
  a ``.npy`` header of format 1.0 or 2.0 whose dtype is a plain number or bool and whose
  shape is a tuple of non-negative dimensions, the bytes it promises against a limit and
  against the member's uncompressed size as the zip declares it.

The caller then looks at :attr:`NpzReader.headers` (names, shapes, dtypes) and decides before
asking for the data with :meth:`NpzReader.read`, which decompresses through a stream into an
array of exactly the promised size (never more) and can refuse NaN and infinities. Every
problem is an :class:`NpzError` naming the file.

Examples
--------
>>> from explorer.io.npz import open_npz
>>> with open_npz("weights.npz", max_file_bytes=1 << 20, max_total_bytes=1 << 20) as npz:
...     shapes = {name: header.shape for name, header in npz.headers.items()}  # doctest: +SKIP
...     weight = npz.read("linear1.weight")                                   # doctest: +SKIP
"""

from __future__ import annotations

import math
import os
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np

from explorer.io.bounded import FileRefusedError, open_bounded

ARRAY_KINDS = "biuf"  # bool, ints, floats: nothing that could hold objects
MAX_DIMENSIONS = 32
_END_RECORD = struct.Struct("<4s4H2LH")
_END_SIGNATURE = b"PK\x05\x06"
_ZIP64_LOCATOR = b"PK\x06\x07"
_DIRECTORY_BYTES_PER_MEMBER = 1024  # a member's directory entry: its name and extras
_CHUNK = 1 << 20
# What zipfile and numpy's header parser raise on hostile bytes (numpy's parser even gives
# MemoryError and TypeError for some ten-kilobyte headers).
_CORRUPT = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    ValueError,
    TypeError,
    struct.error,
    OverflowError,
    SyntaxError,
    RecursionError,
    MemoryError,
    NotImplementedError,
    RuntimeError,
    KeyError,
)


class NpzError(ValueError):
    """An ``.npz`` archive that is refused or cannot be read.

    ``reason`` says why (it follows a colon); ``str()`` is ``'<path>': <reason>``.
    """

    def __init__(self, path: str | os.PathLike, reason: str):
        super().__init__(f"{str(path)!r}: {reason}")
        self.path = Path(path)
        self.reason = reason


@dataclass(frozen=True)
class ArrayHeader:
    """What a member's ``.npy`` header promises, checked (see the module docstring)."""

    name: str
    shape: tuple[int, ...]
    dtype: np.dtype
    fortran_order: bool
    data_offset: int

    @property
    def size(self) -> int:
        """Number of elements."""
        return math.prod(self.shape)

    @property
    def nbytes(self) -> int:
        return self.size * self.dtype.itemsize


def check_array_form(where: str, shape: object, dtype: np.dtype) -> tuple[int, ...]:
    """``shape`` after checking it is a tuple of at most :data:`MAX_DIMENSIONS` non-negative
    ints and ``dtype`` a plain number or bool; ``ValueError`` starting with ``where``."""
    if dtype.kind not in ARRAY_KINDS or dtype.fields is not None or dtype.subdtype is not None:
        raise ValueError(f"{where} has dtype {dtype}; only numbers are accepted")
    if not isinstance(shape, tuple) or len(shape) > MAX_DIMENSIONS:
        raise ValueError(f"{where} has a shape that is not a tuple of dimensions")
    if any(type(n) is not int or n < 0 for n in shape):
        raise ValueError(
            f"{where} has shape {_short(shape)}; dimensions must be whole numbers >= 0"
        )
    return shape


def check_array_size(where: str, shape: tuple[int, ...], dtype: np.dtype, max_bytes: int) -> int:
    """The bytes an array of ``shape`` and ``dtype`` holds, after checking they are at most
    ``max_bytes`` and every dimension could be allocated (``(2**70, 0)`` holds no bytes but
    is refused too); ``ValueError`` starting with ``where``."""
    limit = max(max_bytes // dtype.itemsize, 1)
    nbytes = math.prod(shape) * dtype.itemsize
    if any(n > limit for n in shape) or nbytes > max_bytes:
        raise ValueError(
            f"{where} has shape {_short(shape)} of {dtype}: more than the limit of "
            f"{max_bytes:,} bytes"
        )
    return nbytes


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


class NpzReader:
    """An open ``.npz`` archive whose headers have been checked (use :func:`open_npz`)."""

    def __init__(self, path: Path, handle: BinaryIO, archive: zipfile.ZipFile):
        self.path = path
        self._handle = handle
        self._archive = archive
        self._members: dict[str, zipfile.ZipInfo] = {}
        #: name (the member's name without ``.npy``) -> :class:`ArrayHeader`, in file order
        self.headers: dict[str, ArrayHeader] = {}

    def __enter__(self) -> NpzReader:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._archive.close()
        self._handle.close()

    def error(self, problem: str) -> NpzError:
        """An :class:`NpzError` for this file: ``'<path>': <problem>``."""
        return NpzError(self.path, problem)

    def read(self, name: str, finite: bool = True) -> np.ndarray:
        """The array ``name``, read through a stream into exactly the bytes its header promised.

        With ``finite``, an array of floats holding NaN or an infinity is refused, naming
        the array and the first such value's index.
        """
        header = self.headers[name]
        try:
            data = np.empty(header.size, dtype=header.dtype)
            with self._archive.open(self._members[name]) as stream:
                stream.seek(header.data_offset)
                view = memoryview(data).cast("B")
                filled = 0
                while filled < len(view):
                    chunk = stream.read(min(_CHUNK, len(view) - filled))
                    if not chunk:
                        raise self.error(f"{name!r} is shorter than its header says")
                    view[filled : filled + len(chunk)] = chunk
                    filled += len(chunk)
                view.release()
                if stream.read(1):  # also where zipfile compares the member's checksum
                    raise self.error(f"{name!r} is longer than its header says")
        except NpzError:
            raise
        except _CORRUPT as error:
            raise self.error(f"{name!r} is corrupt or truncated ({_reason(error)})") from None
        if header.fortran_order:
            array = data.reshape(header.shape[::-1]).transpose()
        else:
            array = data.reshape(header.shape)
        if finite and array.dtype.kind == "f":
            index = first_non_finite(array)
            if index is not None:
                raise self.error(
                    f"{name!r} holds a non-finite value ({array[index]}) at index "
                    f"{_index_text(index)}; only finite numbers are accepted"
                )
        return array


def first_non_finite(array: np.ndarray) -> tuple[int, ...] | None:
    """The index of the first NaN or infinity in ``array`` (C order), or None; in blocks,
    so no temporary as large as the array is made."""
    flat = array.reshape(-1) if array.flags.c_contiguous else np.ravel(array, order="C")
    step = 1 << 20
    for start in range(0, flat.size, step):
        bad = np.flatnonzero(~np.isfinite(flat[start : start + step]))
        if bad.size:
            return tuple(int(i) for i in np.unravel_index(start + int(bad[0]), array.shape))
    return None


def _index_text(index: tuple[int, ...]) -> str:
    return str(index[0]) if len(index) == 1 else str(list(index))


def _reason(error: BaseException) -> str:
    if isinstance(error, MemoryError):
        return "its header is nested too deeply"
    text = str(error) or type(error).__name__
    return text if len(text) <= 200 else text[:197] + "..."


def open_npz(
    path: str | os.PathLike,
    max_file_bytes: int,
    max_total_bytes: int,
    max_arrays: int = 10_000,
    check_headers: Callable[[NpzReader], None] | None = None,
) -> NpzReader:
    """Open ``path`` and check every member's header (see the module docstring).

    Parameters
    ----------
    path : path-like
    max_file_bytes : int
        The largest archive accepted.
    max_total_bytes : int
        The most array data all members together may promise (uncompressed).
    max_arrays : int
        The most members accepted.
    check_headers : callable, optional
        Called with the reader once every header is parsed (dtypes and shapes well formed)
        and before their sizes are checked, so a caller that knows which names and shapes
        to expect refuses a mismatch in its own words (raising :meth:`NpzReader.error`).

    Returns
    -------
    NpzReader
        Close it (or use it in a ``with`` block).

    Raises
    ------
    NpzError
        Naming the file and the problem.
    """
    path = Path(path)
    try:
        handle = open_bounded(path, max_file_bytes)
    except FileRefusedError as error:
        raise NpzError(path, error.reason) from None
    try:
        _check_directory(handle, max_arrays, lambda problem: NpzError(path, problem))
        try:
            archive = zipfile.ZipFile(handle)
        except _CORRUPT as exc:
            raise NpzError(path, f"is not a readable .npz (zip) archive ({_reason(exc)})") from None
    except BaseException:
        handle.close()
        raise
    reader = NpzReader(path, handle, archive)
    try:
        _read_headers(reader, max_arrays)
        if check_headers is not None:
            check_headers(reader)
        _check_sizes(reader, max_total_bytes)
    except BaseException:
        reader.close()
        raise
    return reader


def _read_headers(reader: NpzReader, max_arrays: int) -> None:
    members = reader._archive.infolist()
    if len(members) > max_arrays:
        raise reader.error(f"holds {len(members):,} members; at most {max_arrays:,} are read")
    for member in members:
        header = _member_header(reader, member)
        if header.name in reader.headers:
            raise reader.error(f"holds two arrays named {header.name!r}")
        reader.headers[header.name] = header
        reader._members[header.name] = member


def _check_sizes(reader: NpzReader, max_total_bytes: int) -> None:
    total = 0
    for name, header in reader.headers.items():
        member = reader._members[name]
        label = repr(member.filename[:80])
        try:
            nbytes = check_array_size(label, header.shape, header.dtype, max_total_bytes)
        except ValueError as exc:
            raise reader.error(str(exc)) from None
        if member.file_size != header.data_offset + nbytes:
            raise reader.error(
                f"the header of {label} promises {nbytes:,} bytes of data but the "
                f"archive says it holds {member.file_size - header.data_offset:,}"
            )
        total += nbytes
        if total > max_total_bytes:
            raise reader.error(
                f"its arrays hold more than the limit of {max_total_bytes:,} bytes "
                f"(at {label}, shape {header.shape})"
            )


def _check_directory(handle: BinaryIO, max_arrays: int, error) -> None:
    """Refuse, from the zip's end record, a directory too large to be ``max_arrays`` arrays."""
    try:
        size = handle.seek(0, os.SEEK_END)
        tail_length = min(size, _END_RECORD.size + 0xFFFF)
        handle.seek(size - tail_length)
        tail = handle.read(tail_length)
    except OSError as exc:
        raise error(f"cannot be read ({_reason(exc)})") from None
    at = tail.rfind(_END_SIGNATURE)
    if at < 0 or len(tail) - at < _END_RECORD.size:
        raise error("is not an .npz (zip) file, or it is corrupt or truncated")
    entries, directory_size = _END_RECORD.unpack_from(tail, at)[4:6]
    if at >= 20 and tail[at - 20 : at - 16] == _ZIP64_LOCATOR or entries == 0xFFFF:
        raise error(f"is a ZIP64 archive; at most {max_arrays:,} arrays are read")
    if entries > max_arrays or directory_size > max_arrays * _DIRECTORY_BYTES_PER_MEMBER:
        raise error(
            f"lists {entries:,} members in {directory_size:,} bytes; at most {max_arrays:,} "
            "arrays are read"
        )
    handle.seek(0)


def _member_header(reader: NpzReader, member: zipfile.ZipInfo) -> ArrayHeader:
    label = repr(member.filename[:80])
    if not member.filename.endswith(".npy"):
        raise reader.error(f"holds {label}, which is not a .npy array")
    if member.flag_bits & 0x1:
        raise reader.error(f"{label} is encrypted")
    if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise reader.error(
            f"{label} uses a compression other than deflate ({member.compress_type})"
        )
    try:
        with reader._archive.open(member) as stream:
            version = np.lib.format.read_magic(stream)
            if version == (1, 0):
                shape, fortran_order, dtype = np.lib.format.read_array_header_1_0(stream)
            elif version == (2, 0):
                shape, fortran_order, dtype = np.lib.format.read_array_header_2_0(stream)
            else:
                raise reader.error(f"{label} has .npy format version {version}, not 1.0 or 2.0")
            offset = stream.tell()
    except NpzError:
        raise
    except _CORRUPT as exc:
        raise reader.error(f"{label} is not a readable .npy array ({_reason(exc)})") from None
    try:
        shape = check_array_form(label, shape, dtype)
    except ValueError as exc:
        raise reader.error(str(exc)) from None
    name = member.filename[: -len(".npy")]
    return ArrayHeader(name, shape, dtype, bool(fortran_order), offset)
