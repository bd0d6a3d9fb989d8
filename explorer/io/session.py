"""The session document: every tab's state as versioned JSON, arrays beside it as ``.npz``.

A session is what a person needs to come back to an experiment: the state of every control
and the runs' curves (inside each tab's ``state()``), the documents the tabs share (the model
document: its configuration, whether it is trained), and arrays such as the trained weights,
each once, which go into a ``.npz`` file next to the JSON, named by the JSON (``lab.json`` ->
``lab.<16 hex digits>.npz``; sessions written with ``lab.npz`` still open).

Format versions: 1 kept the model's configuration in the Model tab's state and its weights
twice (under ``model/`` and ``training/``); 2 keeps both once, in the model document's
section. :func:`upgrade_session` turns an older session into the current format as it is
read.

Saving replaces the pair together: the arrays go to a new name first, then the JSON that
names them replaces the old JSON atomically, and only then is the old arrays file deleted.
A failure at any step leaves the previous JSON and arrays as they were.

Reading never trusts the files: only regular files are read, their size, nesting, list
lengths and array headers are bounded before anything big is allocated, arrays must hold
finite numbers, and every problem becomes a ``SessionError`` that names the file and the
problem.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import os
import re
import secrets
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from explorer.io.atomic import atomic_path, write_text_atomic
from explorer.io.bounded import FileRefusedError, read_bounded
from explorer.io.npz import NpzError, open_npz

SESSION_FORMAT = "explorer-session"
SESSION_VERSION = 2
SESSION_SUFFIX = ".json"
ARRAYS_SUFFIX = ".npz"

MAX_SESSION_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 32
MAX_LIST_LENGTH = 2_000_000
MAX_DICT_KEYS = 10_000
MAX_STRING_LENGTH = 1_000_000
MAX_ARRAYS_BYTES = 1024 * 1024 * 1024
MAX_ARRAY_ELEMENTS = 100_000_000
MAX_ARRAY_COUNT = 10_000
MAX_INTEGER = 2**63 - 1


class SessionError(ValueError):
    """A session file that cannot be read; the message names the file and the problem."""


@dataclass
class Session:
    """Everything a session file holds.

    Attributes
    ----------
    tabs : dict
        ``export_name -> state()`` of each tab (JSON values only).
    documents : dict
        ``name -> state()`` of each document the tabs share (``"model"``: the model document).
    arrays : dict
        ``section -> {name: ndarray}``: large numeric data; a section is a document's name
        (``"model"``: the trained weights) or a tab's export name.
    current_tab : str or None
        The tab that was showing.
    app_version, saved_at : str
        Written for the reader's information; not needed to restore.
    arrays_problem : str or None
        Why the arrays file could not be read, when ``load_session(..., keep_state=True)``
        kept the JSON state without it (``arrays`` is then empty).
    version : int
        The format version it was read in (:func:`load_session` upgrades it to
        :data:`SESSION_VERSION`).
    """

    tabs: dict[str, dict[str, Any]] = field(default_factory=dict)
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)
    arrays: dict[str, dict[str, np.ndarray]] = field(default_factory=dict)
    current_tab: str | None = None
    app_version: str = ""
    saved_at: str = ""
    arrays_problem: str | None = None
    version: int = SESSION_VERSION


def arrays_path(session_path: str | os.PathLike) -> Path | None:
    """The ``.npz`` file a session's JSON names for its arrays; None when it names none
    (or the JSON cannot be read)."""
    path = Path(session_path)
    name = _peek(path).get("arrays")
    if not isinstance(name, str) or not name or Path(name).name != name:
        return None
    return path.with_name(name)


def _owned_arrays_path(session_path: Path) -> Path | None:
    """The arrays file of the session now at ``session_path``, if saving may delete it: the
    JSON is a session and names ``<stem>.npz`` or ``<stem>.<16 hex digits>.npz``."""
    document = _peek(session_path)
    name = document.get("arrays")
    stem, suffix = re.escape(session_path.stem), re.escape(ARRAYS_SUFFIX)
    if (
        document.get("format") != SESSION_FORMAT
        or not isinstance(name, str)
        or not re.fullmatch(stem + r"(\.[0-9a-f]{16})?" + suffix, name)
    ):
        return None
    return session_path.with_name(name)


def _peek(path: Path) -> dict[str, Any]:
    """The JSON object at ``path`` as it is, unchecked; {} if there is none."""
    try:
        document = json.loads(read_bounded(path, MAX_SESSION_BYTES))
    except (OSError, ValueError, RecursionError):
        return {}
    return document if isinstance(document, dict) else {}


# -- writing ------------------------------------------------------------------------------
def session_to_dict(session: Session, arrays_file: str | None) -> dict[str, Any]:
    """The JSON document for ``session``; ``arrays_file`` is the .npz name, or None."""
    from explorer import __version__

    saved_at = session.saved_at or _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")
    return {
        "format": SESSION_FORMAT,
        "version": SESSION_VERSION,
        "app_version": __version__,
        "saved_at": saved_at,
        "current_tab": session.current_tab,
        "documents": session.documents,
        "tabs": session.tabs,
        "arrays": arrays_file,
    }


def save_session(path: str | os.PathLike, session: Session) -> Path:
    """Write ``session`` to ``path`` (JSON) and its arrays beside it, as one pair.

    The arrays go to a new file (``<stem>.<16 hex digits>.npz``), then the JSON naming it
    replaces the old JSON atomically, then the old arrays file is deleted: a failure at any
    step leaves the previous pair as it was. Returns the JSON file's path. Raises
    ``SessionError`` when a state is not JSON-serializable (naming the tab) and ``OSError``
    when the files cannot be written.
    """
    path = Path(path)
    for name, state in session.tabs.items():
        _check_value(state, f"tabs.{name}", path, 0)
    for name, state in session.documents.items():
        _check_value(state, f"documents.{name}", path, 0)
    has_arrays = any(session.arrays.get(tab) for tab in session.arrays)
    new_arrays = None
    if has_arrays:
        new_arrays = path.with_name(f"{path.stem}.{secrets.token_hex(8)}{ARRAYS_SUFFIX}")
    try:
        text = json.dumps(
            session_to_dict(session, new_arrays.name if new_arrays else None),
            indent=1,
            allow_nan=True,
        )
    except (TypeError, ValueError) as exc:
        raise SessionError(f"cannot save session {str(path)!r}: {exc}") from None
    old_arrays = _owned_arrays_path(path)
    try:
        if new_arrays is not None:
            flat = {
                f"{tab}/{name}": np.asarray(array)
                for tab, arrays in session.arrays.items()
                for name, array in arrays.items()
            }
            with atomic_path(new_arrays) as tmp:
                np.savez(tmp, **flat)
        write_text_atomic(path, text)
    except BaseException:
        if new_arrays is not None:
            with contextlib.suppress(OSError):
                new_arrays.unlink(missing_ok=True)
        raise
    if old_arrays is not None and old_arrays != new_arrays:
        with contextlib.suppress(OSError):  # an orphan is harmless; the pair is complete
            old_arrays.unlink(missing_ok=True)
    return path


# -- reading ------------------------------------------------------------------------------
def load_session(path: str | os.PathLike, keep_state: bool = False) -> Session:
    """Read a session file and its arrays.

    With ``keep_state``, an arrays file that cannot be read (missing, corrupt, too large)
    does not lose the JSON state: the session comes back without arrays and says why in
    ``arrays_problem``.

    Raises
    ------
    SessionError
        The file is missing, not a regular file, too large, not JSON, truncated, of the
        wrong shape, from a newer explorer, or its arrays file is corrupt, too large or holds
        NaN or infinite values. The message says which. No other exception escapes.
    """
    path = Path(path)
    try:
        raw = read_bounded(path, MAX_SESSION_BYTES)
    except FileRefusedError as exc:
        raise SessionError(f"cannot open session {str(path)!r}: {exc.reason}") from None
    session, arrays_file = parse_session(raw, path)
    if arrays_file is not None:
        try:
            session.arrays = load_arrays(path.parent / arrays_file)
        except SessionError as exc:
            if not keep_state:
                raise
            session.arrays, session.arrays_problem = {}, str(exc)
    return upgrade_session(session)


def parse_session(raw: bytes | str, path: str | os.PathLike = "<session>") -> tuple[Session, Any]:
    """Validate a session document; return the Session (without arrays) and the .npz name."""
    path = Path(path)
    if isinstance(raw, bytes | bytearray):
        if len(raw) > MAX_SESSION_BYTES:
            raise SessionError(f"session {str(path)!r} is larger than {MAX_SESSION_BYTES:,} bytes")
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _error(path, f"it is not UTF-8 text (byte {exc.start})") from None
    if not raw.strip():
        raise _error(path, "the file is empty")
    try:
        document = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise _error(path, f"it is not valid JSON (truncated or corrupt?): {exc}") from None
    except ValueError:  # the only other: int() refusing a literal of too many digits
        digits = sys.get_int_max_str_digits()
        raise _error(path, f"it holds a number of more than {digits:,} digits") from None
    except RecursionError:
        raise _error(path, f"it is nested deeper than {MAX_DEPTH} levels") from None
    if not isinstance(document, dict):
        raise _error(path, f"expected a JSON object at the top, got {_kind(document)}")
    if document.get("format") != SESSION_FORMAT:
        raise _error(path, f"it is not an explorer session (format {document.get('format')!r})")
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _error(path, f"'version' must be a positive integer, got {version!r}")
    if version > SESSION_VERSION:
        raise SessionError(
            f"session {str(path)!r} was saved by a newer explorer (format version {version}; "
            f"this explorer reads up to version {SESSION_VERSION}). Update the explorer to open it."
        )
    sections = {}
    for key in ("tabs", "documents"):
        section = document.get(key, {})
        if not isinstance(section, dict):
            raise _error(path, f"'{key}' must be an object, got {_kind(section)}")
        for name, state in section.items():
            if not isinstance(state, dict):
                raise _error(path, f"'{key}.{name}' must be an object, got {_kind(state)}")
            _check_value(state, f"{key}.{name}", path, 1)
        sections[key] = section
    current = document.get("current_tab")
    if current is not None and not isinstance(current, str):
        raise _error(path, f"'current_tab' must be a string, got {_kind(current)}")
    arrays_file = document.get("arrays")
    if arrays_file is not None:
        if not isinstance(arrays_file, str) or Path(arrays_file).name != arrays_file:
            raise _error(path, f"'arrays' must be a file name beside it, got {arrays_file!r}")
    return (
        Session(
            tabs=sections["tabs"],
            documents=sections["documents"],
            current_tab=current,
            app_version=str(document.get("app_version", ""))[:64],
            saved_at=str(document.get("saved_at", ""))[:64],
            version=version,
        ),
        arrays_file,
    )


# -- older formats ------------------------------------------------------------------------
def upgrade_session(session: Session) -> Session:
    """Bring ``session`` (read in format ``session.version``) to :data:`SESSION_VERSION`."""
    if session.version < 2:
        _upgrade_from_version_1(session)
    session.version = SESSION_VERSION
    return session


def _upgrade_from_version_1(session: Session) -> None:
    # Version 1: the configuration in the Model tab's state, the same weights under both the
    # Model and the Training tab, and a restored model counted as trained.
    weights = session.arrays.pop("training", None)
    weights = session.arrays.get("model") or weights
    if weights:
        session.arrays["model"] = weights
    model_tab = session.tabs.get("model")
    if isinstance(model_tab, dict) and "config" in model_tab:
        model_tab = dict(model_tab)
        config = model_tab.pop("config")
        session.tabs["model"] = model_tab
        session.documents.setdefault("model", {"config": config, "trained": bool(weights)})


def load_arrays(path: str | os.PathLike) -> dict[str, dict[str, np.ndarray]]:
    """Read a session's ``.npz``: every array's header is checked before its data is read
    (:func:`explorer.io.npz.open_npz`), and arrays of NaN or infinities are refused."""
    path = Path(path)
    try:
        with open_npz(
            path, MAX_ARRAYS_BYTES, MAX_ARRAY_ELEMENTS * 8, max_arrays=MAX_ARRAY_COUNT
        ) as npz:
            for header in npz.headers.values():
                if header.size > MAX_ARRAY_ELEMENTS:
                    raise npz.error(
                        f"{header.name!r} has shape {header.shape}: more than "
                        f"{MAX_ARRAY_ELEMENTS:,} elements"
                    )
            result: dict[str, dict[str, np.ndarray]] = {}
            for key in npz.headers:
                tab, _, name = key.partition("/")
                if name:
                    result.setdefault(tab, {})[name] = npz.read(key)
            return result
    except NpzError as exc:
        raise SessionError(f"arrays file {str(path)!r}: {exc.reason}") from None


def _check_value(value: Any, where: str, path: Path, depth: int) -> None:
    """Refuse values that are not plain JSON or exceed the size bounds."""
    if depth > MAX_DEPTH:
        raise _error(path, f"'{where}' is nested deeper than {MAX_DEPTH} levels")
    if value is None or isinstance(value, bool | float):
        return
    if isinstance(value, int):
        # Past 64 bits no state means it, and float() or Qt would raise OverflowError.
        if not -MAX_INTEGER <= value <= MAX_INTEGER:
            raise _error(path, f"'{where}' is an integer of {len(str(abs(value)))} digits")
        return
    if isinstance(value, str):
        if len(value) > MAX_STRING_LENGTH:
            raise _error(path, f"'{where}' is a string of {len(value):,} characters")
        return
    if isinstance(value, list | tuple):
        if len(value) > MAX_LIST_LENGTH:
            raise _error(
                path, f"'{where}' has {len(value):,} entries; the limit is {MAX_LIST_LENGTH:,}"
            )
        # Long numeric lists (curves) are checked in one pass rather than item by item.
        if all(
            type(v) is float or type(v) is int and -MAX_INTEGER <= v <= MAX_INTEGER for v in value
        ):
            return
        for index, item in enumerate(value):
            _check_value(item, f"{where}[{index}]", path, depth + 1)
        return
    if isinstance(value, dict):
        if len(value) > MAX_DICT_KEYS:
            raise _error(path, f"'{where}' has {len(value):,} keys; the limit is {MAX_DICT_KEYS:,}")
        for key, item in value.items():
            if not isinstance(key, str):
                raise _error(path, f"'{where}' has a key that is not a string: {key!r}")
            _check_value(item, f"{where}.{key}", path, depth + 1)
        return
    raise _error(path, f"'{where}' is {_kind(value)}, which JSON cannot hold")


def _kind(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}
    if value is None:
        return "null"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"a number ({value!r})"
    return names.get(type(value), f"a {type(value).__name__}")


def _error(path: Path, problem: str) -> SessionError:
    return SessionError(f"cannot read session {str(path)!r}: {problem}")


def json_kind(value: Any) -> str:
    """``value``'s JSON type in words: "an object", "a list", "a string", "a number"..."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if value is None:
        return "null"
    return type(value).__name__


