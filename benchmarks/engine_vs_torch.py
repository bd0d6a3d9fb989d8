"""Time one full training step of the numpy engine against PyTorch CPU and hand-written numpy.

A step is: zero_grad, forward through an MLP (ReLU), cross entropy, backward, SGD step. The
engine runs twice: with its fast paths (``engine``, what the app uses) and with everything on
the plain path (``plain``, ``explorer.engine.set_fast_paths(False)``). All four start from the
same float32 weights and run interleaved in one process with the same thread count
(``--threads``, applied to numpy's BLAS through the ``*_NUM_THREADS`` environment variables
before numpy is imported, and to torch through ``torch.set_num_threads``). The hand-written
step (no autograd) is the floor. The targets are the fast path's.

Usage: ``python benchmarks/engine_vs_torch.py [--threads N] [--rounds R] [--seconds S]``.
Dev-only: this is the one place outside tools/ that imports torch.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path


def _parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--rounds", type=int, default=7, help="interleaved rounds per case")
    parser.add_argument("--seconds", type=float, default=0.25, help="time per block")
    parser.add_argument(
        "--stat", choices=("median", "min"), default="median",
        help="how rounds are summarised; min resists other jobs on a shared machine",
    )  # fmt: skip
    return parser.parse_args()


ARGS = _parse() if __name__ == "__main__" else None
if ARGS is not None:
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(ARGS.threads)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402 (after the thread variables)
import torch  # noqa: E402

from explorer.engine import Tensor, nn, optim, set_fast_paths  # noqa: E402
from explorer.engine.nn import functional as F  # noqa: E402, N812

CASES = [  # (label, sizes, batch, min speed-up over torch, max slowdown vs hand-written numpy)
    ("784-256-10 @64", (784, 256, 10), 64, 1.0, 1.25),
    ("784-256-10 @256", (784, 256, 10), 256, 1.0, 1.25),
    ("2-8-8-2 @32", (2, 8, 8, 2), 32, 5.0, 2.0),
    ("64-128-10 @128", (64, 128, 10), 128, None, 2.0),
]
LR = 0.01


class TorchMLP(torch.nn.Module):
    def __init__(self, sizes):
        super().__init__()
        self.layers = torch.nn.ModuleList(
            torch.nn.Linear(a, b) for a, b in zip(sizes[:-1], sizes[1:], strict=True)
        )

    def forward(self, x):
        for layer in self.layers[:-1]:
            x = torch.relu(layer(x))
        return self.layers[-1](x)


def torch_step(sizes, weights, x, y):
    model = TorchMLP(sizes)
    with torch.no_grad():
        for layer, (w, b) in zip(model.layers, weights, strict=True):
            layer.weight.copy_(torch.from_numpy(w))
            layer.bias.copy_(torch.from_numpy(b))
    opt = torch.optim.SGD(model.parameters(), lr=LR)
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)

    def step():
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(xt), yt)
        loss.backward()
        opt.step()
        return loss.detach()

    return step


def engine_step(sizes, weights, x, y):
    model = nn.MLP(sizes[0], sizes[1:-1], sizes[-1])
    state = {}
    for i, (w, b) in enumerate(weights, 1):
        state[f"linear{i}.weight"], state[f"linear{i}.bias"] = w, b
    model.load_state_dict(state)
    opt = optim.SGD(model.parameters(), lr=LR)
    xt, yt = Tensor(x), Tensor(y)

    def step():
        opt.zero_grad()
        loss = F.cross_entropy(model(xt), yt)
        loss.backward()
        opt.step()
        return loss

    return step


def numpy_step(sizes, weights, x, y):
    """Forward, softmax cross entropy and backward written out by hand: the floor."""
    params = [(w.copy(), b.copy()) for w, b in weights]
    rows = np.arange(len(y))
    n = np.float32(len(y))

    def step():
        acts = [x]
        h = x
        for i, (w, b) in enumerate(params):
            h = h @ w.T
            h += b
            if i < len(params) - 1:
                np.maximum(h, 0, out=h)
            acts.append(h)
        logits = acts[-1]
        shifted = logits - logits.max(axis=1, keepdims=True)
        exp = np.exp(shifted)
        total = exp.sum(axis=1, keepdims=True)
        loss = np.log(total[:, 0]).mean() - shifted[rows, y].mean()
        g = exp / total
        g[rows, y] -= 1
        g /= n
        for i in range(len(params) - 1, -1, -1):
            w, b = params[i]
            a = acts[i]
            gw = g.T @ a
            gb = g.sum(axis=0)
            if i > 0:
                g = g @ w
                g *= a > 0
            w -= LR * gw
            b -= LR * gb
        return loss

    return step


def _time_block(step, seconds: float) -> float:
    """Seconds per step, running whole steps for about ``seconds``."""
    count, start = 0, time.perf_counter()
    while True:
        step()
        count += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return elapsed / count


def _on_path(name: str) -> None:
    """Switch the engine's fast paths off for the ``plain`` steps, on for every other."""
    set_fast_paths(name != "plain")


