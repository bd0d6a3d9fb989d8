"""The Losses tab's current call, for the views that show it another way (the autograd graph).

:class:`LossCallDocument` holds the last call the Losses tab computed without an error: the
loss, its options, the input and target tables and the dtype. The tab sets it; other views
read it and follow ``changed``. Plain Python, as the app's other documents::

    >>> import numpy as np
    >>> from explorer.lossbench.spec import LossOptions
    >>> document = LossCallDocument()
    >>> seen = []
    >>> document.changed.connect(lambda: seen.append(document.call.kind))
    >>> document.set_call("L1", LossOptions(), np.ones((1, 2)), np.zeros((1, 2)), "float32")
    >>> seen, document.call.input.shape
    (['L1'], (1, 2))
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from explorer.lossbench.spec import LOSSES, LossOptions
from explorer.model.document import Event
from explorer.quoting import quoted


@dataclass(frozen=True)
class LossCallState:
    """One call: ``loss_class(**options)(input, target)`` with tensors of ``dtype``."""

    kind: str
    options: LossOptions
    input: np.ndarray
    target: np.ndarray
    dtype: str

    def same_as(self, other: LossCallState | None) -> bool:
        return (
            other is not None
            and (self.kind, self.options, self.dtype) == (other.kind, other.options, other.dtype)
            and np.array_equal(self.input, other.input)
            and np.array_equal(self.target, other.target)
        )


class LossCallDocument:
    """The Losses tab's current call (None until it computed one); ``changed()`` after a
    new one."""

    def __init__(self) -> None:
        self.changed = Event()
        self._call: LossCallState | None = None

    @property
    def call(self) -> LossCallState | None:
        return self._call

    def set_call(
        self,
        kind: str,
        options: LossOptions,
        input: np.ndarray,  # noqa: A002 (torch's name)
        target: np.ndarray,
        dtype: str,
    ) -> None:
        """Make this the current call (copies of the tables are kept)."""
        if kind not in LOSSES:
            raise ValueError(f"unknown loss {quoted(kind)}; one of {', '.join(LOSSES)}")
        call = LossCallState(kind, options, np.array(input), np.array(target), str(dtype))
        if not call.same_as(self._call):
            self._call = call
            self.changed.emit()
