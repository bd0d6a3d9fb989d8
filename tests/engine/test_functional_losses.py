"""Loss functions: hand-checked values, edge cases, dtypes and rejections (values vs torch are
in test_golden_losses.py)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from explorer.engine import Tensor, no_grad
from explorer.engine.nn import functional as F  # noqa: N812 (torch's alias)

RNG = np.random.default_rng(7)


def randn(*shape, requires_grad=False, dtype=np.float64):
    return Tensor(RNG.standard_normal(shape).astype(dtype), requires_grad=requires_grad)


def probs(*shape, dtype=np.float64):
    raw = RNG.gamma(1.0, size=shape)
    return (raw / raw.sum(axis=-1, keepdims=True)).astype(dtype)


# every loss with arguments that suit it: (function, input, target, kwargs)
def _all_losses(dtype):
    logits = RNG.standard_normal((4, 3)).astype(dtype)
    return [
        (F.l1_loss, logits, RNG.standard_normal((4, 3)).astype(dtype), {}),
        (F.mse_loss, logits, RNG.standard_normal((4, 3)).astype(dtype), {}),
        (F.huber_loss, logits, RNG.standard_normal((4, 3)).astype(dtype), {"delta": 0.5}),
        (F.smooth_l1_loss, logits, RNG.standard_normal((4, 3)).astype(dtype), {"beta": 0.5}),
        (F.kl_div, np.log(probs(4, 3, dtype=dtype)), probs(4, 3, dtype=dtype), {}),
        (F.binary_cross_entropy, probs(4, 3, dtype=dtype), probs(4, 3, dtype=dtype), {}),
        (F.binary_cross_entropy_with_logits, logits, probs(4, 3, dtype=dtype), {}),
        (F.cross_entropy, logits, np.array([0, 2, 1, 1]), {"label_smoothing": 0.1}),
        (F.cross_entropy, logits, probs(4, 3, dtype=dtype), {}),
        (F.nll_loss, np.log(probs(4, 3, dtype=dtype)), np.array([0, 2, 1, 1]), {}),
    ]


def test_lecture_notes_l1loss_example_gradient_is_sign_over_count():
    input = randn(3, 5, requires_grad=True)
    target = randn(3, 5)
    output = F.l1_loss(input, target)
    output.backward()
    assert output.shape == ()
    assert output.item() == pytest.approx(np.abs(input.data - target.data).mean())
    np.testing.assert_allclose(input.grad, np.sign(input.data - target.data) / 15)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("index", range(10))
def test_float32_stays_float32_and_float64_stays_float64(dtype, index):
    function, x, y, kwargs = _all_losses(dtype)[index]
    input = Tensor(x, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = function(input, Tensor(y), **kwargs)
        per_element = function(Tensor(x), Tensor(y), reduction="none", **kwargs)
    out.backward()
    assert out.dtype == dtype and per_element.dtype == dtype
    assert input.grad.dtype == dtype
    assert np.all(np.isfinite(input.grad))


@pytest.mark.parametrize(
    "call, dtype",
    [
        (lambda x, p: F.binary_cross_entropy(p, p, weight=Tensor(np.ones(3))), np.float32),
        (lambda x, p: F.binary_cross_entropy_with_logits(x, p, pos_weight=Tensor(np.ones(3))),
         np.float32),
        (lambda x, p: F.mse_loss(x, x, weight=Tensor(np.ones((4, 3)))), np.float64),
        (lambda x, p: F.l1_loss(x, x, weight=Tensor(np.ones((4, 3)))), np.float64),
        (lambda x, p: F.huber_loss(x, x, weight=Tensor(np.ones((4, 3)))), np.float64),
    ],
)  # fmt: skip
def test_a_float64_weight_with_a_float32_loss_gives_torchs_dtype(call, dtype):
    """BCE's kernels take the input's dtype; L1, MSE and Huber weigh in Python, promoting."""
    x = Tensor(RNG.standard_normal((4, 3)).astype(np.float32))
    assert call(x, Tensor(probs(4, 3, dtype=np.float32))).dtype == dtype


def test_a_float64_class_weight_with_float32_logits_is_refused_as_in_torch():
    x = Tensor(RNG.standard_normal((4, 3)).astype(np.float32))
    with pytest.raises(RuntimeError, match="^expected scalar type Float but found Double$"):
        F.cross_entropy(x, Tensor([0, 1, 2, 0]), weight=Tensor(np.ones(3)))


def test_kl_div_batchmean_is_the_true_kl_and_mean_divides_by_every_element():
    p, q = probs(4, 6), probs(4, 6)
    true_kl = np.sum(p * np.log(p / q)) / 4
    batchmean = F.kl_div(Tensor(np.log(q)), Tensor(p), reduction="batchmean")
    assert batchmean.item() == pytest.approx(true_kl, rel=1e-12)
    with pytest.warns(UserWarning, match="'batchmean' divides only by the batch size"):
        mean = F.kl_div(Tensor(np.log(q)), Tensor(p), reduction="mean")
    assert mean.item() == pytest.approx(true_kl / 6, rel=1e-12)
    log_target = F.kl_div(
        Tensor(np.log(q)), Tensor(np.log(p)), reduction="batchmean", log_target=True
    )
    assert log_target.item() == pytest.approx(true_kl, rel=1e-12)


def test_kl_div_batchmean_does_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        F.kl_div(Tensor(np.log(probs(2, 3))), Tensor(probs(2, 3)), reduction="batchmean")


def test_kl_div_zero_target_contributes_nothing():
    q = probs(1, 3)
    out = F.kl_div(Tensor(np.log(q)), Tensor([[1.0, 0.0, 0.0]]), reduction="sum")
    assert out.item() == pytest.approx(-np.log(q[0, 0]))


def test_cross_entropy_and_bce_with_logits_are_finite_at_plus_minus_1000():
    logits = Tensor([[1000.0, -1000.0, 0.0], [-1000.0, 1000.0, 999.0]], requires_grad=True)
    out = F.cross_entropy(logits, Tensor([1, 2]))
    out.backward()
    assert out.item() == pytest.approx((2000.0 + 1.0 + np.log1p(np.exp(-1.0))) / 2)
    assert np.all(np.isfinite(logits.grad))
    x = Tensor([1000.0, -1000.0, 1000.0, -1000.0], requires_grad=True)
    out = F.binary_cross_entropy_with_logits(x, Tensor([0.0, 1.0, 1.0, 0.0]), reduction="none")
    out.sum().backward()
    np.testing.assert_allclose(out.data, [1000.0, 1000.0, 0.0, 0.0])
    np.testing.assert_allclose(x.grad, [1.0, -1.0, 0.0, 0.0])


def test_bce_clamps_its_logs_at_minus_100():
    out = F.binary_cross_entropy(Tensor([0.0, 1.0, 0.0]), Tensor([1.0, 0.0, 0.0]), reduction="none")
    np.testing.assert_allclose(out.data, [100.0, 100.0, 0.0])


def test_all_targets_ignored_gives_nan_mean_zero_sum_and_zero_gradient():
    x = randn(3, 4, requires_grad=True)
    ignored = Tensor([-100, -100, -100])
    with np.errstate(all="raise"):  # no numpy warning escapes
        mean = F.cross_entropy(x, ignored)
        mean.backward()
    assert np.isnan(mean.item())
    np.testing.assert_array_equal(x.grad, 0.0)
    assert F.nll_loss(x, ignored, reduction="sum").item() == 0.0
    np.testing.assert_array_equal(F.nll_loss(x, ignored, reduction="none").data, 0.0)


def test_weighted_mean_divides_by_the_selected_weights():
    logp = np.log(probs(3, 4))
    target, weight = np.array([1, 3, 1]), np.array([0.5, 2.0, 1.0, 4.0])
    out = F.nll_loss(Tensor(logp), Tensor(target), weight=Tensor(weight))
    picked = -logp[np.arange(3), target] * weight[target]
    assert out.item() == pytest.approx(picked.sum() / weight[target].sum())


def test_ignore_index_drops_the_row_from_loss_and_denominator():
    logp = np.log(probs(3, 4))
    out = F.nll_loss(Tensor(logp), Tensor([1, 2, 0]), ignore_index=2)
    assert out.item() == pytest.approx(-(logp[0, 1] + logp[2, 0]) / 2)


def test_cross_entropy_of_column_major_logits_has_the_right_gradient():
    x = RNG.standard_normal((5, 3))
    target = Tensor(RNG.integers(0, 3, 5))
    rows, cols = Tensor(x, requires_grad=True), Tensor(np.asfortranarray(x), requires_grad=True)
    F.cross_entropy(rows, target).backward()
    F.cross_entropy(cols, target).backward()
    np.testing.assert_allclose(cols.grad, rows.grad, rtol=1e-12)


def test_cross_entropy_keeps_extra_dimensions_for_none():
    x = randn(2, 3, 4, 5)
    target = Tensor(RNG.integers(0, 3, (2, 4, 5)))
    assert F.cross_entropy(x, target, reduction="none").shape == (2, 4, 5)
    assert F.cross_entropy(randn(3), Tensor(1), reduction="none").shape == ()


def test_label_smoothing_one_is_the_uniform_target():
    x = randn(2, 5)
    uniform = Tensor(np.full((2, 5), 0.2))
    smoothed = F.cross_entropy(x, Tensor([0, 3]), label_smoothing=1.0)
    assert smoothed.item() == pytest.approx(F.cross_entropy(x, uniform).item())


def test_smooth_l1_with_beta_zero_is_l1_and_huber_is_delta_times_smooth_l1():
    x, y = randn(4, 3), randn(4, 3)
    assert F.smooth_l1_loss(x, y, beta=0.0).item() == pytest.approx(F.l1_loss(x, y).item())
    assert F.huber_loss(x, y, delta=0.7).item() == pytest.approx(
        0.7 * F.smooth_l1_loss(x, y, beta=0.7).item()
    )


def test_target_gradients_where_torch_gives_them():
    x, y = randn(3, requires_grad=True), randn(3, requires_grad=True)
    F.mse_loss(x, y, reduction="sum").backward()
    np.testing.assert_allclose(y.grad, -2 * (x.data - y.data))
    np.testing.assert_allclose(x.grad, 2 * (x.data - y.data))


def test_broadcast_target_warns_like_torch_and_sums_the_gradient_back():
    x, y = randn(3, 5, requires_grad=True), randn(5, requires_grad=True)
    with pytest.warns(UserWarning, match=r"target size \(torch.Size\(\[5\]\)\) that is different"):
        F.mse_loss(x, y, reduction="sum").backward()
    assert y.grad.shape == (5,)


def test_no_grad_builds_no_graph_and_only_tensors_are_accepted():
    with no_grad():
        out = F.mse_loss(randn(3, requires_grad=True), randn(3))
    assert not out.requires_grad
    with pytest.raises(AttributeError, match="'numpy.ndarray' object has no attribute 'size'"):
        F.l1_loss(np.array([1.0, 2.0]), Tensor([0.0, 0.0]))


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: F.l1_loss(randn(3), randn(3), reduction="avg"), ValueError,
         "^avg is not a valid value for reduction$"),
        (lambda: F.kl_div(randn(3), randn(3), reduction="batch"), ValueError,
         "^batch is not a valid value for reduction$"),
        (lambda: F.mse_loss(randn(3, 5), randn(4)), RuntimeError,
         r"^The size of tensor a \(5\) must match the size of tensor b \(4\) at non-singleton "
         r"dimension 1$"),
        (lambda: F.binary_cross_entropy(Tensor([0.5, 0.5]), Tensor([0.5])), ValueError,
         r"target size \(torch.Size\(\[1\]\)\) .* input size \(torch.Size\(\[2\]\)\)"),
        (lambda: F.binary_cross_entropy_with_logits(randn(2, 3), randn(3)), ValueError,
         r"Target size \(torch.Size\(\[3\]\)\) must be the same as input size"),
        (lambda: F.binary_cross_entropy(Tensor([0.5, 1.5]), Tensor([0.5, 0.5])), RuntimeError,
         r"^all elements of input should be between 0 and 1$"),
        (lambda: F.binary_cross_entropy(Tensor([0.5, 0.5]), Tensor([0.5, np.nan])), RuntimeError,
         "^all elements of target should be between 0 and 1$"),
        (lambda: F.cross_entropy(randn(3, 5), Tensor([0, 1, 5])), IndexError,
         r"^Target 5 is out of bounds.$"),
        (lambda: F.cross_entropy(randn(3, 5), Tensor([0, -1, 2])), IndexError,
         r"^Target -1 is out of bounds.$"),
        (lambda: F.cross_entropy(randn(3, 2), Tensor([0, 2**40, 1])), IndexError,
         r"^Target 1099511627776 is out of bounds.$"),
        (lambda: F.cross_entropy(randn(3, 2), Tensor([1, 0, -(2**40)])), IndexError,
         r"^Target -1099511627776 is out of bounds.$"),
        (lambda: F.nll_loss(randn(3, 5), Tensor([0, -1, 2])), IndexError,
         r"^Target -1 is out of bounds.$"),
        (lambda: F.cross_entropy(randn(3, 5), Tensor([0.0, 1.0, 2.0])), RuntimeError,
         "^expected target dtype to be Long or Byte, but got Float$"),
        (lambda: F.cross_entropy(randn(3, 5), Tensor(np.zeros((3, 5), dtype=np.int64))),
         RuntimeError, "^Expected floating point type for target with class probabilities, got "
         "Long$"),
        (lambda: F.cross_entropy(randn(3, 5), Tensor([0, 1, 2]), weight=Tensor(np.ones(4))),
         RuntimeError, r"for all 5 classes or no classes but got weight tensor of shape: \[4\]$"),
        (lambda: F.cross_entropy(randn(3, 5), Tensor([0, 1])), ValueError,
         r"^Expected input batch_size \(3\) to match target batch_size \(2\).$"),
        (lambda: F.cross_entropy(randn(3, 5), Tensor([0, 1, 1]), label_smoothing=1.1),
         RuntimeError, "^label_smoothing must be between 0.0 and 1.0. Got: 1.1$"),
        (lambda: F.huber_loss(randn(3), randn(3), delta=0.0), RuntimeError,
         "^huber_loss does not support non-positive values for delta.$"),
        (lambda: F.smooth_l1_loss(randn(3), randn(3), beta=-1.0), RuntimeError,
         "^smooth_l1_loss does not support negative values for beta.$"),
        (lambda: F.l1_loss(randn(3), randn(3), weight=Tensor(np.ones(2))), ValueError,
         "Weights and input must have the same size"),
        (lambda: F.cross_entropy(randn(3, 5), [0, 1, 2]), TypeError,
         r"^cross_entropy_loss\(\): argument 'target' \(position 2\) must be Tensor, not list$"),
        (lambda: F.l1_loss(randn(2), [0.0, 1.0]), AttributeError,
         "^'list' object has no attribute 'size'$"),
    ],
)  # fmt: skip
@pytest.mark.filterwarnings("ignore:Using a target size")
def test_rejections_are_torchs_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_legacy_flags_override_reduction_with_torchs_warning():
    x, y = randn(3, 4), randn(3, 4)
    with pytest.warns(UserWarning, match=r"please use reduction='sum' instead"):
        summed = F.l1_loss(x, y, size_average=False, reduction="none")
    assert summed.item() == pytest.approx(np.abs(x.data - y.data).sum())
    with pytest.warns(UserWarning, match=r"please use reduction='none' instead"):
        assert F.nll_loss(x, Tensor([0, 1, 2]), reduce=False).shape == (3,)
