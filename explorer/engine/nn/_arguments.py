"""torch's errors for an argument that is not a Tensor (a list, a numpy array...).

torch's C++ functions (``linear``, ``relu``, ``cross_entropy``...) refuse it with a TypeError
naming the argument; its Python functions (``l1_loss``, ``softmax``...) fail on the first
tensor method they call, with Python's AttributeError. The engine raises the same.
"""

from __future__ import annotations

from typing import Any

from explorer.engine.tensor import Tensor


def type_name(value: Any) -> str:
    """``list``, ``numpy.ndarray``: a type as torch names it in messages."""
    kind = type(value)
    if kind.__module__ == "builtins":
        return kind.__qualname__
    return f"{kind.__module__}.{kind.__qualname__}"


def require_tensor(function: str, name: str, position: int, value: Any) -> Tensor:
    """``value`` if it is a Tensor, else torch's TypeError for ``function``'s argument."""
    if not isinstance(value, Tensor):
        raise TypeError(
            f"{function}(): argument '{name}' (position {position}) must be Tensor, not "
            f"{type_name(value)}"
        )
    return value


def require_method(value: Any, method: str) -> Tensor:
    """``value`` if it is a Tensor, else the AttributeError of calling ``value.method``."""
    if not isinstance(value, Tensor):
        raise AttributeError(f"'{type_name(value)}' object has no attribute '{method}'")
    return value
