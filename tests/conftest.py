"""Test configuration: Qt runs offscreen, settings go to a throw-away folder."""

from __future__ import annotations

import gc
import os
import shutil
import sys
import tempfile

# Set before anything imports Qt: tests never need a display, nor touch the user's settings
# or data. The folders go when the run ends (pytest_unconfigure).
_TEMPORARY_FOLDERS = [tempfile.mkdtemp(prefix="explorer-test-config-")]
os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ["XDG_CONFIG_HOME"] = _TEMPORARY_FOLDERS[0]
os.environ["XDG_DATA_HOME"] = os.path.join(_TEMPORARY_FOLDERS[0], "data")
if "XDG_RUNTIME_DIR" not in os.environ:
    _TEMPORARY_FOLDERS.append(tempfile.mkdtemp(prefix="explorer-test-runtime-"))
    os.environ["XDG_RUNTIME_DIR"] = _TEMPORARY_FOLDERS[-1]

import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402

from explorer.engine.fast import backward as fast_backward  # noqa: E402

# Every gradient the fast backward meets is checked against its parent's shape, as the plain
# walk checks them (the app skips it: it costs about 2% of a training step)
fast_backward.CHECK_SHAPES = True

# Property tests never depend on timing (no deadline); under CI they draw the same examples
# every run, so a red CI is reproducible and a green one is not luck. Locally they explore.
settings.register_profile("dev", deadline=None)
settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


def pytest_unconfigure(config):
    for folder in _TEMPORARY_FOLDERS:
        shutil.rmtree(folder, ignore_errors=True)


def top_level_widgets(app) -> list:
    """``app.topLevelWidgets()``, safely.

    Wrapping each widget of that list allocates Python objects, which can start the cyclic
    garbage collector midway; it may then free an earlier test's unreachable pyqtgraph
    item whose context menu is a parentless QMenu, itself a top-level widget further down
    the same list, and the next wrap reads freed memory (a segfault). So the garbage goes
    first, and the collector waits until the list is wrapped.
    """
    gc.collect()
    gc.disable()
    try:
        return app.topLevelWidgets()
    finally:
        gc.enable()


@pytest.fixture(autouse=True)
def _no_leftover_windows_or_threads(request):
    """Fail a GUI test that leaves a visible top-level window or a worker thread behind."""
    yield
    if "qtbot" not in request.fixturenames:
        return
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        return
    app.processEvents()
    left = []
    for widget in top_level_widgets(app):
        try:
            if widget.isVisible():
                left.append(type(widget).__name__)
                widget.close()
        except RuntimeError:  # its C++ object was deleted meanwhile: nothing is left
            continue
    threads = []
    worker = sys.modules.get("explorer.ui.training.worker")
    if worker is not None:
        threads = worker.TrainingController.running_threads()
        for thread in threads:
            thread.quit()
            thread.wait()
    if left:
        pytest.fail(f"test left visible top-level windows behind: {', '.join(left)}")
    if threads:
        pytest.fail(f"test left {len(threads)} training thread(s) running")


@pytest.fixture(autouse=True)
def _default_appearance():
    """Give the next test the light appearance at 100 %, whatever this one chose (the theme
    and the application's palette and font are the process's, the settings the run's)."""
    yield
    if "explorer.ui.theme" not in sys.modules:
        return
    from PySide6.QtGui import QGuiApplication, QPalette
    from PySide6.QtWidgets import QApplication

    from explorer.ui.colors import LIGHT
    from explorer.ui.settings import make_settings
    from explorer.ui.theme import theme

    make_settings().remove("view")
    current = theme()
    if QApplication.instance() is not None and (current.palette != LIGHT or current.zoom != 1):
        QGuiApplication.styleHints().unsetColorScheme()
        QApplication.setPalette(QPalette())
        current.set(palette=LIGHT, zoom=1.0)
