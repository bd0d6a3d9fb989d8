"""Split a dataset into training and validation parts, stratified by class and seeded."""

from __future__ import annotations

import math

import numpy as np

from explorer.data.dataset import DataError, Dataset


def train_val_split(
    dataset: Dataset, val_fraction: float = 0.2, seed: int = 0, stratify: bool = True
) -> tuple[Dataset, Dataset]:
    """Split ``dataset`` into ``(train, val)``.

    Parameters
    ----------
    dataset : Dataset
    val_fraction : float, default 0.2
        Share of the samples put in the validation part, strictly between 0 and 1.
    seed : int, default 0
        Seed of the permutation; the same seed always gives the same split.
    stratify : bool, default True
        Keep each class's share equal in both parts (each class contributes
        ``round(count * val_fraction)`` samples to validation, at least one when it has two
        or more samples).

    Returns
    -------
    (Dataset, Dataset)
        Both keep the original row order and metadata; names get ``" (train)"`` and
        ``" (val)"`` appended.

    Raises
    ------
    DataError
        If ``val_fraction`` is out of range or either part would be empty.
    """
    if not (
        isinstance(val_fraction, int | float)
        and math.isfinite(val_fraction)
        and 0 < val_fraction < 1
    ):
        raise DataError(f"val_fraction must be between 0 and 1 (exclusive); got {val_fraction!r}")
    rng = np.random.default_rng(seed)
    n = len(dataset)
    if stratify:
        chosen = []
        for label in range(dataset.num_classes):
            members = np.flatnonzero(dataset.y == label)
            if members.size == 0:
                continue
            take = round(members.size * val_fraction)
            if members.size >= 2:
                take = min(max(take, 1), members.size - 1)
            chosen.append(rng.permutation(members)[:take])
        val_indices = np.concatenate(chosen) if chosen else np.empty(0, dtype=np.int64)
    else:
        val_indices = rng.permutation(n)[: round(n * val_fraction)]
    mask = np.zeros(n, dtype=bool)
    mask[val_indices] = True
    if mask.all() or not mask.any():
        raise DataError(
            f"{dataset.name}: {n} samples cannot be split with val_fraction={val_fraction} "
            "(one part would be empty)"
        )
    return (
        dataset.subset(np.flatnonzero(~mask), name=f"{dataset.name} (train)"),
        dataset.subset(np.flatnonzero(mask), name=f"{dataset.name} (val)"),
    )
