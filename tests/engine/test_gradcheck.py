"""Every differentiable Tensor and functional op: autograd vs finite differences (float64)."""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays, mutually_broadcastable_shapes

import explorer.engine.nn.functional as F
from tests.engine.gradcheck import assert_gradients_match

FAST = settings(max_examples=20, deadline=None)
values = st.floats(-3, 3, allow_nan=False, allow_infinity=False)
positive = st.floats(0.2, 3, allow_nan=False, allow_infinity=False)


def array_of(shape, elements=values):
    return arrays(np.float64, shape, elements=elements)


pair_shapes = mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3, max_side=3)


@FAST
@given(data=st.data(), shapes=pair_shapes)
@pytest.mark.parametrize(
    "op",
    [lambda a, b: a + b, lambda a, b: a - b, lambda a, b: a * b, lambda a, b: b - a],
    ids=["add", "sub", "mul", "rsub"],
)
def test_binary_ops_with_broadcasting(op, data, shapes):
    a = data.draw(array_of(shapes.input_shapes[0]))
    b = data.draw(array_of(shapes.input_shapes[1]))
    assert_gradients_match(op, a, b)


@FAST
@given(data=st.data(), shapes=pair_shapes)
def test_division_with_broadcasting(data, shapes):
    a = data.draw(array_of(shapes.input_shapes[0]))
    b = data.draw(array_of(shapes.input_shapes[1], positive))
    assert_gradients_match(lambda x, y: x / y, a, b, rtol=1e-4)


@FAST
@given(x=array_of((2, 3)), scalar=st.floats(0.5, 2))
def test_ops_with_python_scalars(x, scalar):
    assert_gradients_match(lambda t: 2.0 * t + scalar - t / scalar, x)
    assert_gradients_match(lambda t: scalar - t * scalar, x)


@FAST
@given(x=array_of((2, 3), positive), exponent=st.sampled_from([2, 3, 0.5, -1.0, 1.5]))
def test_pow(x, exponent):
    assert_gradients_match(lambda t: t**exponent, x, rtol=1e-4)


@FAST
@given(data=st.data(), n=st.integers(1, 3), k=st.integers(1, 3), m=st.integers(1, 3))
def test_matmul_matrix_and_vector(data, n, k, m):
    a = data.draw(array_of((n, k)))
    assert_gradients_match(lambda x, y: x @ y, a, data.draw(array_of((k, m))))
    assert_gradients_match(lambda x, y: x @ y, a, data.draw(array_of((k,))))


UNARY = {
    "neg": (lambda t: -t, values),
    "exp": (lambda t: t.exp(), values),
    "log": (lambda t: t.log(), positive),
    "sqrt": (lambda t: t.sqrt(), positive),
    "abs": (lambda t: t.abs(), positive),
    "sigmoid": (lambda t: t.sigmoid(), values),
    "tanh": (lambda t: t.tanh(), values),
    "relu_method": (lambda t: t.relu(), positive),
    "clamp": (lambda t: t.clamp(-10, 10), values),
    "F.relu": (F.relu, positive),
    "F.leaky_relu": (lambda t: F.leaky_relu(-t, 0.2), positive),
    "F.sigmoid": (F.sigmoid, values),
    "F.tanh": (F.tanh, values),
}


@pytest.mark.parametrize("name", list(UNARY))
@FAST
@given(data=st.data())
def test_unary_ops(name, data):
    fn, elements = UNARY[name]
    shape = data.draw(st.sampled_from([(), (3,), (2, 3)]))
    assert_gradients_match(fn, data.draw(array_of(shape, elements)))


REDUCTIONS = {
    "sum": lambda t: t.sum(),
    "sum_dim": lambda t: t.sum(1),
    "sum_keepdim": lambda t: t.sum(0, keepdim=True),
    "sum_dims": lambda t: t.sum((0, 2)),
    "mean": lambda t: t.mean(),
    "mean_dim": lambda t: t.mean(-1),
    "mean_keepdim": lambda t: t.mean(1, keepdim=True),
    "logsumexp": lambda t: t.logsumexp(1),
    "logsumexp_keepdim": lambda t: t.logsumexp(0, keepdim=True),
    "max": lambda t: t.max(),
    "max_dim": lambda t: t.max(2).values,
}


@pytest.mark.parametrize("name", list(REDUCTIONS))
@FAST
@given(x=array_of((2, 3, 2)))
def test_reductions(name, x):
    if name.startswith("max"):
        # the max is not differentiable at ties: spread the values, keep the top two apart
        x = x + np.random.default_rng(0).permutation(x.size).reshape(x.shape) * 0.1
        axis = 2 if name == "max_dim" else None
        top = np.sort(x if axis is not None else x.ravel(), axis=-1)
        assume(np.all(top[..., -1] - top[..., -2] > 1e-3))
    assert_gradients_match(REDUCTIONS[name], x)


