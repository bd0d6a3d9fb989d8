"""Hints about tensors PyTorch accepts but that are probably not what was meant.

PyTorch does not check that a KLDiv target's rows sum to 1, nor that the input of KLDivLoss
or NLLLoss holds log-probabilities: it computes a number anyway. These are the classic
mistakes the Losses tab exists to show, so it names them.

Examples
--------
>>> import numpy as np
>>> from explorer.lossbench.spec import LossOptions
>>> tensor_hints("KLDiv", LossOptions(log_softmax_input=False),
...              np.array([[0.2, 0.8]]), np.array([[0.5, 0.5]]))
['input row 0 is not log-probabilities (its exp sums to 3.45, not 1): KLDivLoss expects \
log_softmax output; tick "apply log_softmax to input"']
"""

from __future__ import annotations

import numpy as np

from explorer.lossbench.spec import (
    LOG_PROBABILITIES,
    LOSSES,
    PROBABILITIES,
    LossOptions,
    input_kind,
    target_kind,
)

TOLERANCE = 1e-3


def _first_bad_row(probabilities: np.ndarray) -> tuple[int, float] | None:
    sums = probabilities.sum(axis=1)
    bad = np.flatnonzero(np.abs(sums - 1) > TOLERANCE)
    return None if bad.size == 0 else (int(bad[0]), float(sums[bad[0]]))


def tensor_hints(
    kind: str,
    options: LossOptions,
    input: np.ndarray,  # noqa: A002 (torch's name)
    target: np.ndarray,
) -> list[str]:
    """Messages for rows that are not the distributions the loss assumes (empty if fine)."""
    spec = LOSSES[kind]
    hints = []
    if input_kind(spec, options) == LOG_PROBABILITIES:
        with np.errstate(over="ignore"):
            bad = _first_bad_row(np.exp(np.asarray(input, dtype=np.float64)))
        if bad is not None:
            row, total = bad
            hints.append(
                f"input row {row} is not log-probabilities (its exp sums to {total:.3g}, "
                f"not 1): {spec.class_name} expects log_softmax output; tick "
                '"apply log_softmax to input"'
            )
    kind_of_target = target_kind(spec, options)
    if kind_of_target in (PROBABILITIES, LOG_PROBABILITIES):
        values = np.asarray(target, dtype=np.float64)
        if kind_of_target == LOG_PROBABILITIES:
            with np.errstate(over="ignore"):
                values = np.exp(values)
        bad = _first_bad_row(values)
        if bad is not None:
            row, total = bad
            what = "exp(target)" if kind_of_target == LOG_PROBABILITIES else "target"
            hints.append(
                f"{what} row {row} sums to {total:.4g}, not 1: PyTorch does not check, "
                "but then it is not a distribution"
            )
    return hints


FLOAT_MAX = {"float32": float(np.finfo(np.float32).max), "float64": float(np.finfo(np.float64).max)}


def _first_non_finite(values: np.ndarray) -> tuple[tuple[int, ...], float] | None:
    bad = np.argwhere(~np.isfinite(values))
    if bad.size == 0:
        return None
    where = tuple(int(i) for i in bad[0])
    return where, float(values[where])


def _all_targets_ignored(kind: str, options: LossOptions, target: np.ndarray) -> bool:
    if kind not in ("CrossEntropy", "NLL") or options.probability_target:
        return False
    indices = np.asarray(target).reshape(-1)
    return bool(indices.size) and bool((indices == options.ignore_index).all())


def result_notes(kind: str, options: LossOptions, target: np.ndarray, result, dtype: str) -> list:
    """Why the result holds NaN or infinity, if it does (empty if every number is finite).

    ``result`` is an :class:`explorer.lossbench.evaluate.LossResult`. PyTorch gives the same
    NaN/inf for the same numbers; these notes say where they come from.
    """
    notes = []
    if np.isnan(result.value) and result.reduction == "mean":
        if _all_targets_ignored(kind, options, target):
            notes.append(
                f"every target is ignore_index ({options.ignore_index}): the mean over "
                "0 targets is 0/0 = nan, as in PyTorch"
            )
        elif kind in ("CrossEntropy", "NLL") and not options.probability_target:
            notes.append(
                "the class weights of the targets sum to 0: the weighted mean is 0/0 = nan, "
                "as in PyTorch"
            )
    if notes:
        return notes
    output = np.asarray(result.output, dtype=np.float64)
    for name, values in (
        ("output", output.reshape(output.shape or (1,))),
        ("input.grad", result.grad),
    ):
        found = _first_non_finite(np.asarray(values, dtype=np.float64))
        if found is not None:
            where, value = found
            index = ", ".join(str(i) for i in where) if name != "output" or output.ndim else ""
            cell = f"{name}[{index}]" if index else name
            notes.append(
                f"the loss overflows: {cell} is {value} — the numbers go beyond {dtype}'s "
                f"range (±{FLOAT_MAX.get(dtype, FLOAT_MAX['float64']):.3g}), as they would "
                "in PyTorch; non-finite cells are grey. Use smaller inputs."
            )
            break
    return notes
