"""Entropy, cross entropy, KL and Jensen–Shannon divergence of discrete distributions.

Conventions (those of information theory and ``scipy.stats.entropy``): inputs are normalized
to sum 1; ``0 * log 0 = 0``; where ``q_i = 0 < p_i`` cross entropy and KL are ``inf``.
Nothing here returns NaN or prints a numpy warning.
"""

from __future__ import annotations

import numpy as np

from explorer.info.units import nats_to
from explorer.quoting import quoted

__all__ = [
    "as_distribution",
    "entropy",
    "entropy_terms",
    "cross_entropy",
    "cross_entropy_terms",
    "kl_divergence",
    "kl_terms",
    "js_divergence",
    "js_terms",
]


def as_distribution(values, name: str = "p") -> np.ndarray:
    """Validate ``values`` and return them as a float64 probability vector summing to 1.

    Parameters
    ----------
    values : array_like
        Non-negative weights (need not sum to 1), one per category.
    name : str
        What to call the vector in error messages.

    Raises
    ------
    ValueError
        If ``values`` is empty, not one-dimensional, not numeric, has a NaN, infinite or
        negative entry, or is all zeros. The message names the problem and quotes the value.

    Examples
    --------
    >>> as_distribution([2, 1, 1])
    array([0.5 , 0.25, 0.25])
    """
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError, OverflowError):  # OverflowError: an int beyond any float
        raise ValueError(f"{name} must be a sequence of numbers; got {quoted(values)}") from None
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional; got shape {array.shape}")
    if array.size == 0:
        raise ValueError(f"{name} is empty: a distribution needs at least one category")
    # One pass for the common case (NaN fails both comparisons); the checks below name a
    # problem only when there is one.
    if not ((array >= 0) & (array < np.inf)).all():
        _refuse(array, name)
    largest = array.max()
    if largest == 0:
        raise ValueError(f"{name} is all zeros ({quoted(values)}): it cannot be normalized")
    # Dividing by the largest entry first keeps the sum from overflowing for huge weights.
    scaled = array / largest
    return scaled / scaled.sum()


def _refuse(array: np.ndarray, name: str) -> None:
    """Raise the ValueError that names ``array``'s first NaN, infinite or negative entry."""
    for problem, mask in (
        ("a NaN", np.isnan(array)),
        ("an infinite", np.isinf(array)),
        ("a negative", array < 0),
    ):
        if mask.any():
            index = int(np.flatnonzero(mask)[0])
            raise ValueError(
                f"{name} has {problem} entry {quoted(float(array[index]))} at index {index}: "
                "probabilities must be finite and non-negative"
            )


def _pair(p, q) -> tuple[np.ndarray, np.ndarray]:
    p = as_distribution(p, "p")
    q = as_distribution(q, "q")
    if p.shape != q.shape:
        raise ValueError(f"p and q must have the same length; got {p.size} and {q.size} categories")
    return p, q


# -- kernels in nats: no validation, any broadcastable shapes, last axis = categories --------
def _log(x: np.ndarray) -> np.ndarray:
    """Natural log with log(0) = -inf, without numpy's divide-by-zero warning."""
    with np.errstate(divide="ignore"):
        return np.log(x)


def entropy_terms_nats(p: np.ndarray) -> np.ndarray:
    """-p_i ln p_i with 0 ln 0 = 0."""
    positive = p > 0
    return np.where(positive, -p * _log(np.where(positive, p, 1.0)), 0.0)


