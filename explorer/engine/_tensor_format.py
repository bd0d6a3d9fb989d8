"""How a Tensor prints its values: torch's choice of fixed or scientific notation."""

from __future__ import annotations

from typing import Any

import numpy as np


def format_values(data: np.ndarray) -> str:
    """Values as torch prints them: ``1., 2.`` for whole numbers, else 4 decimals, padded;
    scientific notation when the finite magnitudes span more than 1000x or exceed 1e8."""
    options: dict[str, Any] = {"separator": ", ", "prefix": "tensor("}
    if data.dtype.kind == "f" and data.size:
        finite = np.abs(data[np.isfinite(data)])
        nonzero = finite[finite != 0]
        if nonzero.size and (nonzero.max() / nonzero.min() > 1000 or nonzero.max() > 1e8):
            width = max(len(f"{v:.4e}") for v in data.ravel())
            options["formatter"] = {"float_kind": lambda v: f"{v:.4e}".rjust(width)}
        elif np.all(finite == np.round(finite)):
            options.update(precision=0, floatmode="fixed")
        else:
            options.update(precision=4, floatmode="fixed")
    return np.array2string(data, **options)
