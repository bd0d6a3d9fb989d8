"""The input and target tensors: seeded random ones of the right kind, conversions, cells.

Random values are rounded to 4 decimals so that tables and the generated PyTorch code stay
readable while meaning exactly the numbers the engine uses.

Examples
--------
>>> x = random_tensor("real", 3, 5, seed=0, stream=0)
>>> x.shape, x.dtype
((3, 5), dtype('float64'))
>>> parse_cell("input", (1, 3), "abc")
Traceback (most recent call last):
...
ValueError: input[1, 3] is not a finite number: 'abc'
"""

from __future__ import annotations

import math

import numpy as np

from explorer.lossbench.spec import (
    CLASS_INDICES,
    LOG_PROBABILITIES,
    PROBABILITIES,
    REAL,
    UNIT_INTERVAL,
)
from explorer.quoting import quoted

MAX_SIZE = 16
DECIMALS = 4


def shape_for(kind: str, n: int, c: int) -> tuple[int, ...]:
    """The shape a tensor of ``kind`` has for N samples and C classes."""
    return (n,) if kind == CLASS_INDICES else (n, c)


def random_tensor(kind: str, n: int, c: int, seed: int, stream: int) -> np.ndarray:
    """A seeded random tensor of ``kind``; ``stream`` keeps input (0) and target (1) apart.

    Class indices are int64 in 0..C-1; everything else float64 rounded to 4 decimals (the
    numbers a person would type; the loss casts them to its dtype as torch.tensor does).
    """
    check_shape(n, c)
    rng = np.random.default_rng([int(seed), int(stream)])
    if kind == CLASS_INDICES:
        return rng.integers(0, c, size=n).astype(np.int64)
    if kind == REAL:
        return _rounded(rng.standard_normal((n, c)))
    if kind == UNIT_INTERVAL:
        if stream == 0:
            return _rounded(rng.uniform(0.05, 0.95, (n, c)))
        return rng.integers(0, 2, size=(n, c)).astype(np.float64)
    probabilities = _row_probabilities(rng.standard_normal((n, c)))
    if kind == PROBABILITIES:
        return probabilities
    if kind == LOG_PROBABILITIES:
        return _rounded(np.log(probabilities.astype(np.float64)))
    raise ValueError(f"unknown tensor kind {kind!r}")


def check_shape(n: int, c: int) -> None:
    """Raise ValueError unless 1 <= N, C <= 16."""
    for name, size in (("N", n), ("C", c)):
        if isinstance(size, bool) or not isinstance(size, (int, np.integer)):
            raise ValueError(f"{name} must be an integer; got {quoted(size)}")
        if not 1 <= size <= MAX_SIZE:
            raise ValueError(f"{name} must be between 1 and {MAX_SIZE}; got {quoted(size)}")


def _rounded(values: np.ndarray) -> np.ndarray:
    return np.round(values, DECIMALS).astype(np.float64)


def _row_probabilities(scores: np.ndarray) -> np.ndarray:
    """Softmax of each row, rounded, with the last column making each row sum to 1."""
    shifted = np.exp(scores - scores.max(axis=1, keepdims=True))
    p = np.round(shifted / shifted.sum(axis=1, keepdims=True), DECIMALS)
    p = np.maximum(p, 10.0**-DECIMALS)
    if p.shape[1] > 1:
        p[:, -1] = np.round(1.0 - p[:, :-1].sum(axis=1), DECIMALS)
        # the remainder can only go non-positive if the others overshoot: renormalize then
        bad = p[:, -1] <= 0
        if bad.any():
            p[bad] = np.round(shifted[bad] / shifted[bad].sum(axis=1, keepdims=True), DECIMALS)
    else:
        p[:] = 1.0
    return p.astype(np.float64)


def log_softmax_rows(values: np.ndarray) -> np.ndarray:
    """``log_softmax(values, dim=1)`` in float64 (for converting a table, not for the loss)."""
    v = np.asarray(values, dtype=np.float64)
    m = v.max(axis=1, keepdims=True)
    return v - m - np.log(np.exp(v - m).sum(axis=1, keepdims=True))


