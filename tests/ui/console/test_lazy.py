"""The console's packages load when the console first opens, never with the window."""

import json
import os
import subprocess
import sys

from explorer.ui.console.dock import ConsoleDock  # noqa: F401 (the packages exist here)

CHILD = """
import json, sys
from PySide6.QtWidgets import QApplication
app = QApplication([])
from explorer.ui import MainWindow
window = MainWindow()
window.show()
app.processEvents()
late = sorted(name for name in ("qtconsole", "ipykernel", "IPython") if name in sys.modules)
window.close()
# As the app ends (explorer.ui.launch.run_gui): PySide6 may crash at exit otherwise.
from PySide6.QtCore import QCoreApplication, QEvent
window.deleteLater()
QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
print(json.dumps(late))
"""


def test_opening_the_window_imports_no_console_package(tmp_path):
    env = os.environ | {
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }
    done = subprocess.run(
        [sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
