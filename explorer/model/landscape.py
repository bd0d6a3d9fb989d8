"""The loss around a model's weights: L(θ + α·d₁ + β·d₂) over a plane, as Li et al. draw it.

Li, Xu, Taylor, Studer and Goldstein, "Visualizing the Loss Landscape of Neural Nets" (2018),
look at the loss on a plane through the weights θ, spanned by two directions d₁ and d₂:

- :func:`random_directions`: two random directions, *filter-normalized*: each row of a
  Linear weight (one unit's incoming weights, their "filter") is rescaled to the norm of the
  same row of θ, and each bias, counted as one row, to the norm of θ's bias. Then a step of
  α = 1 changes every unit by as much as it weighs, whatever its scale, so pictures of
  different networks compare.
- :func:`pca_directions`: the top two principal directions of the weights a training run
  went through (its trajectory), centred on θ; the run's path is then drawn on the plane
  (:func:`project`), and the explained variance says how much of the path the plane shows.

:func:`compute_landscape` evaluates the loss on a grid with the model's own forward pass and
loss (:func:`explorer.model.evaluate.mean_loss`) on a copy of the model, row by row, with a
progress callback and a stop check between rows.

Examples
--------
>>> from explorer.data import make_synthetic
>>> from explorer.model.config import MLPConfig
>>> model = MLPConfig(input_features=2, hidden_sizes=(8,), output_features=2).build()
>>> data = make_synthetic("moons", n_samples=60)
>>> directions = random_directions(model, seed=0)
>>> result = compute_landscape(model, data, "cross_entropy", directions, resolution=5)
>>> result.losses.shape, bool(result.losses[2, 2] == result.center_loss)
((5, 5), True)
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from threadpoolctl import threadpool_limits

from explorer.data import Dataset
from explorer.engine import nn
from explorer.model.evaluate import mean_loss
from explorer.quoting import quoted

MAX_RESOLUTION = 51
SLICE_POINTS = 101
#: Share of the path's extent added around it when the plane is fitted to a trajectory.
PATH_MARGIN = 0.2
DIRECTION_KINDS = ("random", "pca")

Arrays = dict[str, np.ndarray]


def parameter_arrays(model: nn.Module) -> Arrays:
    """Copies of the model's parameters by name, in ``named_parameters`` order."""
    return {name: np.array(np.asarray(p)) for name, p in model.named_parameters()}


def flatten(arrays: Arrays) -> np.ndarray:
    """The arrays as one float64 vector, in their order."""
    if not arrays:
        return np.zeros(0)
    return np.concatenate([np.asarray(a, dtype=np.float64).ravel() for a in arrays.values()])


def unflatten(vector: np.ndarray, like: Arrays) -> Arrays:
    """``vector`` cut into arrays of the shapes in ``like`` (float64), by the same names."""
    total = sum(int(np.prod(array.shape)) for array in like.values())
    if total != len(vector):
        raise ValueError(f"a vector of {len(vector)} values does not fit {total} parameters")
    out, start = {}, 0
    for name, array in like.items():
        size = int(np.prod(array.shape))
        out[name] = np.asarray(vector[start : start + size], dtype=np.float64).reshape(array.shape)
        start += size
    return out


@dataclass(frozen=True)
class Directions:
    """Two directions in weight space, by parameter name (float64 arrays of θ's shapes).

    ``kind`` is "random" (filter-normalized) or "pca"; ``explained`` the share of the
    trajectory's variance each PCA direction holds (None for random ones); ``seed`` the
    random directions' seed.
    """

    first: Arrays
    second: Arrays
    kind: str
    explained: tuple[float, float] | None = None
    seed: int | None = None


def filter_normalized(direction: Arrays, theta: Arrays) -> Arrays:
    """``direction`` with each row of a weight rescaled to the norm of θ's row, and each
    bias (one row) to the norm of θ's bias (Li et al.'s filter normalization)."""
    out = {}
    for name, d in direction.items():
        t = np.asarray(theta[name], dtype=np.float64)
        d = np.asarray(d, dtype=np.float64)
        if t.ndim >= 2:
            rows_d, rows_t = d.reshape(len(d), -1), t.reshape(len(t), -1)
            scale = np.linalg.norm(rows_t, axis=1) / (np.linalg.norm(rows_d, axis=1) + 1e-10)
            out[name] = (rows_d * scale[:, None]).reshape(d.shape)
        else:
            out[name] = d * (np.linalg.norm(t) / (np.linalg.norm(d) + 1e-10))
    return out


