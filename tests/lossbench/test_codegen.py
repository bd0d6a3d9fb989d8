"""The generated PyTorch code: its text, and that it computes the tab's number when run.

The test suite never imports torch, so the code runs against a stand-in ``torch`` made of
the engine (whose parity with torch the engine's golden tests prove).
"""

import sys
import types

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import explorer.engine.nn as engine_nn
import explorer.engine.nn.functional as engine_F
from explorer.engine import tensor as engine_tensor
from explorer.lossbench.codegen import loss_expression, pytorch_code, tensor_literal
from explorer.lossbench.evaluate import evaluate
from explorer.lossbench.spec import LOSSES, LossOptions, input_kind, replace_options, target_kind
from explorer.lossbench.tensors import random_tensor


def test_the_issue_example_expression():
    assert loss_expression("KLDiv", LossOptions(reduction="batchmean")) == (
        'nn.KLDivLoss(reduction="batchmean", log_target=False)'
    )


def test_only_the_loss_own_options_are_written():
    assert loss_expression("L1", LossOptions(delta=3.0, log_target=True)) == (
        'nn.L1Loss(reduction="mean")'
    )
    assert loss_expression("Huber", LossOptions(delta=0.5)) == (
        'nn.HuberLoss(reduction="mean", delta=0.5)'
    )
    assert loss_expression("CrossEntropy", LossOptions(weight=(1, 2.5), label_smoothing=0.1)) == (
        "nn.CrossEntropyLoss(weight=torch.tensor([1., 2.5]), ignore_index=-100, "
        'reduction="mean", label_smoothing=0.1)'
    )


def test_deprecated_flags_are_written_instead_of_reduction():
    text = loss_expression("MSE", LossOptions(reduction="none", size_average=False))
    assert text == "nn.MSELoss(size_average=False)"


def test_long_constructor_calls_wrap_one_argument_per_line():
    text = loss_expression(
        "BCEWithLogits", LossOptions(weight=(1, 2), pos_weight=(3, 1)), wrap_at=40
    )
    assert text.splitlines()[0] == "nn.BCEWithLogitsLoss("
    assert "    pos_weight=torch.tensor([3., 1.])," in text.splitlines()


def test_tensor_literals_keep_floats_float_and_indices_int():
    assert tensor_literal(np.array([[0.0, 1.0]]), 0) == "[[0., 1.]]"
    assert tensor_literal(np.array([2, 0, 4]), 0) == "[2, 0, 4]"
    assert tensor_literal(np.array([[0.1, -2.5], [3, 4]]), 3) == ("[[0.1, -2.5],\n    [3., 4.]]")


def parsed_as_torch_does(literal: str) -> np.ndarray:
    """The numbers of a literal as ``torch.tensor(...)`` reads them: a Python float each,
    then rounded to float32."""
    texts = literal.replace("[", " ").replace("]", " ").replace(",", " ").split()
    return np.array([np.float32(float(text)) for text in texts], dtype=np.float32)


def test_float32_literals_are_the_shortest_that_read_back_bit_for_bit():
    target = np.array([[0.5334, 0.1, 1 / 3], [1e-7, 3.0, -2.5e-5]], dtype=np.float32)
    literal = tensor_literal(target, 0)
    assert literal == "[[0.5334, 0.1, 0.33333334],\n [1e-07, 3., -2.5e-05]]"
    np.testing.assert_array_equal(
        parsed_as_torch_does(literal).view(np.uint32), target.reshape(-1).view(np.uint32)
    )
    table = np.array([[0.5334, 0.1, 0.25], [0.0, 3.0, -2.5e-5]])  # the tab's float64 cells
    code = pytorch_code("MSE", LossOptions(), table, table, "float32")
    assert "target = torch.tensor([[0.5334, 0.1, 0.25]," in code
    assert "0.5333999991416931" not in code


@given(st.lists(st.floats(width=32, allow_nan=False, allow_infinity=False), min_size=1))
def test_any_float32_literal_reads_back_as_the_same_bits(numbers):
    values = np.array(numbers, dtype=np.float32)
    parsed = parsed_as_torch_does(tensor_literal(values, 0))
    np.testing.assert_array_equal(parsed.view(np.uint32), values.view(np.uint32))


def test_the_script_feeds_log_softmax_and_backpropagates_the_sum_for_none():
    x = random_tensor("real", 2, 3, 0, 0)
    t = random_tensor("probabilities", 2, 3, 0, 1)
    code = pytorch_code("KLDiv", LossOptions(reduction="none"), x, t)
    assert "output = loss(F.log_softmax(input, dim=1), target)" in code
    assert "output.sum().backward()" in code
    assert "requires_grad=True)" in code


@pytest.fixture
def engine_as_torch(monkeypatch):
    torch = types.ModuleType("torch")
    torch.tensor = engine_tensor
    torch.float64 = np.float64
    torch.nn = engine_nn
    monkeypatch.setitem(sys.modules, "torch", torch)
    monkeypatch.setitem(sys.modules, "torch.nn", engine_nn)
    monkeypatch.setitem(sys.modules, "torch.nn.functional", engine_F)


SETTINGS = [
    ("L1", {}),
    ("MSE", {"reduction": "none"}),
    ("CrossEntropy", {"weight": (1, 2, 0.5, 1, 3), "label_smoothing": 0.2}),
    ("CrossEntropy", {"probability_target": True, "reduction": "sum"}),
    ("NLL", {"size_average": False}),
    ("KLDiv", {"reduction": "batchmean"}),
    ("KLDiv", {"log_target": True, "log_softmax_input": False}),
    ("BCE", {"weight": (1, 2, 1, 2, 1)}),
    ("BCEWithLogits", {"pos_weight": (2, 1, 1, 1, 4), "reduction": "sum"}),
    ("Huber", {"delta": 0.5}),
    ("SmoothL1", {"beta": 0.25, "reduce": False}),
]


@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize(("kind", "changes"), SETTINGS)
def test_running_the_script_prints_the_tabs_value(kind, changes, dtype, engine_as_torch, capsys):
    options = replace_options(LossOptions(), **changes)
    spec = LOSSES[kind]
    x = random_tensor(input_kind(spec, options), 3, 5, 3, 0)
    t = random_tensor(target_kind(spec, options), 3, 5, 3, 1)
    expected = evaluate(kind, options, x, t, dtype)
    exec(compile(pytorch_code(kind, options, x, t, dtype), "<pytorch_code>", "exec"), {})
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == f"{expected.value:.6f}"


def test_float64_code_names_the_dtype_everywhere_float32_warns_about_the_last_digit():
    x = random_tensor("real", 2, 3, 0, 0)
    t = random_tensor("probabilities", 2, 3, 0, 1)
    code = pytorch_code(
        "CrossEntropy", LossOptions(probability_target=True, weight=(1, 2, 3)), x, t, "float64"
    )
    assert code.count("dtype=torch.float64") == 3
    assert "last digit" not in code
    code32 = pytorch_code("CrossEntropy", LossOptions(probability_target=True), x, t)
    assert "dtype" not in code32
    assert "# float32: the last digit may differ" in code32


def test_code_is_the_same_when_the_tensor_literals_come_from_the_cache():
    x = np.arange(6.0).reshape(2, 3) / 7
    t = np.ones((2, 3))
    first = pytorch_code("MSE", LossOptions(), x, t)
    assert pytorch_code("MSE", LossOptions(), x.copy(), t.copy()) == first
    x[0, 0] = 0.5  # same shape, new value: a new literal
    assert "[[0.5," in pytorch_code("MSE", LossOptions(), x, t)
