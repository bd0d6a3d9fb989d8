"""Build a loss from the chosen options and run it through the engine: value and gradient.

This is the lecture notes' ``output = loss(input, target); output.backward()``, with the engine's
modules, so what the Losses tab shows is what the engine computes.

Examples
--------
>>> import numpy as np
>>> from explorer.lossbench.spec import LossOptions
>>> result = evaluate("L1", LossOptions(), np.array([[1.0, -1.0]]), np.array([[0.0, 0.0]]))
>>> round(result.value, 6), result.grad.tolist()
(1.0, [[0.5, -0.5]])
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

import explorer.engine.nn.functional as F
from explorer.engine import Tensor, nn, no_grad
from explorer.lossbench.spec import (
    CLASS_INDICES,
    LOSSES,
    LossOptions,
    LossSpec,
    effective_reduction,
    replace_options,
    target_kind,
    uses_legacy,
)

# What the engine (like PyTorch) raises when it rejects a combination.
ENGINE_ERRORS = (ValueError, RuntimeError, IndexError, TypeError)


class LossRejected(ValueError):
    """The engine rejected this loss, options and tensors; the message is the engine's."""


@dataclass(frozen=True)
class LossResult:
    """What one evaluation gives.

    Attributes
    ----------
    output : ndarray
        The loss's output: a 0-d array, or the per-element losses for reduction='none'.
    value : float
        The output as a number (its sum for reduction='none', which is what is backpropagated).
    grad : ndarray
        d value / d input, from the engine's backward, shaped like the input.
    reduction : str
        The reduction applied (the deprecated size_average/reduce may have overridden it).
    warnings : tuple of str
        Warnings the engine issued (deprecated arguments, KLDiv's 'mean').
    summed : float or None
        For 'mean' and 'batchmean': the same loss with reduction='sum'. None for the other
        reductions.
    divisor : float or None
        For 'mean' and 'batchmean': what the mean divides ``summed`` by (15 elements, N = 3
        samples, the sum of the kept targets' class weights, 0 when every target is ignored).
        None for the other reductions.
    """

    output: np.ndarray
    value: float
    grad: np.ndarray
    reduction: str
    warnings: tuple[str, ...]
    summed: float | None = None
    divisor: float | None = None


def constructor_kwargs(spec: LossSpec, options: LossOptions, dtype: str = "float32") -> dict:
    """The keyword arguments of the loss's constructor, as plain Python/numpy values.

    Per-class vectors are arrays of ``dtype``; the deprecated size_average/reduce are only given
    when set (they then override reduction, so reduction is left out).
    """
    kwargs: dict = {}
    for name in spec.options:
        if name in ("probability_target", "log_softmax_input"):
            continue
        if name in ("size_average", "reduce"):
            value = getattr(options, name)
            if value is not None:
                kwargs[name] = value
        elif name == "reduction":
            if not uses_legacy(spec, options):
                kwargs[name] = options.reduction
        elif name in ("weight", "pos_weight"):
            value = getattr(options, name)
            if value is not None:
                kwargs[name] = np.asarray(value, dtype=dtype)
        else:
            kwargs[name] = getattr(options, name)
    return kwargs


def build_loss(kind: str, options: LossOptions, dtype: str = "float32"):
    """The engine's loss module for ``kind`` ('L1', 'CrossEntropy', ...) with ``options``."""
    spec = LOSSES[kind]
    kwargs = {
        name: Tensor(value) if isinstance(value, np.ndarray) else value
        for name, value in constructor_kwargs(spec, options, dtype).items()
    }
    return getattr(nn, spec.class_name)(**kwargs)


def target_array(
    kind: str, options: LossOptions, target: np.ndarray, dtype: str = "float32"
) -> np.ndarray:
    """The target as the loss takes it: int64 class indices of shape (N,), else ``dtype``."""
    if target_kind(LOSSES[kind], options) == CLASS_INDICES:
        return np.asarray(target, dtype=np.int64).reshape(-1)
    return np.asarray(target, dtype=dtype)


@dataclass(frozen=True)
class LossCall:
    """The tensors of one ``output = loss(input, target)`` before its backward: the loss
    ``module``, ``input`` (requires grad), ``target``, what the loss was fed (``fed``: the
    input, or its log_softmax), its ``output`` and the scalar backpropagated (``total``)."""

    module: nn.Module
    input: Tensor
    target: Tensor
    fed: Tensor
    output: Tensor
    total: Tensor


