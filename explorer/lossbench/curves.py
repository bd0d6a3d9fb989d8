"""The Losses tab's curves, computed with the engine's functional losses and its autograd.

Two stories. Regression: for one element with the target fixed, how L1, MSE, Huber and
SmoothL1 grow with the prediction and how steep they are (L1's slope is always ±1, MSE's grows
with the error, Huber/SmoothL1 switch from one to the other at delta/beta). Classification:
for a sigmoid output whose true-class probability p runs from 0 to 1, cross entropy keeps a
gradient of p − 1 (about −1) w.r.t. the logit where the model is confidently wrong, while
squared error's gradient 2(p − 1)p(1 − p) vanishes there: it barely learns from its worst
mistakes (the lecture notes' "gradient difference" slide).

Examples
--------
>>> curves = regression_curves(delta=1.0, beta=1.0, points=5)
>>> curves.prediction.tolist()
[-3.0, -1.5, 0.0, 1.5, 3.0]
>>> curves.derivative["L1"].tolist()
[-1.0, -1.0, 0.0, 1.0, 1.0]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

import explorer.engine.nn.functional as F
from explorer.engine import Tensor

REGRESSION_LOSSES = ("L1", "MSE", "Huber", "SmoothL1")
# Where a sigmoid output is "confidently wrong": the true class gets less than this.
CONFIDENTLY_WRONG_BELOW = 0.1


@dataclass(frozen=True)
class RegressionCurves:
    """Loss and d loss / d prediction for one element, per loss name."""

    prediction: np.ndarray
    target: float
    loss: dict[str, np.ndarray]
    derivative: dict[str, np.ndarray]


@dataclass(frozen=True)
class ClassificationCurves:
    """Cross entropy and squared error of a sigmoid output, against p(true class).

    ``ce_grad`` and ``se_grad`` are derivatives with respect to the logit z, p = sigmoid(z).
    """

    probability: np.ndarray
    logit: np.ndarray
    ce: np.ndarray
    se: np.ndarray
    ce_grad: np.ndarray
    se_grad: np.ndarray


def _value_and_derivative(function, x: np.ndarray, target: np.ndarray, **kwargs):
    """``function(x, target, reduction='none', **kwargs)`` and its elementwise derivative."""
    xt = Tensor(x, requires_grad=True)
    # numpy warns about the branch np.where discards (0.5 z² / beta for beta = 5e-324)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        out = function(xt, Tensor(target), reduction="none", **kwargs)
        out.sum().backward()
    return np.asarray(out.detach(), dtype=np.float64), np.asarray(xt.grad, dtype=np.float64)


def regression_curves(
    delta: float = 1.0,
    beta: float = 1.0,
    target: float = 0.0,
    half_width: float = 3.0,
    points: int = 241,
    names: tuple[str, ...] = REGRESSION_LOSSES,
) -> RegressionCurves:
    """L1, MSE, Huber(delta) and SmoothL1(beta) around ``target``, with derivatives.

    Parameters
    ----------
    delta, beta
        HuberLoss's delta (> 0) and SmoothL1Loss's beta (>= 0), as the engine checks them.
    target
        The fixed target y; predictions run over target ± half_width.
    names
        The losses to compute (a subset of ``REGRESSION_LOSSES``), e.g. only those whose
        parameter changed.
    """
    x = np.linspace(target - half_width, target + half_width, points)
    y = np.full_like(x, target)
    functions = {
        "L1": (F.l1_loss, {}),
        "MSE": (F.mse_loss, {}),
        "Huber": (F.huber_loss, {"delta": float(delta)}),
        "SmoothL1": (F.smooth_l1_loss, {"beta": float(beta)}),
    }
    loss, derivative = {}, {}
    for name in names:
        function, kwargs = functions[name]
        loss[name], derivative[name] = _value_and_derivative(function, x, y, **kwargs)
    return RegressionCurves(x, float(target), loss, derivative)


def classification_curves(points: int = 400, edge: float = 1e-3) -> ClassificationCurves:
    """Cross entropy and squared error of p = sigmoid(z) against the label 1, over p in (0, 1).

    Cross entropy is the engine's ``binary_cross_entropy_with_logits(z, 1)``; squared error is
    ``mse_loss(sigmoid(z), 1)``; both gradients come from the engine's backward to z.
    """
    p = np.linspace(edge, 1 - edge, points)
    z = np.log(p) - np.log1p(-p)
    ones = np.ones_like(z)
    ce, ce_grad = _value_and_derivative(F.binary_cross_entropy_with_logits, z, ones)
    zt = Tensor(z, requires_grad=True)
    se_out = F.mse_loss(zt.sigmoid(), Tensor(ones), reduction="none")
    se_out.sum().backward()
    se = np.asarray(se_out.detach(), dtype=np.float64)
    se_grad = np.asarray(zt.grad, dtype=np.float64)
    return ClassificationCurves(p, z, ce, se, ce_grad, se_grad)


@dataclass(frozen=True)
class SamplePoints:
    """The current tensors' elements placed on the curve panels.

    ``panel`` is 'regression' (x = input − target, with the loss and its slope dℓ/dx per
    element) or 'classification' (x = the probability the model gives the true class, the
    loss −log p and the gradient p − 1 w.r.t. the true class's logit).
    """

    panel: str
    x: np.ndarray
    loss: np.ndarray
    slope: np.ndarray


def sample_points(kind: str, options, input: np.ndarray, target: np.ndarray):  # noqa: A002
    """Where each element of ``input``/``target`` sits on the curves, or None (KLDiv).

    Regression losses depend only on x − y, so the elements sit exactly on the y = 0 curves.
    For cross entropy (softmax or sigmoid) a sample's loss is −log p(true class) and its
    gradient w.r.t. the true class's logit is p − 1 (unweighted, without label smoothing).
    Values come from the engine's functional losses and autograd.
    """
    x = np.asarray(input, dtype=np.float64)
    if kind in REGRESSION_LOSSES:
        function, kwargs = {
            "L1": (F.l1_loss, {}),
            "MSE": (F.mse_loss, {}),
            "Huber": (F.huber_loss, {"delta": float(options.delta)}),
            "SmoothL1": (F.smooth_l1_loss, {"beta": float(options.beta)}),
        }[kind]
        y = np.asarray(target, dtype=np.float64)
        loss, slope = _value_and_derivative(function, x, y, **kwargs)
        return SamplePoints("regression", (x - y).ravel(), loss.ravel(), slope.ravel())
    p_true = _true_class_probability(kind, options, x, target)
    if p_true is None or p_true.size == 0:
        return None
    with np.errstate(divide="ignore"):
        loss = -np.log(p_true)
    return SamplePoints("classification", p_true, loss, p_true - 1.0)


def _true_class_probability(kind, options, x: np.ndarray, target) -> np.ndarray | None:
    if kind in ("CrossEntropy", "NLL") and not options.probability_target:
        indices = np.asarray(target, dtype=np.int64).reshape(-1)
        keep = (indices >= 0) & (indices < x.shape[1]) & (indices != options.ignore_index)
        if kind == "NLL" and not options.log_softmax_input:
            logp = x
        else:
            logp = np.asarray(F.log_softmax(Tensor(x), dim=1).detach(), dtype=np.float64)
        rows = np.flatnonzero(keep)
        return np.exp(logp[rows, indices[keep]])
    if kind in ("BCE", "BCEWithLogits"):
        y = np.asarray(target, dtype=np.float64)
        binary = (y == 0) | (y == 1)
        p = x if kind == "BCE" else np.asarray(Tensor(x).sigmoid().detach(), dtype=np.float64)
        return np.where(y == 1, p, 1 - p)[binary]
    return None
