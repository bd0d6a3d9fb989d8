"""Tensor additions: torch's number formatting, elementwise ==, clone, min, var, std."""

import numpy as np
import pytest

from explorer.engine import Tensor
from tests.engine.gradcheck import assert_gradients_match


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([1.0, 2.0], "tensor([1., 2.])"),
        ([1.0, 2.3333333], "tensor([1.0000, 2.3333])"),
        ([0.5, 100.25], "tensor([  0.5000, 100.2500])"),
        ([1e-5, 1.0], "tensor([1.0000e-05, 1.0000e+00])"),
        ([1e9, 1.0], "tensor([1.0000e+09, 1.0000e+00])"),
        ([[1.5, -2.25], [3.0, 4.0]], "tensor([[ 1.5000, -2.2500],\n        [ 3.0000,  4.0000]])"),
        (0.2395, "tensor(0.2395)"),
        (3.0, "tensor(3.)"),
        ([float("nan"), 1.5, float("inf")], "tensor([   nan, 1.5000,    inf])"),
        ([-1000.0, 0.001], "tensor([-1.0000e+03,  1.0000e-03])"),
    ],
)
def test_repr_formats_numbers_as_torch(values, expected):
    # strings printed by torch 2.13 for torch.tensor(values)
    assert repr(Tensor(values)) == expected


def test_equality_is_elementwise_but_hashing_is_by_identity():
    t = Tensor([1.0, 2.0])
    assert (t == 2.0).tolist() == [False, True]
    assert (t != t).tolist() == [False, False]
    assert (t == None) is False  # noqa: E711
    assert {t: "x"}[t] == "x"


def test_clone_copies_and_keeps_the_graph():
    x = Tensor([1.0, 2.0], requires_grad=True)
    y = x.clone()
    assert not np.shares_memory(y.detach().numpy(), x.detach().numpy())
    assert y.grad_fn.name() == "CloneBackward0"
    (y * 3.0).sum().backward()
    np.testing.assert_array_equal(x.grad, [3.0, 3.0])


def test_min_var_std_values():
    data = np.array([[1.0, 2.0, 4.0], [3.0, -1.0, 0.5]])
    t = Tensor(data)
    assert t.min().item() == -1.0
    np.testing.assert_array_equal(t.min(1).values, [1.0, -1.0])
    np.testing.assert_array_equal(t.min(1).indices, [0, 1])
    np.testing.assert_allclose(t.var().item(), np.var(data, ddof=1))
    np.testing.assert_allclose(t.std(1).data, np.std(data, axis=1, ddof=1))
    np.testing.assert_allclose(t.var(0, correction=0).data, np.var(data, axis=0))


@pytest.mark.parametrize(
    "fn",
    [
        lambda t: t.clone() * t,
        lambda t: t.min(1).values,
        lambda t: t.var(),
        lambda t: t.std(0),
        lambda t: t.var(1, correction=0, keepdim=True),
        lambda t: t.softmax(1),
        lambda t: t.log_softmax(0),
    ],
    ids=["clone", "min", "var", "std", "var_keepdim", "softmax", "log_softmax"],
)
def test_gradients(fn):
    x = np.array([[0.3, -1.2, 2.5], [1.7, 0.4, -0.8]])
    assert_gradients_match(fn, x)


def test_to_casts_and_sends_the_gradient_back_in_the_source_dtype():
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    y = x.to(np.float32)
    assert y.dtype == np.float32 and y.grad_fn.name() == "ToCopyBackward0"
    (y * 2.0).sum().backward()
    assert x.grad.dtype == np.float64
    np.testing.assert_array_equal(x.grad, [2.0, 2.0])
    assert x.to("cpu") is x and x.to(np.float64) is x


def test_backward_accepts_torch_s_keywords():
    x = Tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    y.backward(retain_graph=True)
    y.backward()
    np.testing.assert_array_equal(x.grad, [4.0, 8.0])
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        y.backward()
    with pytest.raises(NotImplementedError):
        y.backward(create_graph=True)
