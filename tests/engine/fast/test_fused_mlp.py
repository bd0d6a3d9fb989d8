"""The fused MLP forward (one graph node) equals the layer-by-layer path bit for bit."""

import numpy as np
import pytest

from explorer.engine import Tensor, manual_seed, nn, no_grad
from explorer.engine.fast import fused_mlp as _fused_mlp
from explorer.engine.nn import functional as F  # noqa: N812


def _model(activation="relu", dtype=np.float32, hidden=(8, 8)):
    manual_seed(0)
    return nn.MLP(2, hidden, 3, activation=activation, init_weight="uniform",
                  init_bias="normal", dtype=dtype)  # fmt: skip


def _data(dtype=np.float32, requires_grad=False):
    rng = np.random.default_rng(1)
    x = Tensor(rng.normal(size=(16, 2)).astype(dtype), requires_grad=requires_grad)
    return x, Tensor(rng.integers(0, 3, 16))


def _fuses(x, layers, activation):
    """Whether the fused path accepts this input and these layers."""
    return _fused_mlp.fused_mlp(x, layers, activation) is not None


def _force_layer_by_layer(model, force):
    """A do-nothing forward hook on each layer, which rules the fused path out."""
    return [layer.register_forward_hook(lambda *a: None) for layer in model.layers] if force else []


def _step(model, x, y, fused):
    """Output, loss and every gradient, on the chosen path (a no-op hook forces layer-by-layer)."""
    handles = _force_layer_by_layer(model, not fused)
    assert _fuses(x, model.layers, model.activation) is fused
    model.zero_grad()
    x.grad = None
    out = model(x)
    loss = F.cross_entropy(out, y)
    loss.backward()
    for handle in handles:
        handle.remove()
    grads = {n: p.grad.numpy().copy() for n, p in model.named_parameters() if p.grad is not None}
    x_grad = None if x.grad is None else x.grad.numpy().copy()
    return out, loss.detach().numpy().copy(), grads, x_grad


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("activation", nn.MLP.ACTIVATIONS)
def test_fused_and_layer_by_layer_give_identical_outputs_and_gradients(activation, dtype):
    model = _model(activation, dtype)
    x, y = _data(dtype, requires_grad=True)
    fused = _step(model, x, y, fused=True)
    plain = _step(model, x, y, fused=False)
    assert np.array_equal(fused[0].data, plain[0].data)
    assert fused[0].grad_fn.name() == plain[0].grad_fn.name() == "AddmmBackward0"
    assert np.array_equal(fused[1], plain[1])
    for name in plain[2]:
        assert np.array_equal(fused[2][name], plain[2][name]), name
    assert np.array_equal(fused[3], plain[3])


def test_frozen_layers_and_inputs_get_no_gradient_on_either_path():
    results = []
    for fused in (True, False):
        model = _model()
        model.linear1.weight.requires_grad_(False)
        model.linear1.bias.requires_grad_(False)
        model.linear2.bias.requires_grad_(False)
        x, y = _data()
        results.append(_step(model, x, y, fused=fused)[2])
        assert set(results[-1]) == {"linear2.weight", "linear3.weight", "linear3.bias"}
        assert model.linear1.weight.grad is None and x.grad is None
    assert all(np.array_equal(results[0][k], results[1][k]) for k in results[1])


def test_a_layer_without_bias_and_a_single_layer_fuse_identically():
    model = _model(hidden=(4,))
    model.linear1.bias = None
    x, y = _data(requires_grad=True)
    fused, plain = _step(model, x, y, fused=True), _step(model, x, y, fused=False)
    assert all(np.array_equal(fused[2][k], plain[2][k]) for k in plain[2])
    single = _model(hidden=())
    fused, plain = _step(single, x, y, fused=True), _step(single, x, y, fused=False)
    assert np.array_equal(fused[0].data, plain[0].data)


def test_hooks_force_the_layer_by_layer_path_and_see_every_layer():
    model = _model()
    x, _ = _data()
    seen = []
    handle = model.linear2.register_forward_pre_hook(lambda m, args: seen.append("pre2"))
    model.linear1.register_forward_hook(lambda m, args, out: seen.append(out.shape))
    assert not _fuses(x, model.layers, model.activation)
    model(x)
    assert seen == [(16, 8), "pre2"]
    handle.remove()
    model.linear1._forward_hooks.clear()
    assert _fuses(x, model.layers, model.activation)


def test_a_hook_that_changes_an_output_is_honoured():
    model = _model()
    x, _ = _data()
    model.linear3.register_forward_hook(lambda m, args, out: out * 0)
    assert np.all(model(x).data == 0)


def test_a_hook_on_the_mlp_itself_keeps_the_fused_path_and_runs():
    model = _model()
    x, _ = _data()
    calls = []
    model.register_forward_hook(lambda m, args, out: calls.append(out.grad_fn.name()))
    model(x)
    assert calls == ["AddmmBackward0"]
    assert _fuses(x, model.layers, model.activation)


def test_a_backward_hook_on_a_layer_takes_the_layer_by_layer_path_and_runs():
    model = _model()
    x, y = _data()
    seen = []
    model.linear2.register_full_backward_hook(lambda m, gi, go: seen.append(go[0].shape))
    assert not _fuses(x, model.layers, model.activation)
    F.cross_entropy(model(x), y).backward()
    assert seen == [(16, 8)]


