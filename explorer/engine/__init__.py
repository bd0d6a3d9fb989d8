"""A numpy engine that mirrors torch: ``from explorer.engine import Tensor, nn, optim``.

Examples
--------
>>> from explorer.engine import Tensor, manual_seed, nn
>>> _ = manual_seed(0)
>>> model = nn.MLP(2, (8, 8), 2)
>>> model(Tensor([[0.5, -1.0]])).shape
(1, 2)
"""

from explorer.engine.dtypes import double, float32, float64
from explorer.engine.random import manual_seed
from explorer.engine.tensor import Tensor, is_grad_enabled, no_grad, tensor

from explorer.engine import nn, optim  # isort: skip (they need Tensor first)

__all__ = [
    "Tensor",
    "double",
    "float32",
    "float64",
    "is_grad_enabled",
    "manual_seed",
    "nn",
    "no_grad",
    "optim",
    "tensor",
]
