"""Information theory on numpy (no Qt): entropy, cross entropy, KL, JS, Gaussian KL.

>>> from explorer.info import cross_entropy
>>> round(cross_entropy([1, 0, 0], [0.8, 0.1, 0.1], base=2), 4)
0.3219
"""

from explorer.info.comparison import Comparison, compare, sensitivity_curve
from explorer.info.continuous import (
    gaussian_cross_entropy,
    gaussian_entropy,
    gaussian_grid,
    gaussian_kl,
    gaussian_kl_integrand,
    gaussian_kl_numeric,
    gaussian_log_pdf,
    gaussian_pdf,
)
from explorer.info.discrete import (
    as_distribution,
    cross_entropy,
    cross_entropy_terms,
    entropy,
    entropy_terms,
    js_divergence,
    js_terms,
    kl_divergence,
    kl_terms,
)
from explorer.info.editing import (
    LECTURE_EXAMPLES,
    DistributionPair,
    one_hot,
    random_distribution,
    resize,
    set_probability,
    uniform,
)
from explorer.info.units import UNITS, format_value, resolve_base, unit_name

__all__ = [
    "Comparison",
    "DistributionPair",
    "LECTURE_EXAMPLES",
    "UNITS",
    "as_distribution",
    "compare",
    "cross_entropy",
    "cross_entropy_terms",
    "entropy",
    "entropy_terms",
    "format_value",
    "gaussian_cross_entropy",
    "gaussian_entropy",
    "gaussian_grid",
    "gaussian_kl",
    "gaussian_kl_integrand",
    "gaussian_kl_numeric",
    "gaussian_log_pdf",
    "gaussian_pdf",
    "js_divergence",
    "js_terms",
    "kl_divergence",
    "kl_terms",
    "one_hot",
    "random_distribution",
    "resize",
    "resolve_base",
    "sensitivity_curve",
    "set_probability",
    "uniform",
    "unit_name",
]
