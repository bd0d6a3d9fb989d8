"""Throughput of the headless training loop (the one the Training tab and the CLI share).

For the app's default run (spiral, ``DEFAULT_RUN``) and the digits run (``DIGITS_RUN``) this
trains ``--rounds`` complete runs, interleaved, and prints per run kind the median of:

- samples/s (wall): training samples divided by the wall-clock time of ``Trainer.run``, which
  includes the per-epoch validation pass -- the figure the GUI's in-app throughput
  (target: >= 80 % of this) should be compared with;
- samples/s (steps): the same samples divided by the time spent in the training steps alone;
- time to 95 %: wall-clock seconds from the start until the first epoch whose validation
  accuracy is >= 95 % (target: <= 10 s for the default spiral run), and that epoch.

Other benchmarks can import :func:`measure_run`. Usage:
``python benchmarks/training_throughput.py [--threads N] [--rounds R]``.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path


def _parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--rounds", type=int, default=5, help="complete runs per kind")
    return parser.parse_args()


ARGS = _parse() if __name__ == "__main__" else None
if ARGS is not None:
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(ARGS.threads)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from explorer.training import DEFAULT_RUN, DIGITS_RUN, RunSpec, setup_run  # noqa: E402

TARGET_ACCURACY = 0.95


@dataclass(frozen=True)
class RunMeasurement:
    """One complete headless run of a :class:`RunSpec`."""

    samples: int
    seconds: float
    step_seconds: float
    seconds_to_target: float | None
    epoch_to_target: int | None
    final_val_accuracy: float

    @property
    def samples_per_second(self) -> float:
        return self.samples / self.seconds

    @property
    def step_samples_per_second(self) -> float:
        return self.samples / self.step_seconds


def measure_run(spec: RunSpec, target: float = TARGET_ACCURACY) -> RunMeasurement:
    """Set ``spec`` up (not timed), train it to the end (timed) and measure."""
    run = setup_run(spec)
    trainer = run.trainer
    samples = 0
    step_seconds = 0.0
    reached: list[tuple[float, int]] = []
    started = time.perf_counter()
    for result in trainer.iter_steps():
        samples += result.samples
        record = result.epoch_finished
        if record is not None:
            step_seconds += len(run.train) / record.samples_per_second
            if not reached and record.val_accuracy >= target:
                reached.append((time.perf_counter() - started, record.epoch))
    seconds = time.perf_counter() - started
    last = trainer.history.last_epoch
    return RunMeasurement(
        samples=samples,
        seconds=seconds,
        step_seconds=step_seconds,
        seconds_to_target=reached[0][0] if reached else None,
        epoch_to_target=reached[0][1] if reached else None,
        final_val_accuracy=last.val_accuracy if last else float("nan"),
    )


def _describe(spec: RunSpec) -> str:
    t = spec.training
    sizes = "-".join(str(h) for h in spec.model.hidden_sizes)
    return (
        f"{spec.dataset}: MLP hidden {sizes}, {t.optimizer} lr {t.lr:g}, batch {t.batch_size}, "
        f"{t.epochs} epochs, {t.loss}"
    )


def main() -> int:
    kinds = {"default spiral": DEFAULT_RUN, "digits": DIGITS_RUN}
    results: dict[str, list[RunMeasurement]] = {name: [] for name in kinds}
    for spec in kinds.values():  # warm-up (imports, caches), not reported
        measure_run(spec.with_training(epochs=1))
    for round_index in range(ARGS.rounds):
        for name, spec in kinds.items():
            results[name].append(measure_run(spec.with_training(seed=round_index)))
    print(
        f"Headless training throughput ({platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} CPUs, {ARGS.threads} BLAS threads, python {platform.python_version()})"
    )
    print(f"median of {ARGS.rounds} runs per kind, seeds 0..{ARGS.rounds - 1}\n")
    header = (
        f"{'run':<16}{'samples/s (wall)':>18}{'samples/s (steps)':>19}"
        f"{'run time s':>12}{'time to 95% s':>15}{'epoch':>7}{'final val acc':>15}"
    )
    print(header)
    print("-" * len(header))
    for name, measurements in results.items():
        wall = statistics.median(m.samples_per_second for m in measurements)
        steps = statistics.median(m.step_samples_per_second for m in measurements)
        run_time = statistics.median(m.seconds for m in measurements)
        reached = [m for m in measurements if m.seconds_to_target is not None]
        to_target = (
            f"{statistics.median(m.seconds_to_target for m in reached):.2f}"
            if len(reached) == len(measurements)
            else f"{len(reached)}/{len(measurements)} ok"
        )
        epoch = f"{statistics.median(m.epoch_to_target for m in reached):.0f}" if reached else "-"
        accuracy = statistics.median(m.final_val_accuracy for m in measurements)
        print(
            f"{name:<16}{wall:>18,.0f}{steps:>19,.0f}{run_time:>12.2f}{to_target:>15}"
            f"{epoch:>7}{accuracy:>15.3f}"
        )
    print()
    for name, spec in kinds.items():
        print(f"{name}: {_describe(spec)}")
    spiral = results["default spiral"]
    ok = all(m.seconds_to_target is not None and m.seconds_to_target <= 10 for m in spiral)
    print(
        f"\ntarget, default spiral >= 95% val accuracy within 10 s: "
        f"{'met' if ok else 'MISSED'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
