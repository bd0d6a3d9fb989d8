"""The engine's random source: one numpy Generator, seeded like ``torch.manual_seed``."""

from __future__ import annotations

import numpy as np

_default_generator = np.random.default_rng()


def manual_seed(seed: int) -> np.random.Generator:
    """Seed the engine's default random generator (used by ``nn.init`` and dropout).

    Parameters
    ----------
    seed : int
        A non-negative integer.

    Returns
    -------
    numpy.random.Generator
        The reseeded default generator.
    """
    global _default_generator
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer; got {seed!r}")
    _default_generator = np.random.default_rng(int(seed))
    return _default_generator


def default_generator() -> np.random.Generator:
    """The Generator used when a function is given no ``generator=``."""
    return _default_generator


def resolve(generator: np.random.Generator | None) -> np.random.Generator:
    """``generator`` if given, else the default one."""
    return _default_generator if generator is None else generator
