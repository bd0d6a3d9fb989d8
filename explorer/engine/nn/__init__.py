"""``explorer.engine.nn``: modules, layers, losses, ``functional`` and ``init``, as ``torch.nn``."""

from explorer.engine.nn import functional, init
from explorer.engine.nn.activation import LeakyReLU, LogSoftmax, ReLU, Sigmoid, Softmax, Tanh
from explorer.engine.nn.container import ModuleList, Sequential
from explorer.engine.nn.dropout import Dropout
from explorer.engine.nn.flatten import Flatten
from explorer.engine.nn.hooks import RemovableHandle
from explorer.engine.nn.linear import Identity, Linear
from explorer.engine.nn.loss import (
    BCELoss,
    BCEWithLogitsLoss,
    CrossEntropyLoss,
    HuberLoss,
    KLDivLoss,
    L1Loss,
    MSELoss,
    NLLLoss,
    SmoothL1Loss,
)
from explorer.engine.nn.mlp import MLP
from explorer.engine.nn.module import Module
from explorer.engine.nn.parameter import Parameter

__all__ = [
    "MLP",
    "BCELoss",
    "BCEWithLogitsLoss",
    "CrossEntropyLoss",
    "Dropout",
    "Flatten",
    "HuberLoss",
    "Identity",
    "KLDivLoss",
    "L1Loss",
    "LeakyReLU",
    "Linear",
    "LogSoftmax",
    "MSELoss",
    "Module",
    "ModuleList",
    "NLLLoss",
    "Parameter",
    "ReLU",
    "RemovableHandle",
    "Sequential",
    "Sigmoid",
    "SmoothL1Loss",
    "Softmax",
    "Tanh",
    "functional",
    "init",
]