SHAPE_OPS = {
    "reshape": lambda t: t.reshape(3, 4),
    "view_tuple": lambda t: t.view((4, 3)),
    "flatten": lambda t: t.flatten(),
    "flatten_1": lambda t: t.flatten(1),
    "unsqueeze": lambda t: t.unsqueeze(1),
    "squeeze": lambda t: t.unsqueeze(0).squeeze(0),
    "transpose": lambda t: t.transpose(0, 2),
    "T": lambda t: t.reshape(3, 4).T,
    "t": lambda t: t.reshape(4, 3).t(),
    "getitem_int": lambda t: t[1],
    "getitem_slice": lambda t: t[:, 1:, ::2],
    "getitem_fancy": lambda t: t[[0, 1, 0]],
    "gather": lambda t: t.reshape(4, 3).gather(1, np.array([[0], [2], [1], [1]])),
}


@pytest.mark.parametrize("name", list(SHAPE_OPS))
@FAST
@given(x=array_of((2, 3, 2)))
def test_shape_and_indexing_ops(name, x):
    assert_gradients_match(SHAPE_OPS[name], x)


@FAST
@given(
    data=st.data(),
    batch=st.sampled_from([(), (1,), (4,), (2, 3)]),
    n_in=st.integers(1, 4),
    n_out=st.integers(1, 3),
    bias=st.booleans(),
)
def test_fused_linear(data, batch, n_in, n_out, bias):
    x = data.draw(array_of((*batch, n_in)))
    w = data.draw(array_of((n_out, n_in)))
    if bias:
        b = data.draw(array_of((n_out,)))
        assert_gradients_match(F.linear, x, w, b)
    else:
        assert_gradients_match(F.linear, x, w)


@pytest.mark.parametrize("fn", [F.softmax, F.log_softmax], ids=["softmax", "log_softmax"])
@pytest.mark.parametrize("dim", [0, 1, -1])
@FAST
@given(x=array_of((3, 4), st.floats(-20, 20)))
def test_softmax_family(fn, dim, x):
    assert_gradients_match(lambda t: fn(t, dim=dim), x, atol=1e-6)


@FAST
@given(x=array_of((4, 5)), p=st.sampled_from([0.0, 0.3, 0.5, 0.9]))
def test_dropout_with_a_fixed_mask(x, p):
    def fn(t):
        return F.dropout(t, p, training=True, generator=np.random.default_rng(7))

    assert_gradients_match(fn, x)


@FAST
@given(x=array_of((3, 4)), w1=array_of((5, 4)), w2=array_of((2, 5)))
def test_a_composed_network(x, w1, w2):
    def net(a, b, c):
        hidden = F.tanh(F.linear(a, b))
        return F.log_softmax(F.linear(hidden, c), dim=1)

    assert_gradients_match(net, x, w1, w2)


def test_leaf_gradients_never_alias_each_other_or_the_seed():
    from explorer.engine import Tensor

    a = Tensor(np.ones(3), requires_grad=True)
    b = Tensor(np.ones(3), requires_grad=True)
    seed = np.array([1.0, 2.0, 3.0])
    (a + b).backward(seed)
    a.grad[...] = 0
    np.testing.assert_array_equal(b.grad, seed)
    assert a.grad is not seed and b.grad is not seed
    c = Tensor(np.ones((2, 3)), requires_grad=True)
    c.reshape(6).sum().backward()
    c.grad[...] += 1  # writable, not a read-only broadcast view
    np.testing.assert_array_equal(c.grad, np.full((2, 3), 2.0))


def test_backward_order_is_correct_for_diamonds_and_reuse():
    from explorer.engine import Tensor

    x = Tensor(np.array([0.5, -1.5]), requires_grad=True)
    h = x * 3.0
    left, right = h.tanh(), h * h
    out = (left * right + h).sum()
    out.backward()
    hv = 3.0 * x.data
    expected = 3.0 * ((1 - np.tanh(hv) ** 2) * hv**2 + np.tanh(hv) * 2 * hv + 1)
    np.testing.assert_allclose(x.grad, expected)


def test_one_fresh_array_handed_to_two_leaves_is_copied_for_the_second():
    from explorer.engine import Tensor

    a = Tensor(np.ones(2), requires_grad=True)
    b = Tensor(np.ones(2), requires_grad=True)

    def twice(g):
        fresh = g * 2.0
        return fresh, fresh

    out = Tensor._from_op(a.data + b.data, (a, b), twice, "Twice")
    out.sum().backward()
    assert a.grad is not b.grad
    np.testing.assert_array_equal(a.grad, [2.0, 2.0])
    np.testing.assert_array_equal(b.grad, [2.0, 2.0])
