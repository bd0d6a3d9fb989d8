"""Golden cases for layers, MLPs, reprs and optimizers, computed by PyTorch (dev-only).

Writes to the output folder (all arrays float64; load with ``allow_pickle=False``):

- ``modules.npz`` / ``modules.json``: Linear, MLP and functional-layer forward and backward
  (input and parameter gradients under a random upstream gradient), several shapes and
  seeds; and ``print(module)`` strings of torch modules built the way the test builds ours.
- ``optim.npz`` / ``optim.json``: 20 steps of SGD (plain, momentum, dampening, nesterov,
  weight decay, maximize) and Adam (amsgrad, weight decay, AdamW-style) on a small MLP with a
  squared-error objective: the parameters after every step.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F  # noqa: N812 (torch's alias)
from torch import nn

ACTIVATIONS = {
    "relu": F.relu,
    "leaky_relu": F.leaky_relu,
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "identity": lambda x: x,
}


class MLP(nn.Module):
    """The lecture notes' Model generalised, as a torch user would write it."""

    def __init__(self, input_features, hidden_sizes, output_features, activation="relu"):
        super().__init__()
        sizes = (input_features, *hidden_sizes, output_features)
        for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:], strict=True), 1):
            setattr(self, f"linear{i}", nn.Linear(a, b))
        self.act = ACTIVATIONS[activation]

    def forward(self, x):
        layers = list(self.children())
        for layer in layers[:-1]:
            x = self.act(layer(x))
        return layers[-1](x)


LINEAR_CASES = [
    # (name, in_features, out_features, bias, input batch shape, seed)
    ("vector", 5, 3, True, (), 0),
    ("batch", 5, 3, True, (4,), 1),
    ("batch3d", 6, 2, True, (2, 3), 2),
    ("nobias", 4, 7, False, (5,), 3),
    ("wide", 64, 10, True, (8,), 4),
]
MLP_CASES = [
    # (name, input, hidden, output, activation, batch, seed)
    ("seed_shape_small", 20, (16,), 5, "relu", 6, 0),
    ("two_d", 2, (8, 8), 2, "relu", 32, 1),
    ("no_hidden", 7, (), 3, "relu", 4, 2),
    ("deep_tanh", 12, (10, 6, 4), 3, "tanh", 5, 3),
    ("sigmoid", 9, (5,), 4, "sigmoid", 3, 4),
    ("leaky", 6, (7, 5), 2, "leaky_relu", 4, 5),
    ("identity", 4, (3,), 2, "identity", 2, 6),
    ("mnist_like", 784, (32,), 10, "relu", 3, 7),
]
FUNCTIONAL_CASES = [
    # (name, function, kwargs, input scale, shape)
    ("relu", "relu", {}, 1.0, (3, 4)),
    ("leaky_relu", "leaky_relu", {"negative_slope": 0.2}, 1.0, (3, 4)),
    ("sigmoid", "sigmoid", {}, 3.0, (3, 4)),
    ("tanh", "tanh", {}, 2.0, (3, 4)),
    ("softmax_dim1", "softmax", {"dim": 1}, 2.0, (3, 5)),
    ("softmax_dim0", "softmax", {"dim": 0}, 2.0, (3, 5)),
    ("log_softmax_dim1", "log_softmax", {"dim": 1}, 2.0, (3, 5)),
    ("log_softmax_dim-1_3d", "log_softmax", {"dim": -1}, 2.0, (2, 3, 4)),
    ("log_softmax_huge", "log_softmax", {"dim": 1}, 1000.0, (3, 4)),
    ("softmax_huge", "softmax", {"dim": 1}, 1000.0, (3, 4)),
]
# Built the same way, by name, in tests/engine/test_golden_modules.py.
REPR_CASES = {
    "linear": lambda: nn.Linear(784, 256),
    "linear_nobias": lambda: nn.Linear(3, 1, bias=False),
    "mlp_seed": lambda: MLP(784, (256,), 10),
    "mlp_2_8_8_2": lambda: MLP(2, (8, 8), 2),
    "mlp_no_hidden": lambda: MLP(64, (), 10),
    "mlp_deep": lambda: MLP(64, (128, 64, 32, 16), 10),
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
        nn.Sequential(nn.Linear(4, 4), nn.Tanh()), nn.ModuleList([MLP(4, (3,), 2)])
    ),
    "module_list_runs": lambda: nn.ModuleList(
        [nn.Linear(2, 2), nn.Linear(2, 2), nn.Linear(2, 2), nn.ReLU(), nn.Linear(2, 3)]
    ),
    "empty": lambda: nn.Sequential(),
}
OPTIM_CASES = [
    ("sgd", "SGD", {"lr": 0.1}),
    ("sgd_momentum", "SGD", {"lr": 0.05, "momentum": 0.9}),
    ("sgd_nesterov", "SGD", {"lr": 0.05, "momentum": 0.9, "nesterov": True}),
    ("sgd_nesterov_wd", "SGD", {"lr": 0.05, "momentum": 0.5, "nesterov": True,
                                "weight_decay": 0.01}),
    ("sgd_dampening_wd", "SGD", {"lr": 0.05, "momentum": 0.8, "dampening": 0.3,
                                 "weight_decay": 0.1}),
    ("sgd_maximize", "SGD", {"lr": 0.01, "momentum": 0.9, "maximize": True}),
    ("adam", "Adam", {"lr": 0.01}),
    ("adam_betas_eps", "Adam", {"lr": 0.02, "betas": (0.8, 0.99), "eps": 1e-6}),
    ("adam_amsgrad", "Adam", {"lr": 0.01, "amsgrad": True}),
    ("adam_wd", "Adam", {"lr": 0.01, "weight_decay": 0.05}),
    ("adam_amsgrad_wd", "Adam", {"lr": 0.03, "amsgrad": True, "weight_decay": 0.1}),
    ("adamw_style", "Adam", {"lr": 0.01, "weight_decay": 0.1, "decoupled_weight_decay": True}),
]  # fmt: skip
OPTIM_STEPS = 20


