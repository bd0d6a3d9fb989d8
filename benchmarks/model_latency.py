"""Latency of the Model tab: build + tree fill, and a weight heatmap/histogram refresh.

Targets: building the default 784-256-10 model and filling the tree <= 100 ms;
refreshing the heatmap and histograms of a 256 x 784 weight <= 30 ms. Each case is timed
``--repeat`` times in an offscreen 1280 x 820 main window with the Model tab current; the
median wall-clock and CPU times are reported, and the verdict uses CPU time (the process's
own work, so that other load on the machine does not count). "+ paint" adds rendering the
affected widget (``grab()``), which is what the screen would do on the next frame.

Usage: ``python benchmarks/model_latency.py [--repeat N]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("XDG_CONFIG_HOME", tempfile.mkdtemp(prefix="explorer-bench-"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from explorer.engine import Tensor  # noqa: E402
from explorer.model.config import MLPConfig  # noqa: E402
from explorer.ui.main_window import MainWindow  # noqa: E402

BUILD_TARGET_MS = 100.0
REFRESH_TARGET_MS = 30.0


def _time(fn, repeat: int) -> tuple[float, float]:
    """Median wall-clock and median CPU milliseconds of ``fn`` (CPU time is what a loaded
    machine distorts least: other processes' time is not counted)."""
    fn()  # warm-up: first calls pay for imports and caches
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        cpu.append((time.process_time() - start_cpu) * 1000)
        wall.append((time.perf_counter() - start) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def model_tab_latency(repeat: int = 20) -> list[tuple[str, float, float, float]]:
    """(case, median wall ms, median CPU ms, target ms) for the Model tab's speed targets."""
    app = QApplication.instance() or QApplication([])
    window = MainWindow()
    window.resize(1280, 820)
    window.show_tab("model")
    window.show()
    app.processEvents()
    tab = window.tab("model")
    tab.set_model_config(MLPConfig(), build=True)

    def build():
        tab.build_model(confirm=False)
        app.processEvents()

    def build_and_paint():
        build()
        tab.tree.viewport().grab()

    tab.select("linear1.weight")
    model = tab.model()
    model(Tensor(np.ones((8, 784), dtype=np.float32))).sum().backward()
    tab.select("linear1.weight")

    def refresh():
        model.linear1.weight.data *= 1.0001  # the values change in place, as in training
        tab.weights.refresh()

    def refresh_and_paint():
        refresh()
        tab.weights.graphics.grab()

    def refresh_parameters():
        model.linear1.weight.data *= 1.0001
        tab.refresh_parameters()
        app.processEvents()

    results = [
        ("build 784-256-10 + fill tree", *_time(build, repeat), BUILD_TARGET_MS),
        ("  ... + paint tree", *_time(build_and_paint, repeat), BUILD_TARGET_MS),
        ("refresh 256x784 heatmap + histograms", *_time(refresh, repeat), REFRESH_TARGET_MS),
        ("  ... + paint plots", *_time(refresh_and_paint, repeat), REFRESH_TARGET_MS),
        (
            "refresh_parameters() (tree + plots)",
            *_time(refresh_parameters, repeat),
            REFRESH_TARGET_MS,
        ),
    ]
    window.close()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    print(f"{'case':<40} {'wall ms':>9} {'cpu ms':>8} {'target':>8}")
    failed = False
    for case, wall, cpu, target in model_tab_latency(args.repeat):
        verdict = "ok" if cpu <= target else "SLOW"
        failed |= cpu > target
        print(f"{case:<40} {wall:>9.1f} {cpu:>8.1f} {target:>6.0f}ms {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
