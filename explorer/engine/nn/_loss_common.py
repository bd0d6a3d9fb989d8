"""What every loss function shares: argument coercion, shape checks, and the reduction node."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence

import numpy as np

from explorer.engine.nn._reduction import check_reduction, legacy_get_string
from explorer.engine.tensor import Tensor

GradFn = Callable[[np.ndarray], np.ndarray] | None


def as_tensor(value) -> Tensor:
    """``value`` itself if it is a Tensor, else a new Tensor built from it."""
    return value if isinstance(value, Tensor) else Tensor(value)


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
    ValueError
        If the shapes do not broadcast, naming both.
    """
    x, y = input.data, target.data
    if x.shape == y.shape:
        return x, y
    try:
        shape = np.broadcast_shapes(x.shape, y.shape)
    except ValueError:
        raise ValueError(
            f"{name}: the target shape {y.shape} does not match the input shape {x.shape} "
            "and the two cannot be broadcast together"
        ) from None
    if warn:
        warnings.warn(
            f"Using a target size ({torch_size(y.shape)}) that is different to the input size "
            f"({torch_size(x.shape)}). This will likely lead to incorrect results due to "
            "broadcasting. Please ensure they have the same size.",
            UserWarning,
            stacklevel=4,
        )
    return np.broadcast_to(x, shape), np.broadcast_to(y, shape)


def check_same_size(input: Tensor, target: Tensor) -> None:
    """Raise ValueError (torch's text, both shapes named) unless the shapes are equal."""
    if target.shape != input.shape:
        raise ValueError(
            f"Using a target size ({torch_size(target.shape)}) that is different to the "
            f"input size ({torch_size(input.shape)}) is deprecated. "
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
        The node's name (``grad_fn``).
    denom : number, optional
        For ``'mean'``, what the sum is divided by (default: the number of elements).
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

    return Tensor._from_op(out, tuple(parents), backward, op)
