"""Loss functions, as in ``torch.nn.functional``: fused numpy forward, analytic backward.

Each loss is one graph node: the forward runs in numpy and the backward closure returns
PyTorch's own gradient formulas (the ones in ATen's kernels and ``derivatives.yaml``), so
values and gradients agree with torch 2.13 to rounding. The classification losses
(``cross_entropy``, ``nll_loss``) live in
:mod:`explorer.engine.nn._functional_class_losses` and are re-exported here.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable

import numpy as np

from explorer.engine.nn._functional_class_losses import cross_entropy, nll_loss
from explorer.engine.nn._loss_common import (
    as_tensor,
    broadcast_pair,
    check_same_size,
    finish,
    resolve_reduction,
    torch_size,
)
from explorer.engine.nn._loss_dtypes import (
    bce_with_logits_dtype,
    check_bce_dtypes,
    check_kl_div_dtypes,
    difference_dtype,
    float_dtype,
    huber_dtypes,
    result_type,
)
from explorer.engine.nn._reduction import KL_DIV_REDUCTIONS, check_reduction, legacy_get_enum
from explorer.engine.tensor import Tensor

__all__ = [
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "cross_entropy",
    "huber_loss",
    "kl_div",
    "l1_loss",
    "mse_loss",
    "nll_loss",
    "smooth_l1_loss",
]

_KL_MEAN_WARNING = (
    "reduction: 'mean' divides the total loss by both the batch size and the support size."
    "'batchmean' divides only by the batch size, and aligns with the KL div math definition."
    "'mean' will be changed to behave the same as 'batchmean' in the next major release."
)
_BCE_EPSILON = float(np.float32(1e-12))  # ATen's (float) floor on x(1-x) in the BCE gradient


def _pointwise(
    name: str,
    input: Tensor,
    target: Tensor,
    reduction: str,
    weight,
    loss_and_slope: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]],
    weighted_mean_by_weight: bool,
    dtype: np.dtype,
    out_dtype: np.dtype | None = None,
) -> Tensor:
    """A loss of ``diff = input - target`` alone: ``loss_and_slope(diff)`` gives both.

    The difference is taken in ``dtype`` (see :mod:`explorer.engine.nn._loss_dtypes`); the
    output has ``out_dtype`` if given.
    """
    x, y = broadcast_pair(name, input, target)
    diff = x.astype(dtype, copy=False) - y.astype(dtype, copy=False)
    values, slope = loss_and_slope(diff)
    if out_dtype is not None:
        values = values.astype(out_dtype, copy=False)
    denom = None
    if weight is not None:
        weight = as_tensor(weight).data
        # integer losses take the weight's type (a weight of 0.5 is not truncated to 0)
        weighted = values.dtype if values.dtype.kind == "f" else result_type(values, weight)
        values = values.astype(weighted, copy=False)
        weight = weight.astype(weighted, copy=False)
        if weight.shape != input.shape:
            raise ValueError(
                f"Weights and input must have the same size: weight has shape "
                f"{weight.shape}, input has shape {input.shape}."
            )
        values = values * weight
        slope = slope * weight
        if weighted_mean_by_weight and reduction == "mean":
            denom = weight.sum()
            if values.dtype.kind != "f":
                values = values.astype(np.float32)  # torch's true division: its default dtype
    if values.dtype.kind in "biu" and reduction == "sum":
        values = values.astype(np.int64)  # torch sums integers as int64
    return finish(
        values,
        reduction,
        (input, target),
        (lambda g: g * slope, lambda g: -(g * slope)),
        name,
        denom=denom,
    )


def l1_loss(
    input: Tensor,
    target: Tensor,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
    weight: Tensor | None = None,
) -> Tensor:
    """Mean absolute error: ``l_n = |x_n - y_n|``, reduced by ``reduction``.

    A target whose shape differs from the input's is broadcast with torch's UserWarning;
    shapes that do not broadcast raise ValueError naming both. With ``weight`` (same shape
    as input) ``'mean'`` is ``sum(w l) / sum(w)``, as torch 2.13.

    Examples
    --------
    >>> from explorer.engine import Tensor
    >>> l1_loss(Tensor([1.0, 2.0]), Tensor([0.0, 4.0])).item()
    1.5
    """
    input, target = as_tensor(input), as_tensor(target)
    reduction = resolve_reduction(size_average, reduce, reduction)
    dtype = difference_dtype(input.data, target.data, reduction, weighted=weight is not None)
    return _pointwise(
        "l1_loss", input, target, reduction, weight, lambda d: (np.abs(d), np.sign(d)), True,
        dtype,
    )  # fmt: skip


def mse_loss(
    input: Tensor,
    target: Tensor,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
    weight: Tensor | None = None,
) -> Tensor:
    """Mean squared error: ``l_n = (x_n - y_n)^2``, reduced by ``reduction``."""
    input, target = as_tensor(input), as_tensor(target)
    reduction = resolve_reduction(size_average, reduce, reduction)
    if weight is None:
        dtype = float_dtype("mse_cpu", input.data, target.data)
    else:  # torch weighs in Python: (input - target) ** 2 * weight
        dtype = difference_dtype(input.data, target.data, reduction, weighted=True)
    return _pointwise(
        "mse_loss", input, target, reduction, weight, lambda d: (d * d, 2 * d), True, dtype
    )


def huber_loss(
    input: Tensor,
    target: Tensor,
    reduction: str = "mean",
    delta: float = 1.0,
    weight: Tensor | None = None,
) -> Tensor:
    """Huber loss: ``0.5 d^2`` where ``|d| < delta``, else ``delta (|d| - 0.5 delta)``.

    ``delta`` must be positive. With ``weight``, ``'mean'`` is the plain mean of ``w l``.
    """
    input, target = as_tensor(input), as_tensor(target)
    reduction = check_reduction(reduction)
    if not delta > 0:
        raise ValueError(f"huber_loss does not support non-positive values for delta; got {delta}")
    dtype, out_dtype = huber_dtypes(input.data, target.data)

    def loss_and_slope(d):
        z = np.abs(d)
        values = np.where(z < delta, 0.5 * z * z, delta * (z - 0.5 * delta))
        return values, np.clip(d, -delta, delta)

    return _pointwise(
        "huber_loss", input, target, reduction, weight, loss_and_slope, False, dtype, out_dtype
    )


def smooth_l1_loss(
    input: Tensor,
    target: Tensor,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
    beta: float = 1.0,
) -> Tensor:
    """Smooth L1: ``0.5 d^2 / beta`` where ``|d| < beta``, else ``|d| - 0.5 beta``.

    ``beta = 0`` is exactly :func:`l1_loss`; a negative ``beta`` raises ValueError.
    """
    input, target = as_tensor(input), as_tensor(target)
    reduction = resolve_reduction(size_average, reduce, reduction)
    if beta < 0:
        raise ValueError(f"smooth_l1_loss does not support negative values for beta; got {beta}")
    if beta == 0.0:  # torch calls l1_loss, with its dtype rules
        dtype = difference_dtype(input.data, target.data, reduction)
        return _pointwise(
            "smooth_l1_loss", input, target, reduction, None,
            lambda d: (np.abs(d), np.sign(d)), False, dtype,
        )  # fmt: skip
    dtype = float_dtype("smooth_l1_cpu", input.data, target.data)

    def loss_and_slope(d):
        z = np.abs(d)
        values = np.where(z < beta, 0.5 * z * z / beta, z - 0.5 * beta)
        return values, np.where(d <= -beta, -1.0, np.where(d >= beta, 1.0, d / beta))

    return _pointwise(
        "smooth_l1_loss", input, target, reduction, None, loss_and_slope, False, dtype
    )


def kl_div(
    input: Tensor,
    target: Tensor,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
    log_target: bool = False,
) -> Tensor:
    """Kullback-Leibler divergence with ``input`` as log-probabilities.

    ``l_n = y_n (log y_n - x_n)`` (``y_n = 0`` contributes 0, as torch's ``xlogy``), or
    ``exp(y_n) (y_n - x_n)`` when ``log_target``. ``'batchmean'`` divides the sum by the
    batch size and is the true KL; ``'mean'`` divides by the number of elements and warns,
    as torch does. The gradient with respect to the target at ``y_n = 0`` is NaN, as torch's.

    Examples
    --------
    >>> import numpy as np
    >>> from explorer.engine import Tensor
    >>> p, q = np.array([[0.5, 0.5]]), np.array([[0.25, 0.75]])
    >>> round(kl_div(Tensor(np.log(q)), Tensor(p), reduction="batchmean").item(), 6)
    0.143841
    """
    input, target = as_tensor(input), as_tensor(target)
    if size_average is not None or reduce is not None:
        enum = legacy_get_enum(size_average, reduce)
    else:
        check_reduction(reduction, KL_DIV_REDUCTIONS)
        if reduction == "mean":
            warnings.warn(_KL_MEAN_WARNING, UserWarning, stacklevel=2)
        enum = 2 if reduction == "batchmean" else {"none": 0, "mean": 1, "sum": 2}[reduction]
    base = ("none", "mean", "sum")[enum]
    check_kl_div_dtypes(input.data, target.data)
    x, y = broadcast_pair("kl_div", input, target, warn=False)
    with np.errstate(divide="ignore", invalid="ignore"):
        if log_target:
            exp_y = np.exp(y)
            values = exp_y * (y - x)
            grad_x = -exp_y
            grad_y = exp_y * (y - x) + exp_y
        else:
            log_y = np.log(y)
            values = np.where(y == 0, 0.0, y * log_y) - y * x
            grad_x = -y
            # torch's xlogy backward: log(y) (0 where y == 0) plus y / y (NaN at 0)
            grad_y = np.where(y == 0, 0.0, log_y) + y / y - x
    grads = (lambda g: g * grad_x, lambda g: _kl_target_grad(g, grad_y))
    batch = reduction == "batchmean" and input.ndim != 0
    if batch and base == "sum":
        return finish(values, "mean", (input, target), grads, "KlDiv", denom=input.shape[0])
    out = finish(values, base, (input, target), grads, "KlDiv")
    # legacy flags with reduction='batchmean': torch still divides by the batch size
    return out / input.shape[0] if batch else out


def _kl_target_grad(g: np.ndarray, grad_y: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        return g * grad_y


def binary_cross_entropy(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    """Binary cross entropy between probabilities ``x`` and targets ``y`` in [0, 1].

    ``l_n = -w_n (y_n log x_n + (1 - y_n) log(1 - x_n))`` with each log clamped to
    ``>= -100`` (torch's rule), so ``x = 0`` or ``1`` gives a finite loss. Input or target
    outside [0, 1] raises ValueError; the target must have the input's shape.
    """
    input, target = as_tensor(input), as_tensor(target)
    reduction = resolve_reduction(size_average, reduce, reduction)
    check_same_size(input, target)
    x, y = input.data, target.data
    check_bce_dtypes(x, y)
    for label, array in (("input", x), ("target", y)):
        bad = ~((array >= 0) & (array <= 1))
        if bad.any():
            where = tuple(int(i) for i in np.argwhere(bad)[0])
            raise ValueError(
                f"all elements of {label} should be between 0 and 1; "
                f"got {float(array[bad].flat[0])!r} at index {where}"
            )
    w = _broadcast_weight("weight", weight, x)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_x, log_1mx = np.log(x), np.log1p(-x)
        values = (y - 1) * np.maximum(log_1mx, -100) - y * np.maximum(log_x, -100)
        slope_x = (x - y) / np.maximum((1 - x) * x, _BCE_EPSILON)
        slope_y = -np.log(x / (1 - x))  # torch: -logit(x)
    if w is not None:
        values, slope_x, slope_y = values * w, slope_x * w, slope_y * w
    return finish(
        values,
        reduction,
        (input, target),
        (lambda g: g * slope_x, lambda g: g * slope_y),
        "BinaryCrossEntropy",
    )


def binary_cross_entropy_with_logits(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
    pos_weight: Tensor | None = None,
) -> Tensor:
    """Sigmoid and binary cross entropy in one stable step (finite for logits of +-1000).

    ``l_n = -w_n (p y_n log s(x_n) + (1 - y_n) log(1 - s(x_n)))`` with ``p`` the
    ``pos_weight`` (broadcast along the last dimension, one per class).
    """
    input, target = as_tensor(input), as_tensor(target)
    reduction = resolve_reduction(size_average, reduce, reduction)
    if target.shape != input.shape:
        raise ValueError(
            f"Target size ({torch_size(target.shape)}) must be the same as input size "
            f"({torch_size(input.shape)})"
        )
    x, y = input.data, target.data
    out_dtype = bce_with_logits_dtype(
        x, y, None if pos_weight is None else as_tensor(pos_weight).data
    )
    w = _broadcast_weight("weight", weight, x)
    pw = _broadcast_weight("pos_weight", pos_weight, x)
    log_sig = _log_sigmoid(x)
    with np.errstate(over="ignore"):
        sig = 1 / (1 + np.exp(-x))
    if pw is not None:
        log_sig_weighted = log_sig * ((pw - 1) * y + 1)
        pw_y = pw * y
        slope_x = (pw_y + 1 - y) * sig - pw_y
        slope_y = _log_sigmoid(-x) - log_sig * pw
    else:
        log_sig_weighted = log_sig
        slope_x = sig - y
        slope_y = -x
    values = (1 - y) * x - log_sig_weighted
    if w is not None:
        values, slope_x, slope_y = values * w, slope_x * w, slope_y * w
    values = values.astype(out_dtype, copy=False)
    return finish(
        values,
        reduction,
        (input, target),
        (lambda g: g * slope_x, lambda g: g * slope_y),
        "BinaryCrossEntropyWithLogits",
    )


def _log_sigmoid(x: np.ndarray) -> np.ndarray:
    """``log(sigmoid(x))`` as ATen computes it: ``min(x, 0) - log1p(exp(-|x|))``."""
    return np.minimum(x, 0) - np.log1p(np.exp(-np.abs(x)))


def _broadcast_weight(name: str, weight, x: np.ndarray) -> np.ndarray | None:
    """``weight`` in ``x``'s dtype broadcast to its shape, or a ValueError naming both shapes."""
    if weight is None:
        return None
    array = as_tensor(weight).data
    shape = x.shape
    try:
        return np.broadcast_to(array.astype(x.dtype, copy=False), shape)
    except ValueError:
        raise ValueError(
            f"{name} of shape {array.shape} cannot be broadcast to the input shape {shape}"
        ) from None