def state_shape_problem(saved: Any, default: Any, where: str = "") -> str | None:
    """Where a tab's saved state has a list or object where its default has the other kind.

    Tabs check their values; this catches the structural mistakes (``"settings": "oops"``)
    before a tab's code turns them into Python's own wording. Only objects and lists are
    compared, and null passes (a tab may save None where its default holds an object).
    """
    if saved is None:
        return None
    if isinstance(default, dict):
        if not isinstance(saved, dict):
            return f"{where or 'the state'} must be a JSON object; got {json_kind(saved)}"
        for key, value in default.items():
            if key in saved:
                name = f"'{where.strip(chr(39))}.{key}'" if where else f"'{key}'"
                problem = state_shape_problem(saved[key], value, name)
                if problem:
                    return problem
    elif isinstance(default, list | tuple) and not isinstance(saved, list | tuple):
        return f"{where or 'the state'} must be a JSON list; got {json_kind(saved)}"
    return None


# -- keeping a session aside ------------------------------------------------------------
def session_files(path: str | os.PathLike) -> list[Path]:
    """The files of the session at ``path`` that exist: the JSON and its arrays file.

    When the JSON names no arrays file (it may be damaged), every file named like one of its
    arrays files (``<stem>.npz``, ``<stem>.<16 hex digits>.npz``) counts as its own.
    """
    path = Path(path)
    named = arrays_path(path)
    if named is not None:
        candidates = [named]
    else:
        pattern = re.escape(path.stem) + r"(\.[0-9a-f]{16})?" + re.escape(ARRAYS_SUFFIX)
        candidates = sorted(
            p for p in path.parent.glob("*" + ARRAYS_SUFFIX) if re.fullmatch(pattern, p.name)
        )
    return [p for p in (path, *candidates) if p.is_file()]


def keep_aside(
    path: str | os.PathLike, move: bool = True, when: _dt.datetime | None = None
) -> Path:
    """Move (or copy) a session's files into a new folder beside it; return the folder.

    The folder is named after the file and the time, e.g. ``last-session (not restored
    2026-12-07 13-05-09)``; the files keep their names, so the JSON still finds its arrays
    and the session opens from there with File > Open session. Raises OSError.
    """
    path = Path(path)
    stamp = (when or _dt.datetime.now()).strftime("%Y-%m-%d %H-%M-%S")
    base = path.parent / f"{path.stem} (not restored {stamp})"
    folder, n = base, 1
    while folder.exists():
        n += 1
        folder = base.with_name(f"{base.name} {n}")
    folder.mkdir(parents=True)
    for file in session_files(path):
        if move:
            os.replace(file, folder / file.name)
        else:
            shutil.copy2(file, folder / file.name)
    return folder
