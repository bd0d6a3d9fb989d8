"""Linear, MLP, functional layers, reprs and optimizers against PyTorch's numbers.

The golden files (tests/golden/modules.* and optim.*) are written by ``tools/make_golden.py``
with torch 2.13.0; this test never imports torch. Weights come from torch through
``load_state_dict``, so forward, backward and every optimizer step must agree to rtol 1e-10.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from explorer.engine import Tensor, nn, optim
from explorer.engine.nn import functional as F  # noqa: N812 (torch's alias)

# every case runs on the fast path and on the plain path (tests/engine/conftest.py)
pytestmark = pytest.mark.usefixtures("engine_path")

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
MODULES = json.loads((GOLDEN / "modules.json").read_text(encoding="utf-8"))
OPTIM = json.loads((GOLDEN / "optim.json").read_text(encoding="utf-8"))
RTOL, ATOL = 1e-10, 1e-13


def _load(name: str) -> dict[str, np.ndarray]:
    with np.load(GOLDEN / name, allow_pickle=False) as data:
        return {key: data[key] for key in data.files}


@pytest.fixture(scope="module")
def arrays():
    return _load("modules.npz")


def _close(actual, expected):
    np.testing.assert_allclose(actual, expected, rtol=RTOL, atol=ATOL)


def _build(case: dict) -> nn.Module:
    if case["kind"] == "linear":
        return nn.Linear(case["in_features"], case["out_features"], case["bias"], dtype=np.float64)
    return nn.MLP(
        case["input_features"],
        case["hidden_sizes"],
        case["output_features"],
        activation=case["activation"],
        dtype=np.float64,
    )


def test_golden_files_were_written_by_torch_2_13():
    assert MODULES["torch"].startswith("2.13.0") and OPTIM["torch"].startswith("2.13.0")


LAYER_CASES = [c for c in MODULES["cases"] if c["kind"] in ("linear", "mlp")]


@pytest.mark.parametrize("case", LAYER_CASES, ids=lambda c: f"{c['kind']}-{c['name']}")
def test_forward_and_backward_match_torch(case, arrays):
    key = f"{case['kind']}/{case['name']}"
    module = _build(case)
    state = {k.split("/")[-1]: v for k, v in arrays.items() if k.startswith(f"{key}/param/")}
    assert list(module.state_dict()) == list(state)
    module.load_state_dict(state)
    x = Tensor(arrays[f"{key}/input"], requires_grad=True)
    out = module(x)
    _close(out.data, arrays[f"{key}/output"])
    out.backward(arrays[f"{key}/upstream"])
    _close(x.grad, arrays[f"{key}/grad_input"])
    for name, param in module.named_parameters():
        _close(param.grad, arrays[f"{key}/grad/{name}"])


FUNCTIONAL_CASES = [c for c in MODULES["cases"] if c["kind"] == "functional"]


@pytest.mark.parametrize("case", FUNCTIONAL_CASES, ids=lambda c: c["name"])
def test_functional_layers_match_torch(case, arrays):
    key = f"functional/{case['name']}"
    x = Tensor(arrays[f"{key}/input"], requires_grad=True)
    out = getattr(F, case["function"])(x, **case["kwargs"])
    assert np.all(np.isfinite(out.data)) or case["function"] == "log_softmax"
    _close(out.data, arrays[f"{key}/output"])
    out.backward(arrays[f"{key}/upstream"])
    _close(x.grad, arrays[f"{key}/grad_input"])


def _mlp(*sizes):
    return nn.MLP(sizes[0], sizes[1:-1], sizes[-1])


REPR_BUILDERS = {
    "linear": lambda: nn.Linear(784, 256),
    "linear_nobias": lambda: nn.Linear(3, 1, bias=False),
    "mlp_seed": lambda: _mlp(784, 256, 10),
    "mlp_2_8_8_2": lambda: _mlp(2, 8, 8, 2),
    "mlp_no_hidden": lambda: _mlp(64, 10),
    "mlp_deep": lambda: _mlp(64, 128, 64, 32, 16, 10),
    "sequential_all": lambda: nn.Sequential(
        nn.Linear(2, 3),
        nn.ReLU(),
        nn.ReLU(inplace=True),
        nn.LeakyReLU(),
        nn.LeakyReLU(0.2, inplace=True),
        nn.Sigmoid(),
        nn.Tanh(),
        nn.Softmax(dim=1),
        nn.Softmax(),
        nn.LogSoftmax(dim=-1),
        nn.Identity(),
        nn.Dropout(),
        nn.Dropout(p=0.1, inplace=True),
        nn.Linear(3, 1),
    ),  # fmt: skip
    "nested": lambda: nn.Sequential(
        nn.Sequential(nn.Linear(4, 4), nn.Tanh()), nn.ModuleList([_mlp(4, 3, 2)])
    ),
    "module_list_runs": lambda: nn.ModuleList(
        [nn.Linear(2, 2), nn.Linear(2, 2), nn.Linear(2, 2), nn.ReLU(), nn.Linear(2, 3)]
    ),
    "empty": lambda: nn.Sequential(),
}


def test_every_golden_repr_has_a_builder():
    assert set(REPR_BUILDERS) == set(MODULES["reprs"])


@pytest.mark.parametrize("name", sorted(REPR_BUILDERS))
def test_repr_is_torch_s(name):
    assert repr(REPR_BUILDERS[name]()) == MODULES["reprs"][name]


@pytest.fixture(scope="module")
def optim_arrays():
    return _load("optim.npz")


@pytest.mark.parametrize("case", OPTIM["cases"], ids=lambda c: c["name"])
def test_twenty_optimizer_steps_match_torch(case, optim_arrays):
    n_in, hidden, n_out, activation = OPTIM["model"]
    model = nn.MLP(n_in, hidden, n_out, activation=activation, dtype=np.float64)
    model.load_state_dict(
        {k.split("/", 1)[1]: v for k, v in optim_arrays.items() if k.startswith("initial/")}
    )
    kwargs = {k: tuple(v) if isinstance(v, list) else v for k, v in case["kwargs"].items()}
    optimizer = getattr(optim, case["optimizer"])(model.parameters(), **kwargs)
    x, y = Tensor(optim_arrays["data/input"]), Tensor(optim_arrays["data/target"])
    for step in range(OPTIM["steps"]):
        optimizer.zero_grad()
        loss = ((model(x) - y) ** 2).mean()
        loss.backward()
        optimizer.step()
        _close(loss.item(), optim_arrays[f"{case['name']}/loss"][step])
        for name, value in model.state_dict().items():
            _close(value, optim_arrays[f"{case['name']}/{name}"][step])


@pytest.mark.parametrize("case", MODULES["init"]["fans"], ids=lambda c: str(c["shape"]))
def test_fan_in_and_fan_out_are_torch_s(case):
    from explorer.engine.nn import init

    tensor = Tensor(np.zeros(case["shape"]))
    assert init._calculate_fan_in_and_fan_out(tensor) == (case["fan_in"], case["fan_out"])


@pytest.mark.parametrize(
    "case", MODULES["init"]["gains"], ids=lambda c: f"{c['nonlinearity']}-{c['param']}"
)
def test_gains_are_torch_s(case):
    from explorer.engine.nn import init

    assert init.calculate_gain(case["nonlinearity"], case["param"]) == pytest.approx(
        case["gain"], rel=1e-15
    )
