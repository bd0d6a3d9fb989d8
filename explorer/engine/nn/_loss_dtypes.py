"""Which dtypes each loss takes, and torch 2.13's own errors (type and text) for the rest.

torch runs a pointwise loss on the promoted dtype of input and target (:func:`result_type`,
so an integer target with a float input is read as that float). Where that dtype is an
integer or bool there is no kernel (``NotImplementedError``), except in ``l1_loss`` and a
weighted ``mse_loss``, which torch computes with plain tensor arithmetic: integers wrap as
torch's do, until 'mean' asks for a float. A bool tensor cannot be subtracted.
"""

from __future__ import annotations

import numpy as np

from explorer.engine.dtypes import check_cast as _check_cast
from explorer.engine.dtypes import result_type, torch_dtype_name

_TWO_BOOLS = (
    "Subtraction, the `-` operator, with two bool tensors is not supported. "
    "Use the `^` or `logical_xor()` operator instead."
)
_ONE_BOOL = (
    "Subtraction, the `-` operator, with a bool tensor is not supported. "
    "If you are trying to invert a mask, use the `~` or `logical_not()` operator instead."
)


def _no_kernel(kernel: str, dtype: np.dtype) -> NotImplementedError:
    return NotImplementedError(f"\"{kernel}\" not implemented for '{torch_dtype_name(dtype)}'")


def _check_subtraction(x: np.ndarray, y: np.ndarray) -> None:
    """torch's RuntimeError for ``x - y`` when either is bool."""
    bools = (x.dtype.kind == "b") + (y.dtype.kind == "b")
    if bools:
        raise RuntimeError(_TWO_BOOLS if bools == 2 else _ONE_BOOL)


def difference_dtype(
    x: np.ndarray, y: np.ndarray, reduction: str, weighted: bool = False
) -> np.dtype:
    """The dtype of ``input - target`` where torch takes it with plain tensor arithmetic.

    That is ``l1_loss``, and ``mse_loss`` with a weight: integers too, except for an
    unweighted 'mean' (a weighted one divides by the weights' sum, a true division).
    """
    _check_subtraction(x, y)
    dtype = result_type(x, y)
    if dtype.kind not in "fc" and reduction == "mean" and not weighted:
        raise RuntimeError(
            "mean(): could not infer output dtype. Input dtype must be either a floating point "
            f"or complex dtype. Got: {torch_dtype_name(dtype)}"
        )
    return dtype


def float_dtype(kernel: str, x: np.ndarray, y: np.ndarray) -> np.dtype:
    """The floating point dtype ``mse_loss``/``smooth_l1_loss`` compute in (``kernel``: ATen's)."""
    dtype = result_type(x, y)
    if dtype.kind != "f":
        raise _no_kernel(kernel, dtype)
    return dtype


def huber_dtypes(x: np.ndarray, y: np.ndarray) -> tuple[np.dtype, np.dtype]:
    """The dtype ``huber_loss`` computes in, and its output's: the input's, as in torch."""
    dtype = result_type(x, y)
    _check_cast(dtype, x.dtype)
    if dtype.kind != "f":
        raise _no_kernel("huber_cpu", dtype)
    return dtype, x.dtype


def check_bce_dtypes(x: np.ndarray, y: np.ndarray) -> None:
    """``binary_cross_entropy`` takes an input and a target of one floating point dtype."""
    if x.dtype != y.dtype:
        raise RuntimeError(
            f"Found dtype {torch_dtype_name(y.dtype)} but expected {torch_dtype_name(x.dtype)}"
        )
    if x.dtype.kind != "f":
        raise _no_kernel("binary_cross_entropy", x.dtype)


def bce_with_logits_dtype(x: np.ndarray, y: np.ndarray, pos_weight: np.ndarray | None) -> np.dtype:
    """The output dtype of ``binary_cross_entropy_with_logits``: the target's, as in torch."""
    if x.dtype.kind != "f":
        raise _no_kernel("log_sigmoid_cpu", x.dtype)
    if pos_weight is not None and pos_weight.dtype.kind == "b":
        raise RuntimeError(_ONE_BOOL)  # torch computes pos_weight - 1
    if y.dtype.kind == "b":
        raise RuntimeError(_TWO_BOOLS)  # torch computes 1 - target
    _check_cast(result_type(x, y), y.dtype)
    return y.dtype


def check_kl_div_dtypes(x: np.ndarray, y: np.ndarray) -> None:
    """``kl_div`` takes floating point input and target only."""
    if x.dtype.kind != "f" or y.dtype.kind != "f":
        raise RuntimeError("kl_div: Integral inputs not supported.")


def check_class_input(kernel: str, x: np.ndarray) -> None:
    """``cross_entropy``/``nll_loss`` have no kernel (ATen's ``kernel``) for a non-float input."""
    if x.dtype.kind != "f":
        raise _no_kernel(kernel, x.dtype)
