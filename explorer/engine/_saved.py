"""What a graph node keeps for its backward, and torch's rules (and errors) about it.

A node's backward reads values: its inputs, its own output, or arrays of its own. Three rules
follow, as in torch:

- The tensors it reads (``_saved``) are checked when the backward runs: if one was changed in
  place since the node was made, the gradient would be wrong, so :func:`check_saved` raises
  torch's "modified by an inplace operation" error.
- After a backward without ``retain_graph=True`` the node lets go of them (:func:`release`);
  a second backward through it raises "Trying to backward through the graph a second time".
  A node that reads no values (``_saved is None``: Add, Sum, a reshape...) can run again.
- An in-place change to a tensor that is part of a graph gives the tensor a new history and
  moves the old one to a tensor of its own, its first parent (``_tensor_inplace.py``); an edge
  made before the change still leads to the old history (:func:`history_at`).

Each tensor's version counter (``_vc``, shared with its views and ``detach()``) is a list:
the number of changes it has forgotten, ``-1`` (never), then when each change it remembers
happened (``creation_counter`` values, so comparable with a node's ``_seq``; the latest last).
Its version, the number of in-place changes, is the forgotten plus the remembered
(:func:`version`): counting a change is one ``append``, the cheapest way for an optimizer to
count each parameter at each step. A node needs no snapshot of what it saved: a saved tensor
is stale if it changed after the node was made, and its version then was the version minus
the changes since (which can undercount them, in an error message, after more than
``LOG_LIMIT // 2`` changes). An op's output starts with None (no changes, no sharing) until it
is changed or viewed (:meth:`Tensor._counter`). ``CHANGES.last`` is when any tensor last
changed, so a backward whose nodes are all newer (a training step) skips the check.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from explorer.engine._grad_mode import creation_counter

if TYPE_CHECKING:
    from explorer.engine.tensor import Tensor

LOG_LIMIT = 64  # changes a counter remembers; beyond, it forgets all but the latest half


def new_counter() -> list[int]:
    """A version counter: version 0, never changed."""
    return [0, -1]


def version(counter: list[int]) -> int:
    """The number of in-place changes ``counter`` has counted."""
    return counter[0] + len(counter) - 2


def forget(counter: list[int]) -> None:
    """Forget all but the latest ``LOG_LIMIT // 2`` changes' times, keeping their number."""
    extra = len(counter) - 2 - LOG_LIMIT // 2
    if extra > 0:
        counter[0] += extra
        del counter[2 : 2 + extra]


class _Result:
    """The op's own output in a ``saved`` tuple (torch's derivatives.yaml calls it ``result``)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "RESULT"


RESULT = _Result()


class _Changes:
    """When a tensor was last changed in place, anywhere (an instance: setting a class's
    attribute would cost more, and every read would slow down after it)."""

    __slots__ = ("last",)

    def __init__(self) -> None:
        self.last = -1


CHANGES = _Changes()


def count_change(tensor: Tensor) -> None:
    """Count an in-place change of ``tensor`` in its version counter."""
    counter = tensor._counter()
    counter.append(next(creation_counter))
    CHANGES.last = counter[-1]
    if len(counter) > LOG_LIMIT:
        forget(counter)


BACKWARD_TWICE = (
    "Trying to backward through the graph a second time (or directly access saved tensors after "
    "they have already been freed). Saved intermediate values of the graph are freed when you "
    "call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward "
    "through the graph a second time or if you need to access saved tensors after calling "
    "backward."
)
_TENSOR_TYPES = {
    "float32": "Float", "float64": "Double", "float16": "Half", "int64": "Long", "int32": "Int",
    "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool",
}  # fmt: skip


def released_backward(grad):
    """What a node's backward becomes once its graph is freed."""
    raise RuntimeError(BACKWARD_TWICE)


def release(node: Tensor) -> None:
    """Free what ``node`` kept for its backward (after a backward without retain_graph)."""
    if node._saved is not None:
        node._backward = released_backward
        node._saved = ()


def short_op(op: str) -> str:
    """``AddBackward0`` -> ``Add``: how torch names a node in the in-place error."""
    head, _, _ = op.partition("Backward")
    return head


def tensor_type(tensor: Tensor) -> str:
    """``[torch.FloatTensor [2, 3]]`` as torch describes a saved tensor."""
    name = _TENSOR_TYPES.get(tensor._data.dtype.name, tensor._data.dtype.name)
    return f"[torch.{name}Tensor [{', '.join(str(n) for n in tensor._data.shape)}]]"


def check_saved(node: Tensor) -> None:
    """Raise torch's error if a tensor ``node`` saved was changed in place since it was made."""
    made = node._seq
    if CHANGES.last < made:
        return  # nothing at all was changed in place since
    for tensor in node._saved:
        if tensor is RESULT:
            tensor = node
        counter = tensor._vc
        if counter is not None and counter[-1] > made:
            now = version(counter)
            since = sum(1 for when in counter[2:] if when > made)
            if tensor is node:
                which = f", which is output 0 of {short_op(node._op)},"
            elif tensor._backward is not None:
                which = f", which is output 0 of {short_op(tensor._op)},"
            else:
                which = ""
            raise RuntimeError(
                "one of the variables needed for gradient computation has been modified by an "
                f"inplace operation: {tensor_type(tensor)}{which} is at version "
                f"{now}; expected version {now - since} instead."
            )


def history_at(tensor: Tensor, node: Tensor) -> Tensor:
    """The history of ``tensor`` that ``node`` was made from.

    A tensor changed in place after ``node`` was made has a newer history (a higher ``_seq``);
    its first parent holds the one before.
    """
    while tensor._seq > node._seq:
        tensor = tensor._parents[0]
    return tensor
