"""The reduction helpers, as ``torch.nn._reduction``."""

from __future__ import annotations

import doctest

import pytest

from explorer.engine.nn import _functional_class_losses, _functional_losses, _reduction, loss
from explorer.engine.nn._reduction import check_reduction, get_enum, legacy_get_string


def test_get_enum_codes_and_elementwise_mean_deprecation():
    assert [get_enum(r) for r in ("none", "mean", "sum")] == [0, 1, 2]
    with pytest.warns(UserWarning, match="reduction='elementwise_mean' is deprecated"):
        assert get_enum("elementwise_mean") == 1


@pytest.mark.parametrize("bad", ["avg", "", "Mean", None, 1])
def test_get_enum_rejects_anything_else_with_torchs_message(bad):
    with pytest.raises(ValueError, match=f"^{bad} is not a valid value for reduction$"):
        get_enum(bad)


def test_batchmean_is_valid_only_where_listed():
    assert check_reduction("batchmean", _reduction.KL_DIV_REDUCTIONS) == "batchmean"
    with pytest.raises(ValueError):
        check_reduction("batchmean")


def test_legacy_get_string_is_silent_when_asked():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert legacy_get_string(None, False, emit_warning=False) == "none"


@pytest.mark.parametrize("module", [_reduction, loss, _functional_losses, _functional_class_losses])
def test_docstring_examples_run(module):
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
