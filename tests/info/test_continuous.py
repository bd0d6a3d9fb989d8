import math
import sys
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.info import (
    gaussian_cross_entropy,
    gaussian_entropy,
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


def test_a_grid_beyond_the_float_range_is_refused():
    with pytest.raises(ValueError, match=r"beyond the float range; got mu=0.0, sigma=1e\+308"):
        gaussian_grid(0, 1e308)


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
    from explorer.info import gaussian_log_pdf

    x = gaussian_grid(0.3, 0.8)
    p = gaussian_pdf(x, 0.3, 0.8)
    h_numeric = -np.trapezoid(p * gaussian_log_pdf(x, 0.3, 0.8), x)
    assert gaussian_entropy(0.8, base="nats") == pytest.approx(h_numeric, rel=1e-9)
    cross_numeric = -np.trapezoid(p * gaussian_log_pdf(x, -1.0, 2.0), x) / math.log(2)
    assert gaussian_cross_entropy(0.3, 0.8, -1.0, 2.0) == pytest.approx(cross_numeric, rel=1e-9)
    assert gaussian_entropy(0.05) < 0  # differential entropy can be negative
    with pytest.raises(ValueError, match="sigma"):
        gaussian_entropy(0.0)


FINITE = st.floats(allow_nan=False, allow_infinity=False)  # subnormals and ±1.8e308 included
POSITIVE = st.floats(min_value=0.0, exclude_min=True, allow_infinity=False)
WIDE_SIGMA = st.floats(min_value=1e-300, max_value=1e300)
BASES = st.sampled_from([2, math.e, 10])


def _agree(closed: float, numeric: float) -> bool:
    if math.isinf(closed) or math.isinf(numeric):  # one may overflow a rounding earlier
        return min(closed, numeric) > 1e307
    return numeric == pytest.approx(closed, rel=1e-6, abs=1e-9)


@settings(max_examples=400, deadline=None)
@given(FINITE, st.one_of(WIDE_SIGMA, POSITIVE), FINITE, st.one_of(WIDE_SIGMA, POSITIVE), BASES)
def test_any_finite_means_and_positive_sigmas_give_a_number_never_nan(mu_p, s_p, mu_q, s_q, base):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow or invalid-value warnings either
        closed = gaussian_kl(mu_p, s_p, mu_q, s_q, base)
        numeric = gaussian_kl_numeric(mu_p, s_p, mu_q, s_q, base)
        entropy = gaussian_entropy(s_p, base)
        cross = gaussian_cross_entropy(mu_p, s_p, mu_q, s_q, base)
    assert closed >= 0 and numeric >= 0
    assert math.isfinite(entropy)  # |ln sigma| < 745 for every positive float
    assert not math.isnan(cross)
    assert _agree(closed, numeric)


@settings(max_examples=200, deadline=None)
@given(st.floats(-1e300, 1e300), WIDE_SIGMA, st.floats(-1e300, 1e300), WIDE_SIGMA)
def test_the_closed_form_is_the_mean_of_the_log_ratio(mu_p, s_p, mu_q, s_q):
    # KL = ln(s_q/s_p) + r²/2 + d²/2 - 1/2 with r = s_p/s_q, d = (mu_p - mu_q)/s_q, in exact
    # rational arithmetic where it fits in a float
    from fractions import Fraction

    r, d = Fraction(s_p) / Fraction(s_q), (Fraction(mu_p) - Fraction(mu_q)) / Fraction(s_q)
    rest = r * r / 2 + d * d / 2 - Fraction(1, 2)
    log_ratio = math.log(s_q) - math.log(s_p)
    if rest > Fraction(sys.float_info.max):
        assert gaussian_kl(mu_p, s_p, mu_q, s_q, "nats") == math.inf
    else:
        expected = max(log_ratio + float(rest), 0.0)
        got = gaussian_kl(mu_p, s_p, mu_q, s_q, "nats")
        assert got == pytest.approx(expected, rel=1e-9, abs=1e-9 * max(1.0, abs(log_ratio)))


@pytest.mark.parametrize(
    ("theta", "expected"),
    [
        ((0, 1e300, 0, 1e-300), math.inf),  # r = 1e600
        ((1e308, 1, -1e308, 1), math.inf),  # the means' difference overflows, and so does KL
        ((0, 1, 0, 5e-324), math.inf),  # the smallest subnormal sigma_q
        ((1e308, 1e308, -1e308, 1e308), 2 / math.log(2)),  # d = 2: 2 nats, whatever the scale
        ((0, 1e-300, 0, 1e300), (600 * math.log(10) - 0.5) / math.log(2)),
    ],
)
def test_extreme_parameters_give_the_true_value_or_inf(theta, expected):
    assert gaussian_kl(*theta) == pytest.approx(expected, rel=1e-12)
    assert gaussian_kl_numeric(*theta) == pytest.approx(expected, rel=1e-9)


def test_entropy_of_tiny_and_huge_sigmas_is_finite():
    assert gaussian_entropy(1e-300, "nats") == pytest.approx(-300 * math.log(10) + 1.4189385)
    assert gaussian_entropy(1e300, "nats") == pytest.approx(300 * math.log(10) + 1.4189385)
    assert gaussian_entropy(5e-324, "nats") == pytest.approx(math.log(5e-324) + 1.4189385)


@pytest.mark.parametrize("bad", [0.0, -0.0, -5e-324, -1.0, math.nan, math.inf, -math.inf, 10**400])
def test_a_bad_sigma_is_a_value_error_quoting_it(bad):
    for call in (
        lambda: gaussian_kl(0, 1, 0, bad),
        lambda: gaussian_kl_numeric(0, 1, 0, bad),
        lambda: gaussian_entropy(bad),
    ):
        with pytest.raises(ValueError, match="sigma of|must be numbers") as info:
            call()
        assert str(bad)[:20] in str(info.value)


@pytest.mark.parametrize("num", [1, 2**63, 1.5, True, "4001", None])
def test_the_number_of_grid_points_is_a_bounded_whole_number(num):
    with pytest.raises(ValueError, match="num must be"):
        gaussian_kl_numeric(0, 1, 0, 1, num=num)
    with pytest.raises(ValueError, match="num must be"):
        gaussian_grid(0, 1, num=num)


@pytest.mark.parametrize("half_width", [0, -1, math.nan, math.inf, 1e308, "4", None])
def test_the_grid_half_width_is_a_positive_number(half_width):
    with pytest.raises(ValueError, match="half_width must be"):
        gaussian_grid(0, 1, half_width=half_width)
