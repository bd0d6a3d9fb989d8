"""Open a user's file for reading only if it is a regular file, and never read past a limit.

``stat().st_size`` is not a bound on what a read returns: a symlink to ``/dev/zero`` says 0
bytes and never ends, a FIFO blocks the reader until someone writes, a file can grow while it
is read. Every reader of the explorer's files goes through :func:`open_bounded`, which

- follows symlinks and refuses anything that is not a regular file (FIFO, device, folder,
  socket), checking with ``os.stat`` before opening and ``os.fstat`` after;
- opens with ``O_NONBLOCK`` where the platform has it, so a FIFO swapped in between the two
  checks cannot block the caller;
- refuses a file larger than the limit from its size, and stops any read that would go past
  the limit (at most the limit plus one byte is ever read), for a file that grows meanwhile.

Every refusal is a :class:`FileRefusedError` (an ``OSError``) whose message names the file;
readers turn it into their own error type.

Examples
--------
>>> from explorer.io.bounded import open_bounded
>>> with open_bounded("lab.json", max_bytes=1 << 20) as handle:   # doctest: +SKIP
...     text = handle.read()
"""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path
from typing import BinaryIO

_BUFFER = 1 << 20  # readers such as np.loadtxt and csv pull small pieces; buffer them


class FileRefusedError(OSError):
    """A file that is not read: missing, not a regular file, or over its size limit.

    ``reason`` says why in words that follow a colon (``"not a regular file but a pipe
    (FIFO)"``, ``"No such file or directory"``); ``str()`` is ``cannot read '<path>':
    <reason>``; ``path`` is the file.
    """

    def __init__(self, path: str | os.PathLike, reason: str):
        super().__init__(f"cannot read {str(path)!r}: {reason}")
        self.path = Path(path)
        self.reason = reason

    def __str__(self) -> str:
        return self.args[0]


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "something else"


def _why(error: OSError) -> str:
    return error.strerror or type(error).__name__


def check_regular(path: str | os.PathLike, max_bytes: int) -> int:
    """The size of ``path`` after checking it is a regular file of at most ``max_bytes``.

    Symlinks are followed. Raises :class:`FileRefusedError` naming the file otherwise.
    """
    try:
        info = os.stat(path)
    except OSError as error:
        raise FileRefusedError(path, _why(error)) from None
    except ValueError:  # a NUL character, which no file name holds
        raise FileRefusedError(path, "not a valid file name") from None
    return _check_stat(path, info, max_bytes)


def _check_stat(path: str | os.PathLike, info: os.stat_result, max_bytes: int) -> int:
    if not stat.S_ISREG(info.st_mode):
        raise FileRefusedError(path, f"not a regular file but {_kind(info.st_mode)}")
    if info.st_size > max_bytes:
        raise FileRefusedError(
            path, f"{info.st_size:,} bytes, more than the limit of {max_bytes:,} bytes"
        )
    return info.st_size


class _CappedFile(io.RawIOBase):
    """A read-only file descriptor that raises rather than read past ``max_bytes``."""

    def __init__(self, fd: int, path: Path, max_bytes: int):
        super().__init__()
        self._file = io.FileIO(fd, "rb", closefd=True)
        self._path = path
        self._max = max_bytes

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        return self._file.seek(offset, whence)

    def tell(self) -> int:
        return self._file.tell()

    def fileno(self) -> int:
        return self._file.fileno()

    def readinto(self, buffer) -> int:
        view = memoryview(buffer).cast("B")
        allowed = self._max + 1 - self._file.tell()
        if allowed <= 0:
            raise self._too_large()
        count = self._file.readinto(view[: min(len(view), allowed)]) or 0
        if self._file.tell() > self._max:
            raise self._too_large()
        return count

    def _too_large(self) -> FileRefusedError:
        return FileRefusedError(
            self._path, f"it grew past the limit of {self._max:,} bytes while being read"
        )

    def close(self) -> None:
        if not self.closed:
            self._file.close()
        super().close()


def open_bounded(path: str | os.PathLike, max_bytes: int) -> BinaryIO:
    """Open ``path`` for binary reading if it is a regular file of at most ``max_bytes``.

    Parameters
    ----------
    path : path-like
        The file; a symlink is followed to what it points at.
    max_bytes : int
        The largest size accepted. Reads never return bytes past this offset: a file that
        grows beyond it while being read raises :class:`FileRefusedError` instead.

    Returns
    -------
    BinaryIO
        A buffered, seekable reader; close it (or use it in a ``with`` block).

    Raises
    ------
    FileRefusedError
        The file is missing or unreadable, is not a regular file (a FIFO, device, folder,
        socket or a symlink to one), or is larger than ``max_bytes``.
    """
    path = Path(path)
    check_regular(path, max_bytes)
    # O_NONBLOCK: a FIFO put in the file's place after the check must not block the open.
    flags = (
        os.O_RDONLY
        | getattr(os, "O_BINARY", 0)
        | getattr(os, "O_NONBLOCK", 0)
        | getattr(os, "O_NOCTTY", 0)
    )
    try:
        fd = os.open(path, flags)
    except OSError as error:
        raise FileRefusedError(path, _why(error)) from None
    try:
        _check_stat(path, os.fstat(fd), max_bytes)
        raw = _CappedFile(fd, path, max_bytes)
    except BaseException:
        os.close(fd)
        raise
    return io.BufferedReader(raw, buffer_size=_BUFFER)


def open_bounded_text(
    path: str | os.PathLike, max_bytes: int, encoding: str = "utf-8", newline: str | None = None
) -> io.TextIOWrapper:
    """:func:`open_bounded` as text (``encoding`` and ``newline`` as for ``open``)."""
    return io.TextIOWrapper(open_bounded(path, max_bytes), encoding=encoding, newline=newline)


def read_bounded(path: str | os.PathLike, max_bytes: int) -> bytearray:
    """The whole content of ``path``, refused as :func:`open_bounded` refuses it."""
    with open_bounded(path, max_bytes) as handle:
        # One buffer of the size the file says (plus a byte to notice growth), filled in place.
        data = bytearray(os.fstat(handle.fileno()).st_size + 1)
        view, filled = memoryview(data), 0
        while filled < len(data) and (count := handle.readinto(view[filled:])):
            filled += count
        view.release()
        if filled < len(data):
            del data[filled:]
        else:
            data += handle.read()  # it grew: the reader stops it at the limit
    return data
