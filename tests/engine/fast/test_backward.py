"""Tensor.backward's exact chain gives the plain walk's gradients, checked shapes and all."""

import numpy as np
import pytest

from explorer.engine import Tensor, plain_path
from explorer.engine.fast import backward as fast_backward


def _exact_sum(*parents):
    """The sum of the parents as an op that vouches for its gradients (``backward.exact``):
    Tensor.backward walks a chain of such ops without sorting the graph."""

    def backward(g):
        return [g * np.ones_like(p._data) if p.requires_grad else None for p in parents]

    backward.exact = True
    return Tensor._from_op(sum(p._data for p in parents), parents, backward, "ExactSum")


def test_exact_ops_give_the_same_gradients_as_plain_ones_whatever_the_graph_shape():
    def grads(exact):
        x = Tensor([1.0, 2.0], requires_grad=True)
        w = Tensor([3.0, 4.0], requires_grad=True)
        w.grad = Tensor(np.array([0.5, 0.5], dtype=np.float32))  # summed, then added
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
            w.grad = Tensor(np.array([0.5, 0.5], dtype=np.float32))
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


def test_an_exact_gradient_of_the_wrong_shape_is_caught(monkeypatch):
    monkeypatch.setattr(fast_backward, "CHECK_SHAPES", True)
    x = Tensor([1.0, 2.0, 3.0], requires_grad=True)

    def backward(g):
        return (np.ones(2, np.float32),)

    backward.exact = True
    with pytest.raises(AssertionError, match="Wrong"):
        Tensor._from_op(x._data.sum(), (x,), backward, "Wrong").backward()


def test_a_chain_into_a_plain_op_hands_over_to_the_plain_walk():
    def grads():
        w = Tensor([3.0, 4.0], requires_grad=True)
        head = _exact_sum(w * w, w)
        _exact_sum(head, w).sum().backward()
        return w.grad

    chained = grads()
    with plain_path():
        np.testing.assert_array_equal(chained, grads())
    np.testing.assert_array_equal(chained, [2 * 3.0 + 2, 2 * 4.0 + 2])
