import pytest

from explorer.engine import nn
from explorer.model.budget import DEFAULT_PARAMETER_BUDGET, BudgetError, ParameterBudget
from explorer.model.config import MLPConfig


def test_oversized_model_is_refused_before_allocation(monkeypatch):
    def no_alloc(*args, **kwargs):
        raise AssertionError("the model must not be built")

    monkeypatch.setattr(nn, "MLP", type("Spy", (), {"__init__": no_alloc, **vars(nn.MLP)}))
    config = MLPConfig(input_features=100_000, hidden_sizes=(1000,))
    with pytest.raises(BudgetError, match=r"100,011,010 parameters.*budget of 50,000,000"):
        ParameterBudget().check(config)
    assert ParameterBudget(200_000_000).check(config) == 100_011_010


def test_the_default_and_the_limits_of_a_budget():
    assert ParameterBudget().limit == DEFAULT_PARAMETER_BUDGET == 50_000_000
    for bad in (0, 999, 2_000_000_001, 1.5e6, True, "5"):
        with pytest.raises(ValueError, match="parameter budget must be a whole number"):
            ParameterBudget(bad)


@pytest.mark.parametrize(
    ("stored", "limit"),
    [(None, 50_000_000), ("123456", 123_456), ("junk", 50_000_000), (-5, 50_000_000)],
)
def test_a_stored_setting_gives_a_budget_or_the_default(stored, limit):
    assert ParameterBudget.from_setting(stored).limit == limit
