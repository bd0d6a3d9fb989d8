"""Loss values, gradients, warnings and rejections against PyTorch's (tests/golden/losses.*).

The golden files are written by ``tools/make_golden.py`` with torch 2.13.0; this test never
imports torch.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pytest

from explorer.engine import Tensor, nn
from explorer.engine.nn import functional as F  # noqa: N812 (torch's alias)

# every case runs on the fast path and on the plain path (tests/engine/conftest.py)
pytestmark = pytest.mark.usefixtures("engine_path")

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
DOCUMENT = json.loads((GOLDEN / "losses.json").read_text(encoding="utf-8"))
RTOL, ATOL = 1e-10, 1e-14


@pytest.fixture(scope="module")
def arrays():
    with np.load(GOLDEN / "losses.npz", allow_pickle=False) as data:
        return {key: data[key] for key in data.files}


MODULES = {
    "l1_loss": nn.L1Loss,
    "mse_loss": nn.MSELoss,
    "huber_loss": nn.HuberLoss,
    "smooth_l1_loss": nn.SmoothL1Loss,
    "kl_div": nn.KLDivLoss,
    "binary_cross_entropy": nn.BCELoss,
    "binary_cross_entropy_with_logits": nn.BCEWithLogitsLoss,
    "cross_entropy": nn.CrossEntropyLoss,
    "nll_loss": nn.NLLLoss,
}
# torch 2.13's functions take a weight that the L1/MSE/Huber modules do not
NO_MODULE_WEIGHT = {"l1_loss", "mse_loss", "huber_loss"}


def _call(
    case: dict, arrays: dict, as_module: bool = False
) -> tuple[Tensor, Tensor, Tensor, list[str]]:
    """Run the case through the function (or its module); return input, target, output."""
    get = lambda name: arrays[f"{case['id']}/{name}"]  # noqa: E731
    x = Tensor(get("input"), requires_grad=True)
    t = Tensor(get("target"), requires_grad=case["target_grad"])
    tensors = {name: Tensor(get(name)) for name in case["tensors"]}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if as_module:
            out = MODULES[case["function"]](**tensors, **case["kwargs"])(x, t)
        else:
            out = getattr(F, case["function"])(x, t, **tensors, **case["kwargs"])
    return x, t, out, [str(w.message) for w in caught]


def _label(case: dict) -> str:
    options = ",".join(f"{k}={v}" for k, v in case["kwargs"].items())
    return f"{case['id']}-{case['function']}({options})"


CASES = [c for c in DOCUMENT["cases"] if "error" not in c]
REJECTED = [c for c in DOCUMENT["cases"] if "error" in c]


def test_golden_files_were_written_by_torch_2_13():
    assert DOCUMENT["torch"].startswith("2.13.0")
    assert len(CASES) > 500


def _module_applies(case: dict) -> bool:
    kwargs = case["kwargs"]
    if case["function"] in NO_MODULE_WEIGHT and "weight" in case["tensors"]:
        return False
    # KLDivLoss stores the legacy reduction, so torch's module never sees 'batchmean' there
    legacy = kwargs.get("size_average") is not None or kwargs.get("reduce") is not None
    return not (legacy and kwargs.get("reduction") == "batchmean")


MODULE_CASES = [c for c in CASES if _module_applies(c)]


@pytest.mark.parametrize("case", CASES, ids=_label)
def test_value_and_gradients_match_torch(case, arrays):
    _check(case, arrays, as_module=False)


@pytest.mark.parametrize("case", MODULE_CASES, ids=_label)
def test_module_value_and_gradients_match_torch(case, arrays):
    _check(case, arrays, as_module=True)


def _check(case: dict, arrays: dict, as_module: bool) -> None:
    x, t, out, messages = _call(case, arrays, as_module)
    expected = arrays[f"{case['id']}/output"]
    assert out.shape == expected.shape
    assert out.dtype == np.float64
    np.testing.assert_allclose(out.data, expected, rtol=RTOL, atol=ATOL, equal_nan=True)
    if not as_module:  # a module warns about legacy flags when built, torch's function per call
        assert messages == case["warnings"]
    out.backward(arrays[f"{case['id']}/upstream"])
    with np.errstate(invalid="ignore"):
        np.testing.assert_allclose(
            x.grad, arrays[f"{case['id']}/grad_input"], rtol=RTOL, atol=ATOL, equal_nan=True
        )
        if case["target_grad"]:
            np.testing.assert_allclose(
                t.grad, arrays[f"{case['id']}/grad_target"], rtol=RTOL, atol=ATOL, equal_nan=True
            )


@pytest.mark.parametrize("as_module", [False, True], ids=["function", "module"])
@pytest.mark.parametrize("case", REJECTED, ids=_label)
def test_what_torch_rejects_is_rejected_with_torchs_exception_and_message(case, arrays, as_module):
    kind, message = case["error"].split(": ", 1)
    with pytest.raises(Exception) as info:  # noqa: PT011 (the type is checked below)
        _call(case, arrays, as_module)
    assert type(info.value).__name__ == kind
    assert str(info.value) == message


@pytest.mark.parametrize(
    "entry", DOCUMENT["legacy"], ids=lambda e: f"{e['module']}-{e['size_average']}-{e['reduce']}"
)
def test_legacy_flags_map_to_torchs_reduction_with_torchs_warning(entry):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        module = getattr(nn, entry["module"])(
            size_average=entry["size_average"], reduce=entry["reduce"]
        )
    assert module.reduction == entry["reduction"]
    assert [str(w.message) for w in caught] == entry["warnings"]


@pytest.mark.parametrize("entry", DOCUMENT["reprs"], ids=lambda e: e["module"])
def test_repr_matches_torch(entry):
    assert repr(getattr(nn, entry["module"])(**entry["kwargs"])) == entry["repr"]
