"""``nn.functional``: stateless versions of the layers and losses, as in torch.

Layer functions live in ``_functional_layers``; loss functions in ``_functional_losses``.
"""

from explorer.engine.nn._functional_layers import (
    dropout,
    leaky_relu,
    linear,
    log_softmax,
    relu,
    sigmoid,
    softmax,
    tanh,
)

__all__ = [
    "dropout",
    "leaky_relu",
    "linear",
    "log_softmax",
    "relu",
    "sigmoid",
    "softmax",
    "tanh",
]
