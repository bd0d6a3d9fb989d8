"""The examples in the data docstrings run and print what they say."""

import doctest
import importlib

import pytest

MODULES = [
    "explorer.data.synthetic",
    "explorer.data.standardize",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
