"""Test configuration: Qt runs offscreen, settings go to a throw-away folder."""

from __future__ import annotations

import os
import tempfile

# Set before anything imports Qt: tests never need a display, nor touch the user's settings.
os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="explorer-test-config-")
os.environ.setdefault("XDG_RUNTIME_DIR", tempfile.mkdtemp(prefix="explorer-test-runtime-"))

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _no_leftover_windows(request):
    """Fail a GUI test that leaves a visible top-level window behind."""
    yield
    if "qtbot" not in request.fixturenames:
        return
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        return
    app.processEvents()
    left = [w for w in app.topLevelWidgets() if w.isVisible() and not w.isHidden()]
    for widget in left:
        widget.close()
    if left:
        names = ", ".join(type(w).__name__ for w in left)
        pytest.fail(f"test left visible top-level windows behind: {names}")
