"""``nn.Linear`` and ``nn.Identity``."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from explorer.engine.device import check_device
from explorer.engine.dtypes import resolve_float_dtype
from explorer.engine.nn import init
from explorer.engine.nn._functional_layers import linear
from explorer.engine.nn.module import Module
from explorer.engine.nn.parameter import Parameter
from explorer.engine.tensor import Tensor


class Identity(Module):
    """A placeholder that returns its input unchanged; any arguments are ignored.

    Shape
    -----
    - Input: ``(*)``
    - Output: ``(*)``, same as the input.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__()

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return input


class Linear(Module):
    r"""Apply the affine map ``y = x A^T + b``, as ``torch.nn.Linear``.

    Parameters
    ----------
    in_features : int
        Size of each input sample.
    out_features : int
        Size of each output sample.
    bias : bool
        Learn an additive bias (default True).
    device : None or "cpu"
        The CPU (a GPU raises a clear error: the engine runs on the CPU only).
    dtype : float32 or float64, optional
        Parameter dtype (default float32).

    Attributes
    ----------
    weight : Parameter
        Shape ``(out_features, in_features)``, initialised from U(-k, k) with
        ``k = 1 / sqrt(in_features)`` (torch's ``kaiming_uniform_(a=sqrt(5))``).
    bias : Parameter or None
        Shape ``(out_features,)``, from U(-k, k).

    Shape
    -----
    - Input: ``(*, H_in)`` with ``H_in = in_features``.
    - Output: ``(*, H_out)`` with ``H_out = out_features``.

    Examples
    --------
    >>> from explorer.engine import nn
    >>> nn.Linear(784, 256)
    Linear(in_features=784, out_features=256, bias=True)
    """

    def __init__(
        self,
        in_features: int,
        out_features: int,
        bias: bool = True,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        check_device(device)
        for name, value in (("in_features", in_features), ("out_features", out_features)):
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
                raise ValueError(f"{name} must be a non-negative integer; got {value!r}")
        dtype = resolve_float_dtype(dtype)
        self.in_features = int(in_features)
        self.out_features = int(out_features)
        self.weight = Parameter(np.empty((self.out_features, self.in_features), dtype=dtype))
        if bias:
            self.bias = Parameter(np.empty(self.out_features, dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Re-draw weight and bias with torch's default scheme."""
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in, _ = init._calculate_fan_in_and_fan_out(self.weight)
            bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        params = self._parameters  # direct lookup: forward runs every step
        return linear(input, params["weight"], params["bias"])

    def extra_repr(self) -> str:
        return (
            f"in_features={self.in_features}, out_features={self.out_features}, "
            f"bias={self.bias is not None}"
        )
