"""Samples a forward pass can take by index, refusing an index outside the set."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, eq=False)
class IndexedSamples:
    """The samples ``x[i]`` (labels ``y[i]``, or None) of a set that ``what`` names.

    Called with an index it returns ``(x[i], y[i])``; an index outside ``0 .. len - 1`` is
    refused with an ``IndexError`` that quotes it, never wrapped around.

    Examples
    --------
    >>> samples = IndexedSamples(np.zeros((3, 2)), np.array([0, 1, 1]), "the validation set")
    >>> len(samples), samples(2)[1]
    (3, 1)
    >>> samples(5)
    Traceback (most recent call last):
    ...
    IndexError: sample #5 is out of range: the validation set has 3 samples (#0 to #2)
    """

    x: np.ndarray
    y: np.ndarray | None
    what: str

    def __len__(self) -> int:
        return len(self.x)

    def __call__(self, index: int) -> tuple[np.ndarray, int | None]:
        count = len(self.x)
        if not 0 <= index < count:
            span = f"#0 to #{count - 1}" if count else "none"
            raise IndexError(
                f"sample #{index} is out of range: {self.what} has {count:,} samples ({span})"
            )
        label = None if self.y is None else int(self.y[index])
        return self.x[index], label
