"""``nn.MLP``: the lecture notes' ``Model(784, 256, 10, init_weight="he", ...)``, generalised.

The layers are attributes ``linear1 ... linearN`` (no container), and activations are applied
functionally in ``forward``, so the module tree is the lecture notes': MLP -> linear1, linear2;
``parameters()`` yields ``linear1.weight, linear1.bias, linear2.weight, linear2.bias`` and
``parameters(recurse=False)`` yields nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from explorer.engine import fast
from explorer.engine.fast.fused_mlp import fused_mlp
from explorer.engine.nn import _functional_layers as F
from explorer.engine.nn import init
from explorer.engine.nn.linear import Linear
from explorer.engine.nn.module import Module
from explorer.engine.tensor import Tensor
from explorer.quoting import quoted

_ACTIVATION_FNS: dict[str, Callable[[Tensor], Tensor]] = {
    "relu": F.relu,
    "leaky_relu": F.leaky_relu,
    "sigmoid": F.sigmoid,
    "tanh": F.tanh,
    "identity": lambda x: x,
}
# The lecture notes' init_params: weights (dim > 1) and biases (dim 1) by name, torch's defaults.
_WEIGHT_INITS: dict[str, Callable[[Tensor], Tensor]] = {
    "he": init.kaiming_normal_,
    "xavier": init.xavier_normal_,
    "normal": init.normal_,
    "uniform": init.uniform_,
    "zero": init.zeros_,
}
_BIAS_INITS: dict[str, Callable[[Tensor], Tensor]] = {
    "zero": init.zeros_,
    "normal": init.normal_,
    "uniform": init.uniform_,
}


#: The app's limits on an MLP's shape, checked here and by ``explorer.model.MLPConfig`` alike.
MAX_FEATURES = 10_000_000  # the widest layer (input, hidden or output)
MAX_HIDDEN_LAYERS = 8


def check_choice(kind: str, value: Any, valid: Sequence[str]) -> str:
    """``value`` if it is one of ``valid``, else ValueError naming ``kind`` and the choices."""
    if value not in valid:
        raise ValueError(f"unknown {kind} {quoted(value)}; valid: {', '.join(valid)}")
    return value


def check_size(name: str, value: Any) -> int:
    """A layer width: a whole number from 1 to :data:`MAX_FEATURES` (ValueError quoting it)."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value <= 0:
        raise ValueError(f"{name} must be a positive integer; got {quoted(value)}")
    if value > MAX_FEATURES:
        raise ValueError(f"{name} must be at most {MAX_FEATURES:,}; got {quoted(value)}")
    return int(value)


def check_hidden_sizes(hidden_sizes: Any) -> tuple[int, ...]:
    """Hidden widths as a tuple: an int or a sequence of at most :data:`MAX_HIDDEN_LAYERS`."""
    if isinstance(hidden_sizes, (int, np.integer)) and not isinstance(hidden_sizes, bool):
        hidden_sizes = (hidden_sizes,)
    if isinstance(hidden_sizes, (str, bytes)) or not isinstance(hidden_sizes, Sequence):
        raise ValueError(
            f"hidden_sizes must be an int or a sequence of ints; got {quoted(hidden_sizes)}"
        )
    if len(hidden_sizes) > MAX_HIDDEN_LAYERS:
        raise ValueError(
            f"{len(hidden_sizes)} hidden layers; at most {MAX_HIDDEN_LAYERS} are allowed"
        )
    return tuple(check_size(f"hidden_sizes[{i}]", h) for i, h in enumerate(hidden_sizes))


