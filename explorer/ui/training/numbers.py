"""Numbers in the Training tab's labels: tiny losses keep their significant digits."""

from __future__ import annotations

import math


def format_value(value: float) -> str:
    """4 significant digits below 1 (scientific below 1e-3), 4 decimals from 1 on.

    ``0.3219``, ``0.001234``, ``1.234e-05``, ``4.3197``; ``0`` stays ``0.0000``, and so does
    ``-0.0`` (a loss of a confidently right sample can come out as negative zero).
    """
    value = float(value) + 0.0  # -0.0 + 0.0 is 0.0
    if not math.isfinite(value):
        return "∞" if value > 0 else ("−∞" if value < 0 else "nan")
    size = abs(value)
    if size == 0 or size >= 1:
        return f"{value:.4f}"
    if size < 1e-3:
        return f"{value:.3e}"
    return f"{value:.4g}"


def format_probability(q: float) -> str:
    """A probability with its digits where they matter: ``1 − 2.345e-07`` near 1."""
    q = float(q)
    if q < 1 and 1 - q < 1e-3:
        return f"(1 − {1 - q:.3e})"
    return format_value(q)
