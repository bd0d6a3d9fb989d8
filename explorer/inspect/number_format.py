"""Numbers as a table cell or read-out shows them: a few significant digits that always fit."""

from __future__ import annotations

import math

# Outside [SMALL, LARGE) a fixed-point number would need more room than its digits say.
SMALL = 1e-3
LARGE = 1e4


def format_value(value: float | None, digits: int = 4) -> str:
    """``value`` with ``digits`` significant digits, in scientific notation when it is large
    or tiny, so the text stays short at any scale; ``nan``, ``inf`` and ``-inf`` plainly.

    Parameters
    ----------
    value : float or None
        The number; None gives an em dash (no value yet, e.g. no gradient).
    digits : int, default 4
        Significant digits kept (trailing zeros of the mantissa are dropped).

    Examples
    --------
    >>> format_value(1.16543e18), format_value(0.0123456), format_value(-3e-5)
    ('1.165e+18', '0.01235', '-3e-05')
    >>> format_value(float("nan")), format_value(float("-inf")), format_value(0.0)
    ('nan', '-inf', '0')
    """
    if value is None:
        return "—"
    value = float(value)
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    if value != 0 and not SMALL <= abs(value) < LARGE:
        mantissa, exponent = f"{value:.{digits - 1}e}".split("e")
        if "." in mantissa:
            mantissa = mantissa.rstrip("0").rstrip(".")
        return f"{mantissa}e{exponent}"
    text = f"{value:.{digits}g}"
    if "e" in text:  # rounding carried into the next power (9999.7 -> 1e+04)
        return format_value(float(text), digits)
    return text
