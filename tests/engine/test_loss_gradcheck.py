"""Every loss's analytic backward against central finite differences (hypothesis-driven)."""

from __future__ import annotations

import warnings

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from explorer.engine import Tensor
from explorer.engine.nn import functional as F  # noqa: N812 (torch's alias)
from tests.engine.gradcheck import assert_gradients_match

SETTINGS = settings(max_examples=25, deadline=None)
seeds = st.integers(0, 2**32 - 1)
shapes = st.sampled_from([(3,), (2, 3), (2, 3, 2)])
reductions = st.sampled_from(["none", "mean", "sum"])


def _away_from_kinks(d: np.ndarray, *kinks: float) -> bool:
    """Finite differences straddling a kink of |d| or of a Huber corner are meaningless."""
    return all(np.min(np.abs(np.abs(d) - k)) > 1e-3 for k in kinks)


@SETTINGS
@given(seeds, shapes, reductions, st.sampled_from(["l1", "mse", "huber", "smooth_l1"]))
def test_regression_losses(seed, shape, reduction, kind):
    rng = np.random.default_rng(seed)
    x, y = rng.normal(size=shape) * 2, rng.normal(size=shape)
    width = rng.uniform(0.3, 2.0)
    assume(_away_from_kinks(x - y, 0.0, width))
    functions = {
        "l1": lambda a, b: F.l1_loss(a, b, reduction=reduction),
        "mse": lambda a, b: F.mse_loss(a, b, reduction=reduction),
        "huber": lambda a, b: F.huber_loss(a, b, reduction=reduction, delta=width),
        "smooth_l1": lambda a, b: F.smooth_l1_loss(a, b, reduction=reduction, beta=width),
    }
    assert_gradients_match(functions[kind], x, y)


@SETTINGS
@given(seeds, shapes, st.sampled_from(["none", "sum", "batchmean"]), st.booleans())
def test_kl_div_input_and_target(seed, shape, reduction, log_target):
    rng = np.random.default_rng(seed)
    x, y = rng.normal(size=shape), rng.uniform(0.05, 1.0, size=shape)
    target = np.log(y) if log_target else y

    def loss(a, b):
        return F.kl_div(a, b, reduction=reduction, log_target=log_target)

    assert_gradients_match(loss, x, target)


@SETTINGS
@given(seeds, shapes, reductions, st.booleans(), st.booleans())
def test_binary_cross_entropies(seed, shape, reduction, weighted, with_logits):
    rng = np.random.default_rng(seed)
    y = rng.uniform(size=shape)
    weight = Tensor(rng.uniform(0.2, 2.0, size=shape[-1:])) if weighted else None
    if with_logits:
        pos_weight = Tensor(rng.uniform(0.2, 3.0, size=shape[-1:]))

        def loss(a, b):
            return F.binary_cross_entropy_with_logits(
                a, b, weight=weight, reduction=reduction, pos_weight=pos_weight
            )

        assert_gradients_match(loss, rng.normal(size=shape) * 3, y)
    else:

        def loss(a, b):
            return F.binary_cross_entropy(a, b, weight=weight, reduction=reduction)

        assert_gradients_match(loss, rng.uniform(0.05, 0.95, size=shape), y)


@SETTINGS
@given(
    seeds,
    st.sampled_from([(4,), (3, 4), (2, 4, 3)]),
    reductions,
    st.booleans(),
    st.sampled_from([0.0, 0.2]),
    st.booleans(),
)
def test_cross_entropy_and_nll(seed, shape, reduction, weighted, smoothing, probabilities):
    rng = np.random.default_rng(seed)
    classes = shape[0] if len(shape) == 1 else shape[1]
    weight = Tensor(rng.uniform(0.2, 2.0, size=classes)) if weighted else None
    x = rng.normal(size=shape) * 2
    if probabilities:
        p = rng.gamma(1.0, size=shape)
        p /= p.sum(axis=0 if len(shape) == 1 else 1, keepdims=True)

        def loss(a, b):
            return F.cross_entropy(
                a, b, weight=weight, reduction=reduction, label_smoothing=smoothing
            )

        assert_gradients_match(loss, x, p)
        return
    t_shape = () if len(shape) == 1 else (shape[0], *shape[2:])
    target = Tensor(rng.integers(0, classes, size=t_shape))

    def ce(a):
        return F.cross_entropy(
            a, target, weight=weight, reduction=reduction, label_smoothing=smoothing,
            ignore_index=1,
        )  # fmt: skip

    def nll(a):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return F.nll_loss(a, target, weight=weight, reduction=reduction)

    # all-ignored means are NaN, by design; finite differences need a finite loss
    assume(reduction != "mean" or np.any(target.data != 1))
    assert_gradients_match(ce, x)
    assert_gradients_match(nll, x)
