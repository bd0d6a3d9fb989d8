"""Loss landscape speed: a 2-64-64-3 network on spiral, 51 x 51 grid (target: <= ~2 s).

The network is trained for a few epochs (not timed), then
:func:`explorer.model.landscape.compute_landscape` evaluates the training loss over a plane of
filter-normalized random directions, ``--rounds`` times; the median and the fastest round
are printed, with the time per grid point. The computation runs numpy's BLAS on one thread
whatever the machine has (a grid point's products are too small to share). Usage:
``python benchmarks/loss_landscape.py [--rounds R] [--resolution N]``.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

TARGET_SECONDS = 2.0


def _parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--resolution", type=int, default=51)
    return parser.parse_args()


ARGS = _parse() if __name__ == "__main__" else None
if ARGS is not None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dataclasses import replace  # noqa: E402

from explorer.model.landscape import compute_landscape, random_directions  # noqa: E402
from explorer.training import DEFAULT_RUN, setup_run  # noqa: E402


def main() -> int:
    spec = replace(DEFAULT_RUN, model=replace(DEFAULT_RUN.model, hidden_sizes=(64, 64)))
    run = setup_run(spec.with_training(epochs=5))
    run.trainer.run()
    directions = random_directions(run.model, seed=0)
    n = ARGS.resolution
    times = []
    for _ in range(ARGS.rounds):
        started = time.perf_counter()
        compute_landscape(run.model, run.train, "cross_entropy", directions, n)
        times.append(time.perf_counter() - started)
    median = statistics.median(times)
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs")
    print(f"{run.model_config.describe()} on spiral ({len(run.train)} training samples), "
          f"{n} x {n} grid and a 101-point slice")  # fmt: skip
    print(f"median {median:.2f} s, fastest {min(times):.2f} s "
          f"({1e3 * median / (n * n + 102):.3f} ms a point); target <= {TARGET_SECONDS:g} s: "
          f"{'met' if median <= TARGET_SECONDS else 'missed'}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
