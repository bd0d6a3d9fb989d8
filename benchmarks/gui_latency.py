"""GUI latency: from a control change until every read-out and plot has been repainted.

Each tab has one ``bench_<tab>(app, repeats)`` function that builds the tab offscreen at the
main window's size, drives its controls the way a user does, and returns per scenario a pair
of sample lists (wall ms, CPU ms), both from ``time_change``. A sample times: the change
(signals run synchronously), then ``processEvents`` (pyqtgraph's deferred range and axis
updates), then ``widget.repaint()`` (a synchronous paint of every child: labels, sliders
and every plot's view).

To add a tab: write ``bench_<tab>``, list it in ``BENCHES``, put its targets in ``TARGETS``.

Usage: ``python benchmarks/gui_latency.py [--repeats N] [--only distributions ...] [--strict]``
(``--strict`` exits 1 when a p95 misses its target). Runs offscreen; needs no display.
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

WINDOW_SIZE = (1280, 760)  # the tab area of a 1280 x 820 main window
WARMUP = 10
DRAG_LENGTH = 12  # moves per drag before the next slider is taken

#: scenario name -> p95 target in milliseconds (from the issues).
TARGETS: dict[str, float] = {
    "distributions: slider, K=10": 8.0,
    "distributions: slider, K=32": 16.0,
}


def percentile(samples: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(samples, dtype=np.float64), q))


def time_change(app, widget, change: Callable[[], None]) -> tuple[float, float]:
    """Wall and CPU milliseconds for ``change()``, event processing and a full repaint.

    CPU time (this process only) is reported beside wall time because on a shared machine
    wall time also counts the time other processes held the CPU.
    """
    start, start_cpu = time.perf_counter(), time.process_time()
    change()
    app.processEvents()
    widget.repaint()
    return (time.perf_counter() - start) * 1000.0, (time.process_time() - start_cpu) * 1000.0


def drag_values(count: int, seed: int) -> list[int]:
    """Slider positions (0..1000) as a mouse drag delivers them: runs of small steps, now and
    then all the way to 0 (an infinite KL) or 1000, then back."""
    rng = np.random.default_rng(seed)
    values, position = [], 300
    for step in range(count):
        if step % DRAG_LENGTH == 0:
            position = int(rng.integers(50, 400))
        if rng.random() < 0.05:
            position = int(rng.choice([0, 1000]))
        else:
            position = int(np.clip(position + rng.integers(-25, 26), 0, 1000))
        values.append(position)
    return values


def show_offscreen(app, widget) -> None:
    widget.resize(*WINDOW_SIZE)
    widget.show()
    for _ in range(5):
        app.processEvents()


def count_plot_items(tab) -> list[int]:
    return [len(plot.items) for plot in tab.export_items().values()]


# -- Distributions ---------------------------------------------------------------------------
def bench_distributions(app, repeats: int) -> dict[str, list[float]]:
    """Drag P and Q sliders (one step each, as a mouse drag emits) at K = 10 and K = 32."""
    from PySide6.QtWidgets import QSlider

    from explorer.ui.tabs.distributions import DistributionsTab

    results = {}
    for k in (10, 32):
        tab = DistributionsTab()
        show_offscreen(app, tab)
        tab.count_spin.setValue(k)
        app.processEvents()
        sliders = [tab.findChild(QSlider, f"{w}Slider{i}") for i in range(k) for w in "pq"]
        items_before = count_plot_items(tab)
        samples, cpu = [], []
        for step, value in enumerate(drag_values(repeats + WARMUP, seed=k)):
            slider = sliders[(step // DRAG_LENGTH) % len(sliders)]
            wall, cpu_ms = time_change(app, tab, lambda s=slider, v=value: s.setValue(v))
            if step >= WARMUP:  # the first few warm caches and fonts
                samples.append(wall)
                cpu.append(cpu_ms)
        if count_plot_items(tab) != items_before:
            raise AssertionError("the Distributions tab created plot items while dragging")
        p, q = tab.distributions()
        if np.isnan(p).any() or np.isnan(q).any():
            raise AssertionError("NaN in the Distributions tab")
        results[f"distributions: slider, K={k}"] = (samples, cpu)
        tab.close()
        tab.deleteLater()
        app.processEvents()
    return results


# -- Losses (scenarios and targets live in benchmarks/losses_latency.py) ----------------------
def bench_losses(app, repeats: int) -> dict[str, list[float]]:
    from losses_latency import TARGETS as LOSSES_TARGETS
    from losses_latency import bench_losses as run

    TARGETS.update(LOSSES_TARGETS)
    return run(app, repeats)


#: tab name -> its bench function; other tabs add theirs here.
BENCHES: dict[str, Callable] = {
    "distributions": bench_distributions,
    "losses": bench_losses,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=200, help="samples per scenario")
    parser.add_argument("--only", nargs="*", choices=sorted(BENCHES), help="tabs to run")
    parser.add_argument("--strict", action="store_true", help="exit 1 if a p95 misses target")
    args = parser.parse_args(argv)

    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    print(
        f"GUI latency, {os.environ['QT_QPA_PLATFORM']} platform, {platform.processor() or '?'}"
        f" ({os.cpu_count()} CPUs), Python {platform.python_version()}, {args.repeats} repeats"
    )
    header = (
        f"{'scenario':<34} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} "
        f"{'cpu p50':>8} {'cpu p95':>8} {'target':>7}"
    )
    print(header)
    print("-" * len(header))
    missed = []
    for name in args.only or list(BENCHES):
        for scenario, (samples, cpu) in BENCHES[name](app, args.repeats).items():
            p95 = percentile(samples, 95)
            target = TARGETS.get(scenario)
            verdict = "" if target is None else ("ok" if p95 <= target else "MISSED")
            if verdict == "MISSED":
                missed.append(scenario)
            target_text = "-" if target is None else f"{target:.0f}"
            print(
                f"{scenario:<34} {len(samples):>5} {percentile(samples, 50):>8.2f} "
                f"{p95:>8.2f} {max(samples):>8.2f} {percentile(cpu, 50):>8.2f} "
                f"{percentile(cpu, 95):>8.2f} {target_text:>7} {verdict}"
            )
    if hasattr(os, "getloadavg"):
        print(f"load average during the run: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    return 1 if (missed and args.strict) else 0


if __name__ == "__main__":
    sys.exit(main())
