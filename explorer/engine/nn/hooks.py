"""Hook handles, as ``torch.utils.hooks.RemovableHandle``, and full backward hooks."""

from __future__ import annotations

import warnings
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from explorer.engine.tensor import Tensor

_NO_INPUT_GRAD = (
    "Full backward hook is firing when gradients are computed with respect to module outputs "
    "since no inputs require gradients. See https://docs.pytorch.org/docs/main/generated/"
    "torch.nn.Module.html#torch.nn.Module.register_full_backward_hook for more details."
)


class RemovableHandle:
    """Returned by ``register_*_hook``; :meth:`remove` unregisters the hook."""

    _next_id = 0

    def __init__(self, hooks_dict: OrderedDict):
        self.hooks_dict = hooks_dict
        self.id = RemovableHandle._next_id
        RemovableHandle._next_id += 1

    def remove(self) -> None:
        self.hooks_dict.pop(self.id, None)

    def __enter__(self) -> RemovableHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()


class BackwardHook:
    """One call of a module with full backward hooks, as torch runs them.

    The module's tensor inputs and its output pass through identity nodes
    (``BackwardHookFunctionBackward``): the output's records the gradient of the output; the
    inputs' gather the gradients of the inputs and then call each hook as
    ``hook(module, grad_input, grad_output)``. A hook may return new input gradients.
    """

    def __init__(self, module: Any, hooks: Sequence[Callable[..., Any]]) -> None:
        self.module = module
        self.hooks = tuple(hooks)
        self.grad_output: tuple | None = None
        self.grad_input: list[np.ndarray | None] = []
        self.waiting = 0  # input nodes whose gradient has not arrived yet

    def _call_hooks(self, grad_input: tuple) -> tuple:
        grad_output = tuple(None if g is None else Tensor._wrap(g) for g in self.grad_output or ())
        for hook in self.hooks:
            result = hook(self.module, grad_input, grad_output)
            if result is not None:
                grad_input = tuple(result)
        return grad_input

    def setup_input(self, args: tuple) -> tuple:
        """``args`` with each tensor that requires grad behind an identity node."""
        self.grad_input = [None] * sum(isinstance(a, Tensor) for a in args)
        wrapped, position = [], 0
        for arg in args:
            if isinstance(arg, Tensor):
                if arg._requires_grad:
                    self.waiting += 1
                    arg = self._input_node(arg, position)
                position += 1
            wrapped.append(arg)
        return tuple(wrapped)

    def _input_node(self, tensor: Tensor, position: int) -> Tensor:
        def backward(g: np.ndarray):
            self.grad_input[position] = g
            self.waiting -= 1
            if self.waiting:
                return (g,)
            given = tuple(None if a is None else Tensor._wrap(a) for a in self.grad_input)
            result = self._call_hooks(given)
            return (_array(result[position]) if position < len(result) else None,)

        return Tensor._from_op(tensor._data, (tensor,), backward, "BackwardHookFunctionBackward")

    def setup_output(self, output: Any) -> Any:
        """``output`` (a Tensor or a tuple of them) behind identity nodes."""
        if isinstance(output, Tensor):
            return self._output_node(output, 0, 1)
        if isinstance(output, tuple):
            count = len(output)
            return tuple(
                self._output_node(o, i, count) if isinstance(o, Tensor) else o
                for i, o in enumerate(output)
            )
        return output

    def _output_node(self, tensor: Tensor, index: int, count: int) -> Tensor:
        if not tensor._requires_grad:
            return tensor

        def backward(g: np.ndarray):
            grads = list(self.grad_output or (None,) * count)
            grads[index] = g
            self.grad_output = tuple(grads)
            if not self.waiting and index == 0:  # no input needs a gradient: fire now
                warnings.warn(_NO_INPUT_GRAD, UserWarning, stacklevel=2)
                self._call_hooks((None,) * max(len(self.grad_input), 1))
            return (g,)

        return Tensor._from_op(tensor._data, (tensor,), backward, "BackwardHookFunctionBackward")


def _array(value: Any) -> np.ndarray | None:
    return value._data if isinstance(value, Tensor) else value
