"""What a model makes of data, as plain functions of (model, data, loss); no trainer needed.

The Training tab draws a model's outputs with these outside a run (a restored session, a
rebuilt or loaded model), the trainer computes its validation loss and accuracy with them,
and ``explorer export training`` draws its figures from them:

>>> from explorer.data import make_synthetic
>>> from explorer.model.config import MLPConfig
>>> data = make_synthetic("moons", n_samples=40)
>>> model = MLPConfig(input_features=2, hidden_sizes=(8,), output_features=2).build()
>>> out = outputs(model, data, "cross_entropy")
>>> out.probabilities.shape, confusion_matrix(data.y, out.predicted, 2).sum()
((40, 2), np.int64(40))

Every function runs the model in eval mode without a graph, in batches of
:data:`EVAL_BATCH` rows, and leaves its train/eval mode as it found it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

import numpy as np

from explorer.data import Dataset
from explorer.engine import Tensor, nn, no_grad
from explorer.model.loss import compute_loss
from explorer.quoting import quoted

EVAL_BATCH = 8192
MAX_GRID_RESOLUTION = 2048
GRID_MARGIN = 0.15  # share of the data's span added around it in the decision-region plot


class Outputs(NamedTuple):
    """A model's outputs on a dataset (see :func:`outputs`).

    ``cross_entropy[i]`` is ``H(P, Q)`` in nats, P the one-hot label of sample ``i`` and Q its
    softmax output: the Training tab's link to the Distributions tab. It is
    ``F.cross_entropy`` of the sample's float32 logits taken to float64, so it agrees with
    ``H(P, Q)`` computed from ``softmax`` of the same float64 logits to ~1e-16 (in float32
    a loss near 0 rounds to a multiple of 1.2e-7, or to 0). ``losses`` is the given loss in
    the model's dtype, as training reports it.
    """

    logits: np.ndarray  # (n, C) float32
    probabilities: np.ndarray  # (n, C) float32, rows sum to 1
    losses: np.ndarray  # (n,) float64, the given loss per sample
    cross_entropy: np.ndarray  # (n,) float64, nats
    predicted: np.ndarray  # (n,) int64, argmax of the logits


def input_dtype(model: nn.Module) -> np.dtype:
    """The dtype of the model's parameters, which its inputs are given in (data is float32;
    a float64 model, like torch's, refuses float32 inputs)."""
    first = next(iter(model.parameters()), None)
    return np.dtype(np.float32) if first is None else first.data.numpy().dtype


def _batched_logits(
    model: nn.Module, x: np.ndarray, batch: int = EVAL_BATCH
) -> Iterator[tuple[slice, np.ndarray]]:
    """Logits of ``x`` in batches, in eval mode and without a graph."""
    was_training = model.training
    dtype = input_dtype(model)
    if was_training:
        model.eval()
    try:
        with no_grad(), np.errstate(all="ignore"):
            for start in range(0, len(x), batch):
                part = slice(start, start + batch)
                yield part, model(Tensor(x[part].astype(dtype, copy=False))).numpy()
    finally:
        if was_training:
            model.train()


def logits(model: nn.Module, x: np.ndarray, batch: int = EVAL_BATCH) -> np.ndarray:
    """The model's logits for the rows of ``x``, shape (n, C) float32."""
    parts = [np.asarray(out, dtype=np.float32) for _, out in _batched_logits(model, x, batch)]
    return np.concatenate(parts) if parts else np.zeros((0, 0), dtype=np.float32)


def outputs(model: nn.Module, data: Dataset, loss: str = "cross_entropy") -> Outputs:
    """Everything the views need about ``data``, from one batched forward pass: logits,
    softmax probabilities, each sample's ``loss``, each sample's cross entropy (whatever the
    loss) and the predicted classes."""
    n, classes = len(data), data.num_classes
    logits_out = np.empty((n, classes), dtype=np.float32)
    probabilities = np.empty((n, classes), dtype=np.float32)
    losses = np.empty(n, dtype=np.float64)
    cross_entropy = np.empty(n, dtype=np.float64)
    for part, batch_logits in _batched_logits(model, data.x):
        labels = data.y[part]
        logits_out[part] = batch_logits
        batch = Tensor(batch_logits)
        exact = Tensor(np.asarray(batch_logits, dtype=np.float32).astype(np.float64))
        with np.errstate(all="ignore"):
            probabilities[part] = nn.functional.softmax(batch, dim=1).numpy()
            losses[part] = compute_loss(batch, labels, loss, "none").numpy()
            cross_entropy[part] = compute_loss(exact, labels, "cross_entropy", "none").numpy()
    return Outputs(logits_out, probabilities, losses, cross_entropy, logits_out.argmax(axis=1))


