"""GUI latency: from a control change until every read-out and plot has been repainted.

Each tab has one ``bench_<tab>(app, repeats)`` function that builds the tab offscreen at the
main window's size, drives its controls the way a user does, and returns per scenario either
a list of wall-clock ms or a pair of lists (wall ms, CPU ms), as ``time_change`` gives them.
A sample times the change (signals run synchronously), ``processEvents`` (layout, pyqtgraph's
deferred updates, the plots' paint) and a synchronous ``repaint()`` of the live widgets.

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
from PySide6.QtCore import QEvent, QObject  # noqa: E402

WINDOW_SIZE = (1280, 760)  # the tab area of a 1280 x 820 main window
WARMUP = 10
DRAG_LENGTH = 12  # moves per drag before the next slider is taken

#: scenario name -> p95 target in milliseconds.
TARGETS: dict[str, float] = {
    "distributions: slider, K=10": 8.0,
    "distributions: slider, K=32": 16.0,
}


def reference_ms(repeats: int = 5) -> float:
    """Milliseconds for a fixed mix of Python and small numpy work (the fastest of
    ``repeats``): how fast this machine runs right now. Machines whose CPUs change speed (the
    docs' two-core Xeon alternates between ~1x and ~1.7x) print it before and after the
    run so results can be read against it."""
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        total, array = 0.0, np.arange(16.0)
        for i in range(3000):
            total += float((array * i).sum()) + i % 7
        best = min(best, time.perf_counter() - started)
    return best * 1000.0


def percentile(samples: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(samples, dtype=np.float64), q))


class PaintCounts(QObject):
    """Counts the paint events of watched widgets (an event filter): proof of a repaint."""

    def __init__(self):
        super().__init__()
        self._counts: dict[int, int] = {}

    def watch(self, widget) -> int:
        """Start counting ``widget``'s paint events (once); return its count so far."""
        if id(widget) not in self._counts:
            widget.installEventFilter(self)
            self._counts[id(widget)] = 0
        return self._counts[id(widget)]

    def count(self, widget) -> int:
        return self._counts.get(id(widget), 0)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.Paint and id(watched) in self._counts:
            self._counts[id(watched)] += 1
        return False


_PAINTS = PaintCounts()


def time_change(app, widgets, change: Callable[[], None], must_paint=()) -> tuple[float, float]:
    """Wall and CPU milliseconds for ``change()``, event processing and repainting.

    ``processEvents`` runs what the change queued: layout, pyqtgraph's deferred updates and
    the paint of every changed widget and plot, as the running app does. Each widget in
    ``must_paint`` that got no paint event from that is then repainted inside the timing, so
    a sample always ends with those painted. Each widget in ``widgets`` is repainted in full
    (``repaint()``, changed or not) for a stricter, forced measure. For a QGraphicsView pass
    its ``viewport()``: ``repaint()`` of a parent does not repaint a graphics view's viewport.
    CPU time (this process only) is reported beside wall time because on a shared machine
    wall time also counts the time other processes held the CPU.
    """
    counters = [_PAINTS.watch(widget) for widget in must_paint]
    start, start_cpu = time.perf_counter(), time.process_time()
    change()
    app.processEvents()
    for widget, before in zip(must_paint, counters, strict=True):
        if _PAINTS.count(widget) == before:
            widget.repaint()
    for widget in widgets:
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
    """Drag P and Q sliders at K = 10 and K = 32: press a slider, move it DRAG_LENGTH steps
    (one change each, as a mouse drag emits them; each timed), release, take the next."""
    from PySide6.QtWidgets import QSlider

    from explorer.ui.distributions.tab import DistributionsTab

    results = {}
    for k in (10, 32):
        tab = DistributionsTab()
        show_offscreen(app, tab)
        tab.count_spin.setValue(k)
        app.processEvents()
        sliders = [tab.findChild(QSlider, f"{w}Slider{i}") for i in range(k) for w in "pq"]
        items_before = count_plot_items(tab)
        # The plots must have been painted by the end of every sample; the forced variant
        # also repaints every read-out, slider and label, changed or not.
        plots = (tab.graphics.viewport(),)
        live = (tab.readouts, tab.sliders, *plots)
        for label, forced in (("", ()), (", forced repaint", live)):
            samples, cpu = [], []
            held = None
            for step, value in enumerate(drag_values(repeats + WARMUP, seed=k)):
                slider = sliders[(step // DRAG_LENGTH) % len(sliders)]
                if slider is not held:  # as the mouse does: press, drag, release (untimed)
                    if held is not None:
                        held.setSliderDown(False)
                    slider.setSliderDown(True)
                    held = slider
                    app.processEvents()
                wall, cpu_ms = time_change(
                    app, forced, lambda s=slider, v=value: s.setValue(v), must_paint=plots
                )
                if step >= WARMUP:  # the first few warm caches and fonts
                    samples.append(wall)
                    cpu.append(cpu_ms)
            held.setSliderDown(False)
            app.processEvents()
            results[f"distributions: slider, K={k}{label}"] = (samples, cpu)
        if count_plot_items(tab) != items_before:
            raise AssertionError("the Distributions tab created plot items while dragging")
        p, q = tab.distributions()
        if np.isnan(p).any() or np.isnan(q).any():
            raise AssertionError("NaN in the Distributions tab")
        tab.close()
        tab.deleteLater()
        app.processEvents()
    return results


# -- Losses (scenarios and targets live in benchmarks/losses_latency.py) ----------------------
def bench_losses(app, repeats: int) -> dict[str, tuple[list[float], list[float]]]:
    import losses_latency

    TARGETS.update(losses_latency.TARGETS)
    walls = losses_latency.bench_losses(app, repeats)
    return {name: (wall, losses_latency.CPU_TIMES[name]) for name, wall in walls.items()}


#: tab name -> its bench function; other tabs add theirs here.
BENCHES: dict[str, Callable] = {
    "distributions": bench_distributions,
    "losses": bench_losses,
}


def split_samples(result) -> tuple[list[float], list[float] | None]:
    """A bench's result per scenario: wall samples, or a (wall, cpu) pair of sample lists."""
    if isinstance(result, tuple) and len(result) == 2:
        return list(result[0]), list(result[1])
    return list(result), None


def _cpu(cpu: list[float] | None, q: float) -> str:
    return "-" if not cpu else f"{percentile(cpu, q):.2f}"


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
    print(f"reference workload: {reference_ms():.1f} ms (lower is a faster machine right now)")
    header = (
        f"{'scenario':<44} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} "
        f"{'cpu p50':>8} {'cpu p95':>8} {'target':>7}"
    )
    print(header)
    print("-" * len(header))
    missed = []
    for name in args.only or list(BENCHES):
        for scenario, result in BENCHES[name](app, args.repeats).items():
            samples, cpu = split_samples(result)
            p95 = percentile(samples, 95)
            target = TARGETS.get(scenario)
            verdict = "" if target is None else ("ok" if p95 <= target else "MISSED")
            if verdict == "MISSED":
                missed.append(scenario)
            target_text = "-" if target is None else f"{target:.0f}"
            print(
                f"{scenario:<44} {len(samples):>5} {percentile(samples, 50):>8.2f} "
                f"{p95:>8.2f} {max(samples):>8.2f} {_cpu(cpu, 50):>8} "
                f"{_cpu(cpu, 95):>8} {target_text:>7} {verdict}"
            )
    if hasattr(os, "getloadavg"):
        print(f"load average during the run: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    print(f"reference workload after the run: {reference_ms():.1f} ms")
    return 1 if (missed and args.strict) else 0


if __name__ == "__main__":
    sys.exit(main())
