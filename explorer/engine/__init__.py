"""A numpy engine that mirrors torch: ``from explorer.engine import Tensor, nn, optim``."""

from explorer.engine.tensor import Tensor, is_grad_enabled, no_grad, tensor

__all__ = ["Tensor", "is_grad_enabled", "no_grad", "tensor"]
