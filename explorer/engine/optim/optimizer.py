"""``optim.Optimizer``: parameter groups, per-parameter state, ``zero_grad`` and ``step``."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

import numpy as np

from explorer.engine.tensor import Tensor


class _RequiredParameter:
    def __repr__(self) -> str:
        return "<required parameter>"


required = _RequiredParameter()


class Optimizer:
    """Base class of the optimizers, as ``torch.optim.Optimizer``.

    Parameters
    ----------
    params : iterable of Tensor, of (name, Tensor) or of dict
        The tensors to optimise, or parameter groups (dicts with a ``"params"`` key and
        per-group options that override ``defaults``).
    defaults : dict
        Default values of the options.

    Attributes
    ----------
    param_groups : list of dict
        Each group's ``"params"`` and options (e.g. ``lr``); change ``lr`` here to schedule it.
    state : dict
        Per-parameter state keyed by the parameter (momentum buffers, Adam moments).
    """

    def __init__(self, params: Iterable[Any], defaults: dict[str, Any]) -> None:
        self.defaults = defaults
        self.state: dict[Tensor, dict[str, Any]] = {}
        self.param_groups: list[dict[str, Any]] = []
        if isinstance(params, Tensor):
            raise TypeError(
                "params argument given to the optimizer should be an iterable of Tensors "
                f"or dicts, but got {type(params).__name__}"
            )
        param_groups = list(params)
        if len(param_groups) == 0:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(param_groups[0], dict):
            param_groups = [{"params": param_groups}]
        for group in param_groups:
            self.add_param_group(group)

    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Add a group of parameters with its own options."""
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group).__name__}")
        params = param_group["params"]
        if isinstance(params, Tensor):
            params = [params]
        elif isinstance(params, set):
            raise TypeError(
                "optimizer parameters need to be organized in ordered collections, but the "
                "ordering of tensors in sets will change between runs. Please use a list instead."
            )
        params = list(params)
        names = [p[0] for p in params if isinstance(p, tuple)]
        params = [p[1] if isinstance(p, tuple) else p for p in params]
        group = dict(param_group, params=params)
        if names:
            group["param_names"] = names
        for param in params:
            if not isinstance(param, Tensor):
                raise TypeError(
                    "optimizer can only optimize Tensors, but one of the params is "
                    f"{type(param).__name__}"
                )
            if not param.is_leaf:
                raise ValueError("can't optimize a non-leaf Tensor")
        for name, default in self.defaults.items():
            if default is required and name not in group:
                raise ValueError(
                    "parameter group didn't specify a value of required optimization "
                    f"parameter {name}"
                )
            group.setdefault(name, default)
        seen = {id(p) for g in self.param_groups for p in g["params"]}
        if any(id(p) in seen for p in params):
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(group)

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Reset the gradients of all optimised tensors (to None by default, as torch)."""
        for group in self.param_groups:
            if set_to_none:
                for param in group["params"]:
                    param._grad = None
                continue
            for param in group["params"]:
                grad = param._grad_array()
                if grad is not None:
                    grad[...] = 0

    def step(self) -> None:
        """Update the parameters from their ``.grad``; implemented by each optimizer."""
        raise NotImplementedError

    def state_dict(self) -> dict[str, Any]:
        """State and groups with parameters replaced by their position, as in torch."""
        index: dict[int, int] = {}
        groups = []
        for group in self.param_groups:
            packed = {k: v for k, v in group.items() if k != "params"}
            for param in group["params"]:
                index.setdefault(id(param), len(index))
            packed["params"] = [index[id(p)] for p in group["params"]]
            groups.append(packed)
        state = {
            index[id(p)]: {k: np.copy(v) for k, v in s.items()}
            for p, s in self.state.items()
            if id(p) in index
        }
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore what :meth:`state_dict` returned, for the same parameters in order."""
        groups = state_dict["param_groups"]
        if len(groups) != len(self.param_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        params = [p for g in self.param_groups for p in g["params"]]
        for mine, saved in zip(self.param_groups, groups, strict=True):
            if len(mine["params"]) != len(saved["params"]):
                raise ValueError(
                    "loaded state dict contains a parameter group that doesn't match the "
                    "size of optimizer's group"
                )
            mine.update({k: copy.deepcopy(v) for k, v in saved.items() if k != "params"})
        self.state = {
            params[int(i)]: {k: np.copy(v) for k, v in s.items()}
            for i, s in state_dict["state"].items()
        }

    def __repr__(self) -> str:
        text = self.__class__.__name__ + " ("
        for i, group in enumerate(self.param_groups):
            text += "\n" + f"Parameter Group {i}"
            for key in sorted(group):
                if key != "params":
                    text += "\n" + f"    {key}: {group[key]}"
        return text + "\n)"
