"""The PyTorch code that computes exactly what the Losses tab shows, ready to paste.

Examples
--------
>>> import numpy as np
>>> from explorer.lossbench.spec import LossOptions
>>> print(loss_expression("KLDiv", LossOptions(reduction="batchmean")))
nn.KLDivLoss(reduction="batchmean", log_target=False)
"""

from __future__ import annotations

import numpy as np

from explorer.lossbench.evaluate import constructor_kwargs, target_array
from explorer.lossbench.spec import LOSSES, LossOptions, effective_reduction


def tensor_literal(values: np.ndarray, indent: int) -> str:
    """``[[0.1, -2], [3, 4]]`` laid out one row per line, aligned under the first bracket."""
    values = np.asarray(values)
    if values.ndim == 0:
        return _scalar(values[()] if values.dtype == np.float32 else values.item())
    if values.ndim == 1:
        # float32 elements stay float32: their shortest text is shorter than float64's.
        items = list(values) if values.dtype == np.float32 else values.tolist()
        return "[" + ", ".join(_scalar(v) for v in items) + "]"
    rows = [tensor_literal(row, indent + 1) for row in values]
    return "[" + (",\n" + " " * (indent + 1)).join(rows) + "]"


def _scalar(value) -> str:
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, np.float32):
        # The shortest text that torch.tensor (float64 parse, then float32) reads back as the
        # same float32: "0.5334", not the float64 expansion "0.5333999991416931".
        text = str(value)
    else:
        text = repr(float(value))  # the shortest text that reads back as the same float64
    if text.endswith(".0"):
        return text[:-1]  # "1." as torch prints it; without a point torch makes an int tensor
    return text if ("." in text or "e" in text or "n" in text) else text + "."


def _python_value(value, dtype_suffix: str) -> str:
    if isinstance(value, np.ndarray):
        return f"torch.tensor({tensor_literal(value, 0)}{dtype_suffix})"
    if isinstance(value, str):
        return f'"{value}"'
    return repr(value)


def _dtype_suffix(dtype: str) -> str:
    return "" if dtype == "float32" else f", dtype=torch.{dtype}"


def loss_expression(
    kind: str,
    options: LossOptions,
    wrap_at: int = 10_000,
    indent_by: int = 4,
    dtype: str = "float32",
) -> str:
    """``nn.CrossEntropyLoss(reduction="mean", label_smoothing=0.1)``: the constructor call."""
    spec = LOSSES[kind]
    kwargs = constructor_kwargs(spec, options, dtype)
    suffix = _dtype_suffix(dtype)
    arguments = [f"{name}={_python_value(value, suffix)}" for name, value in kwargs.items()]
    call = f"nn.{spec.class_name}({', '.join(arguments)})"
    if len(call) <= wrap_at:
        return call
    indent = "\n" + " " * indent_by
    return f"nn.{spec.class_name}(" + indent + ("," + indent).join(arguments) + ",\n)"


# The last few tensor literals: an option change leaves the tensors (and their text) alone.
_LITERALS: dict[tuple, str] = {}
_LITERALS_KEPT = 8


def _cached_literal(values: np.ndarray, indent: int) -> str:
    """``tensor_literal(values, indent)``, remembered by the exact bytes, shape and dtype."""
    key = (values.dtype.str, values.shape, values.tobytes(), indent)
    literal = _LITERALS.get(key)
    if literal is None:
        literal = tensor_literal(values, indent)
        if len(_LITERALS) >= _LITERALS_KEPT:
            del _LITERALS[next(iter(_LITERALS))]
        _LITERALS[key] = literal
    return literal


def _assignment(name: str, values: np.ndarray, extra: str) -> str:
    """``name = torch.tensor([[...],\n [...]], extra)`` with rows aligned."""
    head = f"{name} = torch.tensor("
    literal = _cached_literal(np.asarray(values), len(head))
    if not extra:
        return head + literal + ")"
    return head + literal + ",\n" + " " * len(head) + extra + ")"


def pytorch_code(
    kind: str,
    options: LossOptions,
    input: np.ndarray,
    target: np.ndarray,
    dtype: str = "float32",
) -> str:
    """A complete script: the tensors, the loss, ``output.backward()`` and the printouts.

    The tensor literals are the exact numbers of the tables, so with ``dtype='float64'`` the
    script prints the tab's value digit for digit; in float32 a different summation order
    can move the last printed digit, and the script says so.
    """
    spec = LOSSES[kind]
    target = target_array(kind, options, target, dtype)
    fed = "input"
    if "log_softmax_input" in spec.options and options.log_softmax_input:
        fed = "F.log_softmax(input, dim=1)"
    reduction = effective_reduction(options, spec)
    dtype_arg = "" if dtype == "float32" else f"dtype=torch.{dtype}"
    input_extra = ", ".join(a for a in (dtype_arg, "requires_grad=True") if a)
    target_extra = dtype_arg if target.dtype.kind == "f" else ""
    lines = [
        "import torch",
        "import torch.nn as nn",
        "import torch.nn.functional as F",
        "",
        _assignment("input", np.asarray(input, dtype=np.float64), input_extra),
        _assignment("target", target, target_extra),
        f"loss = {loss_expression(kind, options, wrap_at=70, dtype=dtype)}",
        f"output = loss({fed}, target)",
    ]
    if reduction == "none":
        lines += [
            "output.sum().backward()  # reduction='none': backpropagate the sum",
            'print(f"{output.sum().item():.6f}")',
            "print(output)",
        ]
    else:
        lines += ["output.backward()", 'print(f"{output.item():.6f}")']
    if dtype == "float32":
        lines[-1 if reduction != "none" else -2] += (
            "  # float32: the last digit may differ (summation order)"
        )
    lines.append("print(input.grad)")
    return "\n".join(lines) + "\n"
