"""``cross_entropy`` and ``nll_loss`` as fused ops, with torch's checks and edge cases.

Inputs are ``(C)``, ``(N, C)`` or ``(N, C, d1, ...)``; the class dimension is moved last and
everything else flattened into rows, so one code path serves every shape.
"""

from __future__ import annotations

import numpy as np

from explorer.engine import fast
from explorer.engine.dtypes import torch_dtype_name
from explorer.engine.fast.cross_entropy import batch_cross_entropy
from explorer.engine.nn._arguments import require_tensor
from explorer.engine.nn._loss_common import finish, resolve_reduction
from explorer.engine.nn._loss_dtypes import check_class_input
from explorer.engine.tensor import Tensor

_INDEX_DTYPES = (np.dtype(np.int64), np.dtype(np.uint8))  # torch accepts Long or Byte


def log_softmax_rows(x: np.ndarray) -> np.ndarray:
    """Stable log-softmax over the last axis, as ATen: ``(x - max) - log(sum(exp(x - max)))``."""
    shifted = x - np.max(x, axis=-1, keepdims=True)
    # the sum over classes as a product with ones: numpy sums a short last axis row by row
    sums = np.exp(shifted).dot(np.ones(x.shape[-1], x.dtype))
    return shifted - np.log(sums)[..., None]


def _to_rows(x: np.ndarray) -> np.ndarray:
    """``(C)`` -> ``(1, C)``; ``(N, C, d...)`` -> ``(N * d..., C)``."""
    if x.ndim == 1:
        return x[None, :]
    if x.ndim == 2:
        return x
    return np.moveaxis(x, 1, -1).reshape(-1, x.shape[1])


