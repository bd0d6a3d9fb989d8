import numpy as np
import pytest

from explorer.engine import Tensor, no_grad
from explorer.engine.tensor import unbroadcast


def test_python_floats_default_to_float32_and_float64_arrays_are_kept():
    assert Tensor([1.0, 2.0]).dtype == np.float32
    assert Tensor(np.zeros(3)).dtype == np.float64
    assert Tensor([1, 2]).dtype == np.int64


def test_grad_is_none_before_backward_then_accumulates():
    x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    assert x.grad is None
    (x * x).sum().backward()
    np.testing.assert_allclose(x.grad, [2.0, 4.0, 6.0])
    (x * 3.0).sum().backward()
    np.testing.assert_allclose(x.grad, [5.0, 7.0, 9.0])


def test_broadcast_gradient_is_summed_back_to_the_source_shape():
    a = Tensor(np.ones((4, 3)), requires_grad=True)
    b = Tensor(np.arange(3.0), requires_grad=True)
    (a * b).sum().backward()
    np.testing.assert_allclose(b.grad, [4.0, 4.0, 4.0])
    np.testing.assert_allclose(a.grad, np.tile(np.arange(3.0), (4, 1)))
    assert unbroadcast(np.ones((2, 4, 3)), (4, 1)).tolist() == [[6.0]] * 4


def test_shared_node_gradients_add_up():
    x = Tensor(2.0, requires_grad=True)
    y = x * x
    (y + y * x).backward()  # d/dx (x^2 + x^3) = 2x + 3x^2
    assert x.grad.item() == pytest.approx(4 + 12)


@pytest.mark.parametrize("wrong", [lambda g: g[:1], lambda g: g.T, lambda g: g.reshape(3, 2)])
def test_a_gradient_of_the_wrong_shape_is_caught(wrong):
    x = Tensor(np.ones((2, 3)), requires_grad=True)
    out = Tensor._from_op(x.data * 2, (x,), lambda g: (wrong(g),), "Wrong")
    with pytest.raises(AssertionError, match="Wrong"):
        out.sum().backward()


def test_gradients_handed_to_leaves_are_their_own_arrays():
    a = Tensor([1.0, 2.0], requires_grad=True)
    b = Tensor([3.0, 4.0], requires_grad=True)
    seed = np.array([1.0, 1.0], dtype=np.float32)
    (a + b).backward(seed)  # Add hands one array to both; the seed is the caller's
    assert not np.shares_memory(a.grad, b.grad)
    assert not np.shares_memory(a.grad, seed) and not np.shares_memory(b.grad, seed)
    a.grad[...] = 0
    assert b.grad.tolist() == [1.0, 1.0] and seed.tolist() == [1.0, 1.0]
    c = Tensor(np.ones((2, 3)), requires_grad=True)
    c.sum().backward()  # Sum's gradient is a read-only broadcast view: the leaf gets a copy
    c.grad[...] = 0


def test_deep_graph_does_not_hit_the_recursion_limit():
    x = Tensor(1.0, requires_grad=True)
    y = x
    for _ in range(5000):
        y = y + 1.0
    y.backward()
    assert x.grad == 1.0


def test_backward_errors_match_torch():
    with pytest.raises(RuntimeError, match="only for scalar outputs"):
        (Tensor([1.0, 2.0], requires_grad=True) * 2).backward()
    with pytest.raises(RuntimeError, match="does not require grad"):
        Tensor(1.0).backward()


def test_no_grad_builds_no_graph():
    x = Tensor([1.0], requires_grad=True)
    with no_grad():
        y = x * 2
    assert not y.requires_grad and y.grad_fn is None


def test_sigmoid_is_finite_for_huge_inputs():
    out = Tensor([-1000.0, 0.0, 1000.0]).sigmoid().data
    np.testing.assert_allclose(out, [0.0, 0.5, 1.0])


def test_repr_looks_like_torch():
    assert repr(Tensor([1.0, 2.0], requires_grad=True)) == ("tensor([1., 2.], requires_grad=True)")
