"""optim.SGD and optim.Adam: behaviour beyond the golden parity files."""

import numpy as np
import pytest

from explorer.engine import Tensor, nn, no_grad, optim
from explorer.engine._saved import LOG_LIMIT


def quadratic_step(optimizer, param):
    optimizer.zero_grad()
    ((param * param).sum()).backward()
    optimizer.step()


def test_sgd_plain_update_rule():
    p = nn.Parameter(np.array([1.0, -2.0]))
    opt = optim.SGD([p], lr=0.1)
    quadratic_step(opt, p)
    np.testing.assert_allclose(p.data, [1.0 - 0.2, -2.0 + 0.4])


def test_sgd_momentum_buffer_starts_as_the_gradient():
    p = nn.Parameter(np.array([1.0]))
    opt = optim.SGD([p], lr=0.1, momentum=0.9, dampening=0.5)
    quadratic_step(opt, p)  # buf = g = 2
    np.testing.assert_allclose(opt.state[p]["momentum_buffer"], [2.0])
    quadratic_step(opt, p)  # g = 1.6; buf = 0.9 * 2 + 0.5 * 1.6
    np.testing.assert_allclose(opt.state[p]["momentum_buffer"], [2.6])


def test_parameters_keep_their_identity_and_dtype():
    model = nn.Linear(3, 2)
    weight, array = model.weight, model.weight.data.numpy()
    version = weight._version
    opt = optim.Adam(model.parameters(), lr=0.1)
    model(Tensor(np.ones((2, 3), dtype=np.float32))).sum().backward()
    opt.step()
    assert model.weight is weight and model.weight.data.numpy() is array
    assert array.dtype == np.float32
    assert weight._version == version + 1  # a change in place, as torch counts it


OPTIMIZERS = {
    "sgd": lambda params: optim.SGD(params, lr=0.1),
    "sgd-momentum": lambda params: optim.SGD(params, lr=0.1, momentum=0.9),
    "adam": lambda params: optim.Adam(params, lr=0.1),
}


@pytest.mark.parametrize("steps", [1, 31, 32, 33, 100])
@pytest.mark.parametrize("make", OPTIMIZERS.values(), ids=OPTIMIZERS.keys())
def test_each_step_counts_once_in_each_parameters_version(engine_path, make, steps):
    model = nn.Linear(2, 2)
    view = model.weight.view(-1)  # shares the weight's version counter
    before = [p._version for p in model.parameters()]
    opt = make(model.parameters())
    for _ in range(steps):
        opt.zero_grad()
        model(Tensor(np.ones((3, 2), np.float32))).sum().backward()
        opt.step()
    assert [p._version - b for p, b in zip(model.parameters(), before, strict=True)] == [steps] * 2
    assert view._version == model.weight._version
    assert max(len(p._vc) for p in model.parameters()) <= LOG_LIMIT + 2  # a bounded log


def test_decoupled_weight_decay_counts_twice():  # torch scales the parameter, then updates it
    p = nn.Parameter(np.ones(2, np.float32))
    p.grad = Tensor(np.ones(2, np.float32))
    optim.Adam([p], lr=0.1, weight_decay=0.1, decoupled_weight_decay=True).step()
    assert p._version == 2


@pytest.mark.parametrize("make", OPTIMIZERS.values(), ids=OPTIMIZERS.keys())
def test_a_parameter_without_gradient_keeps_its_version(engine_path, make):
    a, b = nn.Parameter(np.ones(2, np.float32)), nn.Parameter(np.ones(2, np.float32))
    opt = make([a, b])
    for _ in range(40):
        (a * 2).sum().backward()
        opt.step()
    assert (a._version, b._version) == (40, 0)


def test_steps_and_other_changes_are_counted_in_order(engine_path):
    a, b = nn.Parameter(np.ones(2, np.float32)), nn.Parameter(np.ones(2, np.float32))
    first, second = optim.SGD([a], lr=0.1), optim.Adam([b], lr=0.1)  # equal values, two tensors
    for _ in range(40):  # alternating, more steps than are noted before they are counted
        (a * b).sum().backward()
        first.step()
        second.step()
        with no_grad():
            b.add_(0)
    y = (a * b).sum()  # saves a and b at their versions now
    first.step()
    assert (a._version, b._version) == (41, 80)
    with pytest.raises(RuntimeError, match=r"is at version 41; expected version 40 instead"):
        y.backward()


def test_params_without_grad_are_skipped_and_zero_grad_sets_none():
    a, b = nn.Parameter(np.ones(2)), nn.Parameter(np.ones(2))
    opt = optim.Adam([a, b])
    (a.sum()).backward()
    opt.step()
    np.testing.assert_array_equal(b.data, [1.0, 1.0])
    assert b not in opt.state and opt.state[a]["step"] == 1
    opt.zero_grad()
    assert a.grad is None
    (a.sum()).backward()
    opt.zero_grad(set_to_none=False)
    np.testing.assert_array_equal(a.grad, [0.0, 0.0])


def test_param_groups_and_validation():
    a, b = nn.Parameter(np.ones(1)), nn.Parameter(np.ones(1))
    opt = optim.SGD([{"params": [a]}, {"params": [b], "lr": 0.5}], lr=0.1, momentum=0.9)
    assert [g["lr"] for g in opt.param_groups] == [0.1, 0.5]
    assert opt.param_groups[1]["momentum"] == 0.9
    with pytest.raises(ValueError, match="empty parameter list"):
        optim.SGD([])
    with pytest.raises(ValueError, match="Invalid learning rate: -1"):
        optim.SGD([a], lr=-1)
    with pytest.raises(ValueError, match="Nesterov momentum requires"):
        optim.SGD([a], nesterov=True)
    with pytest.raises(ValueError, match="Invalid beta parameter at index 1: 1.0"):
        optim.Adam([a], betas=(0.9, 1.0))
    with pytest.raises(ValueError, match="non-leaf"):
        optim.SGD([a * 2])
    with pytest.raises(TypeError, match="iterable"):
        optim.SGD(a)


def test_named_parameters_are_accepted():
    model = nn.Linear(2, 1)
    opt = optim.SGD(model.named_parameters(), lr=0.1)
    assert opt.param_groups[0]["param_names"] == ["weight", "bias"]


def test_state_dict_round_trip():
    p = nn.Parameter(np.array([1.0, 2.0]))
    opt = optim.Adam([p], lr=0.1, amsgrad=True)
    quadratic_step(opt, p)
    saved = opt.state_dict()
    assert saved["param_groups"][0]["params"] == [0] and saved["state"][0]["step"] == 1
    q = nn.Parameter(p.detach().numpy().copy())
    other = optim.Adam([q], lr=0.2)
    other.load_state_dict(saved)
    assert other.param_groups[0]["lr"] == 0.1 and other.param_groups[0]["amsgrad"]
    quadratic_step(opt, p)
    quadratic_step(other, q)
    np.testing.assert_allclose(p.data, q.data)


def test_defaults_match_torch():
    p = nn.Parameter(np.ones(1))
    sgd = optim.SGD([p]).defaults
    assert (sgd["lr"], sgd["momentum"], sgd["dampening"], sgd["weight_decay"], sgd["nesterov"]) == (
        1e-3,
        0,
        0,
        0,
        False,
    )
    adam = optim.Adam([p]).defaults
    assert (adam["lr"], adam["betas"], adam["eps"], adam["weight_decay"], adam["amsgrad"]) == (
        1e-3,
        (0.9, 0.999),
        1e-8,
        0,
        False,
    )
