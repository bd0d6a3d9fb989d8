"""The MLP configuration a person types: parsed, validated and priced before allocation.

A configuration is a plain dict with the keyword arguments of ``nn.MLP`` plus ``seed``::

    {"input_features": 784, "hidden_sizes": [256], "output_features": 10,
     "activation": "relu", "init_weight": "he", "init_bias": "zero",
     "dtype": "float32", "seed": 0}

``validate_config`` turns any such dict (from a form, a saved session or another tab) into a
normalized one or raises ValueError quoting the bad entry; ``count_mlp_parameters`` computes the
parameter count arithmetically, so an oversized model is refused before a byte is allocated.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from explorer.engine import nn
from explorer.quoting import quoted

MAX_HIDDEN_LAYERS = 8
MAX_FEATURES = 10_000_000
DEFAULT_PARAMETER_BUDGET = 50_000_000
DTYPES = ("float32", "float64")

DEFAULT_CONFIG: dict[str, Any] = {
    "input_features": 784,
    "hidden_sizes": [256],
    "output_features": 10,
    "activation": "relu",
    "init_weight": "he",
    "init_bias": "zero",
    "dtype": "float32",
    "seed": 0,
}


def parse_hidden_sizes(text: str) -> list[int]:
    """Parse ``"256, 128, 64"`` (commas or spaces) into ``[256, 128, 64]``.

    An empty text means no hidden layer (a single Linear). Raises ValueError quoting the
    first bad entry: not an integer, below 1, above the feature limit, or more than
    ``MAX_HIDDEN_LAYERS`` layers.

    Examples
    --------
    >>> parse_hidden_sizes("256, 128 64")
    [256, 128, 64]
    >>> parse_hidden_sizes("")
    []
    """
    tokens = [t for t in text.replace(",", " ").replace(";", " ").split() if t]
    sizes = []
    for token in tokens:
        try:
            size = int(token)
        except ValueError:
            raise ValueError(f"hidden size {quoted(token)} is not a whole number") from None
        sizes.append(_check_features("hidden size", size))
    if len(sizes) > MAX_HIDDEN_LAYERS:
        raise ValueError(
            f"{len(sizes)} hidden layers in {quoted(text.strip())}; "
            f"at most {MAX_HIDDEN_LAYERS} allowed"
        )
    return sizes


def format_hidden_sizes(sizes: Sequence[int]) -> str:
    """The text form of ``sizes`` that :func:`parse_hidden_sizes` reads back."""
    return ", ".join(str(int(s)) for s in sizes)


def _check_features(what: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise ValueError(f"{what} must be a whole number; got {quoted(value)}")
    if not 1 <= value <= MAX_FEATURES:
        raise ValueError(f"{what} must be between 1 and {MAX_FEATURES:,}; got {quoted(value)}")
    return int(value)


def _check_choice(key: str, value: Any, choices: Sequence[str]) -> str:
    if value not in choices:
        raise ValueError(
            f"{key} must be one of {', '.join(map(repr, choices))}; got {quoted(value)}"
        )
    return value


def validate_config(config: dict[str, Any]) -> dict[str, Any]:
    """Return a normalized copy of ``config`` (missing keys take the defaults).

    Raises ValueError naming the bad key and quoting its value; unknown keys are refused
    too, so a typo in a saved session does not pass silently.
    """
    if not isinstance(config, dict):
        raise ValueError(f"a model configuration must be a dict; got {quoted(config)}")
    unknown = sorted(set(config) - set(DEFAULT_CONFIG))
    if unknown:
        raise ValueError(f"unknown model configuration key(s): {', '.join(unknown)}")
    merged = {**DEFAULT_CONFIG, **config}
    hidden = merged["hidden_sizes"]
    if isinstance(hidden, str):
        hidden = parse_hidden_sizes(hidden)
    elif isinstance(hidden, int | np.integer) and not isinstance(hidden, bool):
        hidden = [hidden]
    if not isinstance(hidden, list | tuple):
        raise ValueError(f"hidden_sizes must be a list of whole numbers; got {quoted(hidden)}")
    if len(hidden) > MAX_HIDDEN_LAYERS:
        raise ValueError(
            f"hidden_sizes has {len(hidden)} layers; at most {MAX_HIDDEN_LAYERS} allowed"
        )
    seed = merged["seed"]
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or not 0 <= seed < 2**32:
        raise ValueError(f"seed must be a whole number in [0, 2**32); got {quoted(seed)}")
    return {
        "input_features": _check_features("input_features", merged["input_features"]),
        "hidden_sizes": [_check_features("hidden size", h) for h in hidden],
        "output_features": _check_features("output_features", merged["output_features"]),
        "activation": _check_choice("activation", merged["activation"], nn.MLP.ACTIVATIONS),
        "init_weight": _check_choice("init_weight", merged["init_weight"], nn.MLP.INIT_WEIGHTS),
        "init_bias": _check_choice("init_bias", merged["init_bias"], nn.MLP.INIT_BIASES),
        "dtype": _check_choice("dtype", merged["dtype"], DTYPES),
        "seed": int(seed),
    }


def layer_sizes(config: dict[str, Any]) -> list[int]:
    """``[input, *hidden, output]``: the width of every layer boundary."""
    return [config["input_features"], *config["hidden_sizes"], config["output_features"]]


def count_mlp_parameters(config: dict[str, Any]) -> int:
    """Parameters ``nn.MLP(**config)`` would hold: a weight and a bias per Linear.

    Computed from the sizes alone, so a model can be priced without being built.

    Examples
    --------
    >>> count_mlp_parameters({"input_features": 784, "hidden_sizes": [256],
    ...                       "output_features": 10})
    203530
    """
    return nn.MLP.count_parameters(
        config["input_features"], tuple(config["hidden_sizes"]), config["output_features"]
    )


def check_parameter_budget(config: dict[str, Any], budget: int) -> int:
    """Return the parameter count, or raise ValueError if it exceeds ``budget``."""
    count = count_mlp_parameters(config)
    if count > budget:
        raise ValueError(
            f"{'-'.join(map(str, layer_sizes(config)))} would hold "
            f"{count:,} parameters, above the budget of {budget:,} (a setting); "
            "nothing was allocated"
        )
    return count


def build_mlp(config: dict[str, Any]) -> nn.MLP:
    """Seed the engine and build ``nn.MLP`` from a validated ``config``."""
    from explorer.engine import manual_seed

    manual_seed(config["seed"])
    return nn.MLP(
        input_features=config["input_features"],
        hidden_sizes=tuple(config["hidden_sizes"]),
        output_features=config["output_features"],
        activation=config["activation"],
        init_weight=config["init_weight"],
        init_bias=config["init_bias"],
        dtype=np.dtype(config["dtype"]),
    )
