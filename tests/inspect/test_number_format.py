import math

import pytest

from explorer.inspect.number_format import format_value


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1.16543e18, "1.165e+18"),
        (-3.1209e15, "-3.121e+15"),
        (12345.0, "1.234e+04"),
        (9999.7, "1e+04"),
        (0.0123456, "0.01235"),
        (0.001, "0.001"),
        (0.000123456, "1.235e-04"),
        (-3e-5, "-3e-05"),
        (1.5, "1.5"),
        (0.0, "0"),
        (None, "—"),
        (math.nan, "nan"),
        (math.inf, "inf"),
        (-math.inf, "-inf"),
    ],
)
def test_four_significant_digits_scientific_outside_1e_3_to_1e4(value, text):
    assert format_value(value) == text


def test_the_widest_text_is_ten_characters():
    # The Model tree sizes its statistic columns for "-8.888e+88" (float32's whole range).
    for value in (-8.888e88, -1.2345e-38, -123456789.0, -0.0012345, -9999.4):
        assert len(format_value(value)) <= 10, value


def test_digits_are_configurable():
    assert format_value(3.14159265, 3) == "3.14"
    assert format_value(2.718281e20, 5) == "2.7183e+20"
