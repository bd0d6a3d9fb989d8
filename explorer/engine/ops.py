"""torch's functions on tensors (``torch.exp(x)``, ``torch.cat``, ``torch.where``...).

Most call the Tensor method of the same name; ``cat``, ``stack`` and ``where`` combine several
tensors and are graph nodes of their own, with torch's names.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from explorer.engine.tensor import Tensor


def exp(input: Tensor) -> Tensor:  # noqa: A002
    return input.exp()


def log(input: Tensor) -> Tensor:  # noqa: A002
    return input.log()


def abs(input: Tensor) -> Tensor:  # noqa: A001, A002
    return input.abs()


def sqrt(input: Tensor) -> Tensor:  # noqa: A002
    return input.sqrt()


def pow(input: Tensor | float, exponent: Tensor | float) -> Tensor:  # noqa: A001, A002
    """``input ** exponent``: a tensor to a number's power, or a number to a tensor's."""
    if isinstance(input, Tensor):
        return input.pow(exponent)
    return exponent.__rpow__(input)


def relu(input: Tensor) -> Tensor:  # noqa: A002
    return input.relu()


def sigmoid(input: Tensor) -> Tensor:  # noqa: A002
    return input.sigmoid()


def tanh(input: Tensor) -> Tensor:  # noqa: A002
    return input.tanh()


def softmax(input: Tensor, dim: int, dtype: Any = None) -> Tensor:  # noqa: A002
    from explorer.engine.nn._functional_layers import softmax as _softmax

    return _softmax(input, dim, dtype)


def log_softmax(input: Tensor, dim: int, dtype: Any = None) -> Tensor:  # noqa: A002
    from explorer.engine.nn._functional_layers import log_softmax as _log_softmax

    return _log_softmax(input, dim, dtype)


def sum(input: Tensor, dim: Any = None, keepdim: bool = False, **kwargs: Any) -> Tensor:  # noqa: A001, A002
    return input.sum(dim, keepdim, **kwargs)


def mean(input: Tensor, dim: Any = None, keepdim: bool = False, **kwargs: Any) -> Tensor:  # noqa: A002
    return input.mean(dim, keepdim, **kwargs)


def max(input: Tensor, dim: int | None = None, keepdim: bool = False):  # noqa: A001, A002
    return input.max(dim, keepdim)


def min(input: Tensor, dim: int | None = None, keepdim: bool = False):  # noqa: A001, A002
    return input.min(dim, keepdim)


def argmax(input: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:  # noqa: A002
    return input.argmax(dim, keepdim)


def clamp(input: Tensor, min: float | None = None, max: float | None = None) -> Tensor:  # noqa: A001, A002
    return input.clamp(min, max)


def matmul(input: Tensor, other: Tensor) -> Tensor:  # noqa: A002
    return input @ other


mm = matmul


def flatten(input: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:  # noqa: A002
    return input.flatten(start_dim, end_dim)


def reshape(input: Tensor, shape: Sequence[int]) -> Tensor:  # noqa: A002
    return input.reshape(shape)


def cat(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """The tensors joined along ``dim`` (``torch.cat``)."""
    tensors = tuple(tensors)
    dim = tensors[0]._dim(dim)
    out = np.concatenate([t._data for t in tensors], axis=dim)
    bounds = np.cumsum([t._data.shape[dim] for t in tensors])[:-1]

    def backward(g):
        return tuple(np.split(g, bounds, axis=dim))

    return Tensor._from_op(out, tensors, backward, "CatBackward0")


concat = cat


def stack(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """The tensors stacked along a new dimension ``dim`` (``torch.stack``)."""
    tensors = tuple(tensors)
    out = np.stack([t._data for t in tensors], axis=dim)
    axis = dim % out.ndim

    def backward(g):
        return tuple(np.take(g, i, axis=axis) for i in range(len(tensors)))

    return Tensor._from_op(out, tensors, backward, "StackBackward0")


def where(condition: Tensor, input: Any, other: Any) -> Tensor:  # noqa: A002
    """``input`` where ``condition`` holds, else ``other`` (``torch.where``)."""
    mask = condition._data.astype(bool)
    a = input if isinstance(input, Tensor) else Tensor(input)
    b = other if isinstance(other, Tensor) else Tensor(other)
    out = np.where(mask, a._data, b._data)

    def backward(g):
        return np.where(mask, g, 0), np.where(mask, 0, g)

    return Tensor._from_op(out, (a, b), backward, "WhereBackward0", (condition,))


def is_tensor(obj: Any) -> bool:
    return isinstance(obj, Tensor)


def numel(input: Tensor) -> int:  # noqa: A002
    return input.numel()


def equal(input: Tensor, other: Tensor) -> bool:  # noqa: A002
    """Whether the two have the same shape and values."""
    return input._data.shape == other._data.shape and bool(np.array_equal(input._data, other._data))


def allclose(input: Tensor, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08,  # noqa: A002
             equal_nan: bool = False) -> bool:  # fmt: skip
    return bool(np.allclose(input._data, other._data, rtol=rtol, atol=atol, equal_nan=equal_nan))
