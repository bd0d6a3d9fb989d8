"""In-place operations (``add_``, ``x -= ...``, ``x[i] = ...``): same tensor, new values.

A mixin of :class:`explorer.engine.tensor.Tensor`. Each writes its result into the tensor's own
array, so every name for the tensor (a module's parameter, a loop variable, a state_dict entry,
a view) sees it, and counts the change in the tensor's version counter. torch's rules apply:

- Outside :func:`~explorer.engine.no_grad`, a leaf that requires grad (a parameter) cannot be
  changed in place: its gradient would no longer describe it. Inside, it can: that is how a
  parameter is updated (``with torch.no_grad(): p -= lr * p.grad``).
- A tensor in a graph (or one changed with a tensor that requires grad) gets a new history:
  the op becomes its ``grad_fn`` and its old history moves to a tensor of its own, its first
  parent (see ``_saved.py``).
- A backward that saved the old values raises instead of using the new ones
  (``_saved.check_saved``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from explorer.engine import random as _random
from explorer.engine._grad_mode import creation_counter, state
from explorer.engine._saved import RESULT, count_change
from explorer.engine._tensor_math import _inside, broadcast_error
from explorer.engine._tensor_shape import as_index, index_op
from explorer.engine.dtypes import check_cast, result_type

if TYPE_CHECKING:
    from explorer.engine.tensor import Tensor

LEAF_IN_PLACE = "a leaf Variable that requires grad is being used in an in-place operation."
VIEW_OF_LEAF_IN_PLACE = (
    "a view of a leaf Variable that requires grad is being used in an in-place operation."
)
_VIEW_IN_GRAPH = (
    "an in-place change to a view of a tensor that is part of a graph (torch records it as "
    "CopySlices) is not supported by the numpy engine; change the tensor itself (x[i] = ...), "
    "or take the view of a .clone()"
)


class TensorInPlace:
    """The in-place operations of :class:`Tensor`."""

    __slots__ = ()
    _data: np.ndarray
    _requires_grad: bool

    # -- the rules ------------------------------------------------------------------------
    def _records(self, other: Tensor | None = None, leaf_message: str = LEAF_IN_PLACE) -> bool:
        """Whether this in-place change goes into the graph; raise where torch forbids it."""
        if not state.grad_enabled:
            return False
        other_needs = other is not None and other._requires_grad
        base = self._base
        if base is not None:
            if base._requires_grad and base._backward is None:
                raise RuntimeError(VIEW_OF_LEAF_IN_PLACE)
            if base._requires_grad or other_needs:
                raise NotImplementedError(_VIEW_IN_GRAPH)
            return False
        if self._requires_grad and self._backward is None:
            raise RuntimeError(leaf_message)
        return self._requires_grad or other_needs

    def _operand(self, other: Any, dividing: bool = False) -> Tensor:
        """``other`` as a Tensor that fits in place: its dtype casts to ours, its shape
        broadcasts to ours (torch's errors otherwise). A true division's result is a float."""
        other = self._coerce(other)
        result = result_type(self._data, other._data)
        if dividing and result.kind not in "fc":
            result = np.dtype(np.float32)
        check_cast(result, self._data.dtype)
        mine, theirs = self._data.shape, other._data.shape
        if theirs != mine:
            try:
                shape = np.broadcast_shapes(mine, theirs)
            except ValueError:
                raise broadcast_error(mine, theirs) from None
            if shape != mine:
                raise RuntimeError(
                    f"output with shape {list(mine)} doesn't match the broadcast shape "
                    f"{list(shape)}"
                )
        return other

    def _changed(self, parents: tuple, backward, op: str, saved=()) -> Tensor:
        """Count the change; if it goes into the graph, make ``op`` this tensor's history.

        ``parents`` are the op's other inputs; the first parent of the new node is the old
        history (a tensor of its own, sharing this one's memory and version counter).
        """
        count_change(self)
        if backward is None:
            return self
        before = self._wrap(self._data, self._vc)  # (count_change made the counter)
        before._requires_grad = self._requires_grad
        before._parents, before._backward, before._op = self._parents, self._backward, self._op
        before._seq, before._saved = self._seq, self._saved
        self._parents = (before, *parents)
        self._backward = backward
        self._op = op
        self._seq = next(creation_counter)
        self._requires_grad = True
        self._saved = saved
        return self

    # -- arithmetic -----------------------------------------------------------------------
    def add_(self, other: Any, alpha: float = 1) -> Tensor:
        """``self += alpha * other``, in place."""
        other = self._operand(other)
        records = self._records(other)
        o = other._data if alpha == 1 else other._data * alpha
        np.add(self._data, o, out=self._data, casting="same_kind")
        backward = (lambda g: (g, g * alpha)) if records else None
        return self._changed((other,), backward, "AddBackward0", None)

    def sub_(self, other: Any, alpha: float = 1) -> Tensor:
        """``self -= alpha * other``, in place."""
        other = self._operand(other)
        records = self._records(other)
        o = other._data if alpha == 1 else other._data * alpha
        np.subtract(self._data, o, out=self._data, casting="same_kind")
        backward = (lambda g: (g, -g * alpha)) if records else None
        return self._changed((other,), backward, "SubBackward0", None)

    def mul_(self, other: Any) -> Tensor:
        """``self *= other``, in place."""
        other = self._operand(other)
        records = self._records(other)
        need_self, need_other = self._requires_grad, other._requires_grad
        old = self._data.copy() if records and need_other else None  # other's gradient needs it
        b = other._data
        np.multiply(self._data, b, out=self._data, casting="same_kind")
        if not records:
            return self._changed((), None, "")

        def backward(g):
            return (g * b if need_self else None, g * old if need_other else None)

        return self._changed((other,), backward, "MulBackward0", [other] if need_self else [])

    def div_(self, other: Any) -> Tensor:
        """``self /= other``, in place."""
        other = self._operand(other, dividing=True)
        records = self._records(other)
        need_self, need_other = self._requires_grad, other._requires_grad
        old = self._data.copy() if records and need_other else None
        b = other._data
        np.true_divide(self._data, b, out=self._data, casting="same_kind")
        if not records:
            return self._changed((), None, "")

        def backward(g):
            return (g / b if need_self else None, -g * old / (b * b) if need_other else None)

        return self._changed((other,), backward, "DivBackward0", [other])

    __iadd__ = add_
    __isub__ = sub_
    __imul__ = mul_
    __itruediv__ = div_

    def clamp_(self, min: float | None = None, max: float | None = None) -> Tensor:  # noqa: A002
        """Limit the values to ``[min, max]``, in place."""
        records = self._records()
        inside = _inside(self._data, min, max) if records else None
        np.clip(self._data, min, max, out=self._data)
        backward = (lambda g: (g * inside,)) if records else None
        return self._changed((), backward, "ClampBackward1")

    clip_ = clamp_

    # -- filling --------------------------------------------------------------------------
    def _filled(self, values: Any, op: str) -> Tensor:
        """Overwrite every value (the old ones get no gradient)."""
        records = self._records()
        self._data[...] = values
        backward = (lambda g: (np.zeros_like(g),)) if records else None
        return self._changed((), backward, op, None)

    def zero_(self) -> Tensor:
        """Set every value to 0, in place."""
        return self._filled(0, "ZeroBackward0")

    def fill_(self, value: float) -> Tensor:
        """Set every value to ``value``, in place."""
        return self._filled(float(value) if isinstance(value, TensorInPlace) else value,
                            "FillBackward2")  # fmt: skip

    def normal_(self, mean: float = 0.0, std: float = 1.0, *, generator=None) -> Tensor:
        """Fill with values drawn from N(mean, std^2), in place."""
        values = _random.resolve(generator).normal(mean, std, self._data.shape)
        return self._filled(values, "NormalBackward0")

    def uniform_(self, a: float = 0.0, b: float = 1.0, *, generator=None) -> Tensor:
        """Fill with values drawn from U(a, b), in place."""
        values = _random.resolve(generator).uniform(a, b, self._data.shape)
        return self._filled(values, "UniformBackward0")

    def copy_(self, src: Any) -> Tensor:
        """Copy ``src``'s values (broadcast and cast to this tensor's dtype), in place."""
        src = self._coerce(src)
        mine, theirs = self._data.shape, src._data.shape
        if theirs != mine:
            try:
                if np.broadcast_shapes(mine, theirs) != mine:
                    raise ValueError
            except ValueError:
                raise broadcast_error(mine, theirs) from None
        records = self._records(src)
        np.copyto(self._data, src._data, casting="unsafe")
        backward = (lambda g: (np.zeros_like(g), g)) if records else None
        return self._changed((src,), backward, "CopyBackwards", None)

    def __setitem__(self, index: Any, value: Any) -> None:
        items = as_index(index)
        key = items if isinstance(index, tuple) else items[0]
        value = self._coerce(value)
        records = self._records(value, leaf_message=VIEW_OF_LEAF_IN_PLACE)
        target_shape = np.shape(self._data[key])
        if target_shape != value._data.shape:
            try:
                np.broadcast_to(value._data, target_shape)
            except ValueError:
                raise _expand_error(value._data.shape, target_shape) from None
        self._data[key] = value._data
        if not records:
            self._changed((), None, "")
            return

        def backward(g):
            kept = g.copy()
            kept[key] = 0  # the old values there were overwritten
            return kept, g[key]

        op = "CopySlices" if index_op(items) != "IndexBackward0" else "IndexPutBackward0"
        self._changed((value,), backward, op, None)

    # -- activations ----------------------------------------------------------------------
    def relu_(self) -> Tensor:
        """``max(0, x)``, in place."""
        records = self._records()
        np.maximum(self._data, 0, out=self._data)
        out = self._data
        backward = (lambda g: (g * (out > 0),)) if records else None
        return self._changed((), backward, "ReluBackward0", [RESULT] if records else ())


def _expand_error(shape: tuple[int, ...], target: tuple[int, ...]) -> RuntimeError:
    """torch's error for a value of ``shape`` that cannot fill a selection of ``target``."""
    dim = 0
    for i in range(1, min(len(shape), len(target)) + 1):
        if shape[-i] not in (1, target[-i]):
            dim = len(shape) - i
            break
    n = target[dim - len(shape)] if len(target) >= len(shape) - dim else 1
    return RuntimeError(
        f"The expanded size of the tensor ({n}) must match the existing size ({shape[dim]}) at "
        f"non-singleton dimension {dim}.  Target sizes: {list(target)}.  Tensor sizes: "
        f"{list(shape)}"
    )
