"""The loss and the optimizer a :class:`~explorer.training.config.TrainingConfig` names.

One function computes the training loss for both the trainer's steps and its evaluation, so
the validation loss is the same quantity as the training loss.
"""

from __future__ import annotations

import numpy as np

from explorer.engine import Tensor, nn, optim
from explorer.training.config import TrainingConfig

F = nn.functional


def compute_loss(logits: Tensor, labels: np.ndarray, loss: str, reduction: str = "mean") -> Tensor:
    """The configured loss of ``logits`` (N, C) against integer ``labels`` (N,).

    ``"cross_entropy"`` is ``F.cross_entropy(logits, labels)``; ``"mse"`` is
    ``F.mse_loss(F.softmax(logits, dim=1), one_hot(labels))``. With ``reduction="none"`` both
    return one value per sample (for MSE the mean over classes), so the mean of those equals
    the ``"mean"`` loss.
    """
    if loss == "cross_entropy":
        return F.cross_entropy(logits, Tensor(labels), reduction=reduction)
    classes = logits.shape[1]
    target = Tensor(np.eye(classes, dtype=logits.dtype)[labels])
    probabilities = F.softmax(logits, dim=1)
    if reduction == "none":
        return F.mse_loss(probabilities, target, reduction="none").mean(dim=1)
    return F.mse_loss(probabilities, target, reduction=reduction)


def make_optimizer(model: nn.Module, config: TrainingConfig) -> optim.Optimizer:
    """``optim.SGD`` (plain or with momentum) or ``optim.Adam`` over ``model.parameters()``."""
    params = model.parameters()
    if config.optimizer == "adam":
        return optim.Adam(params, lr=config.lr, weight_decay=config.weight_decay)
    momentum = config.momentum if config.optimizer == "momentum" else 0.0
    return optim.SGD(params, lr=config.lr, momentum=momentum, weight_decay=config.weight_decay)
