"""The engine's fast paths: the plain path's numbers, with less Python per training step.

Read the plain engine first (``explorer/engine/tensor.py`` says in which order); nothing here is
needed to understand how autograd works. On a small network (2-8-8-2, batch 32) a training step
costs almost nothing in arithmetic and almost everything in per-operation Python: a Tensor, a
closure and a trip through the graph walk for every op. Each trick below removes some of that
while computing the same numpy expressions in the same order as the plain code it stands in
for, so results are identical bit for bit (``tests/engine/fast/test_parity.py`` trains with
both paths and compares every value, gradient and parameter).

What each buys: how much longer a training step takes with that one trick off (the step of
``benchmarks/engine_vs_torch.py``, 2-8-8-2, batch 32, cross entropy and SGD unless said):

- :mod:`~explorer.engine.fast.cross_entropy`: ``F.cross_entropy`` of a training batch (class
  indices, no weight or smoothing) without the general path's checks and reshapes: 2.4x.
- :mod:`~explorer.engine.fast.fused_mlp`: ``nn.MLP.forward`` as one graph node instead of two
  per layer (Linear, activation): 1.5x.
- :mod:`~explorer.engine.fast.backward`: ``Tensor.backward`` runs a chain of such nodes one by
  one, without building and sorting the graph's order or fitting and checking each edge's
  gradient: 1.17x.
- :mod:`~explorer.engine.fast.optim`: the optimizers' scalars as 0-d arrays (numpy multiplies by
  a 0-d array of the operand's dtype faster than by a Python float, with the same result): 1.1x
  with Adam; and plain SGD's update without its options' branches: 1.02x with SGD.
- :mod:`~explorer.engine.fast.constants`: those 0-d arrays and the vectors of ones the tricks
  above use, made once and cached read-only.

All off, the plain path, takes 2.7x as long; on a BLAS-bound step (784-256-10, batch 64) 1.17x.

``benchmarks/engine_vs_torch.py`` times both paths (``docs/performance.md``, "Engine").

The switch: :func:`set_fast_paths` (``False`` runs everything on the plain path) or the
context manager :func:`plain_path`; the environment variable ``EXPLORER_ENGINE_PLAIN=1`` starts
a process (and those it starts) on the plain path.

Examples
--------
>>> from explorer.engine import fast, plain_path
>>> with plain_path():
...     fast.enabled()
False
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

PLAIN_ENV = "EXPLORER_ENGINE_PLAIN"

_enabled = os.environ.get(PLAIN_ENV, "") in ("", "0")


def enabled() -> bool:
    """Whether the engine takes its fast paths (True unless switched off)."""
    return _enabled


def set_fast_paths(on: bool) -> None:
    """Take the fast paths (True, the default) or run everything on the plain path (False)."""
    global _enabled
    _enabled = bool(on)


@contextlib.contextmanager
def plain_path() -> Iterator[None]:
    """Context manager under which everything runs on the plain path."""
    previous = _enabled
    set_fast_paths(False)
    try:
        yield
    finally:
        set_fast_paths(previous)
