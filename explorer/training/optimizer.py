"""The optimizer a :class:`~explorer.training.config.TrainingConfig` names."""

from __future__ import annotations

from explorer.engine import nn, optim
from explorer.training.config import TrainingConfig


def make_optimizer(model: nn.Module, config: TrainingConfig) -> optim.Optimizer:
    """``optim.SGD`` (plain or with momentum) or ``optim.Adam`` over ``model.parameters()``."""
    params = model.parameters()
    if config.optimizer == "adam":
        return optim.Adam(params, lr=config.lr, weight_decay=config.weight_decay)
    momentum = config.momentum if config.optimizer == "momentum" else 0.0
    return optim.SGD(params, lr=config.lr, momentum=momentum, weight_decay=config.weight_decay)
