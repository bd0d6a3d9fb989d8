"""The session document: every tab's state as versioned JSON, arrays beside it as ``.npz``.

A session is what a person needs to come back to an experiment: the state of every control
and the runs' curves (inside each tab's ``state()``), the documents the tabs share (the model
document: its configuration, whether it is trained), and arrays such as the trained weights,
which go into a ``.npz`` file next to the JSON (``lab.json`` -> ``lab.npz``), each once.

Format versions: 1 kept the model's configuration in the Model tab's state and its weights
twice (under ``model/`` and ``training/``); 2 keeps both once, in the model document's
section. :func:`upgrade_session` turns an older session into the current format as it is
read. Reading never trusts the file: its size, nesting, list lengths and array sizes
are bounded before anything big is allocated, and every problem becomes a ``SessionError``
that names the file and the problem.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from explorer.io.atomic import atomic_path, write_text_atomic

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
ARRAY_KINDS = "biuf"  # bool, ints, floats: nothing that could hold objects


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


def arrays_path(session_path: str | os.PathLike) -> Path:
    """The ``.npz`` file that holds a session's arrays (``lab.json`` -> ``lab.npz``)."""
    return Path(session_path).with_suffix(ARRAYS_SUFFIX)


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
    """Write ``session`` to ``path`` (JSON) and its arrays beside it; both atomically.

    Returns the JSON file's path. Raises ``SessionError`` when a state is not
    JSON-serializable (naming the tab) and ``OSError`` when the file cannot be written.
    """
    path = Path(path)
    for name, state in session.tabs.items():
        _check_value(state, f"tabs.{name}", path, 0)
    for name, state in session.documents.items():
        _check_value(state, f"documents.{name}", path, 0)
    has_arrays = any(session.arrays.get(tab) for tab in session.arrays)
    try:
        text = json.dumps(
            session_to_dict(session, arrays_path(path).name if has_arrays else None),
            indent=1,
            allow_nan=True,
        )
    except (TypeError, ValueError) as exc:
        raise SessionError(f"cannot save session {str(path)!r}: {exc}") from None
    if has_arrays:
        flat = {
            f"{tab}/{name}": np.asarray(array)
            for tab, arrays in session.arrays.items()
            for name, array in arrays.items()
        }
        with atomic_path(arrays_path(path)) as tmp:
            np.savez(tmp, **flat)
    write_text_atomic(path, text)
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
        The file is missing, too large, not JSON, truncated, of the wrong shape, from a newer
        explorer, or its arrays file is corrupt or too large. The message says which.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise SessionError(f"cannot open session {str(path)!r}: {exc.strerror}") from None
    if size > MAX_SESSION_BYTES:
        raise SessionError(
            f"session {str(path)!r} is {size:,} bytes; the limit is {MAX_SESSION_BYTES:,}"
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SessionError(f"cannot read session {str(path)!r}: {exc.strerror}") from None
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
    if isinstance(raw, bytes):
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
    """Read a session's ``.npz``; every array's header is checked before its data is read."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise SessionError(
            f"cannot open the session's arrays {str(path)!r}: {exc.strerror}"
        ) from None
    if size > MAX_ARRAYS_BYTES:
        raise SessionError(f"arrays file {str(path)!r} is larger than {MAX_ARRAYS_BYTES:,} bytes")
    try:
        _check_npz_headers(path)
        result: dict[str, dict[str, np.ndarray]] = {}
        with np.load(path, allow_pickle=False) as npz:
            for key in npz.files:
                tab, _, name = key.partition("/")
                if not name:
                    continue
                result.setdefault(tab, {})[name] = npz[key]
        return result
    except SessionError:
        raise
    except (OSError, ValueError, EOFError, zipfile.BadZipFile, KeyError) as exc:
        raise SessionError(f"arrays file {str(path)!r} is corrupt or truncated: {exc}") from None


def _check_npz_headers(path: Path) -> None:
    total = 0
    with zipfile.ZipFile(path) as archive:
        members = archive.infolist()
        if len(members) > MAX_ARRAY_COUNT:
            raise SessionError(
                f"arrays file {str(path)!r} holds more than {MAX_ARRAY_COUNT} arrays"
            )
        for member in members:
            with archive.open(member) as handle:
                version = np.lib.format.read_magic(handle)
                if version == (1, 0):
                    shape, _, dtype = np.lib.format.read_array_header_1_0(handle)
                else:
                    shape, _, dtype = np.lib.format.read_array_header_2_0(handle)
            if dtype.kind not in ARRAY_KINDS:
                raise SessionError(
                    f"arrays file {str(path)!r}: {member.filename!r} has dtype {dtype}, "
                    "only numbers are accepted"
                )
            count = math.prod(shape)
            total += count
            if count > MAX_ARRAY_ELEMENTS or total > MAX_ARRAY_ELEMENTS:
                raise SessionError(
                    f"arrays file {str(path)!r}: more than {MAX_ARRAY_ELEMENTS:,} elements "
                    f"({member.filename!r} has shape {shape})"
                )


def _check_value(value: Any, where: str, path: Path, depth: int) -> None:
    """Refuse values that are not plain JSON or exceed the size bounds."""
    if depth > MAX_DEPTH:
        raise _error(path, f"'{where}' is nested deeper than {MAX_DEPTH} levels")
    if value is None or isinstance(value, bool | int | float):
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
        if all(type(v) in (int, float) for v in value):
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
