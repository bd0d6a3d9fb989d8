"""A loss evaluation as plain tables (header, rows) for a CSV file or a spreadsheet.

Examples
--------
>>> import numpy as np
>>> from explorer.lossbench.evaluate import evaluate
>>> from explorer.lossbench.spec import LossOptions
>>> x, t = np.array([[1.0, -1.0]]), np.array([[0.0, 0.0]])
>>> tables = loss_tables(evaluate("L1", LossOptions(), x, t, "float64"), "L1", x, t, "float64")
>>> tables["tensors"][0]
['row', 'column', 'input', 'target', 'input.grad']
>>> tables["tensors"][1][0]
[0, 0, 1.0, 0.0, 0.5]
"""

from __future__ import annotations

import numpy as np

from explorer.lossbench.spec import LOSSES

__all__ = ["loss_tables"]


def loss_tables(result, kind: str, input, target, dtype: str) -> dict:  # noqa: A002
    """``{"tensors": (header, rows), "value": (header, rows)}`` for one evaluation.

    ``tensors`` has a row per input element: its row and column, the input, the target
    (the row's class index for class-index targets), the output element for
    reduction='none' (per element, or per sample) and input.grad. Numbers stay numbers
    (inf and nan included); the CSV writer formats them.
    """
    x = np.atleast_2d(np.asarray(input, dtype=np.float64))
    t = np.asarray(target)
    output = np.asarray(result.output, dtype=np.float64)
    grad = np.asarray(result.grad, dtype=np.float64).reshape(x.shape)
    none = result.reduction == "none"
    header = ["row", "column", "input", "target"] + (["output"] if none else []) + ["input.grad"]
    rows = []
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            target_value = t[i] if t.ndim == 1 else t[i, j]
            row = [i, j, float(x[i, j]), _number(target_value)]
            if none:
                row.append(float(output[i] if output.ndim == 1 else output[i, j]))
            row.append(float(grad[i, j]))
            rows.append(row)
    value = (
        ["loss", "reduction", "value", "dtype"],
        [[LOSSES[kind].class_name, result.reduction, float(result.value), dtype]],
    )
    return {"tensors": (header, rows), "value": value}


def _number(value):
    value = np.asarray(value).item()
    return int(value) if isinstance(value, int | np.integer) else float(value)