def loss_call(
    kind: str,
    options: LossOptions,
    input: np.ndarray,
    target: np.ndarray,
    dtype: str = "float32",
) -> LossCall:
    """Build the loss and call it on ``input`` and ``target``, without backward yet.

    Raises LossRejected with the engine's message when it rejects the combination (warnings
    pass to the caller).
    """
    spec = LOSSES[kind]
    try:
        loss = build_loss(kind, options, dtype)
        x = Tensor(np.asarray(input, dtype=dtype), requires_grad=True)
        y = Tensor(target_array(kind, options, target, dtype))
        fed = F.log_softmax(x, dim=1) if _applies_log_softmax(spec, options) else x
        output = loss(fed, y)
        # backward needs a scalar: for reduction='none' that is output.sum(), as in torch
        total = output if output.dim() == 0 else output.sum()
    except ENGINE_ERRORS as error:
        raise LossRejected(_message(error)) from None
    return LossCall(loss, x, y, fed, output, total)


def evaluate(
    kind: str,
    options: LossOptions,
    input: np.ndarray,
    target: np.ndarray,
    dtype: str = "float32",
) -> LossResult:
    """Run the loss on ``input`` and ``target`` and backpropagate to the input.

    ``input`` and ``target`` are cast to ``dtype`` ('float32', PyTorch's default, or
    'float64'), as ``torch.tensor(values, dtype=...)`` would.

    Raises
    ------
    LossRejected
        When the engine rejects the combination (its message, e.g. "Target 7 is out of
        bounds."). Nothing else escapes.
    """
    spec = LOSSES[kind]
    # numpy's overflow warnings are not PyTorch's: an overflow is explained from the
    # result instead (explorer.lossbench.hints.result_notes).
    with warnings.catch_warnings(record=True) as caught, np.errstate(all="ignore"):
        warnings.simplefilter("always")
        call = loss_call(kind, options, input, target, dtype)
        x, y, fed, output, total = call.input, call.target, call.fed, call.output, call.total
        try:
            total.backward()
        except ENGINE_ERRORS as error:
            raise LossRejected(_message(error)) from None
    values = np.asarray(output.detach(), dtype=np.float64)
    grad = np.asarray(x.grad if x.grad is not None else np.zeros(x.shape), dtype=np.float64)
    messages = tuple(dict.fromkeys(str(w.message) for w in caught))
    reduction = effective_reduction(options, spec)
    summed = divisor = None
    if reduction in ("mean", "batchmean"):
        divisor = _mean_divisor(spec, options, reduction, x.detach().numpy(), y.numpy())
        plain = replace_options(options, size_average=None, reduce=None, reduction="sum")
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            loss_sum = build_loss(kind, plain, dtype)
            with no_grad():
                summed = float(loss_sum(fed.detach(), y).item())
    return LossResult(
        output=values,
        value=float(total.item()),
        grad=grad,
        reduction=reduction,
        warnings=messages,
        summed=summed,
        divisor=divisor,
    )


def _mean_divisor(
    spec: LossSpec, options: LossOptions, reduction: str, x: np.ndarray, y: np.ndarray
) -> float:
    """What 'mean' or 'batchmean' divides the summed loss by, as the engine (and torch) do.

    Read from the shapes, targets and weights rather than from ``sum / mean``, which is
    undefined when the mean is 0, NaN (every target ignored) or infinite.
    """
    if reduction == "batchmean":
        return float(x.shape[0]) if x.ndim else 1.0
    if target_kind(spec, options) == CLASS_INDICES:
        kept = y[y != options.ignore_index]
        if options.weight is None:
            return float(kept.size)
        return float(np.asarray(options.weight, dtype=x.dtype)[kept].sum())
    if spec.kind == "CrossEntropy":  # class probabilities: one loss per sample (and position)
        return float(x.size // x.shape[1]) if x.ndim > 1 else 1.0
    return float(np.prod(np.broadcast_shapes(x.shape, y.shape)))


def _applies_log_softmax(spec: LossSpec, options: LossOptions) -> bool:
    return "log_softmax_input" in spec.options and options.log_softmax_input


def _message(error: Exception) -> str:
    text = str(error).strip() or type(error).__name__
    # KeyError-style messages arrive quoted; everything else reads as is
    return text[1:-1] if len(text) > 1 and text[0] == text[-1] == "'" else text
