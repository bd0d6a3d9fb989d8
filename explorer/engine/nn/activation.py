"""Activation modules: ReLU, LeakyReLU, Sigmoid, Tanh, Softmax, LogSoftmax.

Each forwards to its function in ``nn.functional``. All keep the input's shape.

Shape
-----
- Input: ``(*)``
- Output: ``(*)``, same shape as the input.
"""

from __future__ import annotations

from explorer.engine.nn import _functional_layers as F
from explorer.engine.nn.module import Module
from explorer.engine.tensor import Tensor


class ReLU(Module):
    """``ReLU(x) = max(0, x)``.

    Shape
    -----
    - Input: ``(*)``
    - Output: ``(*)``, same shape as the input.
    """

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return F.relu(input, inplace=self.inplace)

    def extra_repr(self) -> str:
        return "inplace=True" if self.inplace else ""


class LeakyReLU(Module):
    """``LeakyReLU(x) = x if x > 0 else negative_slope * x``.

    Shape
    -----
    - Input: ``(*)``
    - Output: ``(*)``, same shape as the input.
    """

    def __init__(self, negative_slope: float = 1e-2, inplace: bool = False) -> None:
        super().__init__()
        self.negative_slope = negative_slope
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return F.leaky_relu(input, self.negative_slope, self.inplace)

    def extra_repr(self) -> str:
        inplace_str = ", inplace=True" if self.inplace else ""
        return f"negative_slope={self.negative_slope}{inplace_str}"


class Sigmoid(Module):
    """``Sigmoid(x) = 1 / (1 + exp(-x))``.

    Shape
    -----
    - Input: ``(*)``
    - Output: ``(*)``, same shape as the input.
    """

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return F.sigmoid(input)


class Tanh(Module):
    """``Tanh(x) = (exp(x) - exp(-x)) / (exp(x) + exp(-x))``.

    Shape
    -----
    - Input: ``(*)``
    - Output: ``(*)``, same shape as the input.
    """

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return F.tanh(input)


class Softmax(Module):
    """``Softmax(x_i) = exp(x_i) / sum_j exp(x_j)`` along ``dim``.

    Shape
    -----
    - Input: ``(*)``
    - Output: ``(*)``, same shape; slices along ``dim`` sum to 1.
    """

    def __init__(self, dim: int | None = None) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return F.softmax(input, self.dim)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class LogSoftmax(Module):
    """``LogSoftmax(x_i) = log(exp(x_i) / sum_j exp(x_j))`` along ``dim``, computed stably.

    Shape
    -----
    - Input: ``(*)``
    - Output: ``(*)``, same shape, values in ``[-inf, 0]``.
    """

    def __init__(self, dim: int | None = None) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return F.log_softmax(input, self.dim)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"
