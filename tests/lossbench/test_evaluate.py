"""Evaluation through the catalogue equals the engine's functional losses, for every setting."""

import numpy as np
import pytest

import explorer.engine.nn.functional as F
from explorer.engine import Tensor
from explorer.lossbench.evaluate import LossRejected, build_loss, evaluate, loss_call
from explorer.lossbench.spec import LOSSES, LossOptions, input_kind, replace_options, target_kind
from explorer.lossbench.tensors import random_tensor

CASES = [(kind, r) for kind, spec in LOSSES.items() for r in spec.reductions]


def tensors(kind, options, n=3, c=5, seed=0):
    spec = LOSSES[kind]
    return (
        random_tensor(input_kind(spec, options), n, c, seed, 0),
        random_tensor(target_kind(spec, options), n, c, seed, 1),
    )


def functional(kind, options, x, t):
    """The same loss written directly with explorer.engine.nn.functional."""
    xt = Tensor(x, requires_grad=True)
    fed = F.log_softmax(xt, dim=1) if kind in ("KLDiv", "NLL") else xt
    weight = None if options.weight is None else Tensor(np.array(options.weight, xt.dtype))
    r = options.reduction
    target = Tensor(t)
    calls = {
        "L1": lambda: F.l1_loss(fed, target, reduction=r),
        "MSE": lambda: F.mse_loss(fed, target, reduction=r),
        "CrossEntropy": lambda: F.cross_entropy(
            fed, target, weight=weight, reduction=r, label_smoothing=options.label_smoothing
        ),
        "NLL": lambda: F.nll_loss(fed, target, weight=weight, reduction=r),
        "KLDiv": lambda: F.kl_div(fed, target, reduction=r, log_target=options.log_target),
        "BCE": lambda: F.binary_cross_entropy(fed, target, weight=weight, reduction=r),
        "BCEWithLogits": lambda: F.binary_cross_entropy_with_logits(
            fed, target, weight=weight, reduction=r
        ),
        "Huber": lambda: F.huber_loss(fed, target, reduction=r, delta=options.delta),
        "SmoothL1": lambda: F.smooth_l1_loss(fed, target, reduction=r, beta=options.beta),
    }
    out = calls[kind]()
    total = out if out.dim() == 0 else out.sum()
    total.backward()
    return total.item(), xt.grad


@pytest.mark.filterwarnings("ignore:reduction. 'mean' divides")
@pytest.mark.parametrize(("kind", "reduction"), CASES)
def test_every_loss_and_reduction_matches_the_engine_functional(kind, reduction):
    options = LossOptions(reduction=reduction)
    x, t = tensors(kind, options)
    result = evaluate(kind, options, x, t)
    value, grad = functional(kind, options, x, t)
    assert result.value == pytest.approx(value, rel=1e-6, abs=1e-7)
    np.testing.assert_allclose(result.grad, grad, rtol=1e-6, atol=1e-8)
    assert result.grad.shape == x.shape
    assert result.reduction == reduction
    if reduction == "none":
        assert result.output.shape == (t.shape[0],) if t.ndim == 1 else x.shape
    else:
        assert result.output.shape == ()


def test_the_lecture_notes_example_l1_mean_gradient_is_sign_over_count():
    # nn.L1Loss(); input = torch.randn(3, 5, requires_grad=True); output.backward()
    x, t = tensors("L1", LossOptions())
    result = evaluate("L1", LossOptions(), x, t)
    assert result.value == pytest.approx(np.abs(x - t).mean(), rel=1e-6)
    np.testing.assert_allclose(result.grad, np.sign(x - t) / 15, rtol=1e-6)


