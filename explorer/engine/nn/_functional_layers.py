"""Stateless layer functions: activations, ``linear`` and ``dropout`` (``nn.functional``).

Each function is one graph node with its own backward (``linear`` computes ``x @ W.T + b``
in one op), which keeps the per-step Python overhead small. ``inplace=True`` changes the
input itself, as in torch (``relu``, ``leaky_relu``, ``dropout``).
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from explorer.engine import random as _random
from explorer.engine._saved import RESULT
from explorer.engine.dtypes import torch_dtype_name
from explorer.engine.nn._arguments import require_method, require_tensor
from explorer.engine.tensor import Tensor


def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:  # noqa: A002
    """``y = x W^T + b`` as a single fused operation.

    Shape
    -----
    - input: ``(*, in_features)``
    - weight: ``(out_features, in_features)``
    - bias: ``(out_features,)`` or None
    - output: ``(*, out_features)``
    """
    require_tensor("linear", "input", 1, input)
    require_tensor("linear", "weight", 2, weight)
    x, w = input._data, weight._data
    if x.ndim == 0 or x.shape[-1] != w.shape[-1]:
        rows = int(np.prod(x.shape[:-1])) if x.ndim > 1 else 1
        cols = x.shape[-1] if x.ndim else 0
        raise RuntimeError(
            f"mat1 and mat2 shapes cannot be multiplied ({rows}x{cols} and "
            f"{w.shape[1]}x{w.shape[0]})"
        )
    if x.dtype != w.dtype:
        raise RuntimeError(
            f"mat1 and mat2 must have the same dtype, but got {torch_dtype_name(x.dtype)} and "
            f"{torch_dtype_name(w.dtype)}"
        )
    # ndarray.dot on 2-D: cheaper than @ on small arrays
    out = x.dot(w.T) if x.ndim == 2 else x @ w.T
    need_x, need_w = input._requires_grad, weight._requires_grad
    if bias is not None:
        out += bias._data
        parents: tuple[Tensor, ...] = (input, weight, bias)
        need_b = bias._requires_grad
    else:
        parents = (input, weight)

    def backward(g: np.ndarray):
        grad_x = (g.dot(w) if g.ndim == 2 else g @ w) if need_x else None
        g2 = g.reshape(-1, g.shape[-1]) if g.ndim != 2 else g
        grad_w = None
        if need_w:
            x2 = x.reshape(-1, x.shape[-1]) if x.ndim != 2 else x
            grad_w = g2.T.dot(x2)
        if bias is None:
            return grad_x, grad_w
        # the sum over rows, as a product with ones: BLAS, faster than np.sum on small arrays
        grad_b = np.ones(len(g2), g2.dtype).dot(g2) if need_b else None
        return grad_x, grad_w, grad_b

    # the input for the weight's gradient, the weight for the input's (torch's addmm saves)
    saved = ([input] if need_w else []) + ([weight] if need_x else [])
    return Tensor._from_op(out, parents, backward, _linear_op(x.ndim, bias is not None), saved)


def _linear_op(ndim: int, has_bias: bool) -> str:
    """torch's last node of ``linear`` by the input's dimensions."""
    if ndim == 2:
        return "AddmmBackward0" if has_bias else "MmBackward0"
    if has_bias:
        return "ViewBackward0"
    return "SqueezeBackward4" if ndim == 1 else "UnsafeViewBackward0"


def relu(input: Tensor, inplace: bool = False) -> Tensor:  # noqa: A002
    """``max(0, x)`` elementwise."""
    require_tensor("relu", "input", 1, input)
    if inplace:
        return input.relu_()
    out = np.maximum(input._data, 0)
    return Tensor._from_op(out, (input,), lambda g: (g * (out > 0),), "ReluBackward0", (RESULT,))


def leaky_relu(
    input: Tensor,  # noqa: A002
    negative_slope: float = 0.01,
    inplace: bool = False,
) -> Tensor:
    """``x`` where ``x > 0`` else ``negative_slope * x``."""
    require_tensor("leaky_relu", "input", 1, input)
    x = input._data
    positive = x > 0
    slope = np.asarray(negative_slope, dtype=x.dtype)
    values = np.where(positive, x, x * slope)

    def backward(g):
        return (np.where(positive, g, g * slope),)

    if inplace:  # torch: LeakyReluBackward1, which reads the result
        records = input._records()
        input._data[...] = values
        return input._changed((), backward if records else None, "LeakyReluBackward1", [RESULT])
    return Tensor._from_op(values, (input,), backward, "LeakyReluBackward0", (input,))


def sigmoid(input: Tensor) -> Tensor:  # noqa: A002
    """``1 / (1 + exp(-x))``, finite for any input."""
    return require_method(input, "sigmoid").sigmoid()


def tanh(input: Tensor) -> Tensor:  # noqa: A002
    """Hyperbolic tangent."""
    return require_method(input, "tanh").tanh()


def _get_softmax_dim(name: str, ndim: int) -> int:
    warnings.warn(
        f"Implicit dimension choice for {name} has been deprecated. "
        "Change the call to include dim=X as an argument.",
        UserWarning,
        stacklevel=4,
    )
    return 0 if ndim in (0, 1, 3) else 1


def _prepare(input: Any, dim: int | None, dtype: Any, name: str) -> tuple[Tensor, int]:
    input = require_method(input, name)  # noqa: A001
    if dtype is not None:
        input = input.to(dtype)  # noqa: A001
    if dim is None:
        dim = _get_softmax_dim(name, input.ndim)
    elif input._data.ndim:
        dim = input._dim(dim)
    return input, dim


def softmax(input: Tensor, dim: int | None = None, dtype: Any = None) -> Tensor:  # noqa: A002
    """``exp(x_i) / sum_j exp(x_j)`` along ``dim`` (shifted by the max, so never overflows)."""
    input, dim = _prepare(input, dim, dtype, "softmax")  # noqa: A001
    x = input._data
    e = np.exp(x - x.max(axis=dim, keepdims=True)) if x.ndim else np.ones_like(x)
    out = e / e.sum(axis=dim, keepdims=True) if x.ndim else e

    def backward(g: np.ndarray):
        return (out * (g - (g * out).sum(axis=dim, keepdims=True)),)

    return Tensor._from_op(out, (input,), backward, "SoftmaxBackward0", (RESULT,))


def log_softmax(input: Tensor, dim: int | None = None, dtype: Any = None) -> Tensor:  # noqa: A002
    """``x_i - log sum_j exp(x_j)`` along ``dim``; finite for logits of +-1000."""
    input, dim = _prepare(input, dim, dtype, "log_softmax")  # noqa: A001
    x = input._data
    if x.ndim == 0:
        out = np.zeros_like(x)
        return Tensor._from_op(
            out, (input,), lambda g: (np.zeros_like(g),), "LogSoftmaxBackward0", (RESULT,)
        )
    shifted = x - x.max(axis=dim, keepdims=True)
    out = shifted - np.log(np.exp(shifted).sum(axis=dim, keepdims=True))

    def backward(g: np.ndarray):
        return (g - np.exp(out) * g.sum(axis=dim, keepdims=True),)

    return Tensor._from_op(out, (input,), backward, "LogSoftmaxBackward0", (RESULT,))


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
    require_tensor("dropout", "input", 1, input)
    if not training or p == 0.0:
        return input
    if p == 1.0:
        scale = np.zeros(input._data.shape, dtype=input.dtype)
    else:
        keep = _random.resolve(generator).random(input._data.shape) >= p
        scale = keep.astype(input.dtype) / np.asarray(1.0 - p, dtype=input.dtype)
    if inplace:
        return input.mul_(Tensor(scale))
    return Tensor._from_op(
        input._data * scale, (input,), lambda g: (g * scale,), "MulBackward0", ()
    )
