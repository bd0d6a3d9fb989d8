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


class WeightsMismatch(ValueError):
    """A weights file for another architecture: ``differences`` lists every key and shape
    that differs from the model's, ``shapes`` holds the file's keys and shapes (read from the
    headers alone), so a caller can offer to build a model that fits it."""

    def __init__(self, message: str, differences: list[str], shapes: dict[str, tuple]):
        super().__init__(message)
        self.differences = differences
        self.shapes = shapes


def save_weights(model: nn.Module, path: str | os.PathLike) -> Path:
    """Write ``model.state_dict()`` to ``path`` (an ``.npz`` archive) atomically.

    Returns the path written. The name is used as given (no ``.npz`` is appended).
    """
    path = Path(path)
    state = {key: np.asarray(value) for key, value in model.state_dict().items()}
    with atomic_write(path, "wb") as handle:
        np.savez(handle, **state)
    return path


def load_weights(
    model: nn.Module, path: str | os.PathLike, max_parameters: int | None = None
) -> None:
    """Load an ``.npz`` written by :func:`save_weights` (or ``np.savez(**state_dict)``).

    ``max_parameters`` lets the file be as large as weights of that many parameters would
    take (a file for a larger model is then read far enough to say how it differs);
    by default it may be as large as the model's own.

    Raises
    ------
    WeightsMismatch
        If its keys or shapes do not match the model's ``state_dict``: the message lists
        every missing, unexpected and mismatched key, found from the headers alone.
    ValueError
        If the file is missing, not a regular file, larger than allowed, not a readable
        ``.npz`` archive, holds non-numeric arrays, NaN or infinite values. No other
        exception escapes, and the model is left unchanged.
    """
    path = Path(path)
    expected = model.state_dict()
    # float64 is the widest dtype accepted, so this bounds a file of the right shapes.
    largest = sum(value.numel() for value in expected.values()) * 8
    file_bound = max(largest, 8 * (max_parameters or 0))
    try:
        with open_npz(
            path,
            file_bound + _ROOM * (len(expected) + 1),
            largest,
            max_arrays=MAX_WEIGHT_KEYS,
            check_headers=lambda npz: _check_headers(npz, expected, path),
        ) as npz:
            state = {
                key: npz.read(key).astype(target.dtype, copy=False)
                for key, target in expected.items()
            }
    except NpzError as error:
        raise ValueError(f"{path}: {error.reason}") from None
    model.load_state_dict(state)


def _check_headers(npz, expected: dict[str, np.ndarray], path: Path) -> None:
    """Keys and shapes against the model's, before any array data is read: every difference
    is listed."""
    keys = list(npz.headers)
    for key in keys:
        if npz.headers[key].dtype.kind not in "fiu":
            raise npz.error(f"{key[:80]} has non-numeric dtype {npz.headers[key].dtype}")
    missing = [k for k in expected if k not in keys]
    unexpected = [k for k in keys if k not in expected]
    keyed = []
    if missing:
        keyed.append(f"missing keys {', '.join(missing)}")
    if unexpected:
        more = f" and {len(unexpected) - 20:,} more" if len(unexpected) > 20 else ""
        keyed.append(f"unexpected keys {', '.join(k[:80] for k in unexpected[:20])}{more}")
    shaped = [
        f"{key} has shape {npz.headers[key].shape} but the model's {key} has shape "
        f"{tuple(target.shape)}"
        for key, target in expected.items()
        if key in npz.headers and npz.headers[key].shape != tuple(target.shape)
    ]
    differences = keyed + shaped
    if not differences:
        return
    text = "; ".join(differences)
    if keyed:
        text = f"does not fit this model: {text} (the model has {', '.join(expected)})"
    shapes = {key: header.shape for key, header in npz.headers.items()}
    raise WeightsMismatch(f"{path}: {text}", differences, shapes)
