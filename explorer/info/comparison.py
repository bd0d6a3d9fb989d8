"""Everything the Distributions tab shows about a pair (P, Q), computed in one pass.

``compare`` returns every measure and per-category term; ``sensitivity_curve`` sweeps one
category of Q from 0 to 1. Both validate once and then use the vectorized kernels.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from explorer.info.discrete import (
    as_distribution,
    cross_entropy_terms_nats,
    kl_terms_nats,
    sum_kl_nats,
)
from explorer.info.units import nats_to, resolve_base, unit_name

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
    if not 0 <= index < p.size:
        raise ValueError(f"category index must be in 0..{p.size - 1}; got {index!r}")
    scale = nats_to(base)
    t = np.linspace(0.0, 1.0, int(num)) if t is None else np.asarray(t, dtype=np.float64)
    if t.ndim != 1 or not ((t >= 0) & (t <= 1)).all():
        raise ValueError(f"t must be a 1-D array of values in [0, 1]; got {t!r}")
    rows = sweep(q, index, t)
    kl = sum_kl_nats(kl_terms_nats(p[None, :], rows)) * scale
    cross = cross_entropy_terms_nats(p[None, :], rows).sum(axis=1) * scale
    return t, kl, cross
