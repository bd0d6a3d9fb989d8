"""How the autograd views read the engine's graph: names, inputs, and the recorded walk."""

import doctest

import numpy as np
import pytest

import explorer.inspect.engine_graph as engine_graph
from explorer.engine import Tensor, fast
from explorer.inspect.engine_graph import (
    graph_tensors,
    inputs_of,
    leaf_grad,
    op_name,
    record_backward,
    values,
)


def test_docstring_examples():
    assert doctest.testmod(engine_graph).failed == 0


def test_the_op_name_is_the_grad_fn_objects_class_name_or_its_text():
    class AddmmBackward0:
        pass

    class Fake:
        def __init__(self, grad_fn):
            self.grad_fn = grad_fn

    assert op_name(Fake(AddmmBackward0())) == "AddmmBackward0"
    assert op_name(Fake("ReluBackward")) == "ReluBackward"
    assert op_name(Fake(None)) is None


def test_inputs_are_the_ops_arguments_in_order_and_a_leaf_has_none():
    a = Tensor([1.0, 2.0], requires_grad=True)
    b = Tensor([3.0, 4.0])
    c = a * b
    assert inputs_of(c) == (a, b)
    assert inputs_of(a) == ()


def test_graph_tensors_come_leaves_first_and_the_root_last():
    a = Tensor([1.0, 2.0], requires_grad=True)
    b = (a * a).exp()
    loss = b.sum()
    tensors = graph_tensors(loss)
    assert tensors[0] is a and tensors[-1] is loss
    assert len(tensors) == 4  # a, a*a, exp, sum
    assert len({id(t) for t in tensors}) == 4


def test_the_recorded_walk_is_the_engines_gradients_and_leaves_the_graph_as_it_was():
    x = Tensor(np.array([[0.5, -1.0, 2.0]]), requires_grad=True)
    w = Tensor(np.array([[1.0, 2.0, 3.0], [-1.0, 0.5, 0.25]]), requires_grad=True)
    y = (x * w).sum(dim=1)  # broadcast of x over w's rows
    loss = (y * y).mean()
    nodes = graph_tensors(loss)
    before = {id(t): t._backward for t in nodes}
    steps = record_backward(loss)
    assert [t._backward for t in nodes] == [before[id(t)] for t in nodes]  # given back
    assert steps[0].node is loss and float(steps[0].grad) == 1.0
    # each op after every op that uses its result: mean, y*y, sum, x*w
    assert [op_name(s.node)[:3] for s in steps] == ["Mea", "Mul", "Sum", "Mul"]
    mul = steps[-1]
    assert mul.sent[0].shape == x.shape  # summed back over the broadcast rows
    # what the walk sent to the leaves is what backward left in .grad
    xs, ws = np.asarray(x), np.asarray(w)
    dy = 2 * (xs * ws).sum(axis=1) / 2
    np.testing.assert_allclose(leaf_grad(w), dy[:, None] * xs, rtol=1e-6)
    np.testing.assert_allclose(leaf_grad(x), (dy[:, None] * ws).sum(axis=0, keepdims=True))
    np.testing.assert_array_equal(mul.sent[0], leaf_grad(x))
    np.testing.assert_array_equal(mul.sent[1], leaf_grad(w))


def test_the_walk_runs_on_the_plain_path_and_restores_the_switch():
    assert fast.enabled()
    x = Tensor([1.0], requires_grad=True)
    seen = []
    y = x * 2
    original = y._backward

    def spy(grad):
        seen.append(fast.enabled())
        return original(grad)

    y._backward = spy
    record_backward(y.sum())
    assert seen == [False] and fast.enabled()


def test_a_failing_backward_still_gives_every_node_its_function_back():
    x = Tensor([1.0], requires_grad=True)
    y = x * 2
    original = y._backward

    def broken(grad):
        raise RuntimeError("broken backward")

    y._backward = broken
    with pytest.raises(RuntimeError, match="broken"):
        record_backward(y.sum())
    assert y._backward is broken
    y._backward = original


def test_values_and_grads_are_copies():
    x = Tensor([1.0, 2.0], requires_grad=True)
    (x * 3).sum().backward()
    v, g = values(x), leaf_grad(x)
    v[0] = g[0] = 99
    assert np.asarray(x)[0] == 1.0 and np.asarray(x.grad)[0] == 3.0
    assert leaf_grad(Tensor([1.0], requires_grad=True)) is None
