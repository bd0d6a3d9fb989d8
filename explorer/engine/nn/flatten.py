"""``nn.Flatten``: merge a range of dimensions into one (images to feature vectors)."""

from __future__ import annotations

from explorer.engine.nn.module import Module
from explorer.engine.tensor import Tensor


class Flatten(Module):
    """Flatten dimensions ``start_dim`` to ``end_dim`` into one.

    Shape
    -----
    - Input: ``(*, S_start, ..., S_end, *)``
    - Output: ``(*, S_start * ... * S_end, *)``; with the defaults ``(N, *) -> (N, prod(*))``.

    Examples
    --------
    >>> import numpy as np
    >>> from explorer.engine import Tensor, nn
    >>> nn.Flatten()(Tensor(np.zeros((32, 8, 8)))).shape
    torch.Size([32, 64])
    """

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        super().__init__()
        self.start_dim = start_dim
        self.end_dim = end_dim

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return input.flatten(self.start_dim, self.end_dim)

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"
