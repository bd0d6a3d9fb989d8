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
    assert x.grad == pytest.approx(4 + 12)


def _exact_sum(*parents):
    """The sum of the parents as an op that vouches for its gradients (``backward.exact``):
    Tensor.backward walks a chain of such ops without sorting the graph."""

    def backward(g):
        return [g * np.ones_like(p.data) if p.requires_grad else None for p in parents]

    backward.exact = True
    return Tensor._from_op(sum(p.data for p in parents), parents, backward, "ExactSum")


def test_exact_ops_give_the_same_gradients_as_plain_ones_whatever_the_graph_shape():
    def grads(exact):
        x = Tensor([1.0, 2.0], requires_grad=True)
        w = Tensor([3.0, 4.0], requires_grad=True)
        w.grad = np.array([0.5, 0.5], dtype=np.float32)  # contributions are summed, then added
        add = _exact_sum if exact else (lambda *ps: sum(ps[1:], ps[0]))
        a = x * 2
        diamond = add(a + 1, a * 3)  # two non-leaf parents sharing one: sorted from there
        twice = add(diamond, diamond)  # one non-leaf parent handed two gradients
        chain = add(add(twice, w), w)  # a leaf used by two ops of the chain
        (chain * chain).sum().backward()
        return x.grad, w.grad

    for exact, plain in zip(grads(True), grads(False), strict=True):
        assert np.array_equal(exact, plain)
    x, w = np.array([1.0, 2.0]), np.array([3.0, 4.0])
    # chain = 16 x + 2 + 2 w, loss = sum(chain^2): d/dw = 4 chain, plus the 0.5 already there
    np.testing.assert_allclose(grads(True)[1], 4 * (16 * x + 2 + 2 * w) + 0.5)


@pytest.mark.parametrize("had_grad", [False, True])
@pytest.mark.parametrize("head", ["exact", "plain"])
def test_a_leaf_gets_every_contribution_summed_once_whichever_ops_hand_them(had_grad, head):
    # w's gradient comes from exact ops in the chain walk, an exact op of the sorted walk and a
    # plain op; a leaf without a .grad takes the first at once, then the sums replace it
    def grads(exact):
        x = Tensor([1.0, 2.0], requires_grad=True)
        w = Tensor([3.0, 4.0], requires_grad=True)
        if had_grad:
            w.grad = np.array([0.5, 0.5], dtype=np.float32)
        add = _exact_sum if exact else (lambda *ps: sum(ps[1:], ps[0]))
        inner = add(add(x * 2, w), w)
        top = add(inner, w, w * 3)  # two non-leaf parents: the sorted walk takes over
        out = add(top, w) if head == "exact" else top * 1
        out.backward(np.array([1.0, 2.0], dtype=np.float32))
        return x.grad, w.grad

    exact, plain = grads(True), grads(False)
    for a, b in zip(exact, plain, strict=True):
        assert np.array_equal(a, b)
    uses = 7 if head == "exact" else 6  # w + w + w + 3 w (+ w again at an exact head)
    expected = np.array([1.0, 2.0]) * uses + (0.5 if had_grad else 0.0)
    np.testing.assert_array_equal(exact[1], expected)


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
