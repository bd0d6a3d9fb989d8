"""File > Save session / Open session / Recent sessions, and the session kept across restarts.

The controller collects the documents the tabs share (the model document: its ``state()`` and
``arrays()``, the weights) and every tab's ``state()`` and ``session_arrays()`` into an
``explorer.io.session.Session`` and gives them back, documents first (``restore_state`` /
``restore_arrays``), then the tabs (``restore_state`` / ``restore_session_arrays``). A
document that refuses its state (ValueError: e.g. a model above the parameter budget) keeps
what it has, nothing is built, and the problem is reported; a tab that refuses its state is
reset to the state it had when the window was built, and the problem is reported; a file that
cannot be read leaves the window as it is. States saved for tabs that are not built yet are
kept and written again, so a session survives a version of the app that lacks a tab.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QWidget

from explorer.io.session import (
    SESSION_SUFFIX,
    Session,
    SessionError,
    arrays_path,
    keep_aside,
    load_session,
    save_session,
    state_shape_problem,
)
from explorer.ui.faults import LOGGER_NAME, data_dir
from explorer.ui.tab_base import PendingTab

MAX_RECENT = 8
AUTOSAVE_NAME = "last-session.json"
FILE_FILTER = "Explorer sessions (*.json);;All files (*)"
SAVE, DISCARD, CANCEL = "save", "discard", "cancel"

log = logging.getLogger(LOGGER_NAME)


class SessionController:
    """Saves and restores the window's documents and tabs.

    ``tabs()`` returns the window's ExplorerTabs in order; ``documents`` maps a section name to
    each document the tabs share (``{"model": ModelDocument}``); ``current()``/
    ``set_current(name)`` read and set the tab showing. The interactions ``ask_save_path()``,
    ``ask_open_path()``, ``ask_discard(what)`` (SAVE, DISCARD or CANCEL) and
    ``report_error(text)`` are attributes so tests can answer them.

    The window is *modified* when what it would save differs from what it held right after
    the last save, open or start (:meth:`is_modified`, computed when asked: nothing is
    tracked per change). Opening a session over a modified window asks first.
    """

    def __init__(
        self,
        window: QWidget,
        tabs: Callable[[], list],
        current: Callable[[], str],
        set_current: Callable[[str], None],
        settings_factory: Callable,
        status: Callable[[str], None],
        documents: dict | None = None,
    ):
        self._window = window
        self._tabs = tabs
        self._documents = dict(documents or {})
        self._current = current
        self._set_current = set_current
        self._settings = settings_factory
        self._status = status
        self._defaults: dict[str, dict] = {}
        self.remember_defaults()
        self._kept: dict[str, dict] = {}
        self._kept_arrays: dict[str, dict] = {}
        self.autosave_enabled = False
        self.ask_save_path = self._ask_save_path
        self.ask_open_path = self._ask_open_path
        self.ask_discard = self._discard_dialog
        self.report_error = self._error_dialog
        self._saved_print = ""
        self.mark_unmodified()

    def remember_defaults(self) -> None:
        """Note every tab's current state as the one to go back to when a session is bad."""
        self._defaults = {tab.export_name: self._state_of(tab) for tab in self._tabs()}

    # -- modified since the last save, open or start ----------------------------------------
    def mark_unmodified(self, session: Session | None = None) -> None:
        """Take ``session`` (by default, the window's state now) as the saved one."""
        self._saved_print = fingerprint(self.collect() if session is None else session)

    def is_modified(self) -> bool:
        """Whether the window's state differs from the last saved, opened or started one."""
        return fingerprint(self.collect()) != self._saved_print

    def may_replace(self, what: str) -> bool:
        """Before ``what`` ("Opening lab.json") replaces the window's state: True when nothing
        is lost (unmodified, saved on request, or the changes discarded)."""
        if not self.is_modified():
            return True
        answer = self.ask_discard(what)
        if answer == SAVE:
            path = self.ask_save_path()
            return bool(path) and self.save_to(path)
        return answer == DISCARD

    # -- the document ------------------------------------------------------------------------
    def collect(self) -> Session:
        """The window's state as a Session."""
        session = Session(tabs=dict(self._kept), arrays=dict(self._kept_arrays))
        for name, document in self._documents.items():
            session.documents[name] = document.state()
            session.arrays[name] = document.arrays()  # the weights, once
        for tab in self._tabs():
            if isinstance(tab, PendingTab):
                continue
            state = self._state_of(tab)
            if state is not None:
                session.tabs[tab.export_name] = state
            try:
                arrays = tab.session_arrays()
            except Exception:  # a tab's bug must not make the whole session unsaveable
                log.exception("tab %s: session_arrays() failed", tab.export_name)
                arrays = {}
            if tab.export_name in self._documents:
                if arrays:  # the section is the document's
                    log.warning("tab %s: arrays left out, a document keeps them", tab.export_name)
            elif arrays:
                session.arrays[tab.export_name] = arrays
            else:
                session.arrays.pop(tab.export_name, None)
        session.current_tab = self._current()
        return session

    def apply(self, session: Session) -> list[str]:
        """Restore ``session`` into the documents, then the tabs; return the problems (each
        names its document or tab)."""
        problems = self._apply_documents(session)
        names = set()
        for tab in self._tabs():
            name = tab.export_name
            names.add(name)
            if isinstance(tab, PendingTab):
                if name in session.tabs:
                    self._kept[name] = session.tabs[name]
                if name in session.arrays:
                    self._kept_arrays[name] = session.arrays[name]
                continue
            state = session.tabs.get(name)
            if state is None:
                continue
            shape_problem = state_shape_problem(state, self._defaults.get(name))
            if shape_problem:
                problems.append(f"{tab.title or name}: {shape_problem}")
                self._reset(tab)
                continue
            try:
                tab.restore_state(state)
                if session.arrays.get(name) and name not in self._documents:
                    tab.restore_session_arrays(session.arrays[name])
            except (ValueError, TypeError, KeyError) as exc:
                problems.append(f"{tab.title or name}: {plain(exc)}")
                self._reset(tab)
            except Exception as exc:  # a tab's bug must not stop the other tabs restoring
                log.exception("tab %s: restoring its state failed", name)
                problems.append(f"{tab.title or name}: unexpected {type(exc).__name__}: {exc}")
                self._reset(tab)
        for name, state in session.tabs.items():
            if name not in names:
                self._kept[name] = state
        if session.current_tab:
            try:
                self._set_current(session.current_tab)
            except KeyError:
                pass
        return problems

    def _apply_documents(self, session: Session) -> list[str]:
        problems = []
        for name, document in self._documents.items():
            state = session.documents.get(name)
            if state is None:
                continue
            try:
                document.restore_state(state)
            except (ValueError, TypeError) as exc:  # refused before anything was built
                problems.append(f"{name.title()}: {plain(exc)}; the current model was kept")
                continue
            arrays = session.arrays.get(name)
            try:
                if arrays:
                    document.restore_arrays(arrays)
                elif document.trained:  # the saved weights are not there: these are fresh
                    document.set_trained(False)
            except (ValueError, TypeError) as exc:
                document.set_trained(False)
                problems.append(f"{name.title()}: {plain(exc)}")
        return problems

    def _reset(self, tab) -> None:
        default = self._defaults.get(tab.export_name)
        if default is None:
            return
        try:
            tab.restore_state(default)
        except Exception:
            log.exception("tab %s: could not go back to its defaults", tab.export_name)

    def _state_of(self, tab):
        try:
            return tab.state()
        except Exception:
            log.exception("tab %s: state() failed", tab.export_name)
            return None

    # -- files ---------------------------------------------------------------------------------
    def save_to(self, path: str | Path) -> bool:
        """Save the session to ``path``; report a failure; True on success."""
        path = Path(path)
        if path.suffix.lower() != SESSION_SUFFIX:
            path = path.with_name(path.name + SESSION_SUFFIX)
        session = self.collect()
        try:
            save_session(path, session)
        except (SessionError, OSError) as exc:
            self._fail(f"Could not save the session: {_why(exc)}")
            return False
        self._add_recent(path)
        self.mark_unmodified(session)
        arrays = arrays_path(path)  # the file the saved JSON names; None without arrays
        if arrays is not None:
            self._status(f"Session saved to {path} and {arrays.name}")
        else:
            self._status(f"Session saved to {path}")
        return True

    def open_from(self, path: str | Path) -> bool:
        """Open the session at ``path``; on any problem report it and keep or reset tabs."""
        path = Path(path)
        try:
            session = load_session(path, keep_state=True)
        except SessionError as exc:
            text = f"{exc}. The current state is kept."
            if not _exists(path) and self._remove_recent(path):
                text += " It was removed from Recent sessions."
            self._fail(text)
            return False
        problems = self.apply(session)
        self._add_recent(path)
        self.mark_unmodified()
        reset = len(problems)
        if session.arrays_problem:
            problems.append(arrays_note(session.arrays_problem))
        if problems:
            self._fail(
                f"Session {path.name} was opened, but some tabs were reset to defaults:\n"
                + "\n".join(problems),
                summary=f"Session {path.name} opened; "
                + reset_summary(reset, bool(session.arrays_problem)),
            )
            return False
        self._status(f"Session opened from {path}")
        return True

    def save_dialog(self) -> None:
        path = self.ask_save_path()
        if path:
            self.save_to(path)

    def open_dialog(self) -> None:
        """File > Open session: ask before replacing changes, then for the file."""
        if not self.may_replace("Opening a session"):
            return
        path = self.ask_open_path()
        if path:
            self.open_from(path)

    def open_recent(self, path: str | Path) -> bool:
        """File > Recent sessions > ``path``: ask before replacing changes, then open."""
        if not self.may_replace(f"Opening {Path(path).name}"):
            return False
        return self.open_from(path)

    # -- the session kept across restarts ----------------------------------------------------
    def autosave_path(self) -> Path:
        """Where the session is kept across restarts; OSError when the data folder is unusable."""
        stored = self._settings().value("session/last")
        if isinstance(stored, str) and stored:
            return Path(stored)
        return data_dir() / AUTOSAVE_NAME

    def autosave(self) -> None:
        """Called on quit: never raises, never asks."""
        if not self.autosave_enabled:
            return
        try:
            path = self.autosave_path()
            save_session(path, self.collect())
            self._settings().setValue("session/last", str(path))
        except Exception as exc:
            log.warning("the session could not be kept for the next start: %s", _why(exc))

    def restore_last(self) -> bool:
        """Called on start: open the last session if there is one, then enable autosave.

        A last session that cannot be restored in full is never overwritten: it is moved (or,
        when part of it was restored, copied) into a folder whose name says so, and the message
        says where. When that fails too, autosave stays off for this run.
        """
        try:
            path = self.autosave_path()
            exists = path.exists()
        except OSError as exc:
            log.warning("the session will not be kept across restarts: %s", _why(exc))
            self._status(f"The session will not be kept across restarts: {_why(exc)}")
            return False
        if not exists:
            self.autosave_enabled = True
            return False
        try:
            session = load_session(path, keep_state=True)
        except SessionError as exc:
            self._fail(
                f"The last session could not be restored ({exc}); starting with defaults. "
                + self._keep_aside(path, move=True)
            )
            return False
        problems = self.apply(session)
        self.mark_unmodified()
        reset = len(problems)
        if session.arrays_problem:
            problems.append(arrays_note(session.arrays_problem))
        if problems:
            self._fail(
                "Parts of the last session were reset to defaults:\n"
                + "\n".join(problems)
                + "\n"
                + self._keep_aside(path, move=False),
                summary="Restored the last session; "
                + reset_summary(reset, bool(session.arrays_problem)),
            )
        else:
            self.autosave_enabled = True
            self._status("Restored the last session")
        return not problems

    def _keep_aside(self, path: Path, move: bool) -> str:
        """Keep the last session's files out of autosave's way; say where, for the message."""
        try:
            folder = keep_aside(path, move=move)
        except OSError as exc:
            log.warning("could not keep %s aside: %s", path, _why(exc))
            return (
                f"It was left at {path} and will not be saved over while the app runs "
                f"(it could not be kept aside: {_why(exc)})."
            )
        self.autosave_enabled = True
        verb = "moved" if move else "copied"
        return f"The file as it was has been {verb} to {folder}."

    # -- recent files ----------------------------------------------------------------------------
    def recent(self) -> list[str]:
        value = self._settings().value("session/recent", [])
        if isinstance(value, str):  # QSettings hands back a one-item list as a string
            value = [value]
        if not isinstance(value, list):
            return []
        return [v for v in value if isinstance(v, str) and v][:MAX_RECENT]

    def _add_recent(self, path: Path) -> None:
        entry = str(Path(path).resolve())
        items = [entry] + [p for p in self.recent() if p != entry]
        self._settings().setValue("session/recent", items[:MAX_RECENT])

    def _remove_recent(self, path: Path) -> bool:
        """Take ``path`` off the recent list; True if it was on it."""
        entries = self.recent()
        kept = [entry for entry in entries if Path(entry) not in (path, _resolved(path))]
        if len(kept) == len(entries):
            return False
        self._settings().setValue("session/recent", kept)
        return True

    def clear_recent(self) -> None:
        self._settings().setValue("session/recent", [])

    def fill_recent_menu(self, menu: QMenu) -> None:
        """Rebuild the Recent sessions menu (connected to its aboutToShow)."""
        menu.clear()
        entries = self.recent()
        for index, entry in enumerate(entries, start=1):
            action = menu.addAction(f"&{index} {Path(entry).name}")
            action.setToolTip(entry)
            action.setStatusTip(entry)
            action.triggered.connect(lambda _=False, p=entry: self.open_recent(p))
        if not entries:
            menu.addAction("No recent sessions").setEnabled(False)
        menu.addSeparator()
        clear = menu.addAction("Clear recent sessions")
        clear.setEnabled(bool(entries))
        clear.triggered.connect(self.clear_recent)

    # -- interactions ----------------------------------------------------------------------------
    def _fail(self, text: str, summary: str = "") -> None:
        """Report ``text`` in a dialog; the status bar shows ``summary`` (one line that
        stands alone), or ``text`` itself when that is one line."""
        log.warning("%s", text)
        self._status(summary or " ".join(text.splitlines()))
        self.report_error(text)

    def _start_dir(self) -> str:
        recent = self.recent()
        if recent:
            return str(Path(recent[0]).parent)
        try:
            return str(data_dir())
        except OSError:
            return str(Path.home())

    def _ask_save_path(self) -> str:
        path, _ = QFileDialog.getSaveFileName(
            self._window, "Save session", str(Path(self._start_dir()) / "session.json"), FILE_FILTER
        )
        return path

    def _ask_open_path(self) -> str:
        path, _ = QFileDialog.getOpenFileName(
            self._window, "Open session", self._start_dir(), FILE_FILTER
        )
        return path

    def _error_dialog(self, text: str) -> None:
        QMessageBox.warning(self._window, "Session", text)

    def _discard_dialog(self, what: str) -> str:
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Session",
            "Discard the changes?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            self._window,
        )
        box.setObjectName("discardChanges")
        box.setInformativeText(
            f"The tabs have changed since the session was last saved or opened. {what} "
            "replaces those changes. Save them first?"
        )
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        answer = box.exec()
        if answer == QMessageBox.StandardButton.Save:
            return SAVE
        if answer == QMessageBox.StandardButton.Discard:
            return DISCARD
        return CANCEL


