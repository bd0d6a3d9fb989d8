"""KL divergence between two Gaussians: the closed form and the integral it comes from.

KL(P || Q) = integral of p(x) log(p(x) / q(x)) dx, the continuous form in the lecture notes.
For P = N(mu_p, sigma_p^2), Q = N(mu_q, sigma_q^2) it has the closed form
ln(sigma_q / sigma_p) + (sigma_p^2 + (mu_p - mu_q)^2) / (2 sigma_q^2) - 1/2 (in nats).
numpy only: the numeric integral is a trapezoid rule on a fine grid.

Every finite mu and every finite sigma > 0 (subnormals included) gives a number, never NaN:
where the true value is too large for a float it is ``inf``, as for 1e300-wide ratios.
"""

from __future__ import annotations

import math
import sys

import numpy as np

from explorer.info.units import nats_to
from explorer.quoting import quoted

__all__ = [
    "check_gaussian",
    "gaussian_pdf",
    "gaussian_log_pdf",
    "gaussian_grid",
    "gaussian_kl",
    "gaussian_kl_integrand",
    "gaussian_kl_numeric",
    "gaussian_entropy",
    "gaussian_cross_entropy",
]

_HALF_LOG_TWO_PI = 0.5 * math.log(2.0 * math.pi)
#: Half-width, in standard deviations, of the region the integral covers (mass outside < 1e-40).
GRID_HALF_WIDTH = 14.0
#: The most points a grid may have (8 MB of float64).
MAX_POINTS = 1_000_000


def check_gaussian(mu: float, sigma: float, name: str = "P") -> tuple[float, float]:
    """Validate a Gaussian's parameters: mu finite, sigma finite and > 0.

    Raises
    ------
    ValueError
        Naming the distribution and quoting the bad value.
    """
    try:
        mu_value, sigma_value = float(mu), float(sigma)
    except (TypeError, ValueError, OverflowError):
        raise ValueError(
            f"mu and sigma of {name} must be numbers; got {quoted(mu)}, {quoted(sigma)}"
        ) from None
    if not math.isfinite(mu_value):
        raise ValueError(f"mu of {name} must be finite; got {quoted(mu)}")
    if not math.isfinite(sigma_value) or sigma_value <= 0:
        raise ValueError(f"sigma of {name} must be a finite number > 0; got {quoted(sigma)}")
    return mu_value, sigma_value


def gaussian_log_pdf(x, mu: float, sigma: float) -> np.ndarray:
    """Natural log of the normal density N(mu, sigma^2) at ``x`` (finite everywhere)."""
    mu, sigma = check_gaussian(mu, sigma)
    z = (np.asarray(x, dtype=np.float64) - mu) / sigma
    return -0.5 * z * z - math.log(sigma) - _HALF_LOG_TWO_PI


def gaussian_pdf(x, mu: float, sigma: float) -> np.ndarray:
    """The normal density N(mu, sigma^2) at ``x``.

    Examples
    --------
    >>> round(float(gaussian_pdf(0.0, 0.0, 1.0)), 6)
    0.398942
    """
    return np.exp(gaussian_log_pdf(x, mu, sigma))


def _check_points(num: int) -> None:
    """A grid's point count: a whole number from 2 to :data:`MAX_POINTS`."""
    if isinstance(num, bool) or not isinstance(num, (int, np.integer)):
        raise ValueError(f"num must be a whole number; got {quoted(num)}")
    if not 2 <= num <= MAX_POINTS:
        raise ValueError(f"num must be from 2 to {MAX_POINTS:,}; got {quoted(num)}")


