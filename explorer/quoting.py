"""Quoting what a person gave in a message: its ``repr``, shortened when long.

A 20,000-character argument quoted whole buries the one line that says what is wrong with
it; :func:`quoted` keeps its start and end and says how long it was.
"""

from __future__ import annotations

from typing import Any

#: Characters of the ``repr`` kept before and after the ellipsis.
HEAD, TAIL = 60, 20


def quoted(value: Any) -> str:
    """``repr(value)``, or its first 60 and last 20 characters around "…" and its length.

    The length is the string's own (for other values, that of their ``repr``).

    Examples
    --------
    >>> quoted("1,2,x")
    "'1,2,x'"
    >>> quoted("1," * 5000 + "x")[50:]  # 60 characters, "…", 20 characters, the length
    ",1,1,1,1,1…1,1,1,1,1,1,1,1,1,x' (10,001 characters)"
    """
    text = repr(value)
    if len(text) <= HEAD + TAIL + 20:  # short enough that eliding would save little
        return text
    length = len(value) if isinstance(value, str) else len(text)
    return f"{text[:HEAD]}…{text[-TAIL:]} ({length:,} characters)"
