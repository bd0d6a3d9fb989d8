"""Losses tab latency: from an option or cell change until what changed has been repainted.

The measure of ``benchmarks/gui_latency.py`` (which runs :func:`bench_losses` too): a sample
times the change (signals run synchronously: the engine evaluates the loss and its backward,
the tables, value, dots and PyTorch code update), ``processEvents`` (layout and the paint of
every changed widget and plot, as the running app does), and then repaints any widget that
must show the change but got no paint event (the value label, the gradient table, and the
plots when the curves or dots changed). The ", forced repaint" variant also repaints the whole
tab and the plots, changed or not. The target: <= 16 ms p95 for a 16 x 16 input. CPU
time (this process) is printed beside wall time: on a shared, loaded machine wall time also
counts the time other processes held the CPU.

Usage: ``python benchmarks/losses_latency.py [--repeats N] [--strict]``. Runs offscreen.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
from PySide6.QtCore import QEvent, QObject  # noqa: E402

WINDOW_SIZE = (1280, 760)  # the tab area of a 1280 x 820 main window
WARMUP = 10
TARGET_MS = 16.0
SCENARIOS = (
    "losses: cell edit, 16x16, MSE",
    "losses: cell edit, 16x16, CrossEntropy",
    "losses: cell edit, 16x16, KLDiv",
    "losses: reduction change, 16x16, KLDiv",
    "losses: option change, 16x16, CE smoothing",
    "losses: delta change (curves), 16x16",
)
#: scenario name -> p95 target in milliseconds; the forced variants share it.
TARGETS: dict[str, float] = {
    f"{name}{variant}": TARGET_MS for name in SCENARIOS for variant in ("", ", forced repaint")
}
CPU_TIMES: dict[str, list[float]] = {}


class PaintCounts(QObject):
    """Counts paint events of watched widgets (an event filter): proof of a repaint."""

    def __init__(self):
        super().__init__()
        self.counts: dict[int, int] = {}

    def watch(self, widget) -> int:
        if id(widget) not in self.counts:
            widget.installEventFilter(self)
            self.counts[id(widget)] = 0
        return self.counts[id(widget)]

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.Paint and id(watched) in self.counts:
            self.counts[id(watched)] += 1
        return False


_PAINTS = PaintCounts()


def _time_change(app, change: Callable[[], None], must_paint, forced) -> tuple[float, float]:
    """Wall and CPU ms: the change, processing, then the paints the measure requires."""
    before = [_PAINTS.watch(widget) for widget in must_paint]
    start, cpu = time.perf_counter(), time.process_time()
    change()
    app.processEvents()
    for widget, count in zip(must_paint, before, strict=True):
        if _PAINTS.counts[id(widget)] == count:
            widget.repaint()
    for widget in forced:
        widget.repaint()
    return (time.perf_counter() - start) * 1000.0, (time.process_time() - cpu) * 1000.0


def bench_losses(app, repeats: int) -> dict[str, list[float]]:
    """Edit 16 x 16 input cells; change the reduction, an option and delta (curves redrawn)."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QComboBox

    from explorer.ui.losses.tab import LossesTab

    tab = LossesTab()
    tab.resize(*WINDOW_SIZE)
    tab.show()
    for _ in range(5):
        app.processEvents()
    tab.set_shape(16, 16)
    app.processEvents()
    rng = np.random.default_rng(0)
    kinds = tab.findChild(QComboBox, "lossKind")
    reduction = tab.findChild(QComboBox, "reduction")
    plots_before = [len(plot.items) for plot in tab.export_items().values()]
    readouts = (tab.results.value, tab.results.gradient_table.viewport())
    plots = tab.curves.viewport()

    results = {}

    def run(name: str, change_for_step: Callable[[int], None], plots_change: bool) -> None:
        must_paint = (*readouts, plots) if plots_change else readouts
        for variant, forced in (("", ()), (", forced repaint", (tab, plots))):
            wall, cpu = [], []
            for step in range(repeats + WARMUP):
                elapsed = _time_change(app, lambda s=step: change_for_step(s), must_paint, forced)
                if step >= WARMUP:  # the first few warm caches and fonts
                    wall.append(elapsed[0])
                    cpu.append(elapsed[1])
            results[name + variant] = wall
            CPU_TIMES[name + variant] = cpu

    def edit_cell(step: int) -> None:
        model = tab.input_model
        index = model.index(int(rng.integers(16)), int(rng.integers(16)))
        model.setData(index, f"{rng.normal():.4f}", Qt.ItemDataRole.EditRole)

    for kind in ("MSE", "CrossEntropy", "KLDiv"):
        kinds.setCurrentIndex(kinds.findData(kind))
        # the dots on the curves move with every edit, except for KLDiv (no dots)
        run(f"losses: cell edit, 16x16, {kind}", edit_cell, plots_change=kind != "KLDiv")
    run(
        "losses: reduction change, 16x16, KLDiv",
        lambda step: reduction.setCurrentIndex(step % reduction.count()),
        plots_change=False,
    )
    kinds.setCurrentIndex(kinds.findData("CrossEntropy"))
    smoothing = tab.options_panel.label_smoothing
    run(
        "losses: option change, 16x16, CE smoothing",
        lambda step: smoothing.setValue((step % 10) * 0.05),
        plots_change=False,
    )
    kinds.setCurrentIndex(kinds.findData("Huber"))
    delta = tab.options_panel.delta
    run(
        "losses: delta change (curves), 16x16",
        lambda step: delta.setValue(0.5 + (step % 20) * 0.1),
        plots_change=True,
    )
    if [len(plot.items) for plot in tab.export_items().values()] != plots_before:
        raise AssertionError("the Losses tab created plot items while changing options")
    if tab.last_result is None or not np.isfinite(tab.last_result.value):
        raise AssertionError("the Losses tab has no finite result")
    tab.close()
    tab.deleteLater()
    app.processEvents()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=200, help="samples per scenario")
    parser.add_argument("--strict", action="store_true", help="exit 1 if a p95 misses target")
    args = parser.parse_args(argv)

    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"Losses tab latency, {os.environ['QT_QPA_PLATFORM']} platform, "
        f"{platform.processor() or '?'} ({os.cpu_count()} CPUs, load {load:.1f}), "
        f"Python {platform.python_version()}, {args.repeats} repeats"
    )
    header = (
        f"{'scenario':<60} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7} "
        f"{'cpu p50':>7} {'cpu p95':>7} {'target':>6}"
    )
    print(header)
    print("-" * len(header))
    missed = []
    for scenario, samples in bench_losses(app, args.repeats).items():
        p95 = float(np.percentile(samples, 95))
        cpu95 = float(np.percentile(CPU_TIMES[scenario], 95))
        target = TARGETS[scenario]
        verdict = "ok" if p95 <= target else "MISSED"
        if verdict == "MISSED":
            missed.append(scenario)
        print(
            f"{scenario:<60} {np.percentile(samples, 50):>7.2f} {p95:>7.2f} "
            f"{max(samples):>7.2f} {np.percentile(CPU_TIMES[scenario], 50):>7.2f} "
            f"{cpu95:>7.2f} {target:>6.0f} {verdict}"
        )
    return 1 if (missed and args.strict) else 0


if __name__ == "__main__":
    sys.exit(main())
