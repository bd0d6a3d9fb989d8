"""``optim.SGD``: stochastic gradient descent with momentum, dampening and Nesterov."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from explorer.engine import fast
from explorer.engine._saved import count_change
from explorer.engine.fast.optim import sgd_step
from explorer.engine.optim.optimizer import Optimizer


class SGD(Optimizer):
    r"""Stochastic gradient descent, with torch's exact update rule.

    For each parameter with gradient ``g`` (``-g`` if ``maximize``)::

        g = g + weight_decay * p                        if weight_decay != 0
        b = g                                           on the first step, else
        b = momentum * b + (1 - dampening) * g          if momentum != 0
        g = g + momentum * b if nesterov else b         if momentum != 0
        p = p - lr * g

    Parameters
    ----------
    params : iterable
        Parameters or parameter groups (see :class:`Optimizer`).
    lr : float
        Learning rate (default 1e-3).
    momentum : float
        Momentum factor (default 0).
    dampening : float
        Dampening of the momentum (default 0).
    weight_decay : float
        L2 penalty (default 0).
    nesterov : bool
        Nesterov momentum; needs ``momentum > 0`` and ``dampening == 0``.
    maximize : bool
        Maximise the objective instead of minimising it.

    Examples
    --------
    >>> from explorer.engine import nn, optim
    >>> model = nn.Linear(3, 1)
    >>> optimizer = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    """

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-3,
        momentum: float = 0,
        dampening: float = 0,
        weight_decay: float = 0,
        nesterov: bool = False,
        *,
        maximize: bool = False,
    ) -> None:
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        defaults = {
            "lr": lr,
            "momentum": momentum,
            "dampening": dampening,
            "weight_decay": weight_decay,
            "nesterov": nesterov,
            "maximize": maximize,
        }
        super().__init__(params, defaults)

    def step(self) -> None:
        """Apply one update to every parameter that has a gradient."""
        for group in self.param_groups:
            lr, momentum, weight_decay = group["lr"], group["momentum"], group["weight_decay"]
            maximize = group["maximize"]
            if fast.enabled() and not (momentum or weight_decay or maximize):
                sgd_step(group["params"], lr)  # the loop below, lean (fast/optim.py)
                continue
            dampening, nesterov = group["dampening"], group["nesterov"]
            for param in group["params"]:
                grad = param._grad_array()
                if grad is None:
                    continue
                p = param._data
                if maximize:
                    grad = -grad
                if weight_decay != 0:
                    grad = grad + weight_decay * p
                if momentum != 0:
                    state = self.state.setdefault(param, {})
                    buf = state.get("momentum_buffer")
                    if buf is None:
                        buf = state["momentum_buffer"] = np.array(grad, copy=True)
                    else:
                        buf *= momentum
                        buf += (1 - dampening) * grad
                    grad = grad + momentum * buf if nesterov else buf
                # in place, so the module's Parameter keeps its array
                p -= lr * grad
                count_change(param)  # a change in place, as torch counts it
