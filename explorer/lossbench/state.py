"""Check a saved Losses tab state (a JSON dict) before anything is restored from it.

Examples
--------
>>> kind, options, shape, seed, x, t = tensors_from_state(
...     {"loss": "L1", "options": {}, "shape": [1, 2], "seed": 0,
...      "input": [[0.5, 1.0]], "target": [[0.0, 0.0]]})
>>> kind, shape, x.dtype
('L1', (1, 2), dtype('float64'))
"""

from __future__ import annotations

from typing import Any

import numpy as np

from explorer.lossbench.spec import CLASS_INDICES, LOSSES, LossOptions, target_kind
from explorer.lossbench.tensors import check_shape, shape_for
from explorer.quoting import quoted

KEYS = ("loss", "options", "shape", "seed", "input", "target")


def tensors_from_state(state: dict[str, Any]):
    """``(kind, options, (n, c), seed, input, target)`` from a state dict.

    Raises
    ------
    ValueError
        Naming the first bad or missing entry and quoting its value.
    """
    if not isinstance(state, dict):
        raise ValueError(f"the Losses state must be a dict; got {quoted(state)}")
    missing = [key for key in KEYS if key not in state]
    if missing:
        raise ValueError(f"the Losses state has no {quoted(missing[0])} entry")
    kind = state["loss"]
    if not isinstance(kind, str) or kind not in LOSSES:
        raise ValueError(f"state 'loss': unknown loss {quoted(kind)}; one of {', '.join(LOSSES)}")
    try:
        options = LossOptions.from_dict(state["options"])
    except ValueError as error:
        raise ValueError(f"state 'options': {error}") from None
    shape = state["shape"]
    if not isinstance(shape, (list, tuple)) or len(shape) != 2:
        raise ValueError(f"state 'shape' must be [N, C]; got {quoted(shape)}")
    try:
        check_shape(*shape)
    except ValueError as error:
        raise ValueError(f"state 'shape': {error}") from None
    n, c = int(shape[0]), int(shape[1])
    seed = state["seed"]
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**31:
        raise ValueError(f"state 'seed' must be an integer in [0, 2**31); got {quoted(seed)}")
    x = _array("input", state["input"], (n, c), np.float64)
    kind_of_target = target_kind(LOSSES[kind], options)
    integer = kind_of_target == CLASS_INDICES
    t = _array(
        "target",
        state["target"],
        shape_for(kind_of_target, n, c),
        np.int64 if integer else np.float64,
    )
    return kind, options, (n, c), seed, x, t


def _array(name: str, values: Any, shape: tuple[int, ...], dtype) -> np.ndarray:
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError, OverflowError):
        raise ValueError(
            f"state {quoted(name)} is not a table of numbers: {quoted(values)}"
        ) from None
    if array.shape != shape:
        raise ValueError(f"state {quoted(name)} must have shape {shape}; got {array.shape}")
    bad = np.argwhere(~np.isfinite(array))
    if bad.size:
        where = tuple(int(i) for i in bad[0])
        raise ValueError(
            f"state {quoted(name)}{list(where)} is not a finite number: {quoted(array[where])}"
        )
    if dtype == np.int64 and np.any((array != np.round(array)) | (np.abs(array) >= 2.0**63)):
        raise ValueError(
            f"state {quoted(name)} must hold integer class indices; got {quoted(values)}"
        )
    return array.astype(dtype)


class TypedTensors:
    """The input and target last shown for each loss, so that switching losses and back gives
    back what was typed for it.

    A loss's tensors are kept under its key (the loss and the kinds of tensor it takes, e.g.
    ``("CrossEntropy", "logits", "class indices")``) while their shape stays the shape of
    the data; new data (another seed, another shape) forgets them all.

    Examples
    --------
    >>> kept = TypedTensors()
    >>> kept.keep(("L1", "real", "real"), np.ones((1, 2)), np.zeros((1, 2)))
    >>> kept.recall(("L1", "real", "real"), (1, 2))[0].tolist()
    [[1.0, 1.0]]
    >>> kept.recall(("L1", "real", "real"), (2, 2)) is None
    True
    """

    def __init__(self) -> None:
        self._kept: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}

    def keep(self, key: tuple, x: np.ndarray, t: np.ndarray) -> None:
        """Remember ``x`` and ``t`` (copies) as what ``key``'s loss showed last."""
        self._kept[key] = (np.array(x), np.array(t))

    def recall(self, key: tuple, shape: tuple[int, int]) -> tuple[np.ndarray, np.ndarray] | None:
        """Copies of what ``key``'s loss showed last, if its input is ``shape`` (N, C)."""
        kept = self._kept.get(key)
        if kept is None or kept[0].shape != tuple(shape):
            return None
        return np.array(kept[0]), np.array(kept[1])

    def forget(self) -> None:
        """New data: nothing typed before belongs to it."""
        self._kept.clear()

    def __len__(self) -> int:
        return len(self._kept)
