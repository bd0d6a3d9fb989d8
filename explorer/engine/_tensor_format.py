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
    text = np.array2string(data, **options)
    if data.ndim and data.size:
        text = _torch_lines(data, options, text)
    # torch marks the elements it leaves out with " ..." (two spaces after the comma)
    return text.replace(", ..., ", ",  ..., ")


def _torch_lines(data: np.ndarray, options: dict[str, Any], text: str) -> str:
    """``text`` re-wrapped to put as many elements on a line as torch does.

    torch fits ``(80 - indent) // (width + 2)`` elements of ``width`` characters on a line,
    the indent being ``tensor(`` and one column per enclosing bracket; numpy's line width
    counts differently, so the one that gives torch's count is found by trying.
    """
    one_line = np.array2string(data, **options, max_line_width=1 << 30)
    width = len(one_line.lstrip("tensor([").split(",")[0].rstrip("]"))
    per_line = max(1, (80 - (len("tensor(") + data.ndim - 1)) // (width + 2))
    wanted = min(_first_line_elements(one_line), per_line)
    base = len("tensor(") + data.ndim + per_line * (width + 2) - 1
    for line_width in range(base - 1, base + 4):
        text = np.array2string(data, **options, max_line_width=line_width)
        if _first_line_elements(text) >= wanted:
            return text
    return text


def _first_line_elements(text: str) -> int:
    """How many elements (or ``...``) the first line of a printed array holds."""
    line = text.split("\n", 1)[0].split("]", 1)[0]
    return sum(1 for token in line.split(",") if token.strip(" [(tensor"))
