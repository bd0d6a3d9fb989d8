"""``nn.Module``: the base class of every layer and model, mirroring ``torch.nn.Module``.

The registries (``_parameters``, ``_buffers``, ``_modules`` and the hook dicts) are ordered
dicts created with ``super().__setattr__``; :meth:`Module.__setattr__` routes a
:class:`Parameter` into ``_parameters`` and a Module into ``_modules``, which is how
``self.linear1 = nn.Linear(...)`` makes ``linear1`` a child without any registration call.
Walking the tree (``named_parameters``, ``named_modules``, ...) is the mixin
:class:`explorer.engine.nn._module_tree.ModuleTree`; the repr layout is in ``_module_repr``
and the ``state_dict`` plumbing in ``_state_dict``.
"""

from __future__ import annotations

import itertools
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from explorer.engine.device import check_device, is_device, no_gpu
from explorer.engine.nn._module_repr import module_repr
from explorer.engine.nn._module_tree import ModuleTree
from explorer.engine.nn._state_dict import load_state, save_state
from explorer.engine.nn.hooks import BackwardHook, RemovableHandle
from explorer.engine.nn.parameter import Parameter
from explorer.engine.tensor import Tensor


class Module(ModuleTree):
    """Base class for all neural network modules, as ``torch.nn.Module``.

    Subclasses assign their layers and parameters as attributes in ``__init__`` (after
    calling ``super().__init__()``) and override :meth:`forward`. Call the module, not
    ``forward``: :meth:`__call__` also runs the registered hooks.

    Examples
    --------
    >>> from explorer.engine import nn
    >>> import explorer.engine.nn.functional as F
    >>> class Model(nn.Module):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.linear1 = nn.Linear(784, 256)
    ...         self.linear2 = nn.Linear(256, 10)
    ...     def forward(self, x):
    ...         return self.linear2(F.relu(self.linear1(x)))
    >>> [name for name, _ in Model().named_parameters()]
    ['linear1.weight', 'linear1.bias', 'linear2.weight', 'linear2.bias']
    >>> list(Model().parameters(recurse=False))
    []
    """

    training: bool
    _version: int = 1

    def __init__(self) -> None:
        # super().__setattr__ because our own __setattr__ needs these dicts to exist first
        set_ = super().__setattr__
        set_("training", True)
        set_("_parameters", OrderedDict())
        set_("_buffers", OrderedDict())
        set_("_non_persistent_buffers_set", set())
        set_("_backward_hooks", OrderedDict())
        set_("_is_full_backward_hook", None)
        set_("_forward_hooks", OrderedDict())
        set_("_forward_pre_hooks", OrderedDict())
        set_("_state_dict_hooks", OrderedDict())
        set_("_load_state_dict_pre_hooks", OrderedDict())
        set_("_modules", OrderedDict())

    # -- forward and hooks ----------------------------------------------------------------
    def forward(self, *input: Any) -> Any:  # noqa: A002 (torch's name)
        """Define the computation performed at every call; subclasses must override it."""
        raise NotImplementedError(
            f'Module [{type(self).__name__}] is missing the required "forward" function'
        )

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if not (self._forward_pre_hooks or self._forward_hooks or self._backward_hooks):
            return self.forward(*args, **kwargs)  # the common case, kept cheap
        for hook in tuple(self._forward_pre_hooks.values()):
            result = hook(self, args)
            if result is not None:
                args = result if isinstance(result, tuple) else (result,)
        backward_hook = None
        if self._backward_hooks:
            backward_hook = BackwardHook(self, self._backward_hooks.values())
            args = backward_hook.setup_input(args)
        output = self.forward(*args, **kwargs)
        for hook in tuple(self._forward_hooks.values()):
            result = hook(self, args, output)
            if result is not None:
                output = result
        if backward_hook is not None:
            output = backward_hook.setup_output(output)
        return output

    def register_forward_pre_hook(
        self, hook: Callable[..., Any], *, prepend: bool = False
    ) -> RemovableHandle:
        """Run ``hook(module, args)`` before forward; a non-None result replaces ``args``."""
        return self._add_hook(self._forward_pre_hooks, hook, prepend)

    def register_forward_hook(
        self, hook: Callable[..., Any], *, prepend: bool = False
    ) -> RemovableHandle:
        """Run ``hook(module, args, output)`` after forward; a non-None result replaces it."""
        return self._add_hook(self._forward_hooks, hook, prepend)

    def register_full_backward_hook(
        self, hook: Callable[..., Any], prepend: bool = False
    ) -> RemovableHandle:
        """Run ``hook(module, grad_input, grad_output)`` when the gradients with respect to
        the module's inputs are computed; a non-None result replaces ``grad_input``."""
        super().__setattr__("_is_full_backward_hook", True)
        return self._add_hook(self._backward_hooks, hook, prepend)

    @staticmethod
    def _add_hook(hooks: OrderedDict, hook: Callable[..., Any], prepend: bool) -> RemovableHandle:
        handle = RemovableHandle(hooks)
        hooks[handle.id] = hook
        if prepend:
            hooks.move_to_end(handle.id, last=False)
        return handle

    # -- registration ---------------------------------------------------------------------
    def register_parameter(self, name: str, param: Parameter | None) -> None:
        """Add a parameter (or a ``None`` placeholder) under ``name``."""
        if "_parameters" not in self.__dict__:
            raise AttributeError("cannot assign parameter before Module.__init__() call")
        self._check_name(name, "parameter")
        if hasattr(self, name) and name not in self._parameters:
            raise KeyError(f"attribute '{name}' already exists")
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(
                f"cannot assign '{type(param).__name__}' object to parameter '{name}' "
                "(torch.nn.Parameter or None required)"
            )
        self._parameters[name] = param

    def register_buffer(self, name: str, tensor: Tensor | None, persistent: bool = True) -> None:
        """Add a buffer: state that is not a parameter (saved in ``state_dict`` if persistent)."""
        if "_buffers" not in self.__dict__:
            raise AttributeError("cannot assign buffer before Module.__init__() call")
        self._check_name(name, "buffer")
        if hasattr(self, name) and name not in self._buffers:
            raise KeyError(f"attribute '{name}' already exists")
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TypeError(
                f"cannot assign '{type(tensor).__name__}' object to buffer '{name}' "
                "(torch Tensor or None required)"
            )
        self._buffers[name] = tensor
        if persistent:
            self._non_persistent_buffers_set.discard(name)
        else:
            self._non_persistent_buffers_set.add(name)

    def add_module(self, name: str, module: Module | None) -> None:
        """Add a child module under ``name`` (``self.name = module`` does the same)."""
        if module is not None and not isinstance(module, Module):
            raise TypeError(f"{type(module).__name__} is not a Module subclass")
        self._check_name(name, "module")
        if hasattr(self, name) and name not in self._modules:
            raise KeyError(f"attribute '{name}' already exists")
        self._modules[name] = module

    register_module = add_module

    @staticmethod
    def _check_name(name: Any, kind: str) -> None:
        if not isinstance(name, str):
            raise TypeError(f"{kind} name should be a string. Got {type(name).__name__}")
        if "." in name:
            raise KeyError(f'{kind} name can\'t contain ".", got: {name}')
        if name == "":
            raise KeyError(f'{kind} name can\'t be empty string ""')

    def __setattr__(self, name: str, value: Any) -> None:
        params = self.__dict__.get("_parameters")
        if isinstance(value, Parameter):
            if params is None:
                raise AttributeError("cannot assign parameters before Module.__init__() call")
            self._remove_everywhere(name, keep=self._parameters)
            self.register_parameter(name, value)
        elif params is not None and name in params:
            if value is not None:
                raise TypeError(
                    f"cannot assign '{type(value).__name__}' as parameter '{name}' "
                    "(torch.nn.Parameter or None expected)"
                )
            params[name] = None
        elif isinstance(value, Module):
            if self.__dict__.get("_modules") is None:
                raise AttributeError("cannot assign module before Module.__init__() call")
            self._remove_everywhere(name, keep=self._modules)
            self._modules[name] = value
        elif name in self.__dict__.get("_modules", ()):
            if value is not None:
                raise TypeError(
                    f"cannot assign '{type(value).__name__}' as child module '{name}' "
                    "(torch.nn.Module or None expected)"
                )
            self._modules[name] = None
        elif name in self.__dict__.get("_buffers", ()):
            if value is not None and not isinstance(value, Tensor):
                raise TypeError(
                    f"cannot assign '{type(value).__name__}' as buffer '{name}' "
                    "(torch.Tensor or None expected)"
                )
            self._buffers[name] = value
        else:
            super().__setattr__(name, value)

    def _remove_everywhere(self, name: str, keep: dict | None = None) -> None:
        """Forget ``name`` in every registry but ``keep``, before it is registered again.

        Like torch, a name reassigned in its own registry keeps its place in the order.
        """
        self.__dict__.pop(name, None)
        for registry in (self._parameters, self._buffers, self._modules):
            if registry is not keep:
                registry.pop(name, None)
        self._non_persistent_buffers_set.discard(name)

    def __getattr__(self, name: str) -> Any:
        # only called when normal lookup fails: look in the registries
        for registry in ("_parameters", "_buffers", "_modules"):
            members = self.__dict__.get(registry)
            if members is not None and name in members:
                return members[name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __delattr__(self, name: str) -> None:
        if name in self._parameters:
            del self._parameters[name]
        elif name in self._buffers:
            del self._buffers[name]
            self._non_persistent_buffers_set.discard(name)
        elif name in self._modules:
            del self._modules[name]
        else:
            super().__delattr__(name)

    def __dir__(self) -> list[str]:
        keys = [
            *dir(self.__class__),
            *self.__dict__,
            *self._parameters,
            *self._modules,
            *self._buffers,
        ]
        return sorted(key for key in keys if not key[0].isdigit())

    # -- state ----------------------------------------------------------------------------
    def state_dict(
        self, *, destination: OrderedDict | None = None, prefix: str = "", keep_vars: bool = False
    ) -> OrderedDict[str, Any]:
        """Parameters and persistent buffers by dotted name, as tensors outside the graph
        that share memory with them (as torch's ``detach()``: change one, the model changes).

        A module registered under two names appears under both, as in torch.

        Parameters
        ----------
        destination : OrderedDict, optional
            Fill this dict instead of a new one.
        prefix : str
            Prepended to every key.
        keep_vars : bool
            Give the Parameter/Tensor objects themselves.
        """
        return save_state(self, destination, prefix, keep_vars)

    def load_state_dict(self, state_dict: Mapping[str, Any], strict: bool = True):
        """Copy values from ``state_dict`` into this module's parameters and buffers, in place.

        Values are cast to each parameter's dtype; the Parameter objects stay the same (so
        an optimizer holding them keeps working).

        Parameters
        ----------
        state_dict : Mapping[str, Tensor or ndarray]
            Keys as :meth:`state_dict` gives them; values Tensors (or, beyond torch, numpy
            arrays, as the app's weight files hold).
        strict : bool
            Raise on missing or unexpected keys (shape mismatches always raise).

        Returns
        -------
        NamedTuple
            ``(missing_keys, unexpected_keys)``.

        Raises
        ------
        RuntimeError
            "Error(s) in loading state_dict for MLP: ..." listing missing keys, unexpected
            keys and size mismatches, worded as torch words them.
        """
        return load_state(self, state_dict, strict)

    # -- modes and conversions ------------------------------------------------------------
    def train(self, mode: bool = True) -> Module:
        """Set training mode (Dropout active) on this module and its descendants."""
        if not isinstance(mode, bool):
            raise ValueError("training mode is expected to be boolean")
        self.training = mode
        for module in self.children():
            module.train(mode)
        return self

    def eval(self) -> Module:
        """Set evaluation mode; same as ``train(False)``."""
        return self.train(False)

    def requires_grad_(self, requires_grad: bool = True) -> Module:
        """Set ``requires_grad`` on every parameter (e.g. to freeze a model)."""
        for param in self.parameters():
            param.requires_grad_(requires_grad)
        return self

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Reset every parameter's ``.grad`` to None (or to zeros with ``set_to_none=False``)."""
        for param in self.parameters():
            grad = param._grad_array()
            if grad is None:
                continue
            if set_to_none:
                param._grad = None
            else:
                grad[...] = 0

    def apply(self, fn: Callable[[Module], None]) -> Module:
        """Call ``fn`` on every descendant (children first) and then on this module."""
        for module in self.children():
            module.apply(fn)
        fn(self)
        return self

    def _apply_to_arrays(self, fn: Callable[[np.ndarray], np.ndarray]) -> Module:
        """Replace every parameter's and buffer's array (and grad) by ``fn`` of it, in place."""
        for module in self.modules():
            for tensor in itertools.chain(module._parameters.values(), module._buffers.values()):
                if tensor is None:
                    continue
                tensor._data = fn(tensor._data)
                grad = tensor._grad_array()
                if grad is not None:
                    tensor._grad = fn(grad)
        return self

    def to(self, *args: Any, **kwargs: Any) -> Module:
        """Cast floating point parameters and buffers to a dtype (float32 or float64).

        As torch: ``to(dtype)``, ``to(device)``, ``to(device, dtype)``, or the ``dtype=`` and
        ``device=`` keywords. The CPU changes nothing (the engine runs there); a GPU raises a
        clear error.
        """
        dtype = kwargs.pop("dtype", None)
        device = kwargs.pop("device", None)
        kwargs.pop("non_blocking", None)
        if kwargs:
            raise TypeError(f"to() got an unexpected keyword argument '{next(iter(kwargs))}'")
        for arg in args:
            if is_device(arg):
                device = arg
            else:
                dtype = arg
        check_device(device, f".to({str(device)!r})")
        if dtype is None:
            return self
        dtype = np.dtype(dtype)
        if dtype.kind != "f":
            raise TypeError(f"nn.Module.to only accepts floating point dtypes, but got {dtype}")
        return self._apply_to_arrays(
            lambda a: a.astype(dtype, copy=False) if a.dtype.kind == "f" else a
        )

    def cpu(self) -> Module:
        """The module itself: the engine runs on the CPU."""
        return self

    def cuda(self, device: Any = None) -> Module:
        """Raise: the engine has no GPU (choose the device with ``torch.cuda.is_available()``)."""
        raise no_gpu(".cuda()")

    def float(self) -> Module:
        """Cast floating point parameters and buffers to float32."""
        return self.to(np.float32)

    def double(self) -> Module:
        """Cast floating point parameters and buffers to float64."""
        return self.to(np.float64)

    # -- printing -------------------------------------------------------------------------
    def _get_name(self) -> str:
        return type(self).__name__

    def extra_repr(self) -> str:
        """The module's own settings for ``repr``, one item per line; override in layers."""
        return ""

    __repr__ = module_repr  # torch's layout, shared with Sequential (see _module_repr)
