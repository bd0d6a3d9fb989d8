"""Quoting what a person gave: short values whole, long ones shortened with their length."""

import doctest

import pytest

import explorer.quoting
from explorer.quoting import HEAD, TAIL, quoted


def test_the_examples_run():
    assert doctest.testmod(explorer.quoting).failed == 0


@pytest.mark.parametrize("value", ["", "1,x", "é∞", "a" * 90, 3.5, None, [1, 2]])
def test_a_short_value_is_its_repr(value):
    assert quoted(value) == repr(value)


def test_a_long_value_keeps_its_start_and_end_and_says_its_length():
    text = "1," * 10_000 + "x"
    short = quoted(text)
    assert short == f"{repr(text)[:HEAD]}…{repr(text)[-TAIL:]} (20,001 characters)"
    assert len(short) < 110


def test_a_long_list_is_shortened_by_its_repr():
    short = quoted(list(range(10_000)))
    assert short.startswith("[0, 1, 2") and short.endswith("9999] (58,890 characters)")


def test_unicode_and_control_characters_stay_one_escaped_line():
    short = quoted("\n" * 500 + "∞")
    assert "\n" not in short and short.endswith("\\n\\n∞' (501 characters)")