def evaluate(model: nn.Module, data: Dataset, loss: str = "cross_entropy") -> tuple[float, float]:
    """``(mean loss, accuracy)`` of the model on ``data`` (a split)."""
    out = outputs(model, data, loss)
    return float(out.losses.mean()), float(np.mean(out.predicted == data.y))


def mean_loss(model: nn.Module, data: Dataset, loss: str = "cross_entropy") -> float:
    """The mean ``loss`` of the model on ``data``: :func:`evaluate`'s first number, from one
    batched forward pass and nothing else (the loss landscape asks for thousands)."""
    total = 0.0
    for part, batch_logits in _batched_logits(model, data.x):
        with np.errstate(all="ignore"):
            per_sample = compute_loss(Tensor(batch_logits), data.y[part], loss, "none")
        total += float(np.asarray(per_sample, dtype=np.float64).sum())
    return total / len(data) if len(data) else float("nan")


def predict_proba(model: nn.Module, x: np.ndarray, batch: int = EVAL_BATCH) -> np.ndarray:
    """Softmax class probabilities for the rows of ``x``, shape (n, C) float32."""
    x = np.ascontiguousarray(x, dtype=np.float32)
    parts = [
        nn.functional.softmax(Tensor(out), dim=1).numpy().astype(np.float32, copy=False)
        for _, out in _batched_logits(model, x, batch)
    ]
    return np.concatenate(parts) if parts else np.zeros((0, 0), dtype=np.float32)


def confusion_matrix(labels: np.ndarray, predicted: np.ndarray, num_classes: int) -> np.ndarray:
    """Counts (C, C) int64: row = true class, column = predicted class."""
    labels, predicted = np.asarray(labels, dtype=np.int64), np.asarray(predicted, dtype=np.int64)
    flat = np.bincount(labels * num_classes + predicted, minlength=num_classes * num_classes)
    return flat.reshape(num_classes, num_classes)


def decision_grid(
    model: nn.Module,
    xlim: tuple[float, float],
    ylim: tuple[float, float],
    resolution: int | tuple[int, int] = 100,
) -> np.ndarray:
    """Class probabilities on a regular grid over the 2-D input plane.

    Returns float32 of shape ``(ny, nx, C)``: entry ``[i, j]`` is the model's output at
    ``(xs[j], ys[i])`` with ``xs = linspace(*xlim, nx)``, ``ys = linspace(*ylim, ny)``
    (``resolution`` is ``nx = ny`` or ``(nx, ny)``), in the model's input space.
    """
    if isinstance(model, nn.MLP) and model.input_features != 2:
        raise ValueError(
            f"decision regions need 2-D data; this model takes {model.input_features} features"
        )
    nx, ny = (resolution, resolution) if isinstance(resolution, int) else resolution
    for n in (nx, ny):
        if isinstance(n, bool) or not isinstance(n, int) or not 2 <= n <= MAX_GRID_RESOLUTION:
            raise ValueError(f"resolution must be from 2 to {MAX_GRID_RESOLUTION}; got {quoted(n)}")
    xs = np.linspace(xlim[0], xlim[1], nx, dtype=np.float32)
    ys = np.linspace(ylim[0], ylim[1], ny, dtype=np.float32)
    gx, gy = np.meshgrid(xs, ys)
    points = np.stack([gx.ravel(), gy.ravel()], axis=1)
    return predict_proba(model, points).reshape(ny, nx, -1)


def plane_extent(x: np.ndarray) -> tuple[float, float, float, float]:
    """A window around 2-D points, ``(x_min, x_max, y_min, y_max)``, with a margin of
    :data:`GRID_MARGIN` of their span on every side."""
    low, high = x.min(axis=0), x.max(axis=0)
    span = np.maximum(high - low, 1e-6)
    low, high = low - GRID_MARGIN * span, high + GRID_MARGIN * span
    return float(low[0]), float(high[0]), float(low[1]), float(high[1])
