"""Loss evaluations as CSV-ready tables."""

import numpy as np

from explorer.lossbench.evaluate import evaluate
from explorer.lossbench.spec import LossOptions
from explorer.lossbench.tables import loss_tables


def test_class_index_targets_repeat_per_row_and_reduced_output_is_in_value():
    x = np.array([[1.0, 2.0, 0.5], [0.0, -1.0, 3.0]])
    t = np.array([1, 2])
    result = evaluate("CrossEntropy", LossOptions(), x, t, "float64")
    tables = loss_tables(result, "CrossEntropy", x, t, "float64")
    header, rows = tables["tensors"]
    assert header == ["row", "column", "input", "target", "input.grad"]
    assert [r[3] for r in rows] == [1, 1, 1, 2, 2, 2]
    assert all(isinstance(r[3], int) for r in rows)
    np.testing.assert_allclose([r[4] for r in rows], result.grad.ravel())
    assert tables["value"][1] == [["CrossEntropyLoss", "mean", result.value, "float64"]]


def test_per_sample_output_for_reduction_none():
    x = np.array([[1.0, 2.0], [0.0, -1.0]])
    t = np.array([0, 1])
    result = evaluate("CrossEntropy", LossOptions(reduction="none"), x, t, "float64")
    header, rows = loss_tables(result, "CrossEntropy", x, t, "float64")["tensors"]
    assert header[4] == "output"
    assert [r[4] for r in rows] == [result.output[0]] * 2 + [result.output[1]] * 2
