"""A numpy engine that mirrors torch: ``from explorer.engine import Tensor, nn, optim``.

To learn how it works, start reading at ``explorer/engine/tensor.py``. Its fast paths
(``explorer/engine/fast/``) give the same numbers with less Python per training step;
``set_fast_paths(False)``, ``with plain_path():`` or ``EXPLORER_ENGINE_PLAIN=1`` turn them off.

Examples
--------
>>> from explorer.engine import Tensor, manual_seed, nn
>>> _ = manual_seed(0)
>>> model = nn.MLP(2, (8, 8), 2)
>>> model(Tensor([[0.5, -1.0]])).shape
(1, 2)
"""

from explorer.engine.dtypes import double, float32, float64
from explorer.engine.fast import plain_path, set_fast_paths
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
    "plain_path",
    "set_fast_paths",
    "tensor",
]
