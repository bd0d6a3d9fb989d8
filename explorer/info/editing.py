"""Editing a discrete distribution while keeping it one: the model behind the sliders.

Pure functions (``set_probability``, ``resize``, presets) and a small ``DistributionPair``
that holds P and Q for the Distributions tab. No Qt: the tab only wires sliders to these.
"""

from __future__ import annotations

import numpy as np

from explorer.info.discrete import as_distribution
from explorer.quoting import quoted

__all__ = [
    "MIN_CATEGORIES",
    "MAX_CATEGORIES",
    "LECTURE_EXAMPLES",
    "DistributionPair",
    "check_category_count",
    "one_hot",
    "random_distribution",
    "resize",
    "set_probability",
    "uniform",
]

MIN_CATEGORIES = 2
MAX_CATEGORIES = 32

#: The lecture notes' three worked examples of cross entropy: name -> (P, Q, what it shows).
LECTURE_EXAMPLES: dict[str, tuple[tuple[float, ...], tuple[float, ...], str]] = {
    "q-close": ((1.0, 0.0, 0.0), (0.8, 0.1, 0.1), "Q close to P: H(P,Q) = 0.3219 bits"),
    "q-wrong": ((1.0, 0.0, 0.0), (0.0, 1.0, 0.0), "Q totally wrong: H(P,Q) = ∞"),
    "q-equals-p": ((1.0, 0.0, 0.0), (1.0, 0.0, 0.0), "Q = P: H(P,Q) = H(P) = 0"),
}


def check_category_count(k) -> int:
    """Validate a number of categories (2..32) and return it as an int."""
    if (
        isinstance(k, bool)
        or not isinstance(k, (int, np.integer))
        or not (MIN_CATEGORIES <= k <= MAX_CATEGORIES)
    ):
        raise ValueError(
            f"the number of categories must be an integer from {MIN_CATEGORIES} to "
            f"{MAX_CATEGORIES}; got {quoted(k)}"
        )
    return int(k)


def check_index(index, k: int) -> int:
    """Validate a category index (an integer in 0..k-1) and return it as an int."""
    if isinstance(index, bool) or not isinstance(index, (int, np.integer)) or not 0 <= index < k:
        raise ValueError(f"category index must be an integer in 0..{k - 1}; got {quoted(index)}")
    return int(index)


def uniform(k: int) -> np.ndarray:
    """The uniform distribution over ``k`` categories."""
    return np.full(check_category_count(k), 1.0 / k)


def one_hot(k: int, index: int = 0) -> np.ndarray:
    """All mass on category ``index``."""
    k = check_category_count(k)
    index = check_index(index, k)
    p = np.zeros(k)
    p[index] = 1.0
    return p


def random_distribution(k: int, seed: int) -> np.ndarray:
    """A random distribution drawn uniformly from the simplex (Dirichlet(1)), reproducible."""
    k = check_category_count(k)
    return np.random.default_rng(seed).dirichlet(np.ones(k))


def set_probability(p, index: int, value: float) -> np.ndarray:
    """Set p[index] to ``value`` and rescale the other entries so the sum stays 1.

    The others keep their proportions; if they are all zero, the remaining mass
    1 - value is shared equally among them. ``value`` 0 and 1 are allowed, so a category
    can reach exactly 0 and come back.

    Raises
    ------
    ValueError
        If ``value`` is not in [0, 1] or ``index`` is out of range.

    Examples
    --------
    >>> set_probability([0.5, 0.25, 0.25], 0, 0.0)
    array([0. , 0.5, 0.5])
    """
    p = as_distribution(p)
    index = check_index(index, p.size)
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError(f"a probability must be a number between 0 and 1; got {quoted(value)}")
    if not (0.0 <= value <= 1.0):
        raise ValueError(f"a probability must be between 0 and 1; got {quoted(value)}")
    others = np.delete(p, index)
    rest = others.sum()
    remaining = 1.0 - value
    if rest > 0:
        # Divide first: remaining / rest overflows when rest is subnormal.
        others = (others / rest) * remaining
    else:
        others = np.full(others.size, remaining / others.size)
    return np.insert(others, index, float(value))


