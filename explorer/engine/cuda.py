"""``torch.cuda`` for an engine that runs on the CPU: no GPU is ever available."""

from __future__ import annotations


def is_available() -> bool:
    """Whether a GPU can be used: never, in this engine (so code choosing one picks the CPU)."""
    return False


def device_count() -> int:
    """How many GPUs can be used: none."""
    return 0
