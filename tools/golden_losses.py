"""Golden cases for the loss functions, computed by PyTorch (dev-only: imports torch).

Writes ``losses.npz`` (arrays, float64; load with ``allow_pickle=False``) and ``losses.json``
(per case: the function, its keyword options, which arrays exist, torch's warnings or the
exception torch raised; plus the legacy ``size_average``/``reduce`` table and module reprs).
Every case runs the backward pass with a random upstream gradient. ``loss_dtypes.json`` holds
each loss on integer, bool and mixed float tensors: torch's output dtype and values, or the
exception it raised (one call a line).
"""

from __future__ import annotations

import itertools
import json
import warnings
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F  # noqa: N812 (torch's own alias)
from torch import nn

TARGET_GRAD = {
    "l1_loss", "mse_loss", "huber_loss", "smooth_l1_loss", "kl_div",
    "binary_cross_entropy", "binary_cross_entropy_with_logits",
}  # fmt: skip
LEGACY_MODULES = (
    "L1Loss", "MSELoss", "CrossEntropyLoss", "NLLLoss", "KLDivLoss", "BCELoss",
    "BCEWithLogitsLoss", "SmoothL1Loss",
)  # fmt: skip
LEGACY_FLAGS = (None, True, False)
REDUCTIONS = ("none", "mean", "sum")


class _Cases:
    """Collects cases: runs torch on each and keeps inputs, outputs and gradients."""

    def __init__(self, seed: int = 0):
        self.rng = np.random.default_rng(seed)
        self.arrays: dict[str, np.ndarray] = {}
        self.index: list[dict] = []

    def add(self, function: str, input, target, *, tensors=None, **kwargs) -> None:
        tensors = tensors or {}
        case_id = f"c{len(self.index):04d}"
        x = torch.tensor(input, dtype=torch.float64, requires_grad=True)
        float_target = np.asarray(target).dtype.kind == "f"
        t = torch.tensor(target, dtype=torch.float64 if float_target else None)
        target_grad = float_target and (
            function in TARGET_GRAD or (function == "cross_entropy" and t.shape == x.shape)
        )
        t.requires_grad_(target_grad)
        extra = {name: torch.tensor(value, dtype=torch.float64) for name, value in tensors.items()}
        entry = {
            "id": case_id, "function": function, "kwargs": kwargs,
            "tensors": sorted(tensors), "target_grad": bool(target_grad),
        }  # fmt: skip
        stored = {"input": np.asarray(input, dtype=np.float64), "target": np.asarray(target)}
        stored.update({name: np.asarray(v, dtype=np.float64) for name, v in tensors.items()})
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                out = getattr(F, function)(x, t, **extra, **kwargs)
            upstream = self.rng.normal(size=tuple(out.shape))
            out.backward(torch.tensor(upstream))
        except (RuntimeError, ValueError, IndexError) as error:
            entry["error"] = f"{type(error).__name__}: {error}"
        else:
            entry["warnings"] = [str(w.message) for w in caught]
            stored["upstream"] = upstream
            stored["output"] = out.detach().numpy()
            stored["grad_input"] = x.grad.numpy()
            if target_grad:
                stored["grad_target"] = t.grad.numpy()
        for name, value in stored.items():
            self.arrays[f"{case_id}/{name}"] = value
        self.index.append(entry)

    # -- data helpers ---------------------------------------------------------------------
    def normal(self, shape, scale=1.0):
        return self.rng.normal(size=shape) * scale

    def probs(self, shape, axis=-1):
        raw = self.rng.gamma(1.0, size=shape)
        return raw / raw.sum(axis=axis, keepdims=True)

    def uniform(self, shape, low=0.0, high=1.0):
        return self.rng.uniform(low, high, size=shape)

    def classes(self, shape, count):
        return self.rng.integers(0, count, size=shape).astype(np.int64)