def random_directions(model: nn.Module, seed: int = 0) -> Directions:
    """Two filter-normalized Gaussian directions around the model's weights, from ``seed``.

    >>> from explorer.model.config import MLPConfig
    >>> model = MLPConfig(input_features=2, hidden_sizes=(3,), output_features=2).build()
    >>> d = random_directions(model, seed=1).first["linear1.weight"]
    >>> w = np.asarray(model.linear1.weight)
    >>> np.allclose(np.linalg.norm(d, axis=1), np.linalg.norm(w, axis=1))
    True
    """
    theta = parameter_arrays(model)
    rng = np.random.default_rng(seed)
    first = {name: rng.standard_normal(t.shape) for name, t in theta.items()}
    second = {name: rng.standard_normal(t.shape) for name, t in theta.items()}
    return Directions(
        filter_normalized(first, theta), filter_normalized(second, theta), "random", seed=seed
    )


def pca_directions(trajectory: np.ndarray, center: Arrays) -> Directions:
    """The top two principal directions of a run's weights around ``center`` (θ).

    Parameters
    ----------
    trajectory : ndarray, shape (n, P)
        The weights the run went through, one flattened vector per row (``flatten``'s order
        of ``center``), n >= 3.
    center : dict
        θ's arrays; the directions are unit vectors in the flattened space, oriented so the
        run starts at negative α and β.

    Raises
    ------
    ValueError
        Fewer than 3 points, a vector of another length, or a path that does not move.
    """
    points = np.asarray(trajectory, dtype=np.float64)
    theta = flatten(center)
    if points.ndim != 2 or points.shape[1] != len(theta):
        raise ValueError(
            f"the trajectory's vectors have {points.shape[-1] if points.ndim else 0} values; "
            f"the model has {len(theta)} parameters"
        )
    if len(points) < 3:
        raise ValueError(
            f"PCA directions need at least 3 recorded weights; the run has {len(points)}: "
            "train for a few epochs first"
        )
    offsets = points - theta
    centred = offsets - offsets.mean(axis=0)
    _, singular, components = np.linalg.svd(centred, full_matrices=False)
    variance = singular**2
    if len(variance) < 2 or variance[1] <= 1e-12 * variance[0]:
        raise ValueError("the recorded weights lie on a line: a plane needs a path that turns")
    explained = variance[:2] / variance.sum()
    first, second = components[0], components[1]
    start = offsets[0]
    if start @ first > 0:
        first = -first
    if start @ second > 0:
        second = -second
    return Directions(
        unflatten(first, center),
        unflatten(second, center),
        "pca",
        explained=(float(explained[0]), float(explained[1])),
    )


def project(points: np.ndarray, center: Arrays, directions: Directions) -> np.ndarray:
    """Coordinates ``(α, β)`` of each weight vector in ``points`` (n, P) on the plane through
    θ = ``center``: the offsets' components along d₁ and d₂ (d₁ and d₂ orthonormal, as PCA's
    are), shape (n, 2)."""
    offsets = np.asarray(points, dtype=np.float64) - flatten(center)
    d1, d2 = flatten(directions.first), flatten(directions.second)
    return np.stack([offsets @ d1 / (d1 @ d1), offsets @ d2 / (d2 @ d2)], axis=1)


def grid_axis(low: float, high: float, resolution: int) -> np.ndarray:
    """``resolution`` values from ``low`` to ``high``, inclusive."""
    return np.linspace(low, high, resolution)


def check_resolution(resolution) -> int:
    """``resolution`` as an int from 3 to :data:`MAX_RESOLUTION`, or ValueError quoting it."""
    if (
        isinstance(resolution, bool)
        or not isinstance(resolution, (int, np.integer))
        or not 3 <= resolution <= MAX_RESOLUTION
    ):
        raise ValueError(
            f"resolution must be a whole number from 3 to {MAX_RESOLUTION}; got "
            f"{quoted(resolution)}"
        )
    return int(resolution)


