"""Seeded 2-D toy datasets (spiral, moons, circles, XOR, blobs) and their registry.

Every generator returns a :class:`~explorer.data.dataset.Dataset` of points in roughly
``[-1.5, 1.5]^2`` (so no standardization is needed and decision-region plots share a scale),
with classes as balanced as ``n_samples`` allows and rows in shuffled order. The same
arguments always give the same array.

:data:`SYNTHETIC_DATASETS` maps each name to a :class:`SyntheticSpec` that lists the
parameters the generator takes with their defaults and bounds, so the GUI can build its
controls and the CLI can validate its arguments from one description; :func:`make_synthetic`
validates and calls.

Examples
--------
>>> from explorer.data import make_synthetic
>>> data = make_synthetic("spiral", n_samples=300, seed=1)
>>> data.x.shape, data.num_classes
((300, 2), 3)
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from explorer.data.dataset import DataError, Dataset

MAX_SAMPLES = 200_000
MAX_CLASSES = 10


def _class_sizes(n_samples: int, num_classes: int) -> list[int]:
    """Split ``n_samples`` as evenly as possible; the first classes get the remainder."""
    base, extra = divmod(n_samples, num_classes)
    return [base + (1 if k < extra else 0) for k in range(num_classes)]


def _finish(
    name: str, points: list[np.ndarray], rng: np.random.Generator, class_names: list[str]
) -> Dataset:
    """Stack per-class point arrays, shuffle the rows and wrap them as a Dataset."""
    x = np.concatenate(points).astype(np.float32)
    y = np.concatenate([np.full(len(p), k, dtype=np.int64) for k, p in enumerate(points)])
    order = rng.permutation(len(y))
    return Dataset(x[order], y[order], len(points), name, (2,), class_names)


def _check(n_samples: int, noise: float, num_classes: int = 2) -> None:
    if not 2 <= num_classes <= MAX_CLASSES:
        raise DataError(f"num_classes must be between 2 and {MAX_CLASSES}; got {num_classes}")
    if not num_classes <= n_samples <= MAX_SAMPLES:
        raise DataError(
            f"n_samples must be between {num_classes} and {MAX_SAMPLES}; got {n_samples}"
        )
    if not (math.isfinite(noise) and noise >= 0):
        raise DataError(f"noise must be a finite number >= 0; got {noise}")


def make_spiral(
    n_samples: int = 900,
    noise: float = 0.05,
    num_classes: int = 3,
    turns: float = 1.0,
    seed: int = 0,
) -> Dataset:
    """Interleaved spiral arms, one per class (the CS231n spiral, as in TF Playground).

    Arm ``k`` starts near the centre at angle ``2 pi k / num_classes`` and makes ``turns``
    revolutions while its radius grows to 1; ``noise`` is the standard deviation of Gaussian
    jitter added to each coordinate.
    """
    _check(n_samples, noise, num_classes)
    if not (math.isfinite(turns) and 0 < turns <= 5):
        raise DataError(f"turns must be in (0, 5]; got {turns}")
    rng = np.random.default_rng(seed)
    points = []
    for k, size in enumerate(_class_sizes(n_samples, num_classes)):
        radius = np.linspace(0.05, 1.0, size)
        angle = 2 * np.pi * k / num_classes + 2 * np.pi * turns * radius
        arm = np.stack([radius * np.cos(angle), radius * np.sin(angle)], axis=1)
        points.append(arm + noise * rng.standard_normal((size, 2)))
    return _finish("spiral", points, rng, [f"arm {k}" for k in range(num_classes)])


def make_moons(n_samples: int = 400, noise: float = 0.1, seed: int = 0) -> Dataset:
    """Two interleaving half circles (as scikit-learn's ``make_moons``), centred on 0."""
    _check(n_samples, noise)
    rng = np.random.default_rng(seed)
    sizes = _class_sizes(n_samples, 2)
    outer = np.linspace(0, np.pi, sizes[0])
    inner = np.linspace(0, np.pi, sizes[1])
    shift = np.array([0.5, 0.25])
    upper = np.stack([np.cos(outer), np.sin(outer)], axis=1) - shift
    lower = np.stack([1 - np.cos(inner), 0.5 - np.sin(inner)], axis=1) - shift
    points = [p + noise * rng.standard_normal(p.shape) for p in (upper, lower)]
    return _finish("moons", points, rng, ["upper moon", "lower moon"])


def make_circles(
    n_samples: int = 400, noise: float = 0.05, factor: float = 0.5, seed: int = 0
) -> Dataset:
    """A ring of radius 1 (class 0) around a ring of radius ``factor`` (class 1)."""
    _check(n_samples, noise)
    if not (math.isfinite(factor) and 0 < factor < 1):
        raise DataError(f"factor must be between 0 and 1 (exclusive); got {factor}")
    rng = np.random.default_rng(seed)
    points = []
    for radius, size in zip((1.0, factor), _class_sizes(n_samples, 2), strict=True):
        angle = rng.uniform(0, 2 * np.pi, size)
        ring = radius * np.stack([np.cos(angle), np.sin(angle)], axis=1)
        points.append(ring + noise * rng.standard_normal((size, 2)))
    return _finish("circles", points, rng, ["outer", "inner"])


def make_xor(n_samples: int = 400, noise: float = 0.05, seed: int = 0) -> Dataset:
    """Points in the four quadrants; class 1 where x and y have the same sign (XOR).

    Points are drawn uniformly in ``[-1, 1]^2`` kept 0.05 away from the axes; the label is
    decided before ``noise`` (Gaussian jitter) is added, so noise makes the border fuzzy.
    """
    _check(n_samples, noise)
    rng = np.random.default_rng(seed)
    points = []
    for label, size in enumerate(_class_sizes(n_samples, 2)):
        magnitude = rng.uniform(0.05, 1.0, (size, 2))
        first = rng.choice([-1.0, 1.0], size)
        # Same-sign quadrants for class 1, opposite signs for class 0.
        second = first if label == 1 else -first
        quadrant = magnitude * np.stack([first, second], axis=1)
        points.append(quadrant + noise * rng.standard_normal((size, 2)))
    return _finish("xor", points, rng, ["opposite signs", "same sign"])


def make_blobs(
    n_samples: int = 400, noise: float = 0.25, num_classes: int = 3, seed: int = 0
) -> Dataset:
    """Gaussian blobs of standard deviation ``noise`` centred evenly on the unit circle."""
    _check(n_samples, noise, num_classes)
    rng = np.random.default_rng(seed)
    points = []
    for k, size in enumerate(_class_sizes(n_samples, num_classes)):
        angle = 2 * np.pi * k / num_classes + np.pi / 2
        centre = np.array([np.cos(angle), np.sin(angle)])
        points.append(centre + noise * rng.standard_normal((size, 2)))
    return _finish("blobs", points, rng, [f"blob {k}" for k in range(num_classes)])


@dataclass(frozen=True)
class ParamSpec:
    """One generator parameter: its type, default, inclusive bounds and a one-line help."""

    name: str
    kind: type
    default: float | int
    minimum: float | int
    maximum: float | int
    help: str

    def validate(self, value: object) -> float | int:
        """Return ``value`` as this parameter's type; DataError quoting it if it does not fit."""
        if isinstance(value, bool) or not isinstance(value, int | float | np.number):
            raise DataError(f"{self.name} must be a number; got {value!r}")
        if self.kind is int:
            if float(value) != int(value):
                raise DataError(f"{self.name} must be an integer; got {value!r}")
            value = int(value)
        else:
            value = float(value)
        if not (math.isfinite(value) and self.minimum <= value <= self.maximum):
            raise DataError(
                f"{self.name} must be between {self.minimum} and {self.maximum}; got {value!r}"
            )
        return value

    def parse(self, text: str) -> float | int:
        """Convert command-line text (``"0.1"``, ``"500"``) and validate it."""
        try:
            value = float(text) if self.kind is float else int(text)
        except ValueError:
            kind = "a number" if self.kind is float else "an integer"
            raise DataError(f"{self.name} must be {kind}; got {text!r}") from None
        return self.validate(value)


@dataclass(frozen=True)
class SyntheticSpec:
    """A registered generator: display title, one-line description and its parameters."""

    name: str
    title: str
    description: str
    generator: Callable[..., Dataset]
    params: tuple[ParamSpec, ...]

    def defaults(self) -> dict[str, float | int]:
        """The default value of every parameter."""
        return {p.name: p.default for p in self.params}


_N = ParamSpec("n_samples", int, 400, 20, MAX_SAMPLES, "Total number of points")
_SEED = ParamSpec("seed", int, 0, 0, 2**31 - 1, "Seed of the random generator")


def _noise(default: float) -> ParamSpec:
    return ParamSpec("noise", float, default, 0.0, 2.0, "Standard deviation of Gaussian jitter")


def _classes(default: int) -> ParamSpec:
    return ParamSpec("num_classes", int, default, 2, MAX_CLASSES, "Number of classes")


SYNTHETIC_DATASETS: dict[str, SyntheticSpec] = {
    "spiral": SyntheticSpec(
        "spiral",
        "Spiral",
        "Interleaved spiral arms, one per class",
        make_spiral,
        (
            ParamSpec("n_samples", int, 900, 20, MAX_SAMPLES, "Total number of points"),
            _noise(0.05),
            _classes(3),
            ParamSpec("turns", float, 1.0, 0.25, 5.0, "Revolutions each arm makes"),
            _SEED,
        ),
    ),
    "moons": SyntheticSpec(
        "moons",
        "Two moons",
        "Two interleaving half circles",
        make_moons,
        (_N, _noise(0.1), _SEED),
    ),
    "circles": SyntheticSpec(
        "circles",
        "Circles",
        "A ring around a smaller ring",
        make_circles,
        (
            _N,
            _noise(0.05),
            ParamSpec("factor", float, 0.5, 0.05, 0.95, "Radius of the inner ring"),
            _SEED,
        ),
    ),
    "xor": SyntheticSpec(
        "xor",
        "XOR",
        "Four quadrants; the class is the XOR of the signs",
        make_xor,
        (_N, _noise(0.05), _SEED),
    ),
    "blobs": SyntheticSpec(
        "blobs",
        "Gaussian blobs",
        "Gaussian clusters on a circle, one per class",
        make_blobs,
        (_N, _noise(0.25), _classes(3), _SEED),
    ),
}


def make_synthetic(name: str, **params: float | int) -> Dataset:
    """Validate ``params`` against the registry entry ``name`` and generate the dataset.

    Missing parameters take their defaults; an unknown name or parameter, or a value out of
    bounds, raises :class:`DataError` quoting it.
    """
    spec = SYNTHETIC_DATASETS.get(name)
    if spec is None:
        raise DataError(f"unknown dataset {name!r}; choose one of {', '.join(SYNTHETIC_DATASETS)}")
    known = {p.name: p for p in spec.params}
    unknown = sorted(set(params) - set(known))
    if unknown:
        raise DataError(f"{name} takes no parameter {unknown[0]!r}; it takes {', '.join(known)}")
    values = spec.defaults()
    values.update({key: known[key].validate(value) for key, value in params.items()})
    return spec.generator(**values)
