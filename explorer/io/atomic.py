"""Atomic file writes: write a temporary file beside the target, then rename it over.

A reader never sees a half-written file: either the old file (or none) or the new one.
An error while writing removes the temporary file, so nothing partial is left behind.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO


class WriteLocationError(OSError):
    """A folder that cannot be written to; the message names it and says why."""


def check_writable_folder(folder: str | os.PathLike, create: bool = False) -> Path:
    """Return ``folder`` as a Path after making sure files can be created in it.

    Parameters
    ----------
    folder : path
        The destination folder.
    create : bool
        Create the folder (and its parents) when it does not exist.

    Raises
    ------
    WriteLocationError
        The folder is missing (and ``create`` is False), is not a folder, or refuses writes.
    """
    path = Path(folder).expanduser()
    if create and not path.exists():
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise WriteLocationError(f"cannot create folder {str(path)!r}: {_why(exc)}") from None
    if not path.exists():
        raise WriteLocationError(f"folder {str(path)!r} does not exist")
    if not path.is_dir():
        raise WriteLocationError(f"{str(path)!r} is not a folder")
    # os.access says yes to root even on read-only mounts, so try a real file.
    try:
        fd, probe = tempfile.mkstemp(dir=path, prefix=".explorer-probe-")
    except OSError as exc:
        raise WriteLocationError(f"cannot write to folder {str(path)!r}: {_why(exc)}") from None
    os.close(fd)
    os.unlink(probe)
    return path


def _why(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def _set_mode(tmp: Path, target: Path) -> None:
    # mkstemp makes 0600 files; give the result the mode a plain open() would (or the old one).
    try:
        mode = target.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    os.chmod(tmp, mode)


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success it replaces ``target``.

    The temporary name keeps the target's suffix, so writers that choose a format from the
    extension (image writers, ``np.savez``) behave as for the real name.

    Examples
    --------
    >>> with atomic_path("plot.png") as tmp:           # doctest: +SKIP
    ...     image.save(str(tmp))
    """
    target = Path(target)
    fd, tmp_name = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=f".tmp{target.suffix}"
    )
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        _set_mode(tmp, target)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


@contextlib.contextmanager
def atomic_write(
    target: str | os.PathLike, mode: str = "w", encoding: str | None = "utf-8"
) -> Iterator[IO]:
    """Open a temporary file beside ``target`` for writing; it replaces ``target`` on success.

    ``mode`` is ``"w"`` (text) or ``"wb"`` (binary). The data is flushed to disk before the
    rename, so a crash leaves either the old file or the complete new one.
    """
    if mode not in ("w", "wb"):
        raise ValueError(f"mode must be 'w' or 'wb'; got {mode!r}")
    with atomic_path(target) as tmp:
        kwargs = {"encoding": encoding, "newline": ""} if mode == "w" else {}
        with open(tmp, mode, **kwargs) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())


def write_text_atomic(target: str | os.PathLike, text: str) -> None:
    """Write ``text`` (UTF-8) to ``target`` atomically."""
    with atomic_write(target, "w") as handle:
        handle.write(text)
