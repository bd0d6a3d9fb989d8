"""``tensor.grad_fn``: the node that made a tensor, printed as torch prints it."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from explorer.engine.tensor import Tensor

_CLASSES: dict[str, type] = {}
_AUTOGRAD_OWN = ("CopySlices", "CopyBackwards")  # torch's nodes named in its C++ namespace


class Node:
    """The operation that made a tensor, as torch's ``grad_fn`` (``<AddBackward0 object ...>``).

    Each op has a class of its own name, so ``type(y.grad_fn).__name__`` is ``'AddBackward0'``
    as in torch. The engine keeps the graph in the tensors; this is a view of one of them.
    """

    __slots__ = ("_tensor",)

    def __init__(self, tensor: Tensor) -> None:
        self._tensor = tensor

    def name(self) -> str:
        """The op's name, as torch's ``Node.name()``."""
        op = self._tensor._op
        return f"torch::autograd::{op}" if op in _AUTOGRAD_OWN else op

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Node) and other._tensor is self._tensor

    def __hash__(self) -> int:
        return id(self._tensor)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} object at {id(self._tensor):#x}>"


def node_of(tensor: Tensor) -> Node:
    """A :class:`Node` of the class named after ``tensor``'s op."""
    name = tensor._op
    cls = _CLASSES.get(name)
    if cls is None:
        cls = _CLASSES[name] = type(name, (Node,), {"__slots__": ()})
    return cls(tensor)
