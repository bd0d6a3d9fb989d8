import math

import pytest

from explorer.info import format_value, resolve_base, unit_name
from explorer.info.units import base_label, nats_to


@pytest.mark.parametrize(
    ("base", "unit"),
    [(2, "bits"), (math.e, "nats"), (10, "hartleys"), ("e", "nats"), ("bits", "bits")],
)
def test_unit_names(base, unit):
    assert unit_name(base) == unit


def test_resolve_and_labels():
    assert resolve_base("10") == 10.0
    assert base_label(math.e) == "e"
    assert nats_to(math.e) == pytest.approx(1.0)


@pytest.mark.parametrize("bad", [3, 1, 0, "log", None, -2])
def test_bad_base_is_rejected_quoting_it(bad):
    with pytest.raises(ValueError, match=repr(bad).replace("'", ".")):
        resolve_base(bad)


def test_a_base_beyond_any_float_is_rejected_quoting_it_shortened():
    with pytest.raises(ValueError, match=r"got 10000.*0000 \(401 characters\)"):
        resolve_base(10**400)


def test_format_value_starts_with_the_number_to_four_decimals():
    assert format_value(0.32192809, 2) == "0.3219 bits"
    assert format_value(math.inf, math.e) == "∞ nats"
    assert format_value(-0.0, 10) == "0.0000 hartleys"
    assert format_value(-1e-9) == "0.0000"


def test_format_value_refuses_nan():
    with pytest.raises(ValueError, match="NaN"):
        format_value(float("nan"))
