"""Logarithm bases and the units they measure information in (bits, nats, hartleys)."""

from __future__ import annotations

import math

from explorer.quoting import quoted

#: The supported bases, in the order the UI offers them, with their unit names.
UNITS: dict[float, str] = {2.0: "bits", math.e: "nats", 10.0: "hartleys"}

_ALIASES: dict[str, float] = {
    "2": 2.0,
    "bits": 2.0,
    "bit": 2.0,
    "e": math.e,
    "nats": math.e,
    "nat": math.e,
    "10": 10.0,
    "hartleys": 10.0,
    "hartley": 10.0,
}


def resolve_base(base: float | str) -> float:
    """Return the logarithm base as a float: 2, e or 10.

    Parameters
    ----------
    base : float or str
        2, ``math.e`` or 10, or one of the names "bits", "nats", "hartleys", "2", "e", "10".

    Raises
    ------
    ValueError
        For any other base, quoting it.

    Examples
    --------
    >>> resolve_base("nats") == math.e
    True
    """
    if isinstance(base, str):
        key = base.strip().lower()
        if key in _ALIASES:
            return _ALIASES[key]
        raise ValueError(f"base must be 2, e or 10 (bits, nats, hartleys); got {quoted(base)}")
    try:
        value = float(base)
    except (TypeError, ValueError, OverflowError):
        raise ValueError(
            f"base must be 2, e or 10 (bits, nats, hartleys); got {quoted(base)}"
        ) from None
    for known in UNITS:
        if math.isclose(value, known, rel_tol=1e-9):
            return known
    raise ValueError(f"base must be 2, e or 10 (bits, nats, hartleys); got {quoted(base)}")


def unit_name(base: float | str) -> str:
    """The unit of information for ``base``: "bits", "nats" or "hartleys"."""
    return UNITS[resolve_base(base)]


def base_label(base: float | str) -> str:
    """A short label for the base: "2", "e" or "10" (for file names and CLI flags)."""
    return {2.0: "2", math.e: "e", 10.0: "10"}[resolve_base(base)]


def nats_to(base: float | str) -> float:
    """The factor that converts a value in nats into the unit of ``base``."""
    return 1.0 / math.log(resolve_base(base))


def format_value(value: float, base: float | str | None = None, decimals: int = 4) -> str:
    """Format an information quantity for display: "0.3219 bits", "∞ bits".

    The text starts with the number to ``decimals`` places (or "∞"), as the UI promises.
    Never prints "nan": a NaN here is a bug, so it raises ValueError.
    """
    if math.isnan(value):
        raise ValueError(f"an information quantity is NaN: {value!r}")
    if math.isinf(value):
        number = "∞" if value > 0 else "-∞"
    else:
        # Adding 0.0 turns -0.0 into 0.0 so the display never shows "-0.0000".
        number = f"{value + 0.0:.{decimals}f}"
        if number.startswith("-") and float(number) == 0.0:
            number = number[1:]
    if base is None:
        return number
    return f"{number} {unit_name(base)}"