def _from_rows(rows: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Inverse of :func:`_to_rows` for an array of the input's ``shape``."""
    if len(shape) <= 2:
        return rows.reshape(shape)
    moved = rows.reshape((shape[0], *shape[2:], shape[1]))
    return np.moveaxis(moved, -1, 1)


def _check_input(name: str, input: Tensor) -> int:
    """The number of classes; the input's dtype is checked where torch checks it."""
    if input._data.ndim < 1:
        raise ValueError(f"{name}: expected an input with 1 or more dimensions, got a 0-D input")
    return input._data.shape[0] if input._data.ndim == 1 else input._data.shape[1]


def _check_weight(weight: Tensor | None, classes: int, dtype: np.dtype) -> np.ndarray | None:
    """The per-class weights, with torch's errors for the wrong length or dtype."""
    if weight is None:
        return None
    w = weight._data
    if w.ndim != 1 or w.shape[0] != classes:
        raise RuntimeError(
            f"weight tensor should be defined either for all {classes} classes or no "
            f"classes but got weight tensor of shape: {list(w.shape)}"
        )
    if w.dtype != dtype:
        raise RuntimeError(
            f"expected scalar type {torch_dtype_name(dtype)} but found {torch_dtype_name(w.dtype)}"
        )
    return w


def _check_index_dtype(t: np.ndarray) -> None:
    if t.dtype not in _INDEX_DTYPES:
        raise RuntimeError(
            f"expected target dtype to be Long or Byte, but got {torch_dtype_name(t.dtype)}"
        )


def _check_class_target(input: Tensor, target: Tensor, ignore_index: int) -> np.ndarray:
    """Validate class-index targets; return them flattened to rows (torch's errors)."""
    t = target._data
    _check_index_dtype(t)
    shape = input._data.shape
    if len(shape) == 1:
        if t.ndim > 1:
            raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    elif len(shape) == 2:
        if t.ndim > 1:
            raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
        if t.ndim == 0 or t.shape[0] != shape[0]:
            size = t.shape[0] if t.ndim else 1
            raise ValueError(
                f"Expected input batch_size ({shape[0]}) to match target batch_size ({size})."
            )
    elif t.shape != (shape[0], *shape[2:]):
        raise RuntimeError(f"Expected target size {[shape[0], *shape[2:]]}, got {list(t.shape)}")
    flat = t.reshape(-1).astype(np.int64)
    if len(shape) == 1 and flat.size > 1:
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    classes = shape[0] if len(shape) == 1 else shape[1]
    bad = (flat != ignore_index) & ((flat < 0) | (flat >= classes))
    if bad.any():
        raise IndexError(f"Target {flat[bad][0]} is out of bounds.")
    return flat


def _class_index_terms(logp: np.ndarray, t: np.ndarray, w: np.ndarray | None, ignore_index):
    """Per-row NLL, selected weights and the non-ignored mask."""
    keep = t != ignore_index
    safe = np.where(keep, t, 0)
    rows = np.arange(len(t))
    picked = logp[rows, safe]
    w_sel = np.ones_like(picked) if w is None else w[safe]
    w_sel = np.where(keep, w_sel, 0)
    nll = np.where(keep, -w_sel * picked, 0)
    return nll, w_sel, keep, rows, safe


def nll_loss(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average: bool | None = None,
    ignore_index: int = -100,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    """Negative log likelihood of class-index targets given log-probabilities ``input``.

    ``l_n = -w[y_n] x[n, y_n]`` (0 where ``y_n == ignore_index``); ``'mean'`` divides by the
    sum of the selected weights, so with every target ignored it is NaN, as in torch.
    """
    reduction = resolve_reduction(size_average, reduce, reduction)
    require_tensor("nll_loss_nd", "input", 1, input)
    require_tensor("nll_loss_nd", "target", 2, target)
    classes = _check_input("nll_loss", input)
    _check_index_dtype(target._data)
    ndim = input._data.ndim
    check_class_input("nll_loss_out_frame" if ndim <= 2 else "nll_loss2d_forward_out_frame",
                      input._data)  # fmt: skip
    w = _check_weight(weight, classes, input._data.dtype)
    t = _check_class_target(input, target, ignore_index)
    x = _to_rows(input._data)
    nll, w_sel, keep, rows, safe = _class_index_terms(x, t, w, ignore_index)
    denom = w_sel.sum() if reduction == "mean" else None

    def grad_input(g):
        grad = np.zeros_like(x)
        with np.errstate(invalid="ignore"):
            grad[rows[keep], safe[keep]] = -(w_sel * g)[keep]
        return _from_rows(grad, input._data.shape)

    saved = (input, target) if weight is None else (input, target, weight)
    return finish(
        nll.reshape(target._data.shape), reduction, (input,),
        (lambda g: grad_input(g.reshape(-1)),), _nll_op(ndim, reduction), denom=denom,
        saved=saved,
    )  # fmt: skip


def _nll_op(ndim: int, reduction: str) -> str:
    """torch's last node of a class-index loss: NllLoss, or NllLoss2D (then a view for
    'none') for inputs with more than two dimensions."""
    if ndim <= 2:
        return "NllLossBackward0"
    return "ViewBackward0" if reduction == "none" else "NllLoss2DBackward0"


def cross_entropy(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average: bool | None = None,
    ignore_index: int = -100,
    reduce: bool | None = None,
    reduction: str = "mean",
    label_smoothing: float = 0.0,
) -> Tensor:
    """Cross entropy between logits ``input`` and class indices or class probabilities.

    A target with the input's shape holds probabilities (floating point); otherwise it holds
    class indices (int64) of shape ``()``, ``(N)`` or ``(N, d1, ...)``. Log-softmax is
    computed stably, so logits of +-1000 give finite values and gradients.

    With class indices, ``'mean'`` divides by the sum of the selected weights (NaN when every
    target is ignored); with probabilities it divides by the number of rows. With
    ``label_smoothing = e`` the loss is ``(1 - e) * nll + e / C * smooth`` where ``smooth``
    is ``-sum_c w_c log p_c`` reduced the same way, as torch 2.13.

    Examples
    --------
    >>> from explorer.engine import Tensor
    >>> round(cross_entropy(Tensor([[2.0, 0.0, 0.0]]), Tensor([0])).item(), 4)
    0.2395
    """
    if (
        fast.enabled()
        and weight is None and label_smoothing == 0 and size_average is None and reduce is None
        and (reduction == "mean" or reduction == "sum")
        and isinstance(input, Tensor) and isinstance(target, Tensor)
    ):  # fmt: skip
        # a training batch, with fewer numpy calls (explorer/engine/fast/cross_entropy.py)
        batch = batch_cross_entropy(input, target, reduction, ignore_index)
        if batch is not None:
            return batch
    reduction = resolve_reduction(size_average, reduce, reduction)
    require_tensor("cross_entropy_loss", "input", 1, input)
    require_tensor("cross_entropy_loss", "target", 2, target)
    if weight is not None:
        require_tensor("cross_entropy_loss", "weight", 3, weight)
    classes = _check_input("cross_entropy", input)
    if label_smoothing > 1.0:  # (torch lets a negative one through)
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing:g}")
    probabilities = target._data.shape == input._data.shape
    if probabilities:
        _check_probability_target(target)
    ndim = input._data.ndim
    check_class_input("log_softmax_lastdim_kernel_impl" if ndim <= 2 else "log_softmax_kernel_impl",
                      input._data)  # fmt: skip
    w = _check_weight(weight, classes, input._data.dtype)
    logp = log_softmax_rows(_to_rows(input._data))
    if probabilities:
        return _cross_entropy_probs(input, target, logp, w, reduction, label_smoothing)
    t = _check_class_target(input, target, ignore_index)
    nll, w_sel, keep, rows, safe = _class_index_terms(logp, t, w, ignore_index)
    eps = label_smoothing
    values = nll
    denom = w_sel.sum() if reduction == "mean" else None
    if eps > 0:
        smooth = -(logp.sum(axis=1) if w is None else (logp * w).sum(axis=1))
        smooth = np.where(keep, smooth, 0)
        values = (1 - eps) * nll + (eps / classes) * smooth

    def grad_input(g):
        g = g.reshape(-1)
        grad_logp = np.zeros_like(logp)
        with np.errstate(invalid="ignore"):
            grad_logp[rows[keep], safe[keep]] = -(w_sel * g * (1 - eps))[keep]
            if eps > 0:
                spread = -(eps / classes) * (np.ones(classes, logp.dtype) if w is None else w)
                grad_logp += np.where(keep[:, None], spread * g[:, None], 0)
        return _from_rows(_log_softmax_backward(grad_logp, logp), input._data.shape)

    # with smoothing torch adds the smoothed term last; the nll part reads the target
    op = "AddBackward0" if eps > 0 else _nll_op(ndim, reduction)
    return finish(
        values.reshape(target._data.shape), reduction, (input,), (grad_input,), op,
        denom=denom, saved=(target,) if weight is None else (target, weight),
    )  # fmt: skip


def _log_softmax_backward(grad: np.ndarray, logp: np.ndarray) -> np.ndarray:
    """ATen's rule: ``grad - exp(out) * sum(grad)`` over the class axis."""
    return grad - np.exp(logp) * grad.sum(axis=1, keepdims=True)


def _check_probability_target(target: Tensor) -> None:
    if target._data.dtype.kind != "f":
        raise RuntimeError(
            "Expected floating point type for target with class probabilities, got "
            f"{torch_dtype_name(target._data.dtype)}"
        )


def _cross_entropy_probs(input, target, logp, w, reduction, eps) -> Tensor:
    """Cross entropy with a probability target of the input's shape."""
    classes = logp.shape[1]
    p = _to_rows(target._data)
    p_smooth = p * (1 - eps) + eps / classes if eps > 0 else p
    weighted = logp if w is None else logp * w
    values = -(weighted * p_smooth).sum(axis=1)
    shape = input._data.shape
    out_shape = shape[:1] + shape[2:] if len(shape) > 1 else ()
    denom = values.size if reduction == "mean" else None

    def grad_input(g):
        g = g.reshape(-1, 1)
        scaled = p_smooth if w is None else p_smooth * w
        return _from_rows(_log_softmax_backward(-scaled * g, logp), shape)

    def grad_target(g):
        grad = -weighted * g.reshape(-1, 1)
        return _from_rows(grad * (1 - eps) if eps > 0 else grad, shape)

    # torch: -(log_softmax * target).sum(1), then / N for 'mean'; the product reads the target
    op = "DivBackward1" if reduction == "mean" else "NegBackward0"
    return finish(
        values.reshape(out_shape), reduction, (input, target), (grad_input, grad_target), op,
        denom=denom, saved=(target,),
    )  # fmt: skip