def test_other_inputs_and_subclasses_take_the_layer_by_layer_path():
    model = _model()
    x, _ = _data()
    assert not _fuses(x.numpy(), model.layers, "relu")  # a bare array
    assert not _fuses(Tensor(x.numpy()[0]), model.layers, "relu")  # 1-D
    assert not _fuses(x.double(), model.layers, "relu")  # dtype mismatch
    assert not _fuses(Tensor(np.ones((4, 5), np.float32)), model.layers, "relu")

    class Noisy(nn.Linear):
        pass

    model.linear3 = Noisy(8, 3)
    assert not _fuses(x, model.layers, "relu")
    other = _model()
    other.linear2.bias = nn.Parameter(np.zeros(1, np.float32))  # broadcasts: not fused
    assert not _fuses(x, other.layers, "relu")
    other.linear2.weight = nn.Parameter(np.zeros((8, 5), np.float32))  # takes 5 features, not 8
    assert not _fuses(x, other.layers, "relu")
    np.testing.assert_allclose(model(Tensor(x.numpy()[0])).data, model(x).data[0], rtol=1e-6)


def test_errors_are_the_layer_by_layer_ones():
    model = _model()
    with pytest.raises(RuntimeError, match=r"mat1 and mat2 shapes cannot be multiplied \(4x5"):
        model(Tensor(np.ones((4, 5), np.float32)))
    with pytest.raises(RuntimeError, match="same dtype, but got Double and Float"):
        model(Tensor(np.ones((4, 2))))


def test_no_grad_gives_the_same_values_and_no_graph():
    model = _model()
    x, _ = _data()
    with_graph = model(x)
    with no_grad():
        without = model(x)
    assert np.array_equal(with_graph.data, without.data)
    assert without.grad_fn is None and not without.requires_grad


def _same_gradients_on_both_paths(backward, activation="relu"):
    """Run ``backward(model, x, y)`` fused and layer by layer: the gradients agree bit for bit."""
    results = []
    for fused in (True, False):
        model = _model(activation)
        x, y = _data()
        handles = _force_layer_by_layer(model, not fused)
        backward(model, x, y)
        for handle in handles:
            handle.remove()
        results.append({name: p.grad for name, p in model.named_parameters()})
    for name in results[1]:
        assert np.array_equal(results[0][name], results[1][name]), name


def test_backward_twice_with_retain_graph_accumulates_as_layer_by_layer():
    def twice(model, x, y):
        loss = F.cross_entropy(model(x), y)
        loss.backward(retain_graph=True)
        loss.backward()

    _same_gradients_on_both_paths(twice, activation="tanh")


@pytest.mark.parametrize("fused", [True, False])
def test_backward_twice_without_retain_graph_raises_as_layer_by_layer(fused):
    model = _model()
    x, y = _data()
    handles = _force_layer_by_layer(model, not fused)
    loss = F.cross_entropy(model(x), y)
    loss.backward()
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        loss.backward()
    for handle in handles:
        handle.remove()


@pytest.mark.parametrize("fused", [True, False])
def test_an_update_before_backward_is_caught_as_layer_by_layer(fused):
    """Changing a weight the graph saved raises the same error on both paths."""
    model = _model()
    x, y = _data()
    handles = _force_layer_by_layer(model, not fused)
    loss = F.cross_entropy(model(x), y)
    with no_grad():  # versions: 1 after Linear's init, 2 after MLP.init_params, 3 now
        model.linear3.weight -= 0.1
        model.linear1.weight -= 0.1  # x needs no gradient: linear1 saved only its input
    with pytest.raises(RuntimeError, match=r"modified by an inplace operation: "
                       r"\[torch.FloatTensor \[3, 8\]\] is at version 3; expected version 2"):
        loss.backward()
    for handle in handles:
        handle.remove()


def test_gradients_handed_out_are_new_arrays_every_step():
    model = _model()
    x, y = _data()
    F.cross_entropy(model(x), y).backward()
    first = {name: p.grad for name, p in model.named_parameters()}
    kept = {name: g.numpy().copy() for name, g in first.items()}
    model.zero_grad()
    F.cross_entropy(model(x * 2), y).backward()
    for name, p in model.named_parameters():
        assert p.grad is not first[name] and not np.shares_memory(p.grad, first[name])
        assert np.array_equal(first[name], kept[name]), name


def test_a_parameter_also_used_outside_the_mlp_sums_both_gradients():
    def shared(model, x, y):
        weight = model.linear2.weight
        (F.cross_entropy(model(x), y) + (weight * weight).sum()).backward()

    _same_gradients_on_both_paths(shared)


def test_a_bias_of_another_dtype_goes_layer_by_layer_and_keeps_its_dtype():
    model = _model()
    model.linear2.bias.data = model.linear2.bias.data.double()
    x, y = _data()
    assert not _fuses(x, model.layers, model.activation)
    F.cross_entropy(model(x), y).backward()
    assert model.linear2.bias.grad.dtype == np.float64
