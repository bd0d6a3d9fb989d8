"""The Losses tab's current call, shared with the autograd graph."""

import doctest

import numpy as np
import pytest

import explorer.lossbench.document as document_module
from explorer.lossbench.document import LossCallDocument
from explorer.lossbench.spec import LossOptions


def test_docstring_examples():
    assert doctest.testmod(document_module).failed == 0


def test_a_call_is_kept_as_a_copy_and_announced_only_when_it_changes():
    document = LossCallDocument()
    assert document.call is None
    seen = []
    document.changed.connect(lambda: seen.append(document.call.kind))
    x, t = np.ones((2, 3)), np.zeros((2, 3))
    document.set_call("MSE", LossOptions(), x, t, "float64")
    x[0, 0] = 5  # the table changes afterwards: the document kept its own copy
    assert document.call.input[0, 0] == 1
    document.set_call("MSE", LossOptions(), np.ones((2, 3)), t, "float64")
    assert seen == ["MSE"]
    document.set_call("MSE", LossOptions(reduction="sum"), np.ones((2, 3)), t, "float64")
    assert seen == ["MSE", "MSE"]
    with pytest.raises(ValueError, match="unknown loss"):
        document.set_call("Nope", LossOptions(), x, t, "float64")
