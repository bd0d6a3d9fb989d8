"""The runnable examples in the engine's docstrings stay true."""

import doctest
import importlib

import pytest

MODULES = [
    "explorer.engine",
    "explorer.engine.tensor",
    "explorer.engine.fast",
    "explorer.engine.nn.module",
    "explorer.engine.nn.parameter",
    "explorer.engine.nn.linear",
    "explorer.engine.nn.mlp",
    "explorer.engine.nn.container",
    "explorer.engine.nn.flatten",
    "explorer.engine.optim.sgd",
    "explorer.engine._size",
    "explorer.engine.as_torch",
    "explorer.engine.creation",
    "explorer.engine.device",
    "explorer.engine.special",
    "explorer.lecture_notes",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
