"""The MLP configuration: one frozen type for the form, the command line, a run and a session.

:class:`MLPConfig` holds the keyword arguments of ``nn.MLP`` plus the ``seed`` its weights are
drawn from. Constructing one validates it (ValueError naming the field and quoting the value,
with the limits and messages ``nn.MLP`` itself uses), so an ``MLPConfig`` is always valid::

    >>> config = MLPConfig(hidden_sizes=parse_hidden_sizes("256, 128"))
    >>> config.describe(), config.num_parameters
    ('784-256-128-10', 235146)
    >>> MLPConfig.from_dict(config.to_dict()) == config
    True

The parameter count is computed from the sizes alone, so a configuration is priced (see
:class:`explorer.model.budget.ParameterBudget`) before :meth:`MLPConfig.build` allocates it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from typing import Any

import numpy as np

from explorer.engine import manual_seed, nn
from explorer.engine.nn.mlp import (
    MAX_FEATURES,
    MAX_HIDDEN_LAYERS,
    check_choice,
    check_hidden_sizes,
    check_size,
)
from explorer.quoting import quoted

__all__ = [
    "DTYPES",
    "MAX_FEATURES",
    "MAX_HIDDEN_LAYERS",
    "MAX_SEED",
    "MLPConfig",
    "format_hidden_sizes",
    "parse_hidden_sizes",
    "reinitialize_model",
]

DTYPES: tuple[str, ...] = ("float32", "float64")
MAX_SEED = 2**31 - 1  # the largest seed a person can type (a Qt spin box holds 32-bit ints)
_SEPARATORS = re.compile(r"[\s,;]+")


def parse_hidden_sizes(text: str) -> tuple[int, ...]:
    """Parse ``"256, 128, 64"`` (commas or spaces) into ``(256, 128, 64)``.

    An empty text means no hidden layer (a single Linear). ValueError quotes the first bad
    entry: not a whole number, below 1, above :data:`MAX_FEATURES`, or more than
    :data:`MAX_HIDDEN_LAYERS` layers. The Model tab's form and the command line's ``--hidden``
    both read hidden sizes with this function.

    Examples
    --------
    >>> parse_hidden_sizes("256, 128 64")
    (256, 128, 64)
    >>> parse_hidden_sizes("")
    ()
    """
    sizes = []
    for token in _SEPARATORS.split(text.strip()):
        if not token:
            continue
        try:
            sizes.append(int(token))
        except ValueError:
            raise ValueError(f"hidden size {quoted(token)} is not a whole number") from None
    return check_hidden_sizes(sizes)


def format_hidden_sizes(sizes: tuple[int, ...]) -> str:
    """The text :func:`parse_hidden_sizes` reads back: ``(256, 128)`` -> ``"256, 128"``."""
    return ", ".join(str(int(size)) for size in sizes)


def _check_seed(seed: Any) -> int:
    if (
        isinstance(seed, bool)
        or not isinstance(seed, (int, np.integer))
        or not (0 <= seed <= MAX_SEED)
    ):
        raise ValueError(f"seed must be an integer from 0 to {MAX_SEED}; got {quoted(seed)}")
    return int(seed)


@dataclass(frozen=True)
class MLPConfig:
    """An ``nn.MLP`` configuration and the seed of its initial weights (always valid).

    Parameters
    ----------
    input_features, output_features : int
        Widths of the input and of the output (one logit per class), 1 to
        :data:`MAX_FEATURES`.
    hidden_sizes : tuple of int
        Widths of the hidden layers (a list or a single int is accepted and normalized), at
        most :data:`MAX_HIDDEN_LAYERS`.
    activation, init_weight, init_bias : str
        As ``nn.MLP`` takes them (``nn.MLP.ACTIVATIONS``, ``INIT_WEIGHTS``, ``INIT_BIASES``).
    dtype : {"float32", "float64"}
        Parameter dtype.
    seed : int
        ``manual_seed(seed)`` before the weights are drawn, 0 to :data:`MAX_SEED`.

    The defaults are the lecture notes' ``Model(784, 256, 10, init_weight="he",
    init_bias="zero")``.
    """

    input_features: int = 784
    hidden_sizes: tuple[int, ...] = (256,)
    output_features: int = 10
    activation: str = "relu"
    init_weight: str = "he"
    init_bias: str = "zero"
    dtype: str = "float32"
    seed: int = 0

    def __post_init__(self) -> None:
        normalized = {
            "input_features": check_size("input_features", self.input_features),
            "hidden_sizes": check_hidden_sizes(self.hidden_sizes),
            "output_features": check_size("output_features", self.output_features),
            "activation": check_choice("activation", self.activation, nn.MLP.ACTIVATIONS),
            "init_weight": check_choice("init_weight", self.init_weight, nn.MLP.INIT_WEIGHTS),
            "init_bias": check_choice("init_bias", self.init_bias, nn.MLP.INIT_BIASES),
            "dtype": check_choice("dtype", self.dtype, DTYPES),
            "seed": _check_seed(self.seed),
        }
        for name, value in normalized.items():  # frozen: the normalized values go in directly
            object.__setattr__(self, name, value)

    # -- conversions ---------------------------------------------------------------------
    @classmethod
    def from_dict(cls, state: Any) -> MLPConfig:
        """Rebuild from :meth:`to_dict`'s form (a saved session, a message); missing keys take
        the defaults, unknown keys and bad values are refused (ValueError naming them)."""
        if not isinstance(state, dict):
            raise ValueError(f"a model configuration must be an object; got {quoted(state)}")
        unknown = sorted(set(state) - {f.name for f in fields(cls)})
        if unknown:
            raise ValueError(f"unknown model configuration key(s): {', '.join(unknown)}")
        return cls(**state)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (``hidden_sizes`` as a list)."""
        state = {f.name: getattr(self, f.name) for f in fields(self)}
        state["hidden_sizes"] = list(self.hidden_sizes)
        return state

    def adapted(self, input_features: int, output_features: int) -> MLPConfig:
        """The same configuration with other input and output widths (hidden layers kept)."""
        return replace(self, input_features=input_features, output_features=output_features)

    # -- shape and price -----------------------------------------------------------------
    @property
    def layer_sizes(self) -> tuple[int, ...]:
        """``(input, *hidden, output)``: the width at every layer boundary."""
        return (self.input_features, *self.hidden_sizes, self.output_features)

    @property
    def num_parameters(self) -> int:
        """Parameters ``build()`` would allocate (a weight and a bias per Linear), computed
        from the sizes alone."""
        return nn.MLP.count_parameters(self.input_features, self.hidden_sizes, self.output_features)

    @property
    def nbytes(self) -> int:
        """Bytes the parameters would take."""
        return self.num_parameters * np.dtype(self.dtype).itemsize

    def describe(self) -> str:
        """The layer sizes joined by dashes, e.g. ``"784-256-10"``."""
        return "-".join(str(n) for n in self.layer_sizes)

    def state_shapes(self) -> dict[str, tuple[int, ...]]:
        """The ``state_dict`` keys and shapes of the built model, without building it."""
        shapes: dict[str, tuple[int, ...]] = {}
        sizes = self.layer_sizes
        for i, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True), 1):
            shapes[f"linear{i}.weight"] = (fan_out, fan_in)
            shapes[f"linear{i}.bias"] = (fan_out,)
        return shapes

    def check_state(self, state: dict[str, Any]) -> None:
        """ValueError unless ``state`` has exactly the keys and shapes of the built model's
        ``state_dict`` (naming the keys missing and unexpected, or the first wrong shape).

        >>> MLPConfig(hidden_sizes=()).check_state({"linear1.weight": np.zeros((10, 784))})
        Traceback (most recent call last):
        ...
        ValueError: the weights do not fit 784-10: missing linear1.bias, unexpected none
        """
        expected = self.state_shapes()
        missing = [key for key in expected if key not in state]
        unexpected = sorted(key for key in state if key not in expected)
        if missing or unexpected:
            more = f" and {len(unexpected) - 6:,} more" if len(unexpected) > 6 else ""
            extra = ", ".join(quoted(key) for key in unexpected[:6]) + more
            raise ValueError(
                f"the weights do not fit {self.describe()}: missing "
                f"{', '.join(missing) or 'none'}, unexpected {extra or 'none'}"
            )
        for key, shape in expected.items():
            if np.shape(state[key]) != shape:
                raise ValueError(
                    f"weight {quoted(key)} has shape {tuple(np.shape(state[key]))}; "
                    f"{self.describe()} needs {shape}"
                )

    def fitted_to(self, shapes: dict[str, tuple[int, ...]]) -> MLPConfig | None:
        """This configuration with the layer sizes whose ``state_dict`` has exactly
        ``shapes`` (a weights file's keys and shapes), everything else kept; None when they
        are not an ``nn.MLP``'s or its sizes are out of range.

        >>> MLPConfig(input_features=2, output_features=3).fitted_to(MLPConfig().state_shapes())
        MLPConfig(input_features=784, hidden_sizes=(256,), output_features=10, \
activation='relu', init_weight='he', init_bias='zero', dtype='float32', seed=0)
        """
        layers = len(shapes) // 2
        try:
            weights = [tuple(shapes[f"linear{i}.weight"]) for i in range(1, layers + 1)]
            biases = [tuple(shapes[f"linear{i}.bias"]) for i in range(1, layers + 1)]
        except KeyError:
            return None
        if not layers or len(shapes) != 2 * layers:
            return None
        if any(len(w) != 2 or b != w[:1] for w, b in zip(weights, biases, strict=True)):
            return None
        sizes = [weights[0][1]] + [w[0] for w in weights]
        if any(w[1] != fan_in for w, fan_in in zip(weights, sizes, strict=False)):
            return None
        try:
            fitted = replace(
                self,
                input_features=sizes[0],
                hidden_sizes=tuple(sizes[1:-1]),
                output_features=sizes[-1],
            )
        except ValueError:
            return None
        return fitted if fitted.state_shapes() == {k: tuple(v) for k, v in shapes.items()} else None

    def describes(self, model: nn.Module) -> bool:
        """True when ``model`` is an ``nn.MLP`` of exactly this architecture and dtype."""
        if not isinstance(model, nn.MLP):
            return False
        built = model.config()
        return all(built[key] == value for key, value in self.to_dict().items() if key != "seed")

    # -- building ------------------------------------------------------------------------
    def build(self) -> nn.MLP:
        """``manual_seed(seed)``, then ``nn.MLP`` as configured (this allocates: price the
        configuration with a :class:`~explorer.model.budget.ParameterBudget` first)."""
        manual_seed(self.seed)
        return nn.MLP(
            input_features=self.input_features,
            hidden_sizes=self.hidden_sizes,
            output_features=self.output_features,
            activation=self.activation,
            init_weight=self.init_weight,
            init_bias=self.init_bias,
            dtype=np.dtype(self.dtype),
        )


def reinitialize_model(model: nn.Module, seed: int) -> None:
    """Draw fresh weights exactly as building the model after ``manual_seed(seed)`` would.

    Every submodule's ``reset_parameters()`` runs in construction order (as the layers'
    constructors do), then the model's own ``init_params()`` if it has one (as ``nn.MLP``'s
    constructor does), so ``replace(config, seed=s).build()`` and
    ``reinitialize_model(model, s)`` give the same weights.
    """
    manual_seed(seed)
    for module in model.modules():
        if hasattr(module, "reset_parameters"):
            module.reset_parameters()
    if hasattr(model, "init_params"):
        model.init_params()
