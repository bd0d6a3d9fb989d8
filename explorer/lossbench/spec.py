"""The catalogue of PyTorch's losses the Losses tab offers, and the options a person sets.

Each :class:`LossSpec` says which constructor arguments a loss has (so the tab shows only
those), which reductions it accepts and what its input and target must look like.
:class:`LossOptions` holds every option of every loss at once, so switching losses keeps what
was set; :func:`constructor_kwargs` picks the ones the chosen loss takes, exactly as its
PyTorch constructor names them.

Examples
--------
>>> spec = LOSSES["KLDiv"]
>>> spec.class_name, spec.reductions
('KLDivLoss', ('none', 'batchmean', 'sum', 'mean'))
>>> effective_reduction(LossOptions(size_average=False))
'sum'
"""

from __future__ import annotations

import dataclasses
import math
import sys
from dataclasses import dataclass
from typing import Any

from explorer.engine.nn import _reduction
from explorer.quoting import quoted

# Tensor kinds: what a table must hold for a loss to make sense.
REAL = "real"  # any real number (predictions, logits, raw scores)
CLASS_INDICES = "class_indices"  # integers 0..C-1, shape (N,)
PROBABILITIES = "probabilities"  # rows of numbers in [0, 1] summing to 1
LOG_PROBABILITIES = "log_probabilities"  # rows of log-probabilities (<= 0)
UNIT_INTERVAL = "unit_interval"  # each number in [0, 1] (BCE input and target)

KIND_LABELS = {
    REAL: "real numbers",
    CLASS_INDICES: "class indices 0..C-1",
    PROBABILITIES: "probabilities (rows sum to 1)",
    LOG_PROBABILITIES: "log-probabilities",
    UNIT_INTERVAL: "numbers in [0, 1]",
}

# Option names as in the PyTorch constructors, plus the tab's own input/target switches.
LEGACY = ("size_average", "reduce")
TAB_SWITCHES = ("log_softmax_input", "probability_target")


@dataclass(frozen=True)
class LossSpec:
    """One PyTorch loss: its names, options, reductions and the tensors it expects."""

    kind: str
    class_name: str
    function_name: str
    options: tuple[str, ...]
    reductions: tuple[str, ...]
    formula: str
    about: str

    @property
    def has_legacy(self) -> bool:
        """Whether the constructor still takes the deprecated size_average/reduce."""
        return "size_average" in self.options


_PLAIN = ("none", "mean", "sum")

LOSSES: dict[str, LossSpec] = {
    spec.kind: spec
    for spec in (
        LossSpec(
            "L1",
            "L1Loss",
            "l1_loss",
            ("size_average", "reduce", "reduction"),
            _PLAIN,
            "ℓ = |x − y|",
            "Mean absolute error. Its gradient is ±1 whatever the size of the error.",
        ),
        LossSpec(
            "MSE",
            "MSELoss",
            "mse_loss",
            ("size_average", "reduce", "reduction"),
            _PLAIN,
            "ℓ = (x − y)²",
            "Mean squared error. Its gradient 2(x − y) grows with the error.",
        ),
        LossSpec(
            "CrossEntropy",
            "CrossEntropyLoss",
            "cross_entropy",
            (
                "weight",
                "size_average",
                "ignore_index",
                "reduce",
                "reduction",
                "label_smoothing",
                "probability_target",
            ),
            _PLAIN,
            "ℓₙ = −log softmax(xₙ)[yₙ]",
            "Takes raw logits (it applies log_softmax itself) and class indices, "
            "or class probabilities of the input's shape.",
        ),
        LossSpec(
            "NLL",
            "NLLLoss",
            "nll_loss",
            ("weight", "size_average", "ignore_index", "reduce", "reduction", "log_softmax_input"),
            _PLAIN,
            "ℓₙ = −xₙ[yₙ]",
            "Negative log likelihood: expects log-probabilities (log_softmax output) "
            "and class indices. CrossEntropy = log_softmax + NLL.",
        ),
        LossSpec(
            "KLDiv",
            "KLDivLoss",
            "kl_div",
            ("size_average", "reduce", "reduction", "log_target", "log_softmax_input"),
            ("none", "batchmean", "sum", "mean"),
            "ℓ = y · (log y − x)",
            "Expects the input as log-probabilities. reduction='batchmean' is the true "
            "KL divergence; 'mean' also divides by the number of classes.",
        ),
        LossSpec(
            "BCE",
            "BCELoss",
            "binary_cross_entropy",
            ("weight", "size_average", "reduce", "reduction"),
            _PLAIN,
            "ℓ = −[y log x + (1 − y) log(1 − x)]",
            "Binary cross entropy on probabilities: input and target in [0, 1].",
        ),
        LossSpec(
            "BCEWithLogits",
            "BCEWithLogitsLoss",
            "binary_cross_entropy_with_logits",
            ("weight", "size_average", "reduce", "reduction", "pos_weight"),
            _PLAIN,
            "ℓ = −[p·y log σ(x) + (1 − y) log(1 − σ(x))]",
            "Sigmoid and binary cross entropy in one numerically stable step; "
            "pos_weight (p) scales the positive term per class.",
        ),
        LossSpec(
            "Huber",
            "HuberLoss",
            "huber_loss",
            ("reduction", "delta"),
            _PLAIN,
            "ℓ = ½(x − y)² if |x − y| < δ, else δ(|x − y| − ½δ)",
            "Squared near zero, linear (slope δ) beyond δ: robust to outliers.",
        ),
        LossSpec(
            "SmoothL1",
            "SmoothL1Loss",
            "smooth_l1_loss",
            ("size_average", "reduce", "reduction", "beta"),
            _PLAIN,
            "ℓ = ½(x − y)²/β if |x − y| < β, else |x − y| − ½β",
            "Huber divided by β: slope 1 beyond β, whatever β is.",
        ),
    )
}