def _standardized(
    mu_p: float, sigma_p: float, mu_q: float, sigma_q: float
) -> tuple[float, float, float]:
    """``ln(sigma_q / sigma_p)``, ``r = sigma_p / sigma_q`` and ``d = (mu_p - mu_q) / sigma_q``.

    In these, x = mu_p + sigma_p z gives (x - mu_q) / sigma_q = d + r z. The logarithm never
    overflows; r and d are inf only where they exceed the float range (then so does the KL).
    """
    ratio = sigma_q / sigma_p
    if sys.float_info.min <= ratio <= sys.float_info.max:
        log_ratio = math.log(ratio)
    else:  # the ratio overflows or loses digits: subtract the logarithms instead
        log_ratio = math.log(sigma_q) - math.log(sigma_p)
    difference = mu_p - mu_q
    if math.isinf(difference):  # two finite means: their halves' difference is finite
        d = 2.0 * ((0.5 * mu_p - 0.5 * mu_q) / sigma_q)
    else:
        d = difference / sigma_q
    return log_ratio, sigma_p / sigma_q, d


def _scale(r: float, d: float) -> float:
    """max(1, |r|, |d|): the KL is computed divided by its square, which cannot overflow."""
    return max(1.0, abs(r), abs(d))


def gaussian_kl(
    mu_p: float, sigma_p: float, mu_q: float, sigma_q: float, base: float | str = 2
) -> float:
    """KL(P || Q) for P = N(mu_p, sigma_p^2), Q = N(mu_q, sigma_q^2), in closed form.

    Parameters
    ----------
    mu_p, sigma_p, mu_q, sigma_q : float
        Means and standard deviations; sigmas must be > 0.
    base : {2, e, 10} or {"bits", "nats", "hartleys"}

    Raises
    ------
    ValueError
        If a sigma is <= 0 or a parameter is not finite.

    Returns
    -------
    float
        ``inf`` where the divergence exceeds the float range (sigma_p / sigma_q = 1e300).

    Examples
    --------
    >>> gaussian_kl(0, 1, 0, 1)
    0.0
    >>> round(gaussian_kl(0, 1, 1, 1, base="nats"), 6)
    0.5
    >>> gaussian_kl(0, 1e300, 0, 1e-300)
    inf
    """
    mu_p, sigma_p = check_gaussian(mu_p, sigma_p, "P")
    mu_q, sigma_q = check_gaussian(mu_q, sigma_q, "Q")
    log_ratio, r, d = _standardized(mu_p, sigma_p, mu_q, sigma_q)
    m = _scale(r, d)
    if math.isinf(m):
        return math.inf
    # KL = ln(sigma_q/sigma_p) + r²/2 + d²/2 - 1/2, divided by m² and multiplied back last
    scaled = (log_ratio - 0.5) / (m * m) + 0.5 * (r / m) ** 2 + 0.5 * (d / m) ** 2
    # Rounding can give -1e-17 for identical Gaussians; KL is never negative.
    return m * (m * (max(scaled, 0.0) * nats_to(base)))


def gaussian_grid(
    mu_p: float,
    sigma_p: float,
    mu_q: float | None = None,
    sigma_q: float | None = None,
    num: int = 4001,
    half_width: float = GRID_HALF_WIDTH,
) -> np.ndarray:
    """Evenly spaced points covering P's mass (and Q's, when given), for plots and integrals.

    The grid spans mu +- ``half_width`` sigma of each distribution (14 for integrals;
    about 4 is enough for a plot).
    """
    mu_p, sigma_p = check_gaussian(mu_p, sigma_p, "P")
    if isinstance(half_width, bool) or not isinstance(half_width, (int, float)):
        raise ValueError(f"half_width must be a number; got {quoted(half_width)}")
    if not 0 < half_width <= 1e6:
        raise ValueError(
            f"half_width must be in (0, 1e6] standard deviations; got {quoted(half_width)}"
        )
    low, high = mu_p - half_width * sigma_p, mu_p + half_width * sigma_p
    if mu_q is not None and sigma_q is not None:
        mu_q, sigma_q = check_gaussian(mu_q, sigma_q, "Q")
        low = min(low, mu_q - half_width * sigma_q)
        high = max(high, mu_q + half_width * sigma_q)
    _check_points(num)
    if not (math.isfinite(low) and math.isfinite(high)):
        raise ValueError(
            f"mu ± {half_width:g} sigma is beyond the float range; got mu={quoted(mu_p)}, "
            f"sigma={quoted(sigma_p)}"
            + ("" if mu_q is None else f", and Q's mu={quoted(mu_q)}, sigma={quoted(sigma_q)}")
        )
    return np.linspace(low, high, int(num))


