"""The main window's View menu: zoom in, zoom out, actual size, the appearance, the console."""

from __future__ import annotations

from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from explorer.ui.appearance import APPEARANCES

APPEARANCE_TEXT = {"system": "&System", "light": "&Light", "dark": "&Dark"}
APPEARANCE_TIPS = {
    "system": "Follow the system's light or dark colour scheme",
    "light": "Dark text on light backgrounds, whatever the system uses",
    "dark": "Light text on dark backgrounds, whatever the system uses",
}


def _action(window, text: str, tip: str, slot, shortcuts, name: str) -> QAction:
    action = QAction(text, window)
    action.setObjectName(name)
    action.setStatusTip(tip)
    action.setToolTip(tip)
    action.setShortcuts(shortcuts)
    action.triggered.connect(slot)
    return action


def _zoom_in_keys() -> list[QKeySequence]:
    # Ctrl+= as well: on most keyboards "+" needs Shift, and browsers accept both.
    keys = QKeySequence.keyBindings(QKeySequence.StandardKey.ZoomIn)
    extra = QKeySequence("Ctrl+=")
    return keys if extra in keys else [*keys, extra]


def build_view_menu(window: QMainWindow) -> QMenu:
    """Add View to ``window``'s menu bar, driving ``window.set_zoom`` / ``set_appearance`` /
    ``show_console`` / ``hide_console``.

    Sets ``window.zoom_in_action``, ``zoom_out_action``, ``actual_size_action``,
    ``appearance_actions`` (by name: "system", "light", "dark") and ``console_action``."""
    appearance = window.appearance
    menu = window.menuBar().addMenu("&View")
    window.zoom_in_action = _action(
        window,
        "Zoom &In",
        "Make every text and plot label larger",
        lambda: window.set_zoom(appearance.next_zoom(+1)),
        _zoom_in_keys(),
        "zoomInAction",
    )
    window.zoom_out_action = _action(
        window,
        "Zoom &Out",
        "Make every text and plot label smaller",
        lambda: window.set_zoom(appearance.next_zoom(-1)),
        QKeySequence.keyBindings(QKeySequence.StandardKey.ZoomOut),
        "zoomOutAction",
    )
    window.actual_size_action = _action(
        window,
        "&Actual Size",
        "Show text at its normal size (100 %)",
        lambda: window.set_zoom(1.0),
        [QKeySequence("Ctrl+0")],
        "actualSizeAction",
    )
    for action in (window.zoom_in_action, window.zoom_out_action, window.actual_size_action):
        menu.addAction(action)
    menu.addSeparator()
    appearance_menu = menu.addMenu("A&ppearance")
    appearance_menu.setObjectName("appearanceMenu")
    group = QActionGroup(window)
    group.setExclusive(True)
    window.appearance_actions = {}
    for name in APPEARANCES:
        action = QAction(APPEARANCE_TEXT[name], window)
        action.setObjectName(f"{name}AppearanceAction")
        action.setCheckable(True)
        action.setChecked(name == appearance.preference())
        action.setStatusTip(APPEARANCE_TIPS[name])
        action.triggered.connect(lambda _checked=False, n=name: window.set_appearance(n))
        group.addAction(action)
        appearance_menu.addAction(action)
        window.appearance_actions[name] = action
    menu.addSeparator()
    window.console_action = QAction("&Console", window)
    window.console_action.setObjectName("consoleAction")
    window.console_action.setCheckable(True)
    tip = "A Python console on the model the tabs show, with the engine as torch"
    window.console_action.setStatusTip(tip)
    window.console_action.setToolTip(tip)
    window.console_action.triggered.connect(
        lambda checked: window.show_console() if checked else window.hide_console()
    )
    menu.addAction(window.console_action)
    return menu


__all__ = ["build_view_menu"]
