"""Setting widgets without their signals: a view that shows a document's state does not hear
itself back (no ping-pong)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

from PySide6.QtCore import QObject, QSignalBlocker


@contextmanager
def signals_blocked(*objects: QObject) -> Iterator[None]:
    """``objects`` emit no signal inside the block; each is left after it as it was before
    (a ``QSignalBlocker`` each)."""
    with ExitStack() as stack:
        for item in objects:
            stack.enter_context(QSignalBlocker(item))
        yield