INIT_SHAPES = [(3, 5), (256, 784), (3, 5, 2, 2), (10, 1), (4, 2, 3)]
GAIN_CASES = [("linear", None), ("conv2d", None), ("sigmoid", None), ("tanh", None),
              ("relu", None), ("leaky_relu", None), ("leaky_relu", 0.2), ("leaky_relu", 5),
              ("selu", None)]  # fmt: skip


def _init_rules() -> dict:
    """torch's fan and gain numbers, which nn.init's schemes are built from."""
    fans = []
    for shape in INIT_SHAPES:
        fan_in, fan_out = nn.init._calculate_fan_in_and_fan_out(torch.empty(shape))
        fans.append({"shape": list(shape), "fan_in": fan_in, "fan_out": fan_out})
    gains = [{"nonlinearity": name, "param": param,
              "gain": float(nn.init.calculate_gain(name, param))}
             for name, param in GAIN_CASES]  # fmt: skip
    return {"fans": fans, "gains": gains}


def _state(module: nn.Module) -> dict[str, np.ndarray]:
    return {k: v.detach().numpy().copy() for k, v in module.state_dict().items()}


def _record(arrays: dict, key: str, x, out, upstream: np.ndarray) -> None:
    arrays[f"{key}/input"] = x.detach().numpy()
    arrays[f"{key}/upstream"] = upstream
    arrays[f"{key}/output"] = out.detach().numpy()
    arrays[f"{key}/grad_input"] = x.grad.numpy()


def _linear_cases(arrays: dict, index: list) -> None:
    for name, n_in, n_out, bias, batch, seed in LINEAR_CASES:
        torch.manual_seed(seed)
        rng = np.random.default_rng(seed)
        layer = nn.Linear(n_in, n_out, bias=bias).double()
        x = torch.tensor(rng.normal(size=(*batch, n_in)), requires_grad=True)
        out = layer(x)
        upstream = rng.normal(size=tuple(out.shape))
        out.backward(torch.tensor(upstream))
        key = f"linear/{name}"
        _record(arrays, key, x, out, upstream)
        for pname, param in layer.named_parameters():
            arrays[f"{key}/param/{pname}"] = param.detach().numpy().copy()
            arrays[f"{key}/grad/{pname}"] = param.grad.numpy().copy()
        index.append({"kind": "linear", "name": name, "in_features": n_in,
                      "out_features": n_out, "bias": bias})  # fmt: skip


