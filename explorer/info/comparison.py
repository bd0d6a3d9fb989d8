"""Everything the Distributions tab shows about a pair (P, Q), computed in one pass.

``compare`` returns every measure and per-category term; ``sensitivity_curve`` sweeps one
category of Q from 0 to 1. Both validate once and then use the vectorized kernels.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from explorer.info.discrete import (
    as_distribution,
    sum_kl_nats,
)
from explorer.info.editing import check_index
from explorer.info.units import nats_to, resolve_base, unit_name
from explorer.quoting import quoted

__all__ = ["Comparison", "compare", "sensitivity_curve", "sensitivity_grid"]


@dataclass(frozen=True)
class Comparison:
    """The measures of a pair (P, Q) in one unit; ``inf`` where Q (or P) rules out an event.

    ``kl_pq_terms[i]`` is p_i log(p_i/q_i), ``kl_qp_terms[i]`` is q_i log(q_i/p_i).
    """

    p: np.ndarray
    q: np.ndarray
    base: float
    entropy_p: float
    entropy_q: float
    cross_entropy_pq: float
    cross_entropy_qp: float
    kl_pq: float
    kl_qp: float
    js: float
    kl_pq_terms: np.ndarray
    kl_qp_terms: np.ndarray

    @property
    def unit(self) -> str:
        return unit_name(self.base)

    def as_dict(self) -> dict[str, float]:
        """The seven read-outs by name (for reports and tests)."""
        return {
            "entropy_p": self.entropy_p,
            "entropy_q": self.entropy_q,
            "cross_entropy_pq": self.cross_entropy_pq,
            "cross_entropy_qp": self.cross_entropy_qp,
            "kl_pq": self.kl_pq,
            "kl_qp": self.kl_qp,
            "js": self.js,
        }


def _pair(p, q) -> tuple[np.ndarray, np.ndarray]:
    p, q = as_distribution(p, "p"), as_distribution(q, "q")
    if p.size != q.size:
        raise ValueError(f"p and q must have the same length; got {p.size} and {q.size} categories")
    return p, q


def compare(p, q, base: float | str = 2) -> Comparison:
    """Entropies, cross entropies, both KLs, JS and the KL terms of (P, Q) in one unit.

    Examples
    --------
    >>> c = compare([1, 0, 0], [0.8, 0.1, 0.1])
    >>> round(c.cross_entropy_pq, 4), c.unit
    (0.3219, 'bits')
    """
    p, q = _pair(p, q)
    base = resolve_base(base)
    scale = nats_to(base)
    # Every measure from three logarithms (ln p, ln q, ln m), with the same operations as
    # the per-measure kernels of explorer.info.discrete, so the numbers are identical; the
    # Distributions tab calls this on every slider move.
    p_pos, q_pos = p > 0, q > 0
    both = p_pos & q_pos
    with np.errstate(divide="ignore"):
        log_p = np.log(np.where(p_pos, p, 1.0))
        log_q = np.log(np.where(q_pos, q, 1.0))
        m = 0.5 * (p + q)
        log_m = np.log(np.where(m > 0, m, 1.0))
    only_p, only_q = p_pos & ~q_pos, q_pos & ~p_pos
    kl_pq_terms = np.where(only_p, np.inf, np.where(both, p * (log_p - log_q), 0.0)) * scale
    kl_qp_terms = np.where(only_q, np.inf, np.where(both, q * (log_q - log_p), 0.0)) * scale
    js_terms = 0.5 * np.where(p_pos, p * (log_p - log_m), 0.0) + 0.5 * np.where(
        q_pos, q * (log_q - log_m), 0.0
    )
    js = min(float(sum_kl_nats(js_terms)), np.log(2.0)) * scale
    cross_pq = np.where(only_p, np.inf, np.where(p_pos, -p * log_q, 0.0))
    cross_qp = np.where(only_q, np.inf, np.where(q_pos, -q * log_p, 0.0))
    return Comparison(
        p=p,
        q=q,
        base=base,
        entropy_p=float(np.where(p_pos, -p * log_p, 0.0).sum() * scale) + 0.0,
        entropy_q=float(np.where(q_pos, -q * log_q, 0.0).sum() * scale) + 0.0,
        cross_entropy_pq=float(cross_pq.sum() * scale),
        cross_entropy_qp=float(cross_qp.sum() * scale),
        kl_pq=float(np.maximum(kl_pq_terms.sum(), 0.0)),
        kl_qp=float(np.maximum(kl_qp_terms.sum(), 0.0)),
        js=js,
        kl_pq_terms=kl_pq_terms,
        kl_qp_terms=kl_qp_terms,
    )


def sweep(q, index: int, values) -> np.ndarray:
    """Rows of Q with q[index] set to each of ``values`` and the rest rescaled.

    The same rule as :func:`explorer.info.editing.set_probability`, vectorized.
    """
    q = as_distribution(q, "q")
    index = check_index(index, q.size)
    values = np.asarray(values, dtype=np.float64)
    others = np.delete(q, index)
    rest = others.sum()
    shape = others / rest if rest > 0 else np.full(others.size, 1.0 / others.size)
    rows = (1.0 - values)[:, None] * shape[None, :]
    return np.insert(rows, index, values, axis=1)


def sensitivity_grid(num: int = 201, edge_points: int = 10) -> np.ndarray:
    """t values for :func:`sensitivity_curve`: evenly spaced, plus points crowding 0 and 1
    geometrically (down to 1e-6 away), where KL and cross entropy climb towards infinity."""
    edges = np.geomspace(1e-6, 0.5 / max(num - 1, 1), edge_points)
    return np.unique(np.concatenate([np.linspace(0.0, 1.0, int(num)), edges, 1.0 - edges]))


def sensitivity_curve(
    p, q, index: int, base: float | str = 2, num: int = 201, t=None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """KL(P || Q_t) and H(P, Q_t) as q[index] = t moves from 0 to 1 (others rescaled).

    Parameters
    ----------
    t : array_like, optional
        The values of q[index] to evaluate (in [0, 1]); default ``num`` evenly spaced ones.

    Returns
    -------
    t, kl, cross : ndarray
        The t values and the two measures there (``inf`` at an end where Q_t rules out
        something P allows; never NaN).
    """
    p, q = _pair(p, q)
    index = check_index(index, p.size)
    scale = nats_to(base)
    t = np.linspace(0.0, 1.0, int(num)) if t is None else np.asarray(t, dtype=np.float64)
    if t.ndim != 1 or not ((t >= 0) & (t <= 1)).all():
        raise ValueError(f"t must be a 1-D array of values in [0, 1]; got {quoted(t)}")
    # With q_i = t and q_j = (1 - t) r_j (r: the other q's shape, as sweep() rescales them),
    #   H(P, Q_t) = -p_i ln t - (1 - p_i) ln(1 - t) - sum_j p_j ln r_j
    #   KL(P || Q_t) = p_i ln p_i - p_i ln t - (1 - p_i) ln(1 - t) + sum_j p_j ln(p_j / r_j),
    # the sums over j != i: two logarithms per t instead of K (the sweep's rows).
    others_q = np.delete(q, index)
    rest = others_q.sum()
    shape = others_q / rest if rest > 0 else np.full(others_q.size, 1.0 / others_q.size)
    others_p = np.delete(p, index)
    held, spread = float(p[index]), float(others_p.sum())
    mass = others_p > 0  # 0 ln 0 = 0
    if (shape[mass] == 0).any():  # P allows what every Q_t rules out
        cross_rest = kl_rest = math.inf
    else:
        p_mass, log_shape = others_p[mass], np.log(shape[mass])
        cross_rest = float(-(p_mass * log_shape).sum())
        kl_rest = float((p_mass * (np.log(p_mass) - log_shape)).sum())
    with np.errstate(divide="ignore"):
        at_t = -held * np.log(t) if held > 0 else np.zeros_like(t)
        at_rest = -spread * np.log1p(-t) if spread > 0 else np.zeros_like(t)
    own = held * math.log(held) if held > 0 else 0.0
    kl = np.maximum(own + at_t + at_rest + kl_rest, 0.0) * scale
    cross = (at_t + at_rest + cross_rest) * scale
    return t, kl, cross
