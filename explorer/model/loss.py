"""The losses a classifier is trained and evaluated with: one function for both.

``"cross_entropy"`` is ``F.cross_entropy(logits, labels)``. ``"mse"`` is the lecture notes'
"squared error vs cross entropy" comparison:
``F.mse_loss(F.softmax(logits, dim=1), one_hot(labels))``, averaged over samples *and*
classes as torch's ``reduction="mean"`` does. Training steps and evaluation use the same
:func:`compute_loss`, so a validation loss is the same quantity as the training loss.
"""

from __future__ import annotations

import numpy as np

from explorer.engine import Tensor, nn

F = nn.functional

#: The names :func:`compute_loss` takes (``TrainingConfig.loss``); not the Losses tab's
#: registry of torch.nn losses (``explorer.lossbench.spec.LOSSES``).
TRAINING_LOSSES: tuple[str, ...] = ("cross_entropy", "mse")


def compute_loss(logits: Tensor, labels: np.ndarray, loss: str, reduction: str = "mean") -> Tensor:
    """The ``loss`` of ``logits`` (N, C) against integer ``labels`` (N,).

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
