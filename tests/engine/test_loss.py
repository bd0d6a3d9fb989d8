"""Loss modules: torch's constructor signatures, the legacy flags, buffers, repr, calls."""

from __future__ import annotations

import inspect
import warnings

import numpy as np
import pytest

from explorer.engine import Tensor, nn
from explorer.engine.nn import functional as F  # noqa: N812 (torch's alias)
from explorer.engine.nn.loss import _Loss

# torch 2.13's constructor signatures: (name, default) in order
SIGNATURES = {
    "L1Loss": [("size_average", None), ("reduce", None), ("reduction", "mean")],
    "MSELoss": [("size_average", None), ("reduce", None), ("reduction", "mean")],
    "CrossEntropyLoss": [
        ("weight", None), ("size_average", None), ("ignore_index", -100), ("reduce", None),
        ("reduction", "mean"), ("label_smoothing", 0.0),
    ],
    "NLLLoss": [
        ("weight", None), ("size_average", None), ("ignore_index", -100), ("reduce", None),
        ("reduction", "mean"),
    ],
    "KLDivLoss": [
        ("size_average", None), ("reduce", None), ("reduction", "mean"), ("log_target", False),
    ],
    "BCELoss": [("weight", None), ("size_average", None), ("reduce", None), ("reduction", "mean")],
    "BCEWithLogitsLoss": [
        ("weight", None), ("size_average", None), ("reduce", None), ("reduction", "mean"),
        ("pos_weight", None),
    ],
    "HuberLoss": [("reduction", "mean"), ("delta", 1.0)],
    "SmoothL1Loss": [
        ("size_average", None), ("reduce", None), ("reduction", "mean"), ("beta", 1.0),
    ],
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(SIGNATURES))
def test_constructor_signature_matches_torch(name):
    parameters = inspect.signature(getattr(nn, name)).parameters
    assert [(p.name, p.default) for p in parameters.values()] == SIGNATURES[name]


@pytest.mark.parametrize("name", sorted(SIGNATURES))
def test_a_loss_is_a_module_without_parameters(name):
    loss = getattr(nn, name)()
    assert isinstance(loss, nn.Module)
    assert loss.reduction == "mean"
    assert list(loss.parameters()) == []
    assert repr(loss) == f"{name}()"


def test_lecture_notes_l1loss_example():
    rng = np.random.default_rng(0)
    loss = nn.L1Loss()
    input = Tensor(rng.standard_normal((3, 5)), requires_grad=True)
    target = Tensor(rng.standard_normal((3, 5)))
    output = loss(input, target)
    output.backward()
    difference = input.detach().numpy() - target.numpy()
    assert output.item() == pytest.approx(np.abs(difference).mean())
    np.testing.assert_allclose(input.grad, np.sign(difference) / 15)


@pytest.mark.parametrize(
    "size_average, reduce, expected",
    [
        (None, None, "mean"), (True, None, "mean"), (False, None, "sum"),
        (None, True, "mean"), (True, True, "mean"), (False, True, "sum"),
        (None, False, "none"), (True, False, "none"), (False, False, "none"),
    ],
)  # fmt: skip
def test_legacy_flags_override_reduction(size_average, reduce, expected):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        loss = nn.MSELoss(size_average=size_average, reduce=reduce, reduction="sum")
    legacy = size_average is not None or reduce is not None
    assert loss.reduction == (expected if legacy else "sum")
    messages = [str(w.message) for w in caught]
    if legacy:
        assert messages == [
            "size_average and reduce args will be deprecated, please use "
            f"reduction='{expected}' instead."
        ]
    else:
        assert messages == []


def test_options_are_checked_when_the_loss_is_called_not_when_it_is_built():
    x, t = Tensor([[0.5, -1.0, 2.0]]), Tensor([2])
    built = {
        "reduction": nn.CrossEntropyLoss(reduction="batchmean"),
        "delta": nn.HuberLoss(delta=0),
        "beta": nn.SmoothL1Loss(beta=-1.0),
        "label_smoothing": nn.CrossEntropyLoss(label_smoothing=2.0),
    }
    assert built["reduction"].reduction == "batchmean" and built["delta"].delta == 0
    with pytest.raises(ValueError, match="^batchmean is not a valid value for reduction$"):
        built["reduction"](x, t)
    with pytest.raises(RuntimeError, match="non-positive values for delta"):
        built["delta"](x, x)
    with pytest.raises(RuntimeError, match="negative values for beta"):
        built["beta"](x, x)
    with pytest.raises(RuntimeError, match="label_smoothing must be between 0.0 and 1.0. Got: 2$"):
        built["label_smoothing"](x, t)