def cross_entropy_terms_nats(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """-p_i ln q_i: 0 where p_i = 0, inf where q_i = 0 < p_i."""
    p, q = np.broadcast_arrays(p, q)
    safe_q = np.where(q > 0, q, 1.0)
    terms = np.where(p > 0, -p * _log(safe_q), 0.0)
    return np.where((p > 0) & (q == 0), np.inf, terms)


def kl_terms_nats(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """p_i ln(p_i / q_i): 0 where p_i = 0, inf where q_i = 0 < p_i."""
    p, q = np.broadcast_arrays(p, q)
    both = (p > 0) & (q > 0)
    # ln p - ln q instead of ln(p/q): p/q overflows when q is subnormal.
    terms = np.where(both, p * (_log(np.where(both, p, 1.0)) - _log(np.where(both, q, 1.0))), 0.0)
    return np.where((p > 0) & (q == 0), np.inf, terms)


def js_terms_nats(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Per-category terms of JS = KL(P||M)/2 + KL(Q||M)/2 with M = (P+Q)/2 (always finite)."""
    m = 0.5 * (p + q)
    return 0.5 * kl_terms_nats(p, m) + 0.5 * kl_terms_nats(q, m)


def sum_kl_nats(terms: np.ndarray) -> np.ndarray:
    """Sum KL terms over the last axis; rounding can leave -1e-17 where KL is 0: clamp it."""
    return np.maximum(terms.sum(axis=-1), 0.0)


# -- public API: validated, in the unit of ``base`` -----------------------------------------
def entropy_terms(p, base: float | str = 2) -> np.ndarray:
    """Per-category terms -p_i log p_i of the entropy H(P); they sum to :func:`entropy`.

    Examples
    --------
    >>> entropy_terms([0.5, 0.5, 0])
    array([0.5, 0.5, 0. ])
    """
    return entropy_terms_nats(as_distribution(p, "p")) * nats_to(base)


def entropy(p, base: float | str = 2) -> float:
    """Shannon entropy H(P) = -sum_i p_i log p_i.

    Parameters
    ----------
    p : array_like
        Non-negative weights, normalized to sum 1 (as ``scipy.stats.entropy`` does).
    base : {2, e, 10} or {"bits", "nats", "hartleys"}
        Logarithm base; the result is in bits, nats or hartleys.

    Returns
    -------
    float
        H(P) >= 0; 0 for a one-hot distribution, log K for the uniform one.

    Examples
    --------
    >>> entropy([0.25, 0.25, 0.25, 0.25])
    2.0
    """
    # + 0.0 turns the -0.0 of a one-hot P (-1 * log 1) into 0.0.
    return float(entropy_terms(p, base).sum()) + 0.0


def cross_entropy_terms(p, q, base: float | str = 2) -> np.ndarray:
    """Per-category terms -p_i log q_i of H(P, Q): 0 where p_i = 0, inf where q_i = 0 < p_i."""
    p, q = _pair(p, q)
    return cross_entropy_terms_nats(p, q) * nats_to(base)


def cross_entropy(p, q, base: float | str = 2) -> float:
    """Cross entropy H(P, Q) = -sum_i p_i log q_i = H(P) + KL(P || Q).

    ``inf`` when some q_i = 0 < p_i (Q calls impossible what P says can happen).

    Examples
    --------
    >>> round(cross_entropy([1, 0, 0], [0.8, 0.1, 0.1]), 4)
    0.3219
    >>> cross_entropy([1, 0, 0], [0, 1, 0])
    inf
    """
    return float(cross_entropy_terms(p, q, base).sum())


def kl_terms(p, q, base: float | str = 2) -> np.ndarray:
    """Per-category contributions p_i log(p_i / q_i) to KL(P || Q); some may be negative."""
    p, q = _pair(p, q)
    return kl_terms_nats(p, q) * nats_to(base)


def kl_divergence(p, q, base: float | str = 2) -> float:
    """Kullback–Leibler divergence KL(P || Q) = sum_i p_i log(p_i / q_i) >= 0.

    Not symmetric; ``inf`` when some q_i = 0 < p_i; 0 exactly when P = Q.

    Examples
    --------
    >>> round(kl_divergence([0.5, 0.5], [0.9, 0.1]), 4)
    0.737
    """
    p, q = _pair(p, q)
    return float(sum_kl_nats(kl_terms_nats(p, q)) * nats_to(base))


def js_terms(p, q, base: float | str = 2) -> np.ndarray:
    """Per-category terms of the Jensen–Shannon divergence; they sum to :func:`js_divergence`."""
    p, q = _pair(p, q)
    return js_terms_nats(p, q) * nats_to(base)


def js_divergence(p, q, base: float | str = 2) -> float:
    """Jensen–Shannon divergence JS(P, Q) = KL(P || M)/2 + KL(Q || M)/2, M = (P + Q)/2.

    Symmetric, always finite, between 0 and log 2 (1 bit). This is the divergence itself,
    not its square root (the JS *distance* of ``scipy.spatial.distance.jensenshannon``).

    Examples
    --------
    >>> js_divergence([1, 0], [0, 1])
    1.0
    """
    p, q = _pair(p, q)
    nats = min(float(sum_kl_nats(js_terms_nats(p, q))), np.log(2.0))
    return nats * nats_to(base)