def resize(p, k: int) -> np.ndarray:
    """Change the number of categories to ``k``, keeping the shape of what stays.

    Shrinking drops the last categories and renormalizes (uniform if nothing is left);
    growing gives each new category 1/k and scales the old ones into the rest, so a
    uniform distribution stays uniform.
    """
    p = as_distribution(p)
    k = check_category_count(k)
    if k == p.size:
        return p
    if k < p.size:
        kept = p[:k]
        return kept / kept.sum() if kept.sum() > 0 else uniform(k)
    added = k - p.size
    return np.concatenate([p * (p.size / k), np.full(added, 1.0 / k)])


class DistributionPair:
    """Two distributions P and Q over the same K categories, edited in place.

    Every setter keeps both normalized; ``selected`` is the category the sensitivity
    curve and the one-hot preset act on.
    """

    def __init__(self, p=(0.6, 0.3, 0.1), q=(0.2, 0.35, 0.45)):
        self.p = np.array([1.0])
        self.q = np.array([1.0])
        self.selected = 0
        self.set(p, q)

    @property
    def k(self) -> int:
        return int(self.p.size)

    def set(self, p, q) -> None:
        """Replace both distributions (validated, normalized, same length 2..32)."""
        p = as_distribution(p, "p")
        q = as_distribution(q, "q")
        if p.size != q.size:
            raise ValueError(
                f"p and q must have the same length; got {p.size} and {q.size} categories"
            )
        check_category_count(p.size)
        self.p, self.q = p, q
        self.selected = min(self.selected, p.size - 1)

    def get(self, which: str) -> np.ndarray:
        return {"p": self.p, "q": self.q}[self._check_which(which)]

    def set_one(self, which: str, values) -> None:
        """Replace P or Q alone (same length as the other)."""
        if self._check_which(which) == "p":
            self.set(values, self.q)
        else:
            self.set(self.p, values)

    def set_probability(self, which: str, index: int, value: float) -> None:
        """Move one category of P or Q, rescaling the others (see :func:`set_probability`)."""
        new = set_probability(self.get(which), index, value)
        if which == "p":
            self.p = new
        else:
            self.q = new

    def set_category_count(self, k: int) -> None:
        self.p, self.q = resize(self.p, k), resize(self.q, k)
        self.selected = min(self.selected, self.k - 1)

    def select(self, index: int) -> None:
        self.selected = check_index(index, self.k)

    def apply_preset(self, which: str, preset: str, seed: int = 0) -> None:
        """Set P or Q to 'uniform', 'one-hot' (at the selected category) or 'random'."""
        makers = {
            "uniform": lambda: uniform(self.k),
            "one-hot": lambda: one_hot(self.k, self.selected),
            "random": lambda: random_distribution(self.k, seed),
        }
        if preset not in makers:
            raise ValueError(f"unknown preset {quoted(preset)}; expected one of {sorted(makers)}")
        self.set_one(which, makers[preset]())

    def apply_lecture_example(self, name: str) -> None:
        """Load one of :data:`LECTURE_EXAMPLES` (K becomes 3)."""
        if name not in LECTURE_EXAMPLES:
            raise ValueError(
                f"unknown example {quoted(name)}; expected one of {sorted(LECTURE_EXAMPLES)}"
            )
        p, q, _ = LECTURE_EXAMPLES[name]
        self.set(p, q)

    def copy_p_to_q(self) -> None:
        self.q = self.p.copy()

    def swap(self) -> None:
        self.p, self.q = self.q, self.p

    @staticmethod
    def _check_which(which: str) -> str:
        if which not in ("p", "q"):
            raise ValueError(f"which must be 'p' or 'q'; got {quoted(which)}")
        return which
