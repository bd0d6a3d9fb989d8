"""The model layer (numpy only, no Qt): what the app knows about its one MLP.

- :mod:`explorer.model.config`: :class:`MLPConfig`, the one MLP configuration type
  (``parse_hidden_sizes``, ``to_dict``/``from_dict``, ``num_parameters``, ``build()``).
- :mod:`explorer.model.budget`: :class:`ParameterBudget`, the one parameter budget.
"""

from explorer.model.budget import DEFAULT_PARAMETER_BUDGET, BudgetError, ParameterBudget
from explorer.model.config import MLPConfig, parse_hidden_sizes

__all__ = [
    "DEFAULT_PARAMETER_BUDGET",
    "BudgetError",
    "MLPConfig",
    "ParameterBudget",
    "parse_hidden_sizes",
]