def test_kldiv_batchmean_is_the_sum_over_n_and_mean_over_n_times_c():
    x, t = tensors("KLDiv", LossOptions())
    total = evaluate("KLDiv", LossOptions(reduction="sum"), x, t).value
    batchmean = evaluate("KLDiv", LossOptions(reduction="batchmean"), x, t)
    mean = evaluate("KLDiv", LossOptions(reduction="mean"), x, t)
    assert batchmean.value == pytest.approx(total / 3, rel=1e-6)
    assert mean.value == pytest.approx(total / 15, rel=1e-6)
    assert any("batchmean" in w for w in mean.warnings)
    assert not batchmean.warnings


def test_the_log_softmax_switch_is_the_same_as_feeding_log_probabilities():
    x, t = tensors("KLDiv", LossOptions())
    on = evaluate("KLDiv", LossOptions(reduction="batchmean"), x, t)
    logp = x - np.log(np.exp(x).sum(axis=1, keepdims=True))
    off = evaluate("KLDiv", LossOptions(reduction="batchmean", log_softmax_input=False), logp, t)
    assert on.value == pytest.approx(off.value, rel=1e-5)


def test_deprecated_size_average_false_sums_and_warns():
    x, t = tensors("MSE", LossOptions())
    legacy = evaluate("MSE", LossOptions(size_average=False), x, t)
    summed = evaluate("MSE", LossOptions(reduction="sum"), x, t)
    assert legacy.reduction == "sum"
    assert legacy.value == pytest.approx(summed.value)
    assert any("size_average and reduce args will be deprecated" in w for w in legacy.warnings)
    none = evaluate("MSE", LossOptions(reduction="sum", reduce=False), x, t)
    assert none.reduction == "none" and none.output.shape == x.shape


def test_cross_entropy_with_one_hot_probabilities_equals_class_indices():
    x = random_tensor("real", 4, 3, 1, 0)
    idx = np.array([0, 2, 1, 2])
    by_index = evaluate("CrossEntropy", LossOptions(), x, idx)
    by_probs = evaluate("CrossEntropy", LossOptions(probability_target=True), x, np.eye(3)[idx])
    assert by_index.value == pytest.approx(by_probs.value, rel=1e-6)
    np.testing.assert_allclose(by_index.grad, by_probs.grad, rtol=1e-5, atol=1e-7)


def test_weights_ignore_index_smoothing_and_pos_weight_reach_the_engine():
    x, t = tensors("CrossEntropy", LossOptions())
    options = LossOptions(weight=(1, 2, 0.5, 1, 3), label_smoothing=0.1)
    result = evaluate("CrossEntropy", options, x, t)
    assert result.value == pytest.approx(functional("CrossEntropy", options, x, t)[0], rel=1e-6)
    ignored = evaluate("NLL", LossOptions(ignore_index=int(t[0])), x, t)
    np.testing.assert_array_equal(ignored.grad[t == t[0]], 0)
    xb, tb = tensors("BCEWithLogits", LossOptions())
    plain = evaluate("BCEWithLogits", LossOptions(), xb, tb).value
    weighted = evaluate("BCEWithLogits", LossOptions(pos_weight=(3,) * 5), xb, tb).value
    assert weighted > plain


@pytest.mark.parametrize(
    ("kind", "options", "edit", "message"),
    [
        ("CrossEntropy", {}, ("target", 1, 7), "Target 7 is out of bounds"),
        ("NLL", {"weight": (1, 2)}, None, "weight tensor should be defined either for all 5"),
        ("BCE", {}, ("input", (0, 0), 1.5), "all elements of input should be between 0 and 1"),
        ("BCE", {}, ("target", (0, 1), -0.5), "all elements of target should be between 0 and 1"),
        ("Huber", {"delta": 0.0}, None, "huber_loss does not support non-positive values"),
        ("BCEWithLogits", {"pos_weight": (1, 2)}, None, "must match the size of tensor b"),
    ],
)
def test_rejections_carry_the_engine_message(kind, options, edit, message):
    options = replace_options(LossOptions(), **options)
    x, t = tensors(kind, options)
    if edit is not None:
        name, index, value = edit
        (x if name == "input" else t)[index] = value
    with pytest.raises(LossRejected, match=message):
        evaluate(kind, options, x, t)


