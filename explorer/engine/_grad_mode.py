"""Whether operations record the graph (``no_grad``), and the order tensors are made in."""

from __future__ import annotations

import contextlib
import itertools
import threading
from collections.abc import Iterator


class _GradMode(threading.local):
    grad_enabled = True  # class default: every new thread starts with grad enabled


state = _GradMode()
# Creation order: an op's output is always newer than its inputs (tensor.topological_order).
creation_counter = itertools.count()


def is_grad_enabled() -> bool:
    """Whether operations record the graph (False inside :func:`no_grad`)."""
    return state.grad_enabled


@contextlib.contextmanager
def set_grad_enabled(mode: bool) -> Iterator[None]:
    """Context manager that turns recording on or off, as ``torch.set_grad_enabled``."""
    previous = state.grad_enabled
    state.grad_enabled = bool(mode)
    try:
        yield
    finally:
        state.grad_enabled = previous


def no_grad():
    """Context manager (or decorator) under which operations build no graph, as torch's."""
    return set_grad_enabled(False)


def enable_grad():
    """Context manager (or decorator) under which operations build the graph again."""
    return set_grad_enabled(True)
