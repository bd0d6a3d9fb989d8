"""Parameters laid out in one array, and SGD's one-operation update over them."""

import numpy as np

from explorer.engine import Tensor, manual_seed, nn, optim
from explorer.engine._flat import flat_base, lay_out_flat
from explorer.engine.nn import functional as F  # noqa: N812


def test_an_mlp_lays_its_parameters_out_in_one_array_in_order():
    model = nn.MLP(3, (4,), 2)
    arrays = [p.data for p in model.parameters()]
    base = flat_base(arrays)
    assert base is not None and base.size == model.num_parameters()
    assert np.array_equal(base, np.concatenate([a.ravel() for a in arrays]))


def test_flat_base_refuses_arrays_that_do_not_tile_one_array_in_order():
    tensors = [Tensor(np.ones((2, 3))), Tensor(np.zeros(3))]
    lay_out_flat(tensors)
    arrays = [t.data for t in tensors]
    assert flat_base(arrays) is not None
    assert flat_base(arrays[::-1]) is None  # out of order
    assert flat_base(arrays[:1]) is None  # does not cover the whole array
    assert flat_base([arrays[0], np.zeros(3)]) is None  # not a view of it
    assert flat_base([]) is None


def _train(model, steps=30, lr=0.1):
    opt = optim.SGD(model.parameters(), lr=lr)
    rng = np.random.default_rng(0)
    for _ in range(steps):
        x = Tensor(rng.normal(size=(16, 2)).astype(np.float32))
        y = Tensor(rng.integers(0, 3, 16))
        opt.zero_grad()
        F.cross_entropy(model(x), y).backward()
        opt.step()
    return opt, [p.data.copy() for p in model.parameters()]


def _model():
    manual_seed(0)
    return nn.MLP(2, (8, 8), 3)


def test_sgd_updates_laid_out_parameters_in_one_operation_with_the_same_numbers():
    flat_opt, flat = _train(_model())
    apart = _model()
    for p in apart.parameters():
        p.data = p.data.copy()  # each its own array: the per-parameter loop
    apart_opt, separate = _train(apart)
    assert flat_opt._flat_bases[0][1] is not None and apart_opt._flat_bases[0][1] is None
    assert all(np.array_equal(a, b) for a, b in zip(flat, separate, strict=True))


def test_a_replaced_or_missing_gradient_or_array_falls_back_to_the_loop():
    model = _model()
    opt, _ = _train(model, steps=1)
    model.linear1.bias.grad = None  # a missing gradient: skipped, as torch does
    before = model.linear1.bias.data.copy()
    weight = model.linear2.weight
    weight.grad = np.ones_like(weight.data)
    expected = weight.data - np.float32(0.1) * weight.grad
    opt.step()
    assert np.array_equal(model.linear1.bias.data, before)
    assert np.array_equal(weight.data, expected)
    weight.data = weight.data.copy()  # no longer a view: the layout is gone, updates still land
    weight.grad = np.ones_like(weight.data)
    expected = weight.data - np.float32(0.1) * weight.grad
    opt.step()
    assert np.array_equal(weight.data, expected)
    assert opt._flat_bases[0][1] is None


def test_load_state_dict_keeps_the_layout():
    model = _model()
    model.load_state_dict(_model().state_dict())
    assert flat_base([p.data for p in model.parameters()]) is not None
