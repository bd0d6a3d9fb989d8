"""What every loss function shares: argument coercion, shape checks, and the reduction node."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence

import numpy as np

from explorer.engine._tensor_math import broadcast_error
from explorer.engine.nn._arguments import require_method
from explorer.engine.nn._reduction import check_reduction, legacy_get_string
from explorer.engine.tensor import Tensor

GradFn = Callable[[np.ndarray], np.ndarray] | None


def sized_pair(input, target) -> tuple[Tensor, Tensor]:
    """Input and target of a loss torch writes in Python: it first compares their ``size()``,
    so anything but a Tensor fails with Python's AttributeError (the target's first)."""
    require_method(target, "size")
    return require_method(input, "size"), target


def resolve_reduction(size_average: bool | None, reduce: bool | None, reduction: str) -> str:
    """The effective reduction: the legacy flags override ``reduction``, as in torch."""
    if size_average is not None or reduce is not None:
        return legacy_get_string(size_average, reduce)
    return check_reduction(reduction)


def broadcast_pair(
    name: str, input: Tensor, target: Tensor, warn: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """Input and target data broadcast together; torch's UserWarning if their shapes differ.

    Raises
    ------
    RuntimeError
        torch's, if the shapes do not broadcast (after the warning, as in torch).
    """
    x, y = input._data, target._data
    if x.shape == y.shape:
        return x, y
    if warn:
        warnings.warn(
            f"Using a target size ({torch_size(y.shape)}) that is different to the input size "
            f"({torch_size(x.shape)}). This will likely lead to incorrect results due to "
            "broadcasting. Please ensure they have the same size.",
            UserWarning,
            stacklevel=4,
        )
    try:
        shape = np.broadcast_shapes(x.shape, y.shape)
    except ValueError:
        raise broadcast_error(x.shape, y.shape) from None
    return np.broadcast_to(x, shape), np.broadcast_to(y, shape)


def check_same_size(input: Tensor, target: Tensor) -> None:
    """Raise ValueError (torch's text, both shapes named) unless the shapes are equal."""
    if target._data.shape != input._data.shape:
        raise ValueError(
            f"Using a target size ({torch_size(target._data.shape)}) that is different to the "
            f"input size ({torch_size(input._data.shape)}) is deprecated. "
            "Please ensure they have the same size."
        )


def torch_size(shape: tuple[int, ...]) -> str:
    """A shape as torch prints it in messages: ``torch.Size([3, 5])``."""
    return f"torch.Size([{', '.join(str(n) for n in shape)}])"


def finish(
    values: np.ndarray,
    reduction: str,
    parents: Sequence[Tensor],
    grad_fns: Sequence[GradFn],
    op: str,
    denom: float | np.ndarray | None = None,
    saved: Sequence[Tensor] = (),
) -> Tensor:
    """Reduce the elementwise loss ``values`` and wrap it as one graph node.

    Parameters
    ----------
    values : ndarray
        The unreduced loss.
    reduction : {'none', 'mean', 'sum'}
        Already validated.
    parents : sequence of Tensor
        The tensors the loss is differentiated with respect to.
    grad_fns : sequence of callables or None
        For each parent, a map from the elementwise upstream gradient (shape of ``values``)
        to that parent's gradient (before unbroadcasting).
    op : str
        The node's name (``grad_fn``): torch's last node for this loss and reduction.
    denom : number, optional
        For ``'mean'``, what the sum is divided by (default: the number of elements).
    saved : sequence of Tensor
        The tensors torch's backward reads (checked for in-place changes); the node also
        keeps arrays of its own, so a second backward needs ``retain_graph``.
    """
    values = np.asarray(values)
    if reduction == "none":
        out = values
    elif reduction == "sum":
        out = np.asarray(values.sum())
    elif denom is None:
        out = np.asarray(values.mean()) if values.size else np.asarray(np.nan, values.dtype)
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.asarray(values.sum() / denom)
    out = out.astype(values.dtype, copy=False)
    count = values.size if denom is None else denom

    def backward(g: np.ndarray):
        if reduction == "sum":
            g = np.broadcast_to(g, values.shape)
        elif reduction == "mean":
            with np.errstate(divide="ignore", invalid="ignore"):
                g = np.broadcast_to(g / count, values.shape)
        return tuple(
            fn(g) if fn is not None and parent.requires_grad else None
            for parent, fn in zip(parents, grad_fns, strict=True)
        )

    return Tensor._from_op(out, tuple(parents), backward, op, saved)
