"""Start the desktop app: check for a display, build the window, run the event loop."""

from __future__ import annotations

import os
import sys

NO_DISPLAY_MESSAGE = (
    "explorer: no display available. Set DISPLAY (or run under Xvfb), or make figures "
    "headless with `explorer export ...` (see `explorer --help`); "
    "QT_QPA_PLATFORM=offscreen runs the app without a screen."
)


def has_display() -> bool:
    """True when a window can be shown: an X or Wayland display, or a platform chosen by hand."""
    if os.environ.get("QT_QPA_PLATFORM"):
        return True
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def run_gui(argv: list[str]) -> int:
    """Open the main window and run until it is closed; return the exit code."""
    if not has_display():
        print(NO_DISPLAY_MESSAGE, file=sys.stderr)
        return 2
    from PySide6.QtWidgets import QApplication

    from explorer.ui.main_window import SETTINGS_APP, SETTINGS_ORG, MainWindow

    app = QApplication.instance() or QApplication([sys.argv[0], *argv])
    app.setOrganizationName(SETTINGS_ORG)
    app.setApplicationName(SETTINGS_APP)
    window = MainWindow()
    window.show()
    return app.exec()
