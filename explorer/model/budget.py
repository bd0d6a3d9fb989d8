"""The one parameter budget: the largest model anything in the explorer builds.

Every place that builds a model from a configuration (the Model tab, the Training tab's Start
and Adapt, a restored session, ``explorer export model`` and ``export training``, and the
headless run setup) prices it with :meth:`ParameterBudget.check` first, so an oversized model
is refused with a message before a byte is allocated:

>>> from explorer.model.config import MLPConfig
>>> ParameterBudget().check(MLPConfig())
203530
>>> ParameterBudget(1_000).check(MLPConfig())
Traceback (most recent call last):
...
explorer.model.budget.BudgetError: 784-256-10 would hold 203,530 parameters, above the \
parameter budget of 1,000; nothing was allocated
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from explorer.model.config import MLPConfig
from explorer.quoting import quoted

DEFAULT_PARAMETER_BUDGET = 50_000_000
MIN_PARAMETER_BUDGET = 1_000
MAX_PARAMETER_BUDGET = 2_000_000_000


class BudgetError(ValueError):
    """A configuration above the parameter budget (nothing was built)."""


@dataclass(frozen=True)
class ParameterBudget:
    """At most ``limit`` parameters, from :data:`MIN_PARAMETER_BUDGET` to
    :data:`MAX_PARAMETER_BUDGET` (default :data:`DEFAULT_PARAMETER_BUDGET`; the app keeps a
    person's choice in its settings)."""

    limit: int = DEFAULT_PARAMETER_BUDGET

    def __post_init__(self) -> None:
        limit = self.limit
        if (
            isinstance(limit, bool)
            or not isinstance(limit, int)
            or not MIN_PARAMETER_BUDGET <= limit <= MAX_PARAMETER_BUDGET
        ):
            raise ValueError(
                f"the parameter budget must be a whole number from {MIN_PARAMETER_BUDGET:,} "
                f"to {MAX_PARAMETER_BUDGET:,}; got {quoted(limit)}"
            )

    @classmethod
    def from_setting(cls, value: Any) -> ParameterBudget:
        """The budget a stored setting holds; the default when it is missing or unusable."""
        try:
            return cls(int(value))
        except (TypeError, ValueError):
            return cls()

    def check(self, config: MLPConfig) -> int:
        """The parameter count of ``config``, or :class:`BudgetError` if it exceeds the
        budget (computed from the sizes: nothing is allocated)."""
        count = config.num_parameters
        if count > self.limit:
            raise BudgetError(
                f"{config.describe()} would hold {count:,} parameters, above the parameter "
                f"budget of {self.limit:,}; nothing was allocated"
            )
        return count