def _regression(c: _Cases) -> None:
    shapes = [(3, 5), (4,), (2, 3, 2)]
    for function in ("l1_loss", "mse_loss"):
        for shape, red, _, weighted in itertools.product(shapes, REDUCTIONS, range(2), (0, 1)):
            tensors = {"weight": c.uniform(shape, 0.1, 2.0)} if weighted else {}
            c.add(function, c.normal(shape), c.normal(shape), tensors=tensors, reduction=red)
        for red in REDUCTIONS:  # a broadcast target warns and is summed back in the gradient
            c.add(function, c.normal((3, 5)), c.normal((5,)), reduction=red)
            c.add(function, c.normal((3, 5)), c.normal((4,)), reduction=red)  # torch raises
        x, y = c.normal((3, 5)), c.normal((3, 5))
        y[0, :2] = x[0, :2]  # exact ties: the |d| and d^2 kinks
        c.add(function, x, y, reduction="sum")
    for delta, shape, red, weighted in itertools.product(
        (0.5, 1.0, 2.0), [(3, 5), (2, 3, 2)], REDUCTIONS, (0, 1)
    ):
        x, y = c.normal(shape, 2.0), c.normal(shape)
        x.flat[0] = y.flat[0] + delta  # exactly on the kink
        tensors = {"weight": c.uniform(shape, 0.1, 2.0)} if weighted else {}
        c.add("huber_loss", x, y, tensors=tensors, reduction=red, delta=delta)
    for beta, shape, red in itertools.product((0.0, 0.5, 1.0, 2.0), [(3, 5), (4,)], REDUCTIONS):
        x, y = c.normal(shape, 2.0), c.normal(shape)
        x.flat[0] = y.flat[0] - beta
        c.add("smooth_l1_loss", x, y, reduction=red, beta=beta)
    c.add("huber_loss", c.normal((3,)), c.normal((3,)), delta=0.0)
    c.add("huber_loss", c.normal((3,)), c.normal((3,)), delta=-1.0)
    c.add("smooth_l1_loss", c.normal((3,)), c.normal((3,)), beta=-0.5)


def _kl(c: _Cases) -> None:
    for shape, red, log_target, seed in itertools.product(
        [(3, 5), (4,), (2, 3, 4)], ("none", "batchmean", "sum", "mean"), (False, True), range(2)
    ):
        x = np.log(c.probs(shape))
        y = c.probs(shape)
        if seed == 1 and not log_target:
            y.flat[::3] = 0.0  # xlogy: zero targets contribute 0 (and a NaN target gradient)
        c.add("kl_div", x, np.log(y) if log_target else y, reduction=red, log_target=log_target)
    c.add("kl_div", np.log(c.probs((3, 5))), c.probs((5,)), reduction="batchmean")
    c.add("kl_div", c.normal((3, 4)), c.probs((3, 4)), reduction="batchmean", log_target=False)


def _bce(c: _Cases) -> None:
    weights = ("none", "row", "full")
    for shape, red, weight in itertools.product([(3, 5), (4,)], REDUCTIONS, weights):
        tensors = {}
        if weight == "row":
            tensors["weight"] = c.uniform(shape[-1:], 0.1, 2.0)
        elif weight == "full":
            tensors["weight"] = c.uniform(shape, 0.1, 2.0)
        for seed in range(2):
            c.add("binary_cross_entropy", c.uniform(shape, 0.01, 0.99), c.uniform(shape),
                  tensors=tensors, reduction=red)  # fmt: skip
            logits, targets = c.normal(shape, 3.0), c.uniform(shape)
            pos = {"pos_weight": c.uniform(shape[-1:], 0.2, 3.0)} if seed else {}
            c.add("binary_cross_entropy_with_logits", logits, targets,
                  tensors={**tensors, **pos}, reduction=red)  # fmt: skip
    edge_x = np.array([0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1e-50, 1 - 1e-12, 0.5])
    edge_y = np.array([0.0, 1.0, 0.5, 0.0, 1.0, 0.5, 1.0, 0.0, 0.5])
    for red in REDUCTIONS:
        c.add("binary_cross_entropy", edge_x, edge_y, reduction=red)
    big = np.array([1000.0, -1000.0, 1000.0, -1000.0, 0.0, 50.0, -50.0])
    big_y = np.array([0.0, 1.0, 1.0, 0.0, 0.5, 0.3, 0.7])
    for red, pos in itertools.product(REDUCTIONS, (False, True)):
        tensors = {"pos_weight": c.uniform((7,), 0.5, 2.0)} if pos else {}
        c.add("binary_cross_entropy_with_logits", big, big_y, tensors=tensors, reduction=red)
    c.add("binary_cross_entropy", np.array([0.5, 1.5]), np.array([0.5, 0.5]))
    c.add("binary_cross_entropy", np.array([0.5, 0.5]), np.array([0.5, -0.5]))
    c.add("binary_cross_entropy", np.array([0.5, 0.5]), np.array([0.5]))
    c.add("binary_cross_entropy_with_logits", np.array([0.5, 0.5]), np.array([0.5]))


