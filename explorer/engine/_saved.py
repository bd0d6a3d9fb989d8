"""What a graph node keeps for its backward, and torch's rules (and errors) about it.

A node's backward reads values: its inputs, its own output, or arrays of its own. Three rules
follow, as in torch:

- The tensors it reads (``_saved``) are checked when the backward runs: if one was changed in
  place since (its version counter moved), the gradient would be wrong, so
  :func:`check_saved` raises torch's "modified by an inplace operation" error.
- After a backward without ``retain_graph=True`` the node lets go of them (:func:`release`);
  a second backward through it raises "Trying to backward through the graph a second time".
  A node that reads no values (``_saved is None``: Add, Sum, a reshape...) can run again.
- An in-place change to a tensor that is part of a graph gives the tensor a new history and
  moves the old one to ``_before`` (``_tensor_inplace.py``); an edge made before the change
  still leads to the old history (:func:`history_at`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from explorer.engine.tensor import Tensor


class _Result:
    """The op's own output in a ``saved`` tuple (torch's derivatives.yaml calls it ``result``)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "RESULT"


RESULT = _Result()

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
        node._saved = node._versions = ()


def short_op(op: str) -> str:
    """``AddBackward0`` -> ``Add``: how torch names a node in the in-place error."""
    head, _, _ = op.partition("Backward")
    return head


def tensor_type(tensor: Tensor) -> str:
    """``[torch.FloatTensor [2, 3]]`` as torch describes a saved tensor."""
    name = _TENSOR_TYPES.get(tensor._data.dtype.name, tensor._data.dtype.name)
    return f"[torch.{name}Tensor [{', '.join(str(n) for n in tensor._data.shape)}]]"


def check_saved(node: Tensor) -> None:
    """Raise torch's error if a tensor ``node`` saved was changed in place since."""
    for tensor, version in zip(node._saved, node._versions, strict=True):
        if tensor._vc[0] != version:
            if tensor is node:
                which = f", which is output 0 of {short_op(node._op)},"
            elif tensor._backward is not None:
                which = f", which is output 0 of {short_op(tensor._op)},"
            else:
                which = ""
            raise RuntimeError(
                "one of the variables needed for gradient computation has been modified by an "
                f"inplace operation: {tensor_type(tensor)}{which} is at version "
                f"{tensor._vc[0]}; expected version {version} instead."
            )


def history_at(tensor: Tensor, node: Tensor) -> Tensor:
    """The history of ``tensor`` that ``node`` was made from.

    A tensor changed in place after ``node`` was made has a newer history (a higher ``_seq``);
    ``_before`` leads back to the one ``node`` used.
    """
    while tensor._seq > node._seq:
        tensor = tensor._before
    return tensor
