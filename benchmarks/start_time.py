"""Start time: from launching the app's process until its main window's first paint.

Each run starts a fresh ``python`` that opens the window as ``explorer`` does (``run_gui``),
notes the wall clock at the window's first paint event and closes it. Settings go to a
throw-away folder, so no session is restored and the user's are untouched. The child also
says which optional packages the start imported (the console's must wait until it opens).

Usage: ``python benchmarks/start_time.py [--runs N]`` with a display (or under Xvfb);
``QT_QPA_PLATFORM=offscreen`` measures without one.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: Packages a start must not import (they belong to features opened later).
LATE_PACKAGES = ("qtconsole", "ipykernel", "IPython")

CHILD = """
import json, sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

app = QApplication([sys.argv[0]])

class FirstPaint(QObject):
    seen = None

    def eventFilter(self, watched, event):
        if self.seen is None and event.type() == QEvent.Type.Paint and isinstance(
            watched, QMainWindow
        ):
            self.seen = time.time()
            late = [name for name in LATE if name in sys.modules]
            print(json.dumps({"painted": self.seen, "imported": late}), flush=True)
            QTimer.singleShot(0, watched.close)
        return False

watcher = FirstPaint()
app.installEventFilter(watcher)
from explorer.ui.launch import run_gui

sys.exit(run_gui([]))
"""


def one_run() -> tuple[float, list[str]]:
    """Seconds from launching the process to the first paint, and the late packages it
    imported."""
    with tempfile.TemporaryDirectory(prefix="explorer-start-") as folder:
        env = {**os.environ, "XDG_CONFIG_HOME": folder, "XDG_DATA_HOME": folder}
        code = f"LATE = {LATE_PACKAGES!r}\n{CHILD}"
        start = time.time()
        result = subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise RuntimeError(f"the app did not paint (exit {result.returncode}): {result.stderr}")
    report = json.loads(lines[-1])
    return report["painted"] - start, report["imported"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs (default 7; the first warms)")
    runs = parser.parse_args().runs
    one_run()  # the file cache warms: the first start reads everything from disk
    seconds, imported = [], set()
    for _ in range(runs):
        elapsed, late = one_run()
        seconds.append(elapsed)
        imported.update(late)
    ms = sorted(1000 * s for s in seconds)
    print(
        f"start to first paint, {runs} runs: median {statistics.median(ms):.0f} ms, "
        f"min {ms[0]:.0f} ms, max {ms[-1]:.0f} ms ({', '.join(f'{m:.0f}' for m in ms)})"
    )
    none = "none of " + ", ".join(LATE_PACKAGES)
    print(f"imported at start: {', '.join(sorted(imported)) or none}")
    return 1 if imported else 0


if __name__ == "__main__":
    sys.exit(main())
