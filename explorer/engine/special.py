"""``torch.special``: the functions of information theory and probability the notes touch.

``xlogy(x, y) = x log y`` (0 where ``x == 0``) and ``entr(p) = -p log p`` are the terms of
entropy, cross entropy and KL divergence; ``expit``/``logit`` are the sigmoid and its inverse.

Examples
--------
>>> from explorer.engine import special, tensor
>>> special.entr(tensor([0.25, 0.75]))
tensor([0.3466, 0.2158])
"""

from __future__ import annotations

import numpy as np

from explorer.engine._saved import RESULT
from explorer.engine.tensor import Tensor


def expit(input: Tensor) -> Tensor:  # noqa: A002
    """The logistic sigmoid ``1 / (1 + exp(-x))``."""
    return input.sigmoid()


def logit(input: Tensor, eps: float | None = None) -> Tensor:  # noqa: A002
    """``log(p / (1 - p))``, the inverse of :func:`expit` (``p`` clamped to ``[eps, 1 - eps]``)."""
    p = input._data if eps is None else np.clip(input._data, eps, 1 - eps)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.log(p / (1 - p))

    def backward(g):
        with np.errstate(divide="ignore", invalid="ignore"):
            grad = g / (p * (1 - p))
        if eps is not None:
            grad = np.where((input._data < eps) | (input._data > 1 - eps), 0, grad)
        return (grad,)

    return Tensor._from_op(out, (input,), backward, "LogitBackward0", (input,))


def xlogy(input: Tensor, other: Tensor) -> Tensor:  # noqa: A002
    """``x * log(y)``, and 0 where ``x == 0`` (so ``0 log 0 = 0``)."""
    x, y = input._data, other._data
    with np.errstate(divide="ignore", invalid="ignore"):
        log_y = np.log(y)
        out = np.where(x == 0, 0.0, x * log_y).astype(np.result_type(x, y))

        def backward(g):
            with np.errstate(divide="ignore", invalid="ignore"):
                return g * np.where(x == 0, 0.0, log_y), g * x / y

    return Tensor._from_op(out, (input, other), backward, "XlogyBackward0", (input, other))


def entr(input: Tensor) -> Tensor:  # noqa: A002
    """``-p log p`` elementwise (0 at 0, -inf below 0): the terms of entropy."""
    p = input._data
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(p > 0, -p * np.log(p), np.where(p == 0, 0.0, -np.inf)).astype(p.dtype)

    def backward(g):
        with np.errstate(divide="ignore", invalid="ignore"):
            return (g * -(np.log(p) + 1),)

    return Tensor._from_op(out, (input,), backward, "SpecialEntrBackward0", (input,))


def log1p(input: Tensor) -> Tensor:  # noqa: A002
    """``log(1 + x)``, accurate for small ``x``."""
    x = input._data
    return Tensor._from_op(np.log1p(x), (input,), lambda g: (g / (1 + x),), "Log1PBackward0",
                           (input,))  # fmt: skip


def expm1(input: Tensor) -> Tensor:  # noqa: A002
    """``exp(x) - 1``, accurate for small ``x``."""
    out = np.expm1(input._data)
    return Tensor._from_op(out, (input,), lambda g: (g * (out + 1),), "Expm1Backward0", (RESULT,))


def exp2(input: Tensor) -> Tensor:  # noqa: A002
    """``2 ** x``."""
    out = np.exp2(input._data)
    return Tensor._from_op(out, (input,), lambda g: (g * out * np.log(2.0),), "Exp2Backward0",
                           (RESULT,))  # fmt: skip


def softmax(input: Tensor, dim: int, dtype=None) -> Tensor:  # noqa: A002
    """As ``torch.softmax``."""
    from explorer.engine.nn._functional_layers import softmax as _softmax

    return _softmax(input, dim, dtype)


def log_softmax(input: Tensor, dim: int, dtype=None) -> Tensor:  # noqa: A002
    """As ``torch.log_softmax``."""
    from explorer.engine.nn._functional_layers import log_softmax as _log_softmax

    return _log_softmax(input, dim, dtype)


def logsumexp(input: Tensor, dim: int, keepdim: bool = False) -> Tensor:  # noqa: A002
    """``log(sum(exp(x)))`` along ``dim``, computed stably."""
    return input.logsumexp(dim, keepdim)