def test_build_loss_gives_the_engine_module_with_the_options():
    loss = build_loss("KLDiv", LossOptions(reduction="batchmean", log_target=True))
    assert type(loss).__name__ == "KLDivLoss"
    assert loss.reduction == "batchmean" and loss.log_target is True
    with pytest.warns(UserWarning, match="size_average and reduce"):
        legacy = build_loss("L1", LossOptions(size_average=False))
    assert legacy.reduction == "sum"


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_the_mean_shows_what_it_divided_by():
    x, t = tensors("KLDiv", LossOptions())
    assert evaluate("KLDiv", LossOptions(reduction="mean"), x, t).divisor == pytest.approx(15)
    assert evaluate("KLDiv", LossOptions(reduction="batchmean"), x, t).divisor == pytest.approx(3)
    assert evaluate("KLDiv", LossOptions(reduction="sum"), x, t).divisor is None
    xc, tc = tensors("CrossEntropy", LossOptions())
    weight = (1.0, 2.0, 0.5, 1.0, 3.0)
    weighted = evaluate("CrossEntropy", LossOptions(weight=weight), xc, tc)
    assert weighted.divisor == pytest.approx(sum(weight[i] for i in tc))
    legacy = evaluate("L1", LossOptions(size_average=True, reduce=True), x, t)
    assert legacy.divisor == pytest.approx(15)


@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize(
    ("kind", "options"),
    [(kind, LossOptions(reduction=r)) for kind, r in CASES if r in ("mean", "batchmean")]
    + [
        ("CrossEntropy", LossOptions(probability_target=True)),
        ("CrossEntropy", LossOptions(weight=(1.0, 2.0, 0.5, 1.0, 3.0), label_smoothing=0.2)),
        ("NLL", LossOptions(weight=(1.0, 2.0, 0.5, 1.0, 3.0))),
        ("BCE", LossOptions(weight=(1.0, 2.0, 0.5, 1.0, 3.0))),
    ],
)
def test_the_divisor_is_what_the_mean_divided_the_sum_by(kind, options):
    x, t = tensors(kind, options)
    result = evaluate(kind, options, x, t)
    assert result.summed / result.divisor == pytest.approx(result.value, rel=1e-5)


@pytest.mark.parametrize("kind", ["CrossEntropy", "NLL"])
@pytest.mark.parametrize("weight", [None, (1.0, 2.0, 0.5, 1.0, 3.0)])
def test_every_target_ignored_divides_a_zero_sum_by_zero(kind, weight):
    x, _ = tensors(kind, LossOptions())
    result = evaluate(kind, LossOptions(ignore_index=1, weight=weight), x, np.array([1, 1, 1]))
    assert np.isnan(result.value)  # torch: tensor(nan), and a zero gradient
    assert (result.summed, result.divisor) == (0.0, 0.0)
    assert not result.grad.any()


def test_the_divisor_is_known_when_the_mean_is_zero_or_infinite():
    x = np.zeros((2, 3))
    assert evaluate("MSE", LossOptions(), x, x).divisor == 6
    huge = np.full((2, 3), 1e30)
    result = evaluate("MSE", LossOptions(), huge, -huge)  # float32 squares overflow
    assert result.value == np.inf and result.divisor == 6


@pytest.mark.filterwarnings("ignore:reduction. 'mean' divides")  # KLDiv's, as torch warns
@pytest.mark.parametrize("kind", list(LOSSES))
def test_the_call_before_backward_is_the_one_evaluate_backpropagates(kind):
    options = LossOptions()
    x, t = tensors(kind, options)
    call = loss_call(kind, options, x, t, "float64")
    assert call.input.requires_grad and call.input.grad is None
    assert call.total.dim() == 0
    assert float(call.total.item()) == evaluate(kind, options, x, t, "float64").value
    assert isinstance(call.module, type(build_loss(kind, options, "float64")))