def fitted_range(
    path: np.ndarray, margin: float = PATH_MARGIN
) -> tuple[float, float, float, float]:
    """``(α low, α high, β low, β high)`` around a projected path and θ (0, 0)."""
    coordinates = np.vstack([np.asarray(path, dtype=np.float64).reshape(-1, 2), [[0.0, 0.0]]])
    low, high = coordinates.min(axis=0), coordinates.max(axis=0)
    span = np.maximum(high - low, 1e-6)
    low, high = low - margin * span, high + margin * span
    return float(low[0]), float(high[0]), float(low[1]), float(high[1])


@dataclass(frozen=True)
class Landscape:
    """The loss over the plane: ``losses[j, i]`` = L(θ + alphas[i]·d₁ + betas[j]·d₂);
    ``slice_losses[i]`` = L(θ + slice_alphas[i]·d₁), the 1-D slice along d₁; ``path`` the
    run's weights projected on the plane (None without a trajectory); ``center_loss`` L(θ)."""

    alphas: np.ndarray
    betas: np.ndarray
    losses: np.ndarray
    slice_alphas: np.ndarray
    slice_losses: np.ndarray
    directions: Directions
    center_loss: float
    split: str = "train"
    path: np.ndarray | None = None

    def rows(self) -> list[tuple[float, float, float]]:
        """``(α, β, loss)`` for every grid point, α varying fastest (the CSV's rows)."""
        return [
            (float(a), float(b), float(self.losses[j, i]))
            for j, b in enumerate(self.betas)
            for i, a in enumerate(self.alphas)
        ]


def _moved(theta: Arrays, directions: Directions, alpha: float, beta: float) -> Arrays:
    return {
        name: t + alpha * directions.first[name] + beta * directions.second[name]
        for name, t in theta.items()
    }


def compute_landscape(
    model: nn.Module,
    data: Dataset,
    loss: str,
    directions: Directions,
    resolution: int = MAX_RESOLUTION,
    extent: tuple[float, float, float, float] = (-1.0, 1.0, -1.0, 1.0),
    *,
    split: str = "train",
    path: np.ndarray | None = None,
    progress: Callable[[int, int], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> Landscape | None:
    """The loss of ``model`` on ``data`` over the plane ``extent`` (α from, α to, β from,
    β to) at ``resolution`` x ``resolution`` points, and the slice along d₁.

    The model is copied; its weights are never touched. ``progress(done, total)`` is called
    after each row of the grid, ``should_stop()`` before each: True stops and returns None.
    """
    resolution = check_resolution(resolution)
    a0, a1, b0, b1 = (float(v) for v in extent)
    if not all(math.isfinite(v) for v in extent) or not (a0 < a1 and b0 < b1):
        raise ValueError(f"the plane's extent must be finite and increasing; got {extent}")
    probe = copy.deepcopy(model)
    probe.eval()  # as evaluation runs it, once here rather than for every point
    theta = parameter_arrays(probe)
    state = {key: np.array(np.asarray(value)) for key, value in probe.state_dict().items()}
    alphas, betas = grid_axis(a0, a1, resolution), grid_axis(b0, b1, resolution)
    slice_alphas = grid_axis(a0, a1, SLICE_POINTS)
    total = resolution + 1
    losses = np.empty((resolution, resolution))

    def loss_at(alpha: float, beta: float) -> float:
        probe.load_state_dict({**state, **_moved(theta, directions, alpha, beta)})
        return mean_loss(probe, data, loss)

    # A grid point's products are too small to share between BLAS threads: threads cost more
    # than they save (several times more on a busy machine), so one thread does them all.
    with threadpool_limits(1, user_api="blas"):
        for j, beta in enumerate(betas):
            if should_stop is not None and should_stop():
                return None
            losses[j] = [loss_at(alpha, beta) for alpha in alphas]
            if progress is not None:
                progress(j + 1, total)
        if should_stop is not None and should_stop():
            return None
        slice_losses = np.array([loss_at(alpha, 0.0) for alpha in slice_alphas])
        center = loss_at(0.0, 0.0)
    if progress is not None:
        progress(total, total)
    return Landscape(
        alphas, betas, losses, slice_alphas, slice_losses, directions, center, split, path
    )
