"""The examples in the training docstrings run and print what they say."""

import doctest
import importlib

import pytest

MODULES = [
    "explorer.training.smoothing",
    "explorer.training.trainer",
    "explorer.training.run",
    "explorer.training.lr_finder",
    "explorer.training.trajectory",
    "explorer.training.document",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
