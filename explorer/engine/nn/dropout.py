"""``nn.Dropout``."""

from __future__ import annotations

from explorer.engine.nn import _functional_layers as F
from explorer.engine.nn.module import Module
from explorer.engine.tensor import Tensor


class Dropout(Module):
    """During training, zero each element with probability ``p`` and scale the rest by
    ``1 / (1 - p)``; in ``eval()`` mode, the identity.

    Shape
    -----
    - Input: ``(*)``
    - Output: ``(*)``, same shape as the input.
    """

    def __init__(self, p: float = 0.5, inplace: bool = False) -> None:
        super().__init__()
        if p < 0 or p > 1:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        self.p = p
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return F.dropout(input, self.p, self.training, self.inplace)

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"