def test_a_subclass_of_loss_may_take_batchmean_as_the_lecture_notes_kldivloss_does():
    class KLDivLoss(_Loss):
        def forward(self, input, target):
            return F.kl_div(input, target, reduction=self.reduction)

    loss = KLDivLoss(reduction="batchmean")
    value = loss(Tensor([[0.25, 0.75]]).log(), Tensor([[0.5, 0.5]]))
    assert value.item() == pytest.approx(0.5 * np.log(2) + 0.5 * np.log(2 / 3), rel=1e-6)


def test_kl_div_loss_mean_warns_at_each_call_and_batchmean_does_not():
    p = np.full((2, 4), 0.25)
    log_q = Tensor(np.log(np.array([[0.1, 0.2, 0.3, 0.4]] * 2)))
    with pytest.warns(UserWarning, match="aligns with the KL div math definition"):
        mean = nn.KLDivLoss()(log_q, Tensor(p))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        batchmean = nn.KLDivLoss(reduction="batchmean")(log_q, Tensor(p))
    assert batchmean.item() == pytest.approx(4 * mean.item())


def test_weights_are_buffers_in_the_state_dict_and_follow_the_dtype():
    loss = nn.CrossEntropyLoss(weight=Tensor(np.array([1.0, 2.0, 3.0])))
    assert list(loss.state_dict()) == ["weight"]
    assert loss.weight.dtype == np.float64
    loss.float()
    assert loss.weight.dtype == np.float32
    bce = nn.BCEWithLogitsLoss(pos_weight=Tensor([2.0, 1.0]))
    assert list(bce.state_dict()) == ["pos_weight"]
    assert nn.BCELoss().weight is None
    with pytest.raises(TypeError, match="cannot assign 'list' object to buffer 'weight'"):
        nn.CrossEntropyLoss(weight=[1.0, 2.0])


@pytest.mark.parametrize(
    "module, function, x, y",
    [
        (nn.NLLLoss(weight=Tensor(np.array([1.0, 2.0, 3.0])), ignore_index=0), F.nll_loss,
         "logp", "cls"),
        (nn.CrossEntropyLoss(label_smoothing=0.2, reduction="sum"), F.cross_entropy, "x", "cls"),
        (nn.BCEWithLogitsLoss(pos_weight=Tensor(np.array([2.0, 1.0, 0.5]))),
         F.binary_cross_entropy_with_logits, "x", "p"),
        (nn.BCELoss(weight=Tensor(np.array([2.0, 1.0, 0.5]))), F.binary_cross_entropy, "p", "p"),
        (nn.HuberLoss(delta=0.3), F.huber_loss, "x", "x"),
        (nn.SmoothL1Loss(beta=0.0), F.smooth_l1_loss, "x", "x"),
        (nn.KLDivLoss(reduction="batchmean", log_target=True), F.kl_div, "logp", "logp"),
    ],
)  # fmt: skip
def test_module_forward_calls_its_function_with_its_options(module, function, x, y):
    rng = np.random.default_rng(3)
    raw = rng.standard_normal((4, 3))
    data = {
        "x": raw,
        "p": 1 / (1 + np.exp(-raw)),
        "logp": raw - np.log(np.exp(raw).sum(axis=1, keepdims=True)),
        "cls": np.array([0, 2, 1, 2]),
    }
    options = {
        name: getattr(module, name)
        for name in ("weight", "ignore_index", "label_smoothing", "pos_weight", "delta", "beta",
                     "log_target", "reduction")
        if hasattr(module, name)
    }  # fmt: skip
    expected = function(Tensor(data[x]), Tensor(data[y] if y != "x" else data[x][::-1]), **options)
    actual = module(Tensor(data[x]), Tensor(data[y] if y != "x" else data[x][::-1]))
    assert actual.item() == pytest.approx(expected.item(), rel=1e-12)


def test_forward_hooks_run_on_a_loss_module():
    seen = []
    loss = nn.MSELoss()
    handle = loss.register_forward_hook(lambda module, args, output: seen.append(output.item()))
    value = loss(Tensor([1.0, 2.0]), Tensor([0.0, 0.0])).item()
    handle.remove()
    assert seen == [value] == [2.5]