def _classification(c: _Cases) -> None:
    shapes = [(5,), (4, 5), (3, 4, 2), (2, 3, 2, 2)]

    def class_target(shape, ignore):
        count = shape[0] if len(shape) == 1 else shape[1]
        t_shape = () if len(shape) == 1 else (shape[0], *shape[2:])
        t = c.classes(t_shape, count)
        if ignore == -100 and t.size > 1:
            t.flat[::3] = -100
        return t

    for function, shape, red, weighted, ignore in itertools.product(
        ("nll_loss", "cross_entropy"), shapes, REDUCTIONS, (0, 1), (-100, 1)
    ):
        count = shape[0] if len(shape) == 1 else shape[1]
        tensors = {"weight": c.uniform((count,), 0.1, 2.0)} if weighted else {}
        for smoothing in (0.0, 0.15) if function == "cross_entropy" else (None,):
            opts = {} if smoothing is None else {"label_smoothing": smoothing}
            x = c.normal(shape, 2.0)
            if function == "nll_loss":
                x = x - np.log(np.exp(x).sum(axis=0 if len(shape) == 1 else 1, keepdims=True))
            c.add(function, x, class_target(shape, ignore), tensors=tensors,
                  reduction=red, ignore_index=ignore, **opts)  # fmt: skip
    for shape, red, weighted, smoothing in itertools.product(
        shapes, REDUCTIONS, (0, 1), (0.0, 0.15)
    ):
        count = shape[0] if len(shape) == 1 else shape[1]
        tensors = {"weight": c.uniform((count,), 0.1, 2.0)} if weighted else {}
        c.add("cross_entropy", c.normal(shape, 2.0), c.probs(shape, axis=0 if len(shape) == 1
              else 1), tensors=tensors, reduction=red, label_smoothing=smoothing)  # fmt: skip
    everyone_ignored = np.full((3,), -100, dtype=np.int64)
    for function, red, smoothing in itertools.product(
        ("nll_loss", "cross_entropy"), REDUCTIONS, (0.0, 0.1)
    ):
        opts = {"label_smoothing": smoothing} if function == "cross_entropy" else {}
        if function == "nll_loss" and smoothing:
            continue
        c.add(function, c.normal((3, 4)), everyone_ignored, reduction=red, **opts)
    # the selected weights sum to zero: torch gives NaN for the mean and its gradient
    c.add("nll_loss", c.normal((2, 3)), np.array([0, 0]), tensors={"weight": np.array(
        [0.0, 1.0, 1.0])}, reduction="mean")  # fmt: skip
    big = np.array([[1000.0, -1000.0, 0.0], [-1000.0, 1000.0, 999.0]])
    for red, smoothing in itertools.product(REDUCTIONS, (0.0, 0.1)):
        c.add("cross_entropy", big, np.array([1, 1]), reduction=red, label_smoothing=smoothing)
        c.add("cross_entropy", big, c.probs((2, 3)), reduction=red, label_smoothing=smoothing)
    c.add("cross_entropy", c.normal((3, 4)), np.array([0, 1, 2], dtype=np.uint8))
    for shape, red in itertools.product([(32, 2), (64, 10)], REDUCTIONS):  # the training case
        c.add("cross_entropy", c.normal(shape, 3.0), c.classes(shape[:1], shape[1]), reduction=red)
    # rejected: out-of-range class, float class targets, int probabilities, bad weight, ...
    c.add("cross_entropy", c.normal((3, 5)), np.array([0, 1, 5]))
    c.add("nll_loss", c.normal((3, 5)), np.array([0, -1, 2]))
    c.add("cross_entropy", c.normal((3, 5)), np.array([0.0, 1.0, 2.0]))
    c.add("cross_entropy", c.normal((3, 5)), np.zeros((3, 5), dtype=np.int64))
    c.add("cross_entropy", c.normal((3, 5)), np.array([0, 1]))
    c.add("cross_entropy", c.normal((3, 5)), np.array([0, 1, 2]),
          tensors={"weight": np.ones(4)})  # fmt: skip
    c.add("cross_entropy", c.normal((3, 5)), np.array([0, 1, 2]), label_smoothing=1.5)
    c.add("cross_entropy", c.normal((2, 5, 3)), np.zeros((2, 2), dtype=np.int64))


