"""Reduction names, as ``torch.nn._reduction``: validation and the legacy flag mapping.

Losses keep one string ``reduction``. The deprecated ``size_average`` and ``reduce`` flags
still override it, mapped by :func:`legacy_get_string` exactly as PyTorch maps them.
"""

from __future__ import annotations

import warnings

REDUCTIONS = ("none", "mean", "sum")
KL_DIV_REDUCTIONS = ("none", "batchmean", "sum", "mean")

_ENUMS = {"none": 0, "mean": 1, "sum": 2}


def get_enum(reduction: str) -> int:
    """The integer code of ``reduction`` (0 none, 1 mean, 2 sum), as torch's ``get_enum``.

    Parameters
    ----------
    reduction : str
        ``'none'``, ``'mean'`` or ``'sum'`` (``'elementwise_mean'`` is accepted with torch's
        deprecation warning).

    Raises
    ------
    ValueError
        ``"<reduction> is not a valid value for reduction"``, as torch.
    """
    if reduction == "elementwise_mean":
        warnings.warn(
            "reduction='elementwise_mean' is deprecated. Please use reduction='mean' instead.",
            stacklevel=3,
        )
        return 1
    if isinstance(reduction, str) and reduction in _ENUMS:
        return _ENUMS[reduction]
    raise ValueError(f"{reduction} is not a valid value for reduction")


def check_reduction(reduction: str, valid: tuple[str, ...] = REDUCTIONS) -> str:
    """Return ``reduction`` if it is one of ``valid``, else raise torch's ValueError."""
    if reduction == "batchmean" and "batchmean" in valid:
        return reduction
    get_enum(reduction)
    return "mean" if reduction == "elementwise_mean" else reduction


def legacy_get_string(
    size_average: bool | None, reduce: bool | None, emit_warning: bool = True
) -> str:
    """Map the deprecated flags to a reduction name, exactly as torch does.

    ``None`` counts as True; ``reduce=False`` gives ``'none'`` whatever ``size_average``
    says; otherwise ``size_average`` picks ``'mean'`` (True) or ``'sum'`` (False).

    Examples
    --------
    >>> legacy_get_string(False, None, emit_warning=False)
    'sum'
    >>> legacy_get_string(True, False, emit_warning=False)
    'none'
    """
    if size_average is None:
        size_average = True
    if reduce is None:
        reduce = True
    if size_average and reduce:
        result = "mean"
    elif reduce:
        result = "sum"
    else:
        result = "none"
    if emit_warning:
        warnings.warn(
            "size_average and reduce args will be deprecated, please use "
            f"reduction='{result}' instead.",
            stacklevel=3,
        )
    return result


def legacy_get_enum(
    size_average: bool | None, reduce: bool | None, emit_warning: bool = True
) -> int:
    """:func:`get_enum` of :func:`legacy_get_string`."""
    return get_enum(legacy_get_string(size_average, reduce, emit_warning))