def run_case(sizes, batch, rounds, seconds, stat="median") -> dict[str, float]:
    rng = np.random.default_rng(0)
    weights = []
    for a, b in zip(sizes[:-1], sizes[1:], strict=True):
        bound = 1 / np.sqrt(a)
        weights.append(
            (rng.uniform(-bound, bound, (b, a)).astype(np.float32),
             rng.uniform(-bound, bound, b).astype(np.float32))
        )  # fmt: skip
    x = rng.normal(size=(batch, sizes[0])).astype(np.float32)
    y = rng.integers(0, sizes[-1], batch).astype(np.int64)
    steps = {
        "torch": torch_step(sizes, weights, x, y),
        "engine": engine_step(sizes, weights, x, y),
        "plain": engine_step(sizes, weights, x, y),
        "numpy": numpy_step(sizes, weights, x, y),
    }
    losses = {}
    for name, step in steps.items():  # warm-up: the same first loss
        _on_path(name)
        losses[name] = float(step())
    assert max(losses.values()) - min(losses.values()) < 1e-4, losses
    assert losses["engine"] == losses["plain"], losses  # the two paths agree bit for bit
    times: dict[str, list[float]] = {name: [] for name in steps}
    for _ in range(rounds):
        for name, step in steps.items():
            _on_path(name)
            times[name].append(_time_block(step, seconds))
    set_fast_paths(True)
    summary = min if stat == "min" else statistics.median
    return {name: summary(values) for name, values in times.items()}


def _cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def main() -> int:
    args = ARGS or _parse()
    torch.set_num_threads(args.threads)
    print(f"CPU: {_cpu_name()} ({os.cpu_count()} logical cores); threads: {args.threads}")
    print(f"torch {torch.__version__}, numpy {np.__version__}, Python {platform.python_version()}")
    print("one step = zero_grad + forward + cross entropy + backward + SGD; float32; "
          f"{args.stat} of {args.rounds} interleaved rounds; "
          "engine: fast paths on, plain: off\n")  # fmt: skip
    header = (f"{'case':<18}{'torch us':>10}{'engine us':>11}{'plain us':>10}{'numpy us':>10}"
              f"{'torch/engine':>14}{'engine/numpy':>14}{'plain/numpy':>13}  targets")  # fmt: skip
    print(header)
    print("-" * len(header))
    for label, sizes, batch, need_speedup, need_overhead in CASES:
        t = run_case(sizes, batch, args.rounds, args.seconds, args.stat)
        speedup = t["torch"] / t["engine"]
        overhead = t["engine"] / t["numpy"]
        goals = [f"<= {need_overhead:g}x numpy"]
        ok = overhead <= need_overhead
        if need_speedup is not None:
            goals.insert(0, f">= {need_speedup:g}x torch")
            ok = ok and speedup >= need_speedup
        verdict = f"{'met' if ok else 'MISSED'} ({', '.join(goals)})"
        plain = t["plain"] / t["numpy"]
        times = (f"{t['torch'] * 1e6:>10.1f}{t['engine'] * 1e6:>11.1f}{t['plain'] * 1e6:>10.1f}"
                 f"{t['numpy'] * 1e6:>10.1f}")  # fmt: skip
        print(f"{label:<18}{times}{speedup:>13.2f}x{overhead:>13.2f}x{plain:>12.2f}x  {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
