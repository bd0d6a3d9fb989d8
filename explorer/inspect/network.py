"""What every unit of an MLP computes, and the health numbers of each layer (numpy only).

The Network tab draws these; the training process computes them while a run trains (see
:mod:`explorer.training.probes`), and ``explorer export training`` draws them headless.

- :func:`layer_outputs`: each Linear layer's output after its activation (the last layer's:
  the logits) for rows of inputs.
- :func:`unit_images`: those outputs over a regular grid of the 2-D input plane, one small
  image per unit (the plane the decision regions use, at a coarser resolution).
- :func:`class_means`: a unit's mean output per class (for image data).
- :func:`rank_units`: the units in order of the strength of their outgoing weights, so a wide
  layer can show its strongest ones.
- :func:`network_picture`: all of that as one plain dict (a wire message part).
- :func:`layer_norms` and :func:`value_histogram`: the numbers a history records per layer.

Layers are named as the model names its Linear children (``linear1`` ... ``linearN``), so a
unit ``i`` of ``linear1`` is row ``i`` of ``linear1.weight``::

    >>> from explorer.model.config import MLPConfig
    >>> model = MLPConfig(input_features=2, hidden_sizes=(3,), output_features=2).build()
    >>> xs, ys, images = unit_images(model, (-1.0, 1.0, -1.0, 1.0), 5)
    >>> {name: image.shape for name, image in images.items()}
    {'linear1': (3, 5, 5), 'linear2': (2, 5, 5)}
"""

from __future__ import annotations

from typing import Any

import numpy as np

from explorer.data import Dataset
from explorer.engine import Tensor, nn, no_grad

#: Pixels per side of a unit's image over the input plane.
UNIT_RESOLUTION = 40
#: Validation rows whose per-class mean outputs a unit of image data shows.
CLASS_MEAN_SAMPLES = 512
#: Units per layer a picture carries at most (the strongest; the view shows fewer).
MAX_PICTURE_UNITS = 64
_BATCH = 4096
_ACTIVATIONS = {
    "relu": nn.functional.relu,
    "leaky_relu": nn.functional.leaky_relu,
    "sigmoid": nn.functional.sigmoid,
    "tanh": nn.functional.tanh,
    "identity": lambda x: x,
}
#: The range each activation's outputs take (None: unbounded on that side).
ACTIVATION_RANGES: dict[str, tuple[float | None, float | None]] = {
    "relu": (0.0, None),
    "leaky_relu": (None, None),
    "sigmoid": (0.0, 1.0),
    "tanh": (-1.0, 1.0),
    "identity": (None, None),
}


def linear_layers(model: nn.Module) -> list[tuple[str, nn.Linear]]:
    """The model's Linear children with their names, in order (``[("linear1", ...), ...]``)."""
    return [(name, m) for name, m in model.named_children() if isinstance(m, nn.Linear)]


def activation_of(model: nn.Module) -> str:
    """The hidden layers' activation of an ``nn.MLP`` (``"relu"``, ...)."""
    return getattr(model, "activation", "identity")


def layer_outputs(model: nn.Module, x: np.ndarray) -> dict[str, np.ndarray]:
    """Each Linear layer's output for the rows of ``x``: after the activation for a hidden
    layer, the logits for the last one; ``{name: (n, units) float32}``.

    Runs without a graph, in batches, whatever the model's train/eval mode (an MLP has no
    layer that differs between them).
    """
    layers = linear_layers(model)
    act = _ACTIVATIONS[activation_of(model)]
    dtype = layers[0][1].weight.data.numpy().dtype if layers else np.dtype(np.float32)
    x = np.asarray(x)
    out = {name: np.empty((len(x), layer.out_features), np.float32) for name, layer in layers}
    with no_grad(), np.errstate(all="ignore"):
        for start in range(0, len(x), _BATCH):
            part = slice(start, start + _BATCH)
            h = Tensor(x[part].astype(dtype, copy=False))
            for index, (name, layer) in enumerate(layers):
                h = layer(h)
                if index < len(layers) - 1:
                    h = act(h)
                out[name][part] = h.numpy()
    return out


