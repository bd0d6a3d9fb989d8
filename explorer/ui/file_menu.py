"""The main window's File menu: export, sessions, recent sessions, quit."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from explorer.ui.export.dialog import ExportController
from explorer.ui.session_ui import SessionController


def _action(window, text: str, tip: str, slot, shortcut=None, name: str = "") -> QAction:
    action = QAction(text, window)
    action.setStatusTip(tip)
    action.setToolTip(tip)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    if name:
        action.setObjectName(name)
    action.triggered.connect(slot)
    return action


def build_file_menu(
    window: QMainWindow, settings_factory: Callable, documents: dict | None = None
) -> QMenu:
    """Add File to ``window``'s menu bar; sets ``window.exporter`` and ``window.sessions``
    (which saves ``documents``, name -> document, beside the tabs)."""

    def status(text: str) -> None:
        window.statusBar().showMessage(text, 10000)

    window.exporter = ExportController(window, settings_factory, status)
    window.sessions = SessionController(
        window,
        tabs=window.all_tabs,
        documents=documents or {},
        current=lambda: window.tabs.currentWidget().export_name,
        set_current=window.show_tab,
        settings_factory=settings_factory,
        status=status,
    )

    def export_current() -> None:
        tab = window.tabs.currentWidget()
        window.exporter.export(f"the {tab.title} tab's plots", [tab])

    def export_all() -> None:
        window.exporter.export("the plots of every tab", window.all_tabs())

    menu = window.menuBar().addMenu("&File")
    window.export_action = _action(
        window,
        "&Export...",
        "Export the current tab's plots as PNG, SVG and CSV",
        export_current,
        "Ctrl+E",
        "exportAction",
    )
    window.export_all_action = _action(
        window,
        "Export &all tabs...",
        "Export every tab's plots into one folder",
        export_all,
        "Ctrl+Shift+E",
        "exportAllAction",
    )
    window.open_session_action = _action(
        window,
        "&Open session...",
        "Open a saved session: every tab's settings, runs, weights",
        window.sessions.open_dialog,
        QKeySequence.StandardKey.Open,
        "openSessionAction",
    )
    window.save_session_action = _action(
        window,
        "&Save session...",
        "Save every tab's settings, the runs and the weights",
        window.sessions.save_dialog,
        QKeySequence.StandardKey.Save,
        "saveSessionAction",
    )
    window.recent_menu = QMenu("&Recent sessions", window)
    window.recent_menu.setObjectName("recentSessionsMenu")
    window.recent_menu.aboutToShow.connect(
        lambda: window.sessions.fill_recent_menu(window.recent_menu)
    )
    window.quit_action = _action(
        window,
        "&Quit",
        "Quit the explorer (the session is kept for next time)",
        window.close,
        QKeySequence.StandardKey.Quit,
        "quitAction",
    )
    menu.addAction(window.export_action)
    menu.addAction(window.export_all_action)
    menu.addSeparator()
    menu.addAction(window.open_session_action)
    menu.addAction(window.save_session_action)
    menu.addMenu(window.recent_menu)
    menu.addSeparator()
    menu.addAction(window.quit_action)
    return menu
