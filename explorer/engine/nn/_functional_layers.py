"""Stateless layer functions: activations, ``linear`` and ``dropout`` (``nn.functional``).

Each function is one graph node with its own backward (``linear`` computes ``x @ W.T + b``
in one op), which keeps the per-step Python overhead small. ``inplace=`` is accepted for
signature parity with torch; the engine never modifies an input in place.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from explorer.engine import random as _random
from explorer.engine.tensor import Tensor

_TORCH_DTYPE_NAMES = {"float32": "Float", "float64": "Double", "float16": "Half"}


def _as_tensor(value: Any) -> Tensor:
    return value if isinstance(value, Tensor) else Tensor(value)


def _dtype_name(dtype: np.dtype) -> str:
    return _TORCH_DTYPE_NAMES.get(dtype.name, dtype.name)


def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:  # noqa: A002
    """``y = x W^T + b`` as a single fused operation.

    Shape
    -----
    - input: ``(*, in_features)``
    - weight: ``(out_features, in_features)``
    - bias: ``(out_features,)`` or None
    - output: ``(*, out_features)``
    """
    if not isinstance(input, Tensor):
        input = Tensor(input)  # noqa: A001
    x, w = input.data, weight.data
    if x.ndim == 0 or x.shape[-1] != w.shape[-1]:
        rows = int(np.prod(x.shape[:-1])) if x.ndim > 1 else 1
        cols = x.shape[-1] if x.ndim else 0
        raise RuntimeError(
            f"mat1 and mat2 shapes cannot be multiplied ({rows}x{cols} and "
            f"{w.shape[1]}x{w.shape[0]})"
        )
    if x.dtype != w.dtype:
        raise RuntimeError(
            f"mat1 and mat2 must have the same dtype, but got {_dtype_name(x.dtype)} and "
            f"{_dtype_name(w.dtype)}"
        )
    # ndarray.dot on 2-D: cheaper than @ on small arrays
    out = x.dot(w.T) if x.ndim == 2 else x @ w.T
    if bias is not None:
        out += bias.data
        parents: tuple[Tensor, ...] = (input, weight, bias)
    else:
        parents = (input, weight)

    def backward(g: np.ndarray):
        grad_x = (g.dot(w) if g.ndim == 2 else g @ w) if input.requires_grad else None
        g2 = g.reshape(-1, g.shape[-1]) if g.ndim != 2 else g
        grad_w = None
        if weight.requires_grad:
            x2 = x.reshape(-1, x.shape[-1]) if x.ndim != 2 else x
            grad_w = g2.T.dot(x2)
        if bias is None:
            return grad_x, grad_w
        # the sum over rows, as a product with ones: BLAS, faster than np.sum on small arrays
        grad_b = np.ones(len(g2), g2.dtype).dot(g2) if bias.requires_grad else None
        return grad_x, grad_w, grad_b

    return Tensor._from_op(out, parents, backward, "Addmm" if bias is not None else "Mm")


def relu(input: Tensor, inplace: bool = False) -> Tensor:  # noqa: A002
    """``max(0, x)`` elementwise."""
    if not isinstance(input, Tensor):
        input = Tensor(input)  # noqa: A001
    out = np.maximum(input.data, 0)
    return Tensor._from_op(out, (input,), lambda g: (g * (out > 0),), "Relu")


def leaky_relu(
    input: Tensor,
    negative_slope: float = 0.01,
    inplace: bool = False,  # noqa: A002
) -> Tensor:
    """``x`` where ``x > 0`` else ``negative_slope * x``."""
    input = _as_tensor(input)  # noqa: A001
    x = input.data
    positive = x > 0
    slope = np.asarray(negative_slope, dtype=x.dtype)
    out = np.where(positive, x, x * slope)
    return Tensor._from_op(
        out, (input,), lambda g: (np.where(positive, g, g * slope),), "LeakyRelu"
    )


def sigmoid(input: Tensor) -> Tensor:  # noqa: A002
    """``1 / (1 + exp(-x))``, finite for any input."""
    return _as_tensor(input).sigmoid()


def tanh(input: Tensor) -> Tensor:  # noqa: A002
    """Hyperbolic tangent."""
    return _as_tensor(input).tanh()


def _get_softmax_dim(name: str, ndim: int) -> int:
    warnings.warn(
        f"Implicit dimension choice for {name} has been deprecated. "
        "Change the call to include dim=X as an argument.",
        UserWarning,
        stacklevel=4,
    )
    return 0 if ndim in (0, 1, 3) else 1


def _prepare(input: Any, dim: int | None, dtype: Any, name: str) -> tuple[Tensor, int]:
    input = _as_tensor(input)  # noqa: A001
    if dtype is not None:
        input = input.to(dtype)  # noqa: A001
    if dim is None:
        dim = _get_softmax_dim(name, input.ndim)
    return input, dim


def softmax(input: Tensor, dim: int | None = None, dtype: Any = None) -> Tensor:  # noqa: A002
    """``exp(x_i) / sum_j exp(x_j)`` along ``dim`` (shifted by the max, so never overflows)."""
    input, dim = _prepare(input, dim, dtype, "softmax")  # noqa: A001
    x = input.data
    e = np.exp(x - x.max(axis=dim, keepdims=True)) if x.ndim else np.ones_like(x)
    out = e / e.sum(axis=dim, keepdims=True) if x.ndim else e

    def backward(g: np.ndarray):
        return (out * (g - (g * out).sum(axis=dim, keepdims=True)),)

    return Tensor._from_op(out, (input,), backward, "Softmax")


def log_softmax(input: Tensor, dim: int | None = None, dtype: Any = None) -> Tensor:  # noqa: A002
    """``x_i - log sum_j exp(x_j)`` along ``dim``; finite for logits of +-1000."""
    input, dim = _prepare(input, dim, dtype, "log_softmax")  # noqa: A001
    x = input.data
    if x.ndim == 0:
        out = np.zeros_like(x)
        return Tensor._from_op(out, (input,), lambda g: (np.zeros_like(g),), "LogSoftmax")
    shifted = x - x.max(axis=dim, keepdims=True)
    out = shifted - np.log(np.exp(shifted).sum(axis=dim, keepdims=True))

    def backward(g: np.ndarray):
        return (g - np.exp(out) * g.sum(axis=dim, keepdims=True),)

    return Tensor._from_op(out, (input,), backward, "LogSoftmax")


def dropout(
    input: Tensor,  # noqa: A002
    p: float = 0.5,
    training: bool = True,
    inplace: bool = False,
    generator: np.random.Generator | None = None,
) -> Tensor:
    """Zero each element with probability ``p`` and scale the rest by ``1 / (1 - p)``.

    Identity when ``training`` is False or ``p == 0``.
    """
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    input = _as_tensor(input)  # noqa: A001
    if not training or p == 0.0:
        return input
    if p == 1.0:
        scale = np.zeros(input.shape, dtype=input.dtype)
    else:
        keep = _random.resolve(generator).random(input.shape) >= p
        scale = keep.astype(input.dtype) / np.asarray(1.0 - p, dtype=input.dtype)
    return Tensor._from_op(input.data * scale, (input,), lambda g: (g * scale,), "Dropout")
