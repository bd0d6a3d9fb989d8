"""``explorer.engine.nn``: modules, layers, losses, ``functional`` and ``init``, as ``torch.nn``."""

from explorer.engine.nn import functional, init
from explorer.engine.nn.activation import LeakyReLU, LogSoftmax, ReLU, Sigmoid, Softmax, Tanh
from explorer.engine.nn.container import ModuleList, Sequential
from explorer.engine.nn.dropout import Dropout
from explorer.engine.nn.linear import Identity, Linear
from explorer.engine.nn.mlp import MLP
from explorer.engine.nn.module import Module, RemovableHandle
from explorer.engine.nn.parameter import Parameter

__all__ = [
    "MLP",
    "Dropout",
    "Identity",
    "LeakyReLU",
    "Linear",
    "LogSoftmax",
    "Module",
    "ModuleList",
    "Parameter",
    "ReLU",
    "RemovableHandle",
    "Sequential",
    "Sigmoid",
    "Softmax",
    "Tanh",
    "functional",
    "init",
]
