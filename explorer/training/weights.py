"""Save and load a model's weights as ``.npz`` keyed like PyTorch's ``state_dict``.

Files hold one array per ``state_dict`` key (``linear1.weight``, ``linear1.bias``, ...), so
``torch.nn.Module.load_state_dict({k: torch.from_numpy(v) for k, v in np.load(f).items()})``
reads them too. Writing is atomic (temporary file, then ``os.replace``); reading never
unpickles, and checks the file (a regular file no larger than the model could need), then
every array's header (keys, dtypes and shapes against the model's) before it reads any
array data (:func:`explorer.io.npz.open_npz`), then the values (finite), before touching the
model.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from explorer.engine import nn
from explorer.io.atomic import atomic_write
from explorer.io.npz import NpzError, open_npz

MAX_WEIGHT_KEYS = 10_000
_ROOM = 1 << 20  # bytes a weights file may hold beyond its arrays: zip and .npy headers


def save_weights(model: nn.Module, path: str | os.PathLike) -> Path:
    """Write ``model.state_dict()`` to ``path`` (an ``.npz`` archive) atomically.

    Returns the path written. The name is used as given (no ``.npz`` is appended).
    """
    path = Path(path)
    state = {key: np.asarray(value) for key, value in model.state_dict().items()}
    with atomic_write(path, "wb") as handle:
        np.savez(handle, **state)
    return path


def load_weights(model: nn.Module, path: str | os.PathLike) -> None:
    """Load an ``.npz`` written by :func:`save_weights` (or ``np.savez(**state_dict)``).

    Raises
    ------
    ValueError
        If the file is missing, not a regular file, larger than the model's weights could
        be, not a readable ``.npz`` archive, holds NaN or infinite values, or its keys,
        dtypes or shapes do not match the model's ``state_dict`` (the message lists the
        missing, unexpected or mismatched keys). No other exception escapes, and the model
        is left unchanged.
    """
    path = Path(path)
    expected = model.state_dict()
    # float64 is the widest dtype accepted, so this bounds a file of the right shapes.
    largest = sum(value.numel() for value in expected.values()) * 8
    try:
        with open_npz(
            path,
            largest + _ROOM * (len(expected) + 1),
            largest,
            max_arrays=MAX_WEIGHT_KEYS,
            check_headers=lambda npz: _check_headers(npz, expected),
        ) as npz:
            state = {
                key: npz.read(key).astype(target.dtype, copy=False)
                for key, target in expected.items()
            }
    except NpzError as error:
        raise ValueError(f"{path}: {error.reason}") from None
    model.load_state_dict(state)


def _check_headers(npz, expected: dict[str, np.ndarray]) -> None:
    """Keys and shapes against the model's, before any array data is read."""
    keys = list(npz.headers)
    missing = [k for k in expected if k not in keys]
    unexpected = [k for k in keys if k not in expected]
    if missing or unexpected:
        parts = []
        if missing:
            parts.append(f"missing keys {', '.join(missing)}")
        if unexpected:
            parts.append(f"unexpected keys {', '.join(k[:80] for k in unexpected[:20])}")
        raise npz.error(
            f"does not fit this model: {'; '.join(parts)} (the model has {', '.join(expected)})"
        )
    for key, target in expected.items():
        header = npz.headers[key]
        if header.shape != tuple(target.shape):
            raise npz.error(
                f"{key} has shape {header.shape} but the model's {key} has shape "
                f"{tuple(target.shape)}"
            )
        if header.dtype.kind not in "fiu":
            raise npz.error(f"{key} has non-numeric dtype {header.dtype}")
