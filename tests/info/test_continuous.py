import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.info import (
    gaussian_grid,
    gaussian_kl,
    gaussian_kl_integrand,
    gaussian_kl_numeric,
    gaussian_pdf,
)


def test_identical_gaussians_have_zero_kl():
    assert gaussian_kl(1.5, 0.7, 1.5, 0.7) == 0.0
    assert gaussian_kl_numeric(1.5, 0.7, 1.5, 0.7) == pytest.approx(0.0, abs=1e-12)


def test_closed_form_known_values():
    # Shift by one sigma: KL = 1/2 nat.
    assert gaussian_kl(0, 1, 1, 1, base=math.e) == pytest.approx(0.5)
    assert gaussian_kl(0, 1, 1, 1, base=2) == pytest.approx(0.5 / math.log(2))
    # Same mean, sigma_q = 2 sigma_p: ln 2 + 1/8 - 1/2 nats.
    assert gaussian_kl(0, 1, 0, 2, base="nats") == pytest.approx(math.log(2) - 0.375)


def test_kl_is_asymmetric():
    assert gaussian_kl(0, 1, 0, 3) != pytest.approx(gaussian_kl(0, 3, 0, 1))


def test_pdf_integrates_to_one_and_peaks_right():
    x = gaussian_grid(2.0, 0.5)
    assert np.trapezoid(gaussian_pdf(x, 2.0, 0.5), x) == pytest.approx(1.0, abs=1e-9)
    assert gaussian_pdf(2.0, 2.0, 0.5) == pytest.approx(1 / (0.5 * math.sqrt(2 * math.pi)))


def test_grid_covers_both_distributions():
    x = gaussian_grid(-3, 1, 4, 2, num=101)
    assert x[0] <= -3 - 10 and x[-1] >= 4 + 20 and x.size == 101


def test_integrand_far_in_the_tails_is_zero_not_nan():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        values = gaussian_kl_integrand(np.array([-1e6, 0.0, 1e6]), 0, 0.1, 5, 0.1)
    assert not np.isnan(values).any()
    assert values[0] == 0.0 and values[2] == 0.0


@pytest.mark.parametrize("bad", [0, -1, float("nan"), float("inf")])
def test_sigma_must_be_positive_and_finite(bad):
    with pytest.raises(ValueError, match="sigma of Q"):
        gaussian_kl(0, 1, 0, bad)
    with pytest.raises(ValueError, match="sigma of P"):
        gaussian_kl_numeric(0, bad, 0, 1)


def test_mu_must_be_finite():
    with pytest.raises(ValueError, match="mu of P must be finite; got nan"):
        gaussian_kl(float("nan"), 1, 0, 1)


params = st.tuples(st.floats(-5, 5), st.floats(0.05, 5), st.floats(-5, 5), st.floats(0.05, 5))


@settings(max_examples=150, deadline=None)
@given(params, st.sampled_from([2, math.e, 10]))
def test_numeric_integral_matches_closed_form(theta, base):
    closed = gaussian_kl(*theta, base=base)
    numeric = gaussian_kl_numeric(*theta, base=base)
    assert closed >= 0
    assert numeric == pytest.approx(closed, rel=1e-6, abs=1e-9)


def test_differential_and_cross_entropy_match_their_integrals():
    from explorer.info import gaussian_cross_entropy, gaussian_entropy, gaussian_log_pdf

    x = gaussian_grid(0.3, 0.8)
    p = gaussian_pdf(x, 0.3, 0.8)
    h_numeric = -np.trapezoid(p * gaussian_log_pdf(x, 0.3, 0.8), x)
    assert gaussian_entropy(0.8, base="nats") == pytest.approx(h_numeric, rel=1e-9)
    cross_numeric = -np.trapezoid(p * gaussian_log_pdf(x, -1.0, 2.0), x) / math.log(2)
    assert gaussian_cross_entropy(0.3, 0.8, -1.0, 2.0) == pytest.approx(cross_numeric, rel=1e-9)
    assert gaussian_entropy(0.05) < 0  # differential entropy can be negative
    with pytest.raises(ValueError, match="sigma"):
        gaussian_entropy(0.0)
