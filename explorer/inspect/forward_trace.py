"""Run one forward pass with forward hooks on every layer and keep what flowed through.

The hooks are the engine's real ``register_forward_hook`` API; they are removed in a
``finally`` so the model leaves with ``_forward_hooks`` exactly as it came.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from explorer.engine import Tensor, no_grad
from explorer.inspect.array_stats import ArrayStats, histogram


@dataclass(frozen=True)
class TracedValue:
    """One array seen during the pass: a layer's input, output, or what lies between."""

    label: str
    module_path: str
    shape: tuple[int, ...]
    stats: ArrayStats
    edges: np.ndarray
    counts: np.ndarray


@dataclass(frozen=True)
class ForwardTrace:
    """Every value in the order the forward pass produced it, the model's output, and the
    modules that carried a hook during the pass."""

    values: list[TracedValue]
    output: np.ndarray
    hooked: list[str]


def auto_bins(size: int) -> int:
    """Histogram bins for ``size`` values: about 2 sqrt(n), between 5 and 40."""
    return int(np.clip(round(2 * np.sqrt(size)), 5, 40))


def _traced(label: str, path: str, array: np.ndarray, bins: int | None) -> TracedValue:
    bins = bins if bins is not None else auto_bins(array.size)
    stats = ArrayStats.of(array)
    edges, counts = histogram(array, bins, stats)
    return TracedValue(label, path, tuple(array.shape), stats, edges, counts)


def prepare_input(x, input_features: int, dtype) -> np.ndarray:
    """A batch ``(n, input_features)`` from one sample or a batch; ValueError if it does not fit."""
    array = np.asarray(x.data if isinstance(x, Tensor) else x)
    if array.ndim >= 2 and array.shape[0] >= 1 and array[0].size == input_features:
        array = array.reshape(array.shape[0], input_features)
    elif array.size == input_features:
        array = array.reshape(1, input_features)
    else:
        raise ValueError(
            f"a sample of shape {tuple(array.shape)} does not fit a model that takes "
            f"{input_features} input features"
        )
    if array.dtype.kind not in "biuf":
        raise ValueError(f"a sample must be numeric; got dtype {array.dtype}")
    return array.astype(dtype, copy=False)


def forward_trace(model, x, bins: int | None = None) -> ForwardTrace:
    """Run ``model(x)`` once without a graph, recording every leaf module's input and output.

    Between two layers whose output and input differ (the MLP applies its activation
    functionally, so no module sees it), the next layer's input is recorded as
    ``"<activation>(<previous layer>)"``.

    Parameters
    ----------
    model : nn.Module
        Any module; its leaves (modules without children) get a forward hook each.
    x : array_like or Tensor
        One sample ``(features,)`` or a batch ``(n, features)``.
    bins : int, optional
        Histogram bins per recorded value (default: :func:`auto_bins` of its size, so one
        sample's ten logits are not spread over forty mostly empty bins).

    Returns
    -------
    ForwardTrace
        The input, each layer's output and each in-between activation, in order.
    """
    leaves = [(name, m) for name, m in model.named_modules() if not m._modules]
    seen: list[tuple[str, np.ndarray, np.ndarray]] = []

    def make_hook(path: str):
        def record(module, args, output):
            seen.append((path, np.asarray(args[0].data), np.asarray(output.data)))

        return record

    handles = [module.register_forward_hook(make_hook(path)) for path, module in leaves]
    try:
        with no_grad():
            output = model(Tensor(x))
    finally:
        for handle in handles:
            handle.remove()

    activation = getattr(model, "activation", None)
    values: list[TracedValue] = []
    previous: tuple[str, np.ndarray] | None = None
    for path, inputs, outputs in seen:
        if previous is None:
            values.append(_traced("input x", "", inputs, bins))
        elif previous[1] is not inputs and not np.array_equal(previous[1], inputs):
            name = activation if isinstance(activation, str) else "f"
            values.append(_traced(f"{name}({previous[0]})", path, inputs, bins))
        values.append(_traced(path or type(model).__name__, path, outputs, bins))
        previous = (path, outputs)
    return ForwardTrace(values, np.asarray(output.data), [path for path, _ in leaves])
