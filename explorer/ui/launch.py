"""Start the desktop app: check for a display and Qt's libraries, build the window, run.

Everything that can fail before a window exists is checked here, before ``QApplication`` is
created, because Qt aborts the process (no exception, a core dump) when its platform plugin
cannot start. Each failure prints one line and returns exit code 2.
"""

from __future__ import annotations

import ctypes
import os
import sys
import time
from collections.abc import Callable

NO_DISPLAY_MESSAGE = (
    "explorer: no display available. Set DISPLAY (or run under Xvfb), or make figures "
    "headless with `explorer export ...` (see `explorer --help`); "
    "QT_QPA_PLATFORM=offscreen runs the app without a screen."
)

# What Qt's xcb platform plugin (PySide6 6.10) loads, and the Debian/Ubuntu package of each.
XCB_LIBRARIES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libfontconfig.so.1": "libfontconfig1",
    "libdbus-1.so.3": "libdbus-1-3",
}


def has_display() -> bool:
    """True when a window can be shown: an X or Wayland display, or a platform chosen by hand."""
    chosen = os.environ.get("QT_QPA_PLATFORM", "").split(":")[0].split(";")[0].strip()
    if chosen == "xcb":
        return bool(os.environ.get("DISPLAY"))
    if chosen.startswith("wayland"):
        return bool(os.environ.get("WAYLAND_DISPLAY"))
    if chosen:  # offscreen, minimal, vnc, eglfs, ...: no display server needed
        return True
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def platform_is_xcb() -> bool:
    """True when Qt will use its X11 (xcb) plugin: Linux, an X display, no other choice made."""
    if not sys.platform.startswith("linux"):
        return False
    chosen = os.environ.get("QT_QPA_PLATFORM", "")
    if chosen:
        return chosen.split(":")[0].split(";")[0] == "xcb"
    wayland = os.environ.get("WAYLAND_DISPLAY") and (
        os.environ.get("XDG_SESSION_TYPE") == "wayland"
    )
    return bool(os.environ.get("DISPLAY")) and not wayland


def _can_load(soname: str) -> bool:
    # The dynamic loader itself is the truth: it sees LD_LIBRARY_PATH as Qt will.
    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def missing_xcb_libraries(can_load: Callable[[str], bool] | None = None) -> list[str]:
    """The sonames from ``XCB_LIBRARIES`` that cannot be loaded."""
    can_load = can_load or _can_load
    return [soname for soname in XCB_LIBRARIES if not can_load(soname)]


def missing_libraries_message(missing: list[str]) -> str:
    packages = sorted({XCB_LIBRARIES[m] for m in missing})
    return (
        f"explorer: Qt's X11 (xcb) platform plugin cannot load; missing system libraries: "
        f"{', '.join(missing)}. On Debian/Ubuntu install them with: sudo apt-get install "
        f"{' '.join(packages)}. (Headless figures need none of this: `explorer export ...`.)"
    )


# The probe's connection, held open until Qt has its own: when the probe is the X server's only
# client, closing it makes a plain Xvfb reset, and Qt's connect during the reset aborts (exit 134).
_held_x_connection: tuple[ctypes.CDLL, int] | None = None


def x_display_reachable(hold: bool = False, attempts: int = 5, pause: float = 0.2) -> bool:
    """Whether the X server named by DISPLAY accepts a connection (asked through libxcb).

    A failed connect is retried ``attempts`` times, ``pause`` seconds apart, because a server
    that has just lost its last client (the previous run) refuses connections while it resets.
    With ``hold`` the connection stays open until ``release_x_display()``.
    """
    global _held_x_connection
    try:
        xcb = ctypes.CDLL("libxcb.so.1")
    except OSError:
        return True  # the missing-library check names it
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    for attempt in range(max(1, attempts)):
        if attempt:
            time.sleep(pause)
        connection = xcb.xcb_connect(None, None)
        if xcb.xcb_connection_has_error(connection) == 0:
            if hold:
                release_x_display()
                _held_x_connection = (xcb, connection)
            else:
                xcb.xcb_disconnect(connection)
            return True
        xcb.xcb_disconnect(connection)  # frees the error object libxcb returns
    return False


def release_x_display() -> None:
    """Close the connection ``x_display_reachable(hold=True)`` kept (after Qt has connected)."""
    global _held_x_connection
    if _held_x_connection is not None:
        xcb, connection = _held_x_connection
        _held_x_connection = None
        xcb.xcb_disconnect(connection)


def preflight() -> str | None:
    """The one-line reason the GUI cannot start, or None when it can."""
    if not has_display():
        return NO_DISPLAY_MESSAGE
    if platform_is_xcb():
        missing = missing_xcb_libraries()
        if missing:
            return missing_libraries_message(missing)
        if not x_display_reachable(hold=True):
            display = os.environ.get("DISPLAY", "")
            return (
                f"explorer: cannot connect to the X display {display!r} (DISPLAY). Check that "
                "it is running and that you may use it, or make figures headless with "
                "`explorer export ...`; QT_QPA_PLATFORM=offscreen runs the app without a screen."
            )
    return None


def return_focus_after_dialogs(app, window) -> None:
    """Give ``window`` the keyboard focus back when a dialog closes and nothing else has it.

    A window manager does this; on a bare X server (Xvfb, some lab VNC setups) Ctrl+Q and
    Ctrl+E went nowhere after a message box until the user clicked into the window.
    """
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    def activate_if_nothing_has_focus() -> None:
        if window.isVisible() and QApplication.activeWindow() is None:
            window.activateWindow()

    def on_focus_window_changed(focus) -> None:
        # Qt reports no focus change when a focused dialog closes on a bare X server, so
        # watch the dialog's window going away instead.
        if focus is None or focus is window.windowHandle():
            return
        focus.visibleChanged.connect(
            lambda visible: visible or QTimer.singleShot(0, activate_if_nothing_has_focus)
        )

    app.focusWindowChanged.connect(on_focus_window_changed)


def run_gui(argv: list[str]) -> int:
    """Open the main window and run until it is closed; return the exit code (0 on close)."""
    problem = preflight()
    if problem:
        print(problem, file=sys.stderr)
        return 2
    from PySide6.QtCore import QCoreApplication, QEvent, QTimer
    from PySide6.QtWidgets import QApplication

    from explorer.ui.main_window import MainWindow
    from explorer.ui.settings import SETTINGS_APP, SETTINGS_ORG

    try:
        app = QApplication.instance() or QApplication([sys.argv[0], *argv])
    finally:
        release_x_display()  # Qt holds its own connection now (see _held_x_connection)
    app.setOrganizationName(SETTINGS_ORG)
    app.setApplicationName(SETTINGS_APP)
    window = MainWindow()
    window.install_fault_handler()
    window.show()
    return_focus_after_dialogs(app, window)
    # After the first paint, so a message about the last session has a window to sit on.
    QTimer.singleShot(0, window.sessions.restore_last)
    code = app.exec()
    # Delete the window while Qt still runs: PySide6 may crash at exit otherwise.
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return code