def _legacy(c: _Cases) -> list[dict]:
    """Functions called with the deprecated flags, and the reduction each module maps to."""
    for sa, red in itertools.product(LEGACY_FLAGS, LEGACY_FLAGS):
        if sa is None and red is None:
            continue
        flags = {"size_average": sa, "reduce": red}
        c.add("l1_loss", c.normal((3, 5)), c.normal((3, 5)), reduction="sum", **flags)
        c.add("mse_loss", c.normal((3, 5)), c.normal((3, 5)), **flags)
        c.add("smooth_l1_loss", c.normal((3, 5)), c.normal((3, 5)), **flags)
        c.add("kl_div", np.log(c.probs((3, 5))), c.probs((3, 5)), reduction="batchmean", **flags)
        c.add("binary_cross_entropy", c.uniform((3, 5), 0.05, 0.95), c.uniform((3, 5)), **flags)
        c.add("binary_cross_entropy_with_logits", c.normal((3, 5)), c.uniform((3, 5)), **flags)
        c.add("cross_entropy", c.normal((3, 5)), c.classes((3,), 5), **flags)
        c.add("nll_loss", c.normal((3, 5)), c.classes((3,), 5), **flags)
    c.add("l1_loss", c.normal((3,)), c.normal((3,)), reduction="avg")
    c.add("kl_div", c.normal((3,)), c.probs((3,)), reduction="avg")
    c.add("mse_loss", c.normal((3,)), c.normal((3,)), reduction="elementwise_mean")
    table = []
    for name, sa, red in itertools.product(LEGACY_MODULES, LEGACY_FLAGS, LEGACY_FLAGS):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            module = getattr(nn, name)(size_average=sa, reduce=red)
        table.append({
            "module": name, "size_average": sa, "reduce": red,
            "reduction": module.reduction, "warnings": [str(w.message) for w in caught],
        })  # fmt: skip
    return table


DTYPES = ("int64", "int32", "uint8", "bool", "float32", "float64")


def _dtype_entry(function: str, input, target, dtypes, kwargs, tensors=None) -> dict:
    """One call on tensors of the given dtypes: torch's output (dtype, values) or exception.

    ``tensors`` maps an argument name (weight, pos_weight) to its values and dtype.
    """
    x, t = (
        torch.tensor(np.asarray(v, dtype=d)) for v, d in zip((input, target), dtypes, strict=True)
    )
    tensors = tensors or {}
    extra = {name: torch.tensor(np.asarray(v, dtype=d)) for name, (v, d) in tensors.items()}
    entry = {
        "function": function, "input": input, "target": target, "dtypes": list(dtypes),
        "kwargs": kwargs, "tensors": {name: list(vd) for name, vd in tensors.items()},
    }  # fmt: skip
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = getattr(F, function)(x, t, **extra, **kwargs)
    except (RuntimeError, ValueError) as error:  # NotImplementedError is a RuntimeError
        entry["error"] = f"{type(error).__name__}: {error}"
    else:
        entry["dtype"] = str(out.dtype).removeprefix("torch.")
        entry["output"] = out.numpy().tolist()
    return entry