@dataclass
class LossOptions:
    """Every option of every loss; a loss uses the ones its :class:`LossSpec` lists.

    ``weight`` and ``pos_weight`` are per-class values (None: not given).
    ``log_softmax_input`` (KLDiv, NLL) feeds ``F.log_softmax(input, dim=1)`` to the loss;
    ``probability_target`` (CrossEntropy) uses class probabilities instead of indices.
    """

    reduction: str = "mean"
    size_average: bool | None = None
    reduce: bool | None = None
    log_target: bool = False
    label_smoothing: float = 0.0
    ignore_index: int = -100
    weight: tuple[float, ...] | None = None
    pos_weight: tuple[float, ...] | None = None
    delta: float = 1.0
    beta: float = 1.0
    log_softmax_input: bool = True
    probability_target: bool = False

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serializable dict (tuples become lists)."""
        out = dataclasses.asdict(self)
        for key in ("weight", "pos_weight"):
            if out[key] is not None:
                out[key] = list(out[key])
        return out

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> LossOptions:
        """Options from a dict such as :meth:`to_dict` gives; ValueError names a bad entry."""
        if not isinstance(values, dict):
            raise ValueError(f"options must be a dict; got {quoted(values)}")
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValueError(f"unknown loss option {quoted(unknown[0])}")
        return replace_options(cls(), **values)


def _check_bool_or_none(name: str, value: Any) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raise ValueError(f"{name} must be True, False or None; got {quoted(value)}")


def _check_vector(name: str, value: Any) -> tuple[float, ...] | None:
    if value is None:
        return None
    try:
        vector = tuple(float(v) for v in value)
    except (TypeError, ValueError, OverflowError):
        raise ValueError(f"{name} must be a list of numbers or None; got {quoted(value)}") from None
    if not vector or not all(math.isfinite(v) for v in vector):
        raise ValueError(f"{name} must hold one finite number per class; got {quoted(value)}")
    return vector


def replace_options(options: LossOptions, **changes: Any) -> LossOptions:
    """A copy of ``options`` with ``changes``, each checked; ValueError names a bad one."""
    values = dataclasses.asdict(options)
    for name, value in changes.items():
        if name not in values:
            raise ValueError(f"unknown loss option {quoted(name)}")
        if name in ("size_average", "reduce"):
            value = _check_bool_or_none(name, value)
        elif name in ("log_target", "log_softmax_input", "probability_target"):
            if not isinstance(value, bool):
                raise ValueError(f"{name} must be True or False; got {quoted(value)}")
        elif name in ("weight", "pos_weight"):
            value = _check_vector(name, value)
        elif name == "ignore_index":
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(f"ignore_index must be an integer; got {quoted(value)}")
            if not -(2**63) <= value < 2**63:  # an int64, as torch's
                raise ValueError(f"ignore_index must be an int64 (±2**63); got {quoted(value)}")
        elif name in ("label_smoothing", "delta", "beta"):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ValueError(f"{name} must be a number; got {quoted(value)}")
            finite = isinstance(value, int) or math.isfinite(value)
            if not finite or not -sys.float_info.max <= value <= sys.float_info.max:
                raise ValueError(f"{name} must be a finite number; got {quoted(value)}")
            value = float(value)
        elif name == "reduction":
            if value not in ("none", "mean", "sum", "batchmean"):
                raise ValueError(
                    f"reduction must be 'none', 'mean', 'sum' or 'batchmean'; got {quoted(value)}"
                )
        values[name] = value
    return LossOptions(**values)


def uses_legacy(spec: LossSpec, options: LossOptions) -> bool:
    """Whether the deprecated size_average/reduce are set and so override ``reduction``."""
    return spec.has_legacy and (options.size_average is not None or options.reduce is not None)


def effective_reduction(options: LossOptions, spec: LossSpec | None = None) -> str:
    """The reduction the loss will apply, as ``_Loss.__init__`` decides it.

    The deprecated ``size_average``/``reduce`` override ``reduction`` when either is set; the
    engine's ``_reduction.legacy_get_string`` maps them (it warns, as PyTorch does).
    """
    if spec is not None and not spec.has_legacy:
        return options.reduction
    if options.size_average is None and options.reduce is None:
        return options.reduction
    return _reduction.legacy_get_string(options.size_average, options.reduce, emit_warning=False)


def input_kind(spec: LossSpec, options: LossOptions) -> str:
    """What the input table must hold for ``spec`` under ``options``."""
    if spec.kind == "BCE":
        return UNIT_INTERVAL
    if spec.kind in ("KLDiv", "NLL") and not options.log_softmax_input:
        return LOG_PROBABILITIES
    return REAL


def target_kind(spec: LossSpec, options: LossOptions) -> str:
    """What the target table must hold for ``spec`` under ``options``."""
    if spec.kind == "CrossEntropy":
        return PROBABILITIES if options.probability_target else CLASS_INDICES
    if spec.kind == "NLL":
        return CLASS_INDICES
    if spec.kind == "KLDiv":
        return LOG_PROBABILITIES if options.log_target else PROBABILITIES
    if spec.kind in ("BCE", "BCEWithLogits"):
        return UNIT_INTERVAL
    return REAL
