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

from explorer.engine._tensor_math import broadcast_error
from explorer.engine.nn._arguments import require_tensor
from explorer.engine.nn._functional_class_losses import cross_entropy, nll_loss
from explorer.engine.nn._loss_common import (
    broadcast_pair,
    check_same_size,
    finish,
    resolve_reduction,
    sized_pair,
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


# torch's last node for a loss it computes with tensor ops: by reduction, plain and weighted
_ABS_OPS = {"none": "AbsBackward0", "sum": "SumBackward0", "mean": "MeanBackward0"}
_WEIGHTED_OPS = {"none": "MulBackward0", "sum": "SumBackward0", "mean": "DivBackward0"}


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
    op: str | dict[str, str] = "",
    saved: tuple[Tensor, ...] = (),
) -> Tensor:
    """A loss of ``diff = input - target`` alone: ``loss_and_slope(diff)`` gives both.

    The difference is taken in ``dtype`` (see :mod:`explorer.engine.nn._loss_dtypes`); the
    output has ``out_dtype`` if given. ``op`` and ``saved`` are torch's node name (one, or
    one per reduction) and what it saves; with a weight torch multiplies in Python, so the
    node is the weighted product's or its reduction's, and it saves the weight.
    """
    x, y = broadcast_pair(name, input, target)
    diff = x.astype(dtype, copy=False) - y.astype(dtype, copy=False)
    values, slope = loss_and_slope(diff)
    if out_dtype is not None:
        values = values.astype(out_dtype, copy=False)
    denom = None
    if weight is not None:
        weight_tensor = weight
        weight = weight._data
        # torch multiplies in Python: the product takes torch's promoted dtype (a float64
        # weight makes a float32 loss float64; an integer loss takes a float weight's type)
        weighted = result_type(values, weight)
        values = values.astype(weighted, copy=False)
        weight = weight.astype(weighted, copy=False)
        if weight.shape != input._data.shape:
            raise ValueError(
                f"Weights and input must have the same size: weight has shape "
                f"{weight.shape}, input has shape {input._data.shape}."
            )
        values = values * weight
        slope = slope * weight
        if weighted_mean_by_weight and reduction == "mean":
            denom = weight.sum()
            if values.dtype.kind != "f":
                values = values.astype(np.float32)  # torch's true division: its default dtype
    if values.dtype.kind in "biu" and reduction == "sum":
        values = values.astype(np.int64)  # torch sums integers as int64
    if weight is not None:
        mean_op = "DivBackward0" if weighted_mean_by_weight else "MeanBackward0"
        op = {**_WEIGHTED_OPS, "mean": mean_op}
        saved = (weight_tensor,)
    return finish(
        values,
        reduction,
        (input, target),
        (lambda g: g * slope, lambda g: -(g * slope)),
        op if isinstance(op, str) else op[reduction],
        denom=denom,
        saved=saved,
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
    shapes that do not broadcast raise torch's RuntimeError. With ``weight`` (same shape
    as input) ``'mean'`` is ``sum(w l) / sum(w)``, as torch 2.13.

    Examples
    --------
    >>> from explorer.engine import Tensor
    >>> l1_loss(Tensor([1.0, 2.0]), Tensor([0.0, 4.0])).item()
    1.5
    """
    input, target = sized_pair(input, target)
    reduction = resolve_reduction(size_average, reduce, reduction)
    dtype = difference_dtype(input._data, target._data, reduction, weighted=weight is not None)
    return _pointwise(
        "l1_loss", input, target, reduction, weight, lambda d: (np.abs(d), np.sign(d)), True,
        dtype, op=_ABS_OPS,
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
    input, target = sized_pair(input, target)
    reduction = resolve_reduction(size_average, reduce, reduction)
    if weight is None:
        dtype = float_dtype("mse_cpu", input._data, target._data)
    else:  # torch weighs in Python: (input - target) ** 2 * weight
        dtype = difference_dtype(input._data, target._data, reduction, weighted=True)
    return _pointwise(
        "mse_loss", input, target, reduction, weight, lambda d: (d * d, 2 * d), True, dtype,
        op="MseLossBackward0", saved=(input, target),
    )  # fmt: skip


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
    input, target = sized_pair(input, target)
    reduction = check_reduction(reduction)
    if not delta > 0:
        raise RuntimeError("huber_loss does not support non-positive values for delta.")
    dtype, out_dtype = huber_dtypes(input._data, target._data)

    def loss_and_slope(d):
        z = np.abs(d)
        values = np.where(z < delta, 0.5 * z * z, delta * (z - 0.5 * delta))
        return values, np.clip(d, -delta, delta)

    return _pointwise(
        "huber_loss", input, target, reduction, weight, loss_and_slope, False, dtype, out_dtype,
        op="HuberLossBackward0", saved=(input, target),
    )  # fmt: skip


def smooth_l1_loss(
    input: Tensor,
    target: Tensor,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
    beta: float = 1.0,
) -> Tensor:
    """Smooth L1: ``0.5 d^2 / beta`` where ``|d| < beta``, else ``|d| - 0.5 beta``.

    ``beta = 0`` is exactly :func:`l1_loss`; a negative ``beta`` raises torch's RuntimeError.
    """
    input, target = sized_pair(input, target)
    reduction = resolve_reduction(size_average, reduce, reduction)
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    if beta == 0.0:  # torch calls l1_loss, with its dtype rules
        dtype = difference_dtype(input._data, target._data, reduction)
        return _pointwise(
            "smooth_l1_loss", input, target, reduction, None,
            lambda d: (np.abs(d), np.sign(d)), False, dtype, op=_ABS_OPS,
        )  # fmt: skip
    dtype = float_dtype("smooth_l1_cpu", input._data, target._data)

    def loss_and_slope(d):
        z = np.abs(d)
        values = np.where(z < beta, 0.5 * z * z / beta, z - 0.5 * beta)
        return values, np.where(d <= -beta, -1.0, np.where(d >= beta, 1.0, d / beta))

    return _pointwise(
        "smooth_l1_loss", input, target, reduction, None, loss_and_slope, False, dtype,
        op="SmoothL1LossBackward0", saved=(input, target),
    )  # fmt: skip


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
    if size_average is not None or reduce is not None:
        enum = legacy_get_enum(size_average, reduce)
    else:
        check_reduction(reduction, KL_DIV_REDUCTIONS)
        if reduction == "mean":
            warnings.warn(_KL_MEAN_WARNING, UserWarning, stacklevel=2)
        enum = 2 if reduction == "batchmean" else {"none": 0, "mean": 1, "sum": 2}[reduction]
    base = ("none", "mean", "sum")[enum]
    require_tensor("kl_div", "input", 1, input)
    require_tensor("kl_div", "target", 2, target)
    check_kl_div_dtypes(input._data, target._data)
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
    # torch: xlogy(target, target) - target * input (exp(target) * (target - input) with
    # log_target), then the reduction; the product reads the target, and the input too when
    # the target requires grad
    saved = () if log_target else (target, input) if target._requires_grad else (target,)
    ops = {"none": "MulBackward0" if log_target else "SubBackward0", "sum": "SumBackward0",
           "mean": "MeanBackward0"}  # fmt: skip
    batch = reduction == "batchmean" and input._data.ndim != 0
    if batch and base == "sum":
        return finish(values, "mean", (input, target), grads, "DivBackward0",
                      denom=input._data.shape[0], saved=saved)  # fmt: skip
    out = finish(values, base, (input, target), grads, ops[base], saved=saved)
    # legacy flags with reduction='batchmean': torch still divides by the batch size
    return out / input._data.shape[0] if batch else out


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
    outside [0, 1] raises torch's RuntimeError; the target must have the input's shape.
    """
    input, target = sized_pair(input, target)
    reduction = resolve_reduction(size_average, reduce, reduction)
    check_same_size(input, target)
    x, y = input._data, target._data
    check_bce_dtypes(x, y)
    for label, array in (("input", x), ("target", y)):
        if not ((array >= 0) & (array <= 1)).all():
            raise RuntimeError(f"all elements of {label} should be between 0 and 1")
    w = _broadcast_weight(weight, x)
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
        "BinaryCrossEntropyBackward0",
        saved=(input, target) if weight is None else (input, target, weight),
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
    input, target = sized_pair(input, target)
    reduction = resolve_reduction(size_average, reduce, reduction)
    if target._data.shape != input._data.shape:
        raise ValueError(
            f"Target size ({torch_size(target._data.shape)}) must be the same as input size "
            f"({torch_size(input._data.shape)})"
        )
    x, y = input._data, target._data
    out_dtype = bce_with_logits_dtype(x, y, None if pos_weight is None else pos_weight._data)
    w = _broadcast_weight(weight, x)
    pw = _broadcast_weight(pos_weight, x)
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
        "BinaryCrossEntropyWithLogitsBackward0",
        saved=(input, target),
    )


def _log_sigmoid(x: np.ndarray) -> np.ndarray:
    """``log(sigmoid(x))`` as ATen computes it: ``min(x, 0) - log1p(exp(-|x|))``."""
    return np.minimum(x, 0) - np.log1p(np.exp(-np.abs(x)))


def _broadcast_weight(weight: Tensor | None, x: np.ndarray) -> np.ndarray | None:
    """``weight`` in ``x``'s dtype broadcast to its shape, or torch's RuntimeError."""
    if weight is None:
        return None
    array = weight._data
    try:
        return np.broadcast_to(array.astype(x.dtype, copy=False), x.shape)
    except ValueError:
        raise broadcast_error(x.shape, array.shape) from None