def _dtypes() -> list[dict]:
    """Every loss on each pair of dtypes: integer and bool tensors, and mixed floats."""
    pair, rows, indices = [0, 1, 1], [1, 0, 1], [1, 0]
    grid = [[0, 1, 1], [1, 0, 0]]
    onehot = [[0, 1, 0], [1, 0, 0]]
    entries = []
    for dx, dt in itertools.product(DTYPES, DTYPES):
        dtypes = (dx, dt)
        for red in REDUCTIONS:
            entries.append(_dtype_entry("l1_loss", pair, rows, dtypes, {"reduction": red}))
        entries.append(_dtype_entry("smooth_l1_loss", pair, rows, dtypes, {"beta": 0.0}))
        for function in (
            "mse_loss", "huber_loss", "smooth_l1_loss", "binary_cross_entropy",
            "binary_cross_entropy_with_logits", "kl_div",
        ):  # fmt: skip
            entries.append(_dtype_entry(function, pair, rows, dtypes, {}))
        for function in ("cross_entropy", "nll_loss"):
            entries.append(_dtype_entry(function, grid, indices, dtypes, {}))
        entries.append(_dtype_entry("cross_entropy", grid, onehot, dtypes, {}))
    for dw in DTYPES:
        entries.append(_dtype_entry(
            "binary_cross_entropy_with_logits", pair, rows, ("float32", "float32"), {},
            tensors={"pos_weight": ([1, 2, 3], dw)},
        ))  # fmt: skip
    weights = (([0.5, 0.5, 2], "float32"), ([2, 3, 1], "int64"))
    for function, dx, weight, red in itertools.product(
        ("l1_loss", "mse_loss"), ("int64", "uint8", "float32"), weights, REDUCTIONS
    ):  # torch weighs in Python: |x - y| * w, and 'mean' divides by sum(w)
        entries.append(_dtype_entry(
            function, pair, rows, (dx, "int64"), {"reduction": red}, tensors={"weight": weight}
        ))  # fmt: skip
    return entries


def _reprs() -> list[dict]:
    options = [
        ("L1Loss", {}), ("MSELoss", {"reduction": "sum"}), ("CrossEntropyLoss",
        {"ignore_index": 3, "label_smoothing": 0.1}), ("NLLLoss", {}),
        ("KLDivLoss", {"reduction": "batchmean", "log_target": True}), ("BCELoss", {}),
        ("BCEWithLogitsLoss", {}), ("HuberLoss", {"delta": 2.0}), ("SmoothL1Loss", {"beta": 0.5}),
    ]  # fmt: skip
    return [{"module": n, "kwargs": kw, "repr": repr(getattr(nn, n)(**kw))} for n, kw in options]


def write_golden(out_dir: Path) -> list[Path]:
    """Compute every loss case with torch and write ``losses.npz`` and ``losses.json``."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(0)
    cases = _Cases(seed=2013)
    _regression(cases)
    _kl(cases)
    _bce(cases)
    _classification(cases)
    legacy = _legacy(cases)
    npz_path, json_path = out_dir / "losses.npz", out_dir / "losses.json"
    np.savez_compressed(npz_path, **cases.arrays)
    document = {
        "torch": torch.__version__, "cases": cases.index, "legacy": legacy, "reprs": _reprs(),
    }  # fmt: skip
    json_path.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
    dtypes_path = out_dir / "loss_dtypes.json"
    lines = ",\n".join(json.dumps(entry) for entry in _dtypes())
    document = f'{{"torch": {json.dumps(torch.__version__)}, "calls": [\n{lines}\n]}}\n'
    dtypes_path.write_text(document, encoding="utf-8")
    return [npz_path, json_path, dtypes_path]
