"""``state_dict`` and ``load_state_dict`` for :class:`Module`, with torch's key rules and errors.

Keys are dotted paths (``linear1.weight``); values are parameters and persistent buffers.
As in torch, the walk follows every registered name (no memo), so a module registered under
two names (``self.dec = self.enc``, ``Sequential(l, l)``) is saved, and expected, under both.
"""

from __future__ import annotations

import itertools
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from explorer.engine.tensor import Tensor, no_grad

if TYPE_CHECKING:
    from explorer.engine.nn.module import Module


def _torch_size(shape: tuple[int, ...]) -> str:
    """A shape written as torch writes it in messages: ``torch.Size([10, 256])``."""
    return f"torch.Size([{', '.join(str(n) for n in shape)}])"


class _IncompatibleKeys(NamedTuple):
    """What :meth:`Module.load_state_dict` returns: the keys that did not match."""

    missing_keys: list[str]
    unexpected_keys: list[str]

    def __repr__(self) -> str:
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"
        return (
            f"_IncompatibleKeys(missing_keys={self.missing_keys}, "
            f"unexpected_keys={self.unexpected_keys})"
        )

    __str__ = __repr__


def _local_state(owner: Module) -> Iterator[tuple[str, Tensor]]:
    """The module's own parameters and persistent buffers (None placeholders skipped)."""
    members = itertools.chain(
        owner._parameters.items(),
        ((k, v) for k, v in owner._buffers.items() if k not in owner._non_persistent_buffers_set),
    )
    return ((k, v) for k, v in members if v is not None)


def _every_module(module: Module, prefix: str) -> Iterator[tuple[str, Module]]:
    """``(dotted prefix with its dot, module)`` for module and each descendant, by every name
    it is registered under (torch's state_dict recursion, without named_modules' memo)."""
    stack = [(prefix, module)]
    while stack:
        head, owner = stack.pop()
        yield head, owner
        children = [(head + name + ".", child) for name, child in owner._modules.items()
                    if child is not None]  # fmt: skip
        stack.extend(reversed(children))


def save_state(
    module: Module, destination: OrderedDict | None, prefix: str, keep_vars: bool
) -> OrderedDict[str, Any]:
    """``module.state_dict()``: parameters and persistent buffers by dotted name, detached."""
    if destination is None:
        destination = OrderedDict()
    for head, owner in _every_module(module, prefix):
        for key, value in _local_state(owner):
            destination[head + key] = value if keep_vars else value.detach()
        for hook in owner._state_dict_hooks.values():
            result = hook(owner, destination, head, {})
            if result is not None:
                destination = result
    return destination


def load_state(module: Module, state_dict: Mapping[str, Any], strict: bool) -> _IncompatibleKeys:
    """``module.load_state_dict()``: copy arrays in place, collecting torch-worded errors."""
    if not isinstance(state_dict, Mapping):
        raise TypeError(f"Expected state_dict to be dict-like, got {type(state_dict)}.")
    missing_keys: list[str] = []
    error_msgs: list[str] = []
    expected: set[str] = set()
    for head, owner in _every_module(module, ""):
        for hook in owner._load_state_dict_pre_hooks.values():
            hook(state_dict, head, {}, strict, missing_keys, [], error_msgs)
        for key, target in _local_state(owner):
            full = head + key
            expected.add(full)
            if full not in state_dict:
                missing_keys.append(full)
                continue
            value = state_dict[full]
            source = np.asarray(value._data if isinstance(value, Tensor) else value)
            if source.dtype.kind not in "biuf":
                error_msgs.append(
                    f'While copying the parameter named "{full}", expected a numeric '
                    f"array from checkpoint but received dtype {source.dtype}"
                )
            elif source.shape != target._data.shape:
                error_msgs.append(
                    f"size mismatch for {full}: copying a param with shape "
                    f"{_torch_size(source.shape)} from checkpoint, the shape in current "
                    f"model is {_torch_size(target._data.shape)}."
                )
            else:
                with no_grad():  # as torch: param.copy_(value), in place
                    target.copy_(Tensor(source))
    unexpected_keys = [key for key in state_dict if key not in expected]
    if strict:
        if unexpected_keys:
            listed = ", ".join(f'"{k}"' for k in unexpected_keys)
            error_msgs.insert(0, f"Unexpected key(s) in state_dict: {listed}. ")
        if missing_keys:
            listed = ", ".join(f'"{k}"' for k in missing_keys)
            error_msgs.insert(0, f"Missing key(s) in state_dict: {listed}. ")
    if error_msgs:
        raise RuntimeError(
            f"Error(s) in loading state_dict for {module._get_name()}:\n\t"
            + "\n\t".join(error_msgs)
        )
    return _IncompatibleKeys(missing_keys, unexpected_keys)
