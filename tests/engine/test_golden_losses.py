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

from explorer.engine import Tensor
from explorer.engine.nn import _functional_losses as F  # noqa: N812 (torch's alias)

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
DOCUMENT = json.loads((GOLDEN / "losses.json").read_text(encoding="utf-8"))
RTOL, ATOL = 1e-10, 1e-14


@pytest.fixture(scope="module")
def arrays():
    with np.load(GOLDEN / "losses.npz", allow_pickle=False) as data:
        return {key: data[key] for key in data.files}


def _call(case: dict, arrays: dict) -> tuple[Tensor, Tensor, Tensor, list[str]]:
    get = lambda name: arrays[f"{case['id']}/{name}"]  # noqa: E731
    x = Tensor(get("input"), requires_grad=True)
    t = Tensor(get("target"), requires_grad=case["target_grad"])
    tensors = {name: Tensor(get(name)) for name in case["tensors"]}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
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


@pytest.mark.parametrize("case", CASES, ids=_label)
def test_value_and_gradients_match_torch(case, arrays):
    x, t, out, messages = _call(case, arrays)
    expected = arrays[f"{case['id']}/output"]
    assert out.shape == expected.shape
    assert out.dtype == np.float64
    np.testing.assert_allclose(out.data, expected, rtol=RTOL, atol=ATOL, equal_nan=True)
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


@pytest.mark.parametrize("case", REJECTED, ids=_label)
def test_what_torch_rejects_is_rejected_with_a_value_error(case, arrays):
    with pytest.raises(ValueError) as info:
        _call(case, arrays)
    message = str(info.value)
    torch_message = case["error"].split(": ", 1)[1]
    # our message opens with torch's words (dtype names aside) or names the shapes
    assert message.split()[:4] == torch_message.split()[:4] or "shape" in message