def convert(values: np.ndarray, source: str, destination: str, c: int) -> np.ndarray | None:
    """``values`` of kind ``source`` re-expressed as ``destination`` (None: no meaning).

    The conversions keep the loss meaningful: class indices become one-hot probabilities
    (CrossEntropy gives the same value), probabilities become their log (KLDiv with
    log_target gives the same value), raw scores become log_softmax(scores) (KLDiv/NLL without
    the log_softmax switch give the same value).
    """
    if source == destination:
        return values
    if source == CLASS_INDICES and destination == PROBABILITIES:
        indices = np.asarray(values, dtype=np.int64)
        if indices.min(initial=0) < 0 or indices.max(initial=0) >= c:
            return None
        return np.eye(c, dtype=np.float64)[indices]
    if source == PROBABILITIES and destination == CLASS_INDICES:
        return np.asarray(values).argmax(axis=1).astype(np.int64)
    if source == PROBABILITIES and destination == LOG_PROBABILITIES:
        if np.any(np.asarray(values) <= 0):
            return None
        return _rounded(np.log(np.asarray(values, dtype=np.float64)))
    if source == LOG_PROBABILITIES and destination == PROBABILITIES:
        return _rounded(np.exp(np.asarray(values, dtype=np.float64)))
    if source == REAL and destination == LOG_PROBABILITIES:
        return _rounded(log_softmax_rows(values))
    if source == LOG_PROBABILITIES and destination == REAL:
        return values
    return None


def resized(values: np.ndarray, fresh: np.ndarray) -> np.ndarray:
    """``fresh`` with the block it shares with ``values`` copied from ``values``."""
    out = fresh.copy()
    if values.ndim != fresh.ndim:
        return out
    block = tuple(slice(0, min(a, b)) for a, b in zip(values.shape, fresh.shape, strict=True))
    out[block] = values[block]
    return out


def cell_name(name: str, index: tuple[int, ...]) -> str:
    """``input[1, 3]``: how a message names one element."""
    return f"{name}[{', '.join(str(i) for i in index)}]"


def parse_cell(name: str, index: tuple[int, ...], text: str, integer: bool = False) -> float | int:
    """The number typed into one cell; ValueError names the cell and quotes the text.

    Parameters
    ----------
    name, index
        Which tensor and element, for the message (``input``, ``(1, 3)``).
    text
        What was typed.
    integer
        Whether the cell holds a class index (an integer; ignore_index is allowed).
    """
    stripped = str(text).strip()
    try:
        value = float(stripped)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise ValueError(f"{cell_name(name, index)} is not a finite number: {quoted(text)}")
    if integer:
        if value != int(value) or not -(2.0**63) <= value < 2.0**63:  # an int64, as torch's
            raise ValueError(
                f"{cell_name(name, index)} is not a class index (an integer): {quoted(text)}"
            )
        return int(value)
    return value


def format_number(value: float) -> str:
    """The shortest text that reads back as the same number (``0.1``, ``-2``, ``0.0001``,
    ``1e+300``: scientific beyond 1e16 or below 1e-5, where positional text gets long)."""
    value = np.float64(value)
    if not np.isfinite(value):
        return str(float(value))
    if value != 0 and not 1e-5 <= abs(value) < 1e16:
        return np.format_float_scientific(value, unique=True, trim="-")
    text = np.format_float_positional(value, unique=True, trim="-")
    return "0" if text == "-0" else text


def cell_text(value: float) -> str:
    """A table cell's text: 4 decimals, scientific (3 significant digits) for a huge or tiny
    number, and ``inf``/``-inf``/``nan`` as such."""
    value = float(value)
    if not math.isfinite(value):
        return str(value)
    if value != 0 and not 1e-4 <= abs(value) < 1e5:
        return f"{value:.3g}"
    return f"{value + 0.0:.4f}"


def value_text(value: float) -> str:
    """The loss value's text: 6 decimals, or 6 in scientific notation for a huge or tiny one."""
    value = float(value)
    if not np.isfinite(value):
        return str(value)
    if value != 0 and not 1e-6 <= abs(value) < 1e6:
        return f"{value:.6e}"
    return f"{value + 0.0:.6f}"
