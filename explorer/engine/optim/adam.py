"""``optim.Adam``: adaptive moment estimation, with AMSGrad."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np

from explorer.engine import fast
from explorer.engine._saved import count_change
from explorer.engine.fast.optim import as_arrays
from explorer.engine.optim.optimizer import Optimizer


class Adam(Optimizer):
    r"""Adam, with torch's exact update rule.

    For each parameter with gradient ``g`` at step ``t`` (1, 2, ...)::

        g = g + weight_decay * p                     (p *= 1 - lr * wd if decoupled)
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g^2
        v_max = max(v_max, v)                        if amsgrad (then used instead of v)
        p = p - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)

    Parameters
    ----------
    params : iterable
        Parameters or parameter groups (see :class:`Optimizer`).
    lr : float
        Learning rate (default 1e-3).
    betas : (float, float)
        Decay rates of the first and second moment averages (default (0.9, 0.999)).
    eps : float
        Added to the denominator for stability (default 1e-8).
    weight_decay : float
        L2 penalty (default 0).
    amsgrad : bool
        Use the running maximum of the second moment (AMSGrad).
    maximize : bool
        Maximise the objective instead of minimising it.
    decoupled_weight_decay : bool
        Decay the weights directly (AdamW) instead of adding to the gradient.
    """

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        amsgrad: bool = False,
        *,
        maximize: bool = False,
        decoupled_weight_decay: bool = False,
    ) -> None:
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= betas[0] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 0: {betas[0]}")
        if not 0.0 <= betas[1] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 1: {betas[1]}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = {
            "lr": lr,
            "betas": tuple(betas),
            "eps": eps,
            "weight_decay": weight_decay,
            "amsgrad": amsgrad,
            "maximize": maximize,
            "decoupled_weight_decay": decoupled_weight_decay,
        }
        super().__init__(params, defaults)

    def step(self) -> None:
        """Apply one update to every parameter that has a gradient."""
        for group in self.param_groups:
            lr, eps, weight_decay = group["lr"], group["eps"], group["weight_decay"]
            beta1, beta2 = group["betas"]
            maximize, amsgrad = group["maximize"], group["amsgrad"]
            decoupled = group["decoupled_weight_decay"]
            scalars: dict[tuple[np.dtype, int], tuple] = {}  # per dtype and step count
            for param in group["params"]:
                grad = param._grad_array()
                if grad is None:
                    continue
                p = param._data
                if maximize:
                    grad = -grad
                state = self.state.setdefault(param, {})
                if not state:
                    state["step"] = 0
                    state["exp_avg"] = np.zeros_like(p)
                    state["exp_avg_sq"] = np.zeros_like(p)
                    if amsgrad:
                        state["max_exp_avg_sq"] = np.zeros_like(p)
                state["step"] += 1
                step = state["step"]
                if weight_decay != 0:
                    if decoupled:
                        p *= 1 - lr * weight_decay
                        count_change(param)  # torch counts it: a change of its own
                    else:
                        grad = grad + weight_decay * p
                key = (grad.dtype, step)
                c = scalars.get(key) if type(step) is int else None  # not a loaded 0-d array
                if c is None:
                    c = _step_scalars(lr, beta1, beta2, eps, step, p, grad)
                    if type(step) is int:
                        scalars[key] = c
                one_minus_beta1, beta2_, one_minus_beta2, step_size, correction2, eps_ = c
                exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]
                exp_avg += (grad - exp_avg) * one_minus_beta1  # torch's lerp_
                exp_avg_sq *= beta2_
                exp_avg_sq += one_minus_beta2 * grad * grad
                if amsgrad:
                    np.maximum(state["max_exp_avg_sq"], exp_avg_sq, out=state["max_exp_avg_sq"])
                    second = state["max_exp_avg_sq"]
                else:
                    second = exp_avg_sq
                denom = np.sqrt(second) / correction2 + eps_
                p -= step_size * (exp_avg / denom)
                count_change(param)  # a change in place, as torch counts it


def _step_scalars(lr, beta1, beta2, eps, step, p: np.ndarray, grad: np.ndarray) -> tuple:
    """Step ``step``'s scalars: ``1 - beta1``, ``beta2``, ``1 - beta2``, the step size
    ``lr / (1 - beta1^t)``, ``sqrt(1 - beta2^t)`` and ``eps``."""
    t = int(step)  # a loaded state's step is a 0-d array
    values = tuple(
        float(v)  # Python floats: numpy converts them to the arrays' dtype, as torch does
        for v in (1 - beta1, beta2, 1 - beta2, lr / (1 - beta1**t), math.sqrt(1 - beta2**t), eps)
    )
    return as_arrays(values, p, grad) if fast.enabled() else values  # (fast/optim.py)