def gaussian_kl_integrand(
    x, mu_p: float, sigma_p: float, mu_q: float, sigma_q: float, base: float | str = 2
) -> np.ndarray:
    """The integrand p(x) log(p(x) / q(x)) of KL(P || Q) at ``x`` (signed, never NaN).

    Computed as p(x) * (log p(x) - log q(x)) in log space, so far tails give 0, not 0 * inf.
    """
    check_gaussian(mu_p, sigma_p, "P")
    check_gaussian(mu_q, sigma_q, "Q")
    with np.errstate(over="ignore", invalid="ignore"):
        log_p = gaussian_log_pdf(x, mu_p, sigma_p)
        log_q = gaussian_log_pdf(x, mu_q, sigma_q)
        p = np.exp(log_p)
        return np.where(p > 0, p * (log_p - log_q), 0.0) * nats_to(base)


def gaussian_kl_numeric(
    mu_p: float,
    sigma_p: float,
    mu_q: float,
    sigma_q: float,
    base: float | str = 2,
    num: int = 4001,
) -> float:
    """KL(P || Q) by integrating p log(p/q) numerically (trapezoid rule over P's mass).

    The integral runs over P's mu +- 14 sigma in P's standard units z = (x - mu_p) / sigma_p,
    where p(x) dx = phi(z) dz and log(p/q) = ln(sigma_q/sigma_p) + ((d + r z)² - z²) / 2: the
    same sum as on the x grid, but one that the width or offset of P cannot overflow or round
    away. It agrees with :func:`gaussian_kl` to about 1e-9 (``inf`` where that is ``inf``); it
    is shown beside the closed form to make the integral definition tangible.

    Examples
    --------
    >>> abs(gaussian_kl_numeric(0, 1, 1, 2) - gaussian_kl(0, 1, 1, 2)) < 1e-9
    True
    """
    mu_p, sigma_p = check_gaussian(mu_p, sigma_p, "P")
    mu_q, sigma_q = check_gaussian(mu_q, sigma_q, "Q")
    _check_points(num)
    log_ratio, r, d = _standardized(mu_p, sigma_p, mu_q, sigma_q)
    m = _scale(r, d)
    if math.isinf(m):
        return math.inf
    # Outside P's +-14 sigma the integrand is below 1e-40: integrate where P lives.
    z = np.linspace(-GRID_HALF_WIDTH, GRID_HALF_WIDTH, int(num))
    phi = np.exp(-0.5 * z * z - _HALF_LOG_TWO_PI)
    # log(p/q) divided by m², as in gaussian_kl
    log_ratio_scaled = log_ratio / (m * m) + 0.5 * ((d / m + (r / m) * z) ** 2 - (z / m) ** 2)
    scaled = float(np.trapezoid(phi * log_ratio_scaled, z))
    return m * (m * (max(scaled, 0.0) * nats_to(base)))


def gaussian_entropy(sigma: float, base: float | str = 2) -> float:
    """Differential entropy h(P) = ½ ln(2 π e σ²) of N(mu, sigma^2) (negative when σ is small).

    Examples
    --------
    >>> round(gaussian_entropy(1.0, base="nats"), 6)
    1.418939
    """
    _, sigma = check_gaussian(0.0, sigma, "P")
    # ln(sigma) + ½ ln(2 pi e): sigma² would overflow (or underflow) at 1e±200
    return (math.log(sigma) + 0.5 * math.log(2.0 * math.pi * math.e)) * nats_to(base)


def gaussian_cross_entropy(
    mu_p: float, sigma_p: float, mu_q: float, sigma_q: float, base: float | str = 2
) -> float:
    """Cross entropy H(P, Q) = -∫ p log q = h(P) + KL(P || Q) of two Gaussians, closed form."""
    return gaussian_entropy(sigma_p, base) + gaussian_kl(mu_p, sigma_p, mu_q, sigma_q, base)