def _mlp_cases(arrays: dict, index: list) -> None:
    for name, n_in, hidden, n_out, activation, batch, seed in MLP_CASES:
        torch.manual_seed(seed)
        rng = np.random.default_rng(seed)
        model = MLP(n_in, hidden, n_out, activation).double()
        x = torch.tensor(rng.normal(size=(batch, n_in)), requires_grad=True)
        out = model(x)
        upstream = rng.normal(size=tuple(out.shape))
        out.backward(torch.tensor(upstream))
        key = f"mlp/{name}"
        _record(arrays, key, x, out, upstream)
        for pname, param in model.named_parameters():
            arrays[f"{key}/param/{pname}"] = param.detach().numpy().copy()
            arrays[f"{key}/grad/{pname}"] = param.grad.numpy().copy()
        index.append({"kind": "mlp", "name": name, "input_features": n_in,
                      "hidden_sizes": list(hidden), "output_features": n_out,
                      "activation": activation,
                      "parameters": [n for n, _ in model.named_parameters()]})  # fmt: skip


def _functional_cases(arrays: dict, index: list) -> None:
    rng = np.random.default_rng(11)
    for name, function, kwargs, scale, shape in FUNCTIONAL_CASES:
        x = torch.tensor(rng.normal(size=shape) * scale, requires_grad=True)
        out = getattr(F, function)(x, **kwargs)
        upstream = rng.normal(size=shape)
        out.backward(torch.tensor(upstream))
        key = f"functional/{name}"
        _record(arrays, key, x, out, upstream)
        index.append({"kind": "functional", "name": name, "function": function,
                      "kwargs": kwargs})  # fmt: skip


def _optim_cases() -> tuple[dict, list]:
    rng = np.random.default_rng(5)
    x = rng.normal(size=(16, 4))
    y = rng.normal(size=(16, 2))
    torch.manual_seed(5)
    initial = _state(MLP(4, (6,), 2, "tanh").double())
    arrays: dict[str, np.ndarray] = {"data/input": x, "data/target": y}
    arrays.update({f"initial/{k}": v for k, v in initial.items()})
    index = []
    for name, optimizer, kwargs in OPTIM_CASES:
        model = MLP(4, (6,), 2, "tanh").double()
        model.load_state_dict({k: torch.tensor(v) for k, v in initial.items()})
        opt = getattr(torch.optim, optimizer)(model.parameters(), **kwargs)
        losses = []
        trajectory = {k: [] for k in initial}
        for _ in range(OPTIM_STEPS):
            opt.zero_grad()
            loss = ((model(torch.tensor(x)) - torch.tensor(y)) ** 2).mean()
            loss.backward()
            opt.step()
            losses.append(loss.item())
            for k, v in _state(model).items():
                trajectory[k].append(v)
        arrays[f"{name}/loss"] = np.array(losses)
        for k, steps in trajectory.items():
            arrays[f"{name}/{k}"] = np.stack(steps)
        index.append({"name": name, "optimizer": optimizer,
                      "kwargs": {k: list(v) if isinstance(v, tuple) else v
                                 for k, v in kwargs.items()}})  # fmt: skip
    return arrays, index


def write_golden(out_dir: Path) -> list[Path]:
    """Write the module and optimizer golden files into ``out_dir``; return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    torch.set_default_dtype(torch.float64)
    try:
        arrays: dict[str, np.ndarray] = {}
        cases: list[dict] = []
        _linear_cases(arrays, cases)
        _mlp_cases(arrays, cases)
        _functional_cases(arrays, cases)
        reprs = {name: repr(build()) for name, build in REPR_CASES.items()}
        optim_arrays, optim_cases = _optim_cases()
    finally:
        torch.set_default_dtype(torch.float32)
    paths = [out_dir / "modules.npz", out_dir / "modules.json",
             out_dir / "optim.npz", out_dir / "optim.json"]  # fmt: skip
    np.savez_compressed(paths[0], **arrays)
    document = {"torch": torch.__version__, "cases": cases, "reprs": reprs, "init": _init_rules()}
    paths[1].write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
    np.savez_compressed(paths[2], **optim_arrays)
    document = {"torch": torch.__version__, "steps": OPTIM_STEPS, "model": [4, [6], 2, "tanh"],
                "objective": "mean squared error", "cases": optim_cases}  # fmt: skip
    paths[3].write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
    return paths


if __name__ == "__main__":
    for path in write_golden(Path(__file__).resolve().parents[1] / "tests" / "golden"):
        print(path)
