"""What the network view draws, gathered from the model, its data and the latest picture.

:func:`network_content` puts together the model's weights, the
:func:`~explorer.inspect.network.network_picture` (from the training process while a run is
live, else computed here from the model) and the data's points and class names into one
:class:`NetworkContent`, which :class:`~explorer.ui.network.network_view.NetworkView` draws.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from explorer.data import Dataset
from explorer.engine import nn
from explorer.inspect.network import activation_of, linear_layers, network_picture
from explorer.training.job import data_extent

MAX_POINTS = 400  # data points drawn faintly behind each unit's picture


@dataclass
class NetworkContent:
    """One picture of the network: structure, weights, what its units compute, the data."""

    layers: list[str]
    weights: list[np.ndarray]  # per layer, (out, in)
    biases: list[np.ndarray | None]
    activation: str
    picture: dict[str, Any]  # network_picture's dict
    input_names: list[str]
    image_side: int | None = None  # first-layer units drawn as their weight picture
    points: np.ndarray | None = None  # (n, 2) data points in the plane
    point_classes: np.ndarray | None = None
    class_names: list[str] = field(default_factory=list)
    extent: tuple[float, float, float, float] | None = None

    @property
    def plane(self) -> bool:
        """The units are images over the 2-D input plane (else class bars)."""
        return "images" in self.picture


def model_weights(model: nn.Module) -> tuple[list[np.ndarray], list[np.ndarray | None]]:
    """Copies of each Linear layer's weight and bias (the view keeps what it drew)."""
    layers = linear_layers(model)
    weights = [np.array(layer.weight.data) for _, layer in layers]
    biases = [None if layer.bias is None else np.array(layer.bias.data) for _, layer in layers]
    return weights, biases


def fits(model: nn.Module, data: tuple[Dataset, Dataset] | None) -> bool:
    """True when ``model`` takes the data's features and gives its classes."""
    if data is None:
        return False
    layers = linear_layers(model)
    train = data[0]
    return bool(layers) and (
        layers[0][1].in_features == train.num_features
        and layers[-1][1].out_features == train.num_classes
    )


def network_content(
    model: nn.Module,
    data: tuple[Dataset, Dataset] | None,
    picture: dict[str, Any] | None = None,
) -> NetworkContent | None:
    """What to draw for ``model`` on ``data`` (None when they do not fit); ``picture`` is the
    training process's, or None to compute it from ``model`` now."""
    if not fits(model, data):
        return None
    train, val = data
    extent = data_extent(train, val)
    if picture is None or list(picture.get("layers", [])) != [n for n, _ in linear_layers(model)]:
        picture = network_picture(model, val, extent)
    weights, biases = model_weights(model)
    features = train.num_features
    side = None
    shape = tuple(train.feature_shape)
    if len(shape) == 2 and shape[0] * shape[1] == features and features > 2:
        side = shape[0] if shape[0] == shape[1] else None
    names = ["x₁", "x₂"] if features == 2 else [f"x[{j}]" for j in range(features)]
    points = classes = None
    if extent is not None:
        step = max(1, len(train) // MAX_POINTS)
        points, classes = train.x[::step], train.y[::step]
    return NetworkContent(
        layers=[name for name, _ in linear_layers(model)],
        weights=weights,
        biases=biases,
        activation=activation_of(model),
        picture=picture,
        input_names=names,
        image_side=side,
        points=points,
        point_classes=classes,
        class_names=list(train.class_names) or [str(c) for c in range(train.num_classes)],
        extent=extent,
    )