def plane_grid(
    extent: tuple[float, float, float, float], resolution: int = UNIT_RESOLUTION
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(xs, ys, points)``: a ``resolution`` x ``resolution`` grid over ``extent``
    (``x_min, x_max, y_min, y_max``) as :func:`~explorer.model.evaluate.decision_grid` lays
    it: ``points[i * nx + j] = (xs[j], ys[i])``, float32."""
    x0, x1, y0, y1 = extent
    xs = np.linspace(x0, x1, resolution, dtype=np.float32)
    ys = np.linspace(y0, y1, resolution, dtype=np.float32)
    gx, gy = np.meshgrid(xs, ys)
    return xs, ys, np.stack([gx.ravel(), gy.ravel()], axis=1)


def unit_images(
    model: nn.Module,
    extent: tuple[float, float, float, float],
    resolution: int = UNIT_RESOLUTION,
) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """Every unit's output over the 2-D input plane: ``(xs, ys, {name: (units, ny, nx)})``,
    pixel ``[i, j]`` at ``(xs[j], ys[i])`` (row 0 is ``y_min``)."""
    xs, ys, points = plane_grid(extent, resolution)
    outputs = layer_outputs(model, points)
    images = {
        name: np.ascontiguousarray(values.T).reshape(-1, len(ys), len(xs))
        for name, values in outputs.items()
    }
    return xs, ys, images


def class_means(
    model: nn.Module, x: np.ndarray, y: np.ndarray, num_classes: int
) -> dict[str, np.ndarray]:
    """Each unit's mean output per class over the rows ``x`` with labels ``y``:
    ``{name: (units, num_classes) float32}`` (NaN for a class with no row)."""
    outputs = layer_outputs(model, x)
    y = np.asarray(y, dtype=np.int64)
    counts = np.bincount(y, minlength=num_classes).astype(np.float64)
    onehot = np.zeros((len(y), num_classes))
    onehot[np.arange(len(y)), y] = 1.0
    with np.errstate(invalid="ignore", divide="ignore"):
        return {
            name: ((values.T.astype(np.float64) @ onehot) / counts).astype(np.float32)
            for name, values in outputs.items()
        }


def dead_units(outputs: np.ndarray) -> np.ndarray:
    """Which units output exactly 0 for every row of ``outputs`` (n, units): a ReLU unit
    that is dead there (no gradient flows through it)."""
    outputs = np.asarray(outputs)
    if outputs.size == 0:
        return np.zeros(outputs.shape[-1], dtype=bool)
    return ~np.any(outputs != 0, axis=0)


def unit_strength(model: nn.Module) -> dict[str, np.ndarray]:
    """How much each unit passes on: the L2 norm of its outgoing weights (column ``i`` of the
    next layer's weight); for the last layer, of its incoming weights (row ``i``)."""
    layers = linear_layers(model)
    strength = {}
    for index, (name, layer) in enumerate(layers):
        if index + 1 < len(layers):
            weight = layers[index + 1][1].weight.data.numpy()
            values = np.sqrt(np.sum(np.square(weight, dtype=np.float64), axis=0))
        else:
            values = np.sqrt(np.sum(np.square(layer.weight.data.numpy(), dtype=np.float64), axis=1))
        strength[name] = np.nan_to_num(values, nan=0.0, posinf=np.inf)
    return strength


def rank_units(model: nn.Module) -> dict[str, np.ndarray]:
    """Each layer's unit indices, strongest first (:func:`unit_strength`); ties keep index
    order."""
    return {
        name: np.argsort(-values, kind="stable").astype(np.int64)
        for name, values in unit_strength(model).items()
    }


def network_picture(
    model: nn.Module,
    val: Dataset,
    extent: tuple[float, float, float, float] | None,
    max_units: int = MAX_PICTURE_UNITS,
    resolution: int = UNIT_RESOLUTION,
) -> dict[str, Any]:
    """What each layer's strongest units compute, as a plain dict (a wire message part).

    ``layers`` names the Linear layers in order; ``units[name]`` the up to ``max_units``
    units shown, strongest first. For 2-D data (``extent`` given) ``xs``, ``ys`` and
    ``images[name]`` (shown units, ny, nx) hold each unit's output over the plane and
    ``dead[name]`` which are zero all over it (ReLU only); for other data ``class_means[name]``
    (shown units, classes) holds each unit's mean output per class on the first
    :data:`CLASS_MEAN_SAMPLES` validation rows and ``dead[name]`` which are zero on all of
    them.
    """
    ranks = rank_units(model)
    units = {name: order[:max_units] for name, order in ranks.items()}
    relu = activation_of(model) == "relu"
    last = next(reversed(ranks), None)
    out: dict[str, Any] = {"layers": list(ranks), "units": units}
    if extent is not None:
        xs, ys, points = plane_grid(extent, resolution)
        outputs = layer_outputs(model, points)
        # Only the shown units are turned into images (a wide layer has many more).
        flat = {name: values[:, units[name]] for name, values in outputs.items()}
        shown = {
            name: np.ascontiguousarray(values.T).reshape(-1, len(ys), len(xs))
            for name, values in flat.items()
        }
        out.update(xs=xs, ys=ys, images=shown)
    else:
        head = slice(0, CLASS_MEAN_SAMPLES)
        x, y = val.x[head], val.y[head]
        outputs = layer_outputs(model, x)
        means = class_means(model, x, y, val.num_classes)
        out["class_means"] = {name: means[name][units[name]] for name in means}
        flat = {name: outputs[name][:, units[name]] for name in outputs}
    out["dead"] = {
        name: dead_units(values) if relu and name != last else np.zeros(values.shape[1], bool)
        for name, values in flat.items()
    }
    return out


def layer_norms(array: np.ndarray) -> float:
    """The L2 (Frobenius) norm of ``array`` in float64."""
    values = np.asarray(array, dtype=np.float64).ravel()
    return float(np.sqrt(np.dot(values, values)))


def value_histogram(array: np.ndarray, bins: int) -> tuple[np.ndarray, float, float]:
    """``(counts, low, high)``: ``bins`` equal bins from the least to the largest finite value
    of ``array`` (counts float32; a constant array puts everything in the middle bin of a
    range of width 1 around its value; no finite value: all zero over ``(0, 1)``)."""
    values = np.asarray(array).ravel()
    finite = values[np.isfinite(values)] if not np.all(np.isfinite(values)) else values
    if finite.size == 0:
        return np.zeros(bins, np.float32), 0.0, 1.0
    low, high = float(finite.min()), float(finite.max())
    if not low < high or not np.isfinite(high - low):
        counts = np.zeros(bins, np.float32)
        counts[bins // 2] = finite.size
        return counts, low - 0.5, low + 0.5
    counts, _ = np.histogram(finite, bins=bins, range=(low, high))
    return counts.astype(np.float32), low, high
