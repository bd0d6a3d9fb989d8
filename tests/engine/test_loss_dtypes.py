"""The losses on integer, bool and mixed float tensors behave as torch 2.13's
(tests/golden/loss_dtypes.json, written by tools/make_golden.py; this test never imports torch).
"""

from __future__ import annotations

import builtins
import json
import warnings
from pathlib import Path

import numpy as np
import pytest

from explorer.engine import Tensor
from explorer.engine.dtypes import result_type, torch_dtype_name
from explorer.engine.nn import functional as F  # noqa: N812 (torch's alias)

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "loss_dtypes.json"
DOCUMENT = json.loads(GOLDEN.read_text(encoding="utf-8"))


def _label(call: dict) -> str:
    options = ",".join(f"{k}={v}" for k, v in call["kwargs"].items())
    tensors = "".join(f",{name}:{dtype}" for name, (_, dtype) in call["tensors"].items())
    return f"{call['function']}({options}){'/'.join(call['dtypes'])}{tensors}"


def _run(call: dict) -> Tensor:
    x, t = (
        Tensor(np.asarray(values, dtype=dtype))
        for values, dtype in zip((call["input"], call["target"]), call["dtypes"], strict=True)
    )
    extra = {
        name: Tensor(np.asarray(values, dtype=dtype))
        for name, (values, dtype) in call["tensors"].items()
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return getattr(F, call["function"])(x, t, **extra, **call["kwargs"])


def test_golden_dtypes_were_written_by_torch_2_13():
    assert DOCUMENT["torch"].startswith("2.13.0")
    assert len(DOCUMENT["calls"]) > 400


@pytest.mark.parametrize("call", DOCUMENT["calls"], ids=_label)
def test_each_dtype_pair_gives_torchs_output_dtype_and_values_or_its_exception(call):
    if "error" not in call:
        out = _run(call)
        assert out.dtype == np.dtype(call["dtype"])
        if out.dtype.kind == "f":
            np.testing.assert_allclose(out.data, call["output"], rtol=1e-6)
        else:  # integer arithmetic wraps as torch's: uint8 0 - 1 is 255
            np.testing.assert_array_equal(out.data, call["output"])
        return
    kind, message = call["error"].split(": ", 1)
    with pytest.raises(getattr(builtins, kind)) as info:
        _run(call)
    assert type(info.value).__name__ == kind
    assert str(info.value) == message


def test_an_integer_mse_raises_rather_than_wrapping():
    # uint8 arithmetic would give (0 - 20)^2 = 236^2 = 144 (mod 256)
    x, t = Tensor(np.array([0], np.uint8)), Tensor(np.array([20], np.uint8))
    with pytest.raises(NotImplementedError, match="\"mse_cpu\" not implemented for 'Byte'"):
        F.mse_loss(x, t)


def test_an_integer_target_is_read_in_the_inputs_float_dtype():
    x = Tensor(np.array([0.5, 1.5], np.float32), requires_grad=True)
    out = F.mse_loss(x, Tensor(np.array([1, 1])))  # int64, which numpy would promote to float64
    assert out.dtype == np.float32 and out.item() == 0.25
    out.backward()
    assert x.grad.dtype == np.float32


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("int64", "float32", "float32"),
        ("uint8", "int8", "int16"),
        ("bool", "uint8", "uint8"),
        ("float32", "float64", "float64"),
    ],
)
def test_result_type_is_torchs(a, b, expected):
    x, y = np.zeros(2, a), np.zeros(2, b)
    assert result_type(x, y) == result_type(y, x) == np.dtype(expected)
    # a 0-d tensor does not widen a dimensioned one of the same category
    assert result_type(np.zeros(2, "float32"), np.zeros((), "float64")) == np.float32


def test_dtype_names_are_torchs():
    names = [torch_dtype_name(np.dtype(d)) for d in ("bool", "uint8", "int32", "float64")]
    assert names == ["Bool", "Byte", "Int", "Double"]