# numpy scalars print as np.float64(nan) since numpy 2; a person reads "nan".
_NUMPY_SCALAR = re.compile(r"np\.(?:float|int|uint|bool|complex)\w*\(([^()]*)\)")


def plain(exc: Exception) -> str:
    """A tab's error message for a person: numpy's scalar reprs shown as plain numbers."""
    return _NUMPY_SCALAR.sub(r"\1", str(exc))


def arrays_note(problem: str) -> str:
    """The message line for a session whose arrays (trained weights) could not be read."""
    return (
        f"Trained weights: {problem}. The settings and runs were restored; the weights "
        "were reset to fresh ones."
    )


def reset_summary(tabs: int, arrays: bool) -> str:
    """'2 tabs were reset to defaults (see the message)': a status bar's one-line summary."""
    parts = []
    if tabs:
        parts.append(f"{tabs} tab{'s were' if tabs > 1 else ' was'} reset to defaults")
    if arrays:
        parts.append("the trained weights were reset")
    return " and ".join(parts) + " (see the message)"


def fingerprint(session: Session) -> str:
    """A digest of what saving ``session`` would write (not when it was saved, nor the tab
    showing): equal digests, equal sessions."""
    digest = hashlib.blake2b(digest_size=20)
    for part in (session.tabs, session.documents):
        digest.update(json.dumps(part, sort_keys=True, allow_nan=True, default=repr).encode())
    for tab in sorted(session.arrays):
        for name in sorted(session.arrays[tab]):
            array = np.ascontiguousarray(session.arrays[tab][name])
            digest.update(f"{tab}/{name}:{array.dtype.str}{array.shape}".encode())
            digest.update(array.data)
    return digest.hexdigest()


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:
        return False


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path


def _why(exc: Exception) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.filename or ''}: {exc.strerror}".lstrip(": ")
    return str(exc)