class MLP(Module):
    """A multilayer perceptron: Linear layers with an activation between them.

    Parameters
    ----------
    input_features : int
        Size of each input sample (784 for MNIST).
    hidden_sizes : int or sequence of int
        Width of each hidden layer; ``()`` gives a single Linear layer. At most
        :data:`MAX_HIDDEN_LAYERS` layers, each width (like the input and output sizes) from 1
        to :data:`MAX_FEATURES`.
    output_features : int
        Number of outputs (classes).
    activation : {"relu", "leaky_relu", "sigmoid", "tanh", "identity"}
        Applied after every layer but the last.
    init_weight : {"he", "xavier", "normal", "uniform", "zero"}
        ``kaiming_normal_``, ``xavier_normal_``, ``normal_`` (N(0, 1)), ``uniform_`` (U(0, 1))
        or ``zeros_``, applied to every weight by :meth:`init_params`.
    init_bias : {"zero", "normal", "uniform"}
        ``zeros_``, ``normal_`` or ``uniform_`` for every bias.
    dtype : float32 or float64, optional
        Parameter dtype (default float32).

    Shape
    -----
    - Input: ``(*, input_features)``
    - Output: ``(*, output_features)``, the logits.

    Examples
    --------
    >>> from explorer.engine import nn
    >>> model = nn.MLP(784, 256, 10)
    >>> print(model)
    MLP(
      (linear1): Linear(in_features=784, out_features=256, bias=True)
      (linear2): Linear(in_features=256, out_features=10, bias=True)
    )
    >>> list(model.parameters(recurse=False))
    []
    """

    ACTIVATIONS: tuple[str, ...] = tuple(_ACTIVATION_FNS)
    INIT_WEIGHTS: tuple[str, ...] = tuple(_WEIGHT_INITS)
    INIT_BIASES: tuple[str, ...] = tuple(_BIAS_INITS)

    def __init__(
        self,
        input_features: int = 784,
        hidden_sizes: int | Sequence[int] = (256,),
        output_features: int = 10,
        activation: str = "relu",
        init_weight: str = "he",
        init_bias: str = "zero",
        dtype: Any = None,
    ) -> None:
        super().__init__()
        self.input_features = check_size("input_features", input_features)
        self.hidden_sizes = check_hidden_sizes(hidden_sizes)
        self.output_features = check_size("output_features", output_features)
        self.activation = check_choice("activation", activation, self.ACTIVATIONS)
        self.init_weight = check_choice("init_weight", init_weight, self.INIT_WEIGHTS)
        self.init_bias = check_choice("init_bias", init_bias, self.INIT_BIASES)
        sizes = (self.input_features, *self.hidden_sizes, self.output_features)
        for i, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True), 1):
            setattr(self, f"linear{i}", Linear(fan_in, fan_out, dtype=dtype))
        self.init_params()

    def config(self) -> dict[str, Any]:
        """The constructor arguments (JSON-serialisable), for saving a session.

        ``MLP(**model.config())`` builds a model of the same architecture.
        """
        return {
            "input_features": self.input_features,
            "hidden_sizes": list(self.hidden_sizes),
            "output_features": self.output_features,
            "activation": self.activation,
            "init_weight": self.init_weight,
            "init_bias": self.init_bias,
            "dtype": self.linear1.weight.dtype.name,
        }

    @property
    def layers(self) -> list[Linear]:
        """The Linear layers in order (``linear1 ... linearN``)."""
        return list(self._modules.values())

    def init_params(self) -> None:
        """Initialise every weight with ``init_weight`` and every bias with ``init_bias``."""
        weight_init = _WEIGHT_INITS[self.init_weight]
        bias_init = _BIAS_INITS[self.init_bias]
        for param in self.parameters():
            if param.dim() > 1:
                weight_init(param)
            else:
                bias_init(param)

    def forward(self, x: Tensor) -> Tensor:
        layers = self._modules.values()
        if fast.enabled():  # all layers as one graph node, when it can (fast/fused_mlp.py)
            fused = fused_mlp(x, layers, self.activation)
            if fused is not None:
                return fused
        act = _ACTIVATION_FNS[self.activation]
        *hidden, last = layers
        for layer in hidden:
            x = act(layer(x))
        return last(x)

    def num_parameters(self, trainable_only: bool = False) -> int:
        """Total number of parameter elements (only those requiring grad if asked)."""
        return sum(p.numel() for p in self.parameters() if p.requires_grad or not trainable_only)

    @staticmethod
    def count_parameters(
        input_features: int, hidden_sizes: int | Sequence[int], output_features: int
    ) -> int:
        """Parameters such an MLP would have, computed without allocating it."""
        if isinstance(hidden_sizes, (int, np.integer)):
            hidden_sizes = (hidden_sizes,)
        sizes = (int(input_features), *(int(h) for h in hidden_sizes), int(output_features))
        return sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:], strict=True))
