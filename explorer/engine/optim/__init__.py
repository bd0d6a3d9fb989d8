"""``explorer.engine.optim``: optimizers with torch's signatures and update rules."""

from explorer.engine.optim.adam import Adam
from explorer.engine.optim.optimizer import Optimizer
from explorer.engine.optim.sgd import SGD

__all__ = ["SGD", "Adam", "Optimizer"]
