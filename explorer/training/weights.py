"""Save and load a model's weights as ``.npz`` keyed like PyTorch's ``state_dict``.

Files hold one array per ``state_dict`` key (``linear1.weight``, ``linear1.bias``, ...), so
``torch.nn.Module.load_state_dict({k: torch.from_numpy(v) for k, v in np.load(f).items()})``
reads them too. Writing is atomic (temporary file, then ``os.replace``); reading never
unpickles (``allow_pickle=False``) and checks keys and shapes before touching the model.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import numpy as np

from explorer.engine import nn
from explorer.io.atomic import atomic_write

MAX_WEIGHT_KEYS = 10_000


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
        If the file is not a readable ``.npz`` archive, holds NaN or infinite values, or its
        keys or shapes do not match the model's ``state_dict`` (the message lists the
        missing, unexpected or mismatched keys). The model is left unchanged.
    """
    path = Path(path)
    expected = model.state_dict()
    try:
        if not zipfile.is_zipfile(path):
            # np.load would try .npy and then pickle, and answer with its allow_pickle hint.
            if not path.exists():
                raise FileNotFoundError(path)
            raise ValueError(f"{path}: is not an .npz (zip) file")
        loaded = np.load(path, allow_pickle=False)
        if not isinstance(loaded, np.lib.npyio.NpzFile):
            raise ValueError(f"{path}: not an .npz archive of named arrays")
        with loaded as archive:
            keys = list(archive.files)
            if len(keys) > MAX_WEIGHT_KEYS:
                raise ValueError(f"{path}: holds {len(keys)} arrays; not a weights file")
            missing = [k for k in expected if k not in keys]
            unexpected = [k for k in keys if k not in expected]
            if missing or unexpected:
                parts = []
                if missing:
                    parts.append(f"missing keys {', '.join(missing)}")
                if unexpected:
                    parts.append(f"unexpected keys {', '.join(unexpected)}")
                raise ValueError(
                    f"{path}: does not fit this model: {'; '.join(parts)} "
                    f"(the model has {', '.join(expected)})"
                )
            state = {}
            for key, target in expected.items():
                value = archive[key]
                if value.shape != target.shape:
                    raise ValueError(
                        f"{path}: {key} has shape {tuple(value.shape)} but the model's "
                        f"{key} has shape {tuple(target.shape)}"
                    )
                if value.dtype.kind not in "fiu":
                    raise ValueError(f"{path}: {key} has non-numeric dtype {value.dtype}")
                if value.dtype.kind == "f" and not np.all(np.isfinite(value)):
                    bad = value.ravel()[~np.isfinite(value.ravel())][0]
                    raise ValueError(
                        f"{path}: {key} holds non-finite values (e.g. {float(bad)}); "
                        "weights must be finite numbers"
                    )
                state[key] = value.astype(target.dtype)
    except FileNotFoundError:
        raise ValueError(f"{path}: no such file") from None
    except (zipfile.BadZipFile, EOFError, OSError) as error:
        raise ValueError(f"{path}: not a readable .npz weights file ({error})") from None
    except ValueError as error:
        if str(error).startswith(str(path)):
            raise
        # numpy refuses pickled (object) arrays with a ValueError of its own.
        raise ValueError(f"{path}: not a readable .npz weights file ({error})") from None
    model.load_state_dict(state)
