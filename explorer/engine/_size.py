"""``torch.Size``: a tensor's shape, a tuple that prints as ``torch.Size([2, 3])``."""

from __future__ import annotations

import math
from typing import Any


class Size(tuple):
    """The shape of a tensor (``x.shape``, ``x.size()``), as ``torch.Size``.

    A tuple of ints: it compares equal to the plain tuple, and slicing or adding a tuple gives
    a Size again.

    Examples
    --------
    >>> Size([2, 3])
    torch.Size([2, 3])
    >>> Size([2, 3]) == (2, 3), Size([2, 3])[1:], Size([2, 3]).numel()
    (True, torch.Size([3]), 6)
    """

    __slots__ = ()

    def __new__(cls, sizes: Any = ()) -> Size:
        return super().__new__(cls, (int(n) for n in sizes))

    def __repr__(self) -> str:
        return f"torch.Size([{', '.join(str(n) for n in self)}])"

    __str__ = __repr__

    def __getitem__(self, index):
        item = super().__getitem__(index)
        return Size(item) if isinstance(index, slice) else item

    def __add__(self, other: Any) -> Size:
        if not isinstance(other, tuple):
            return NotImplemented
        return Size(tuple(self) + tuple(other))

    def __radd__(self, other: Any) -> Size:
        if not isinstance(other, tuple):
            return NotImplemented
        return Size(tuple(other) + tuple(self))

    def numel(self) -> int:
        """The number of elements a tensor of this shape holds."""
        return math.prod(self)
