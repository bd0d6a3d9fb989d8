"""A numpy engine that mirrors torch: ``import explorer.engine as torch`` reads as torch does.

``torch.tensor``, ``torch.randn``, ``torch.no_grad``, ``torch.nn``, ``torch.optim`` ... have
torch's names, signatures, semantics, errors and reprs; ``explorer.engine.as_torch`` runs code
that says ``import torch`` against this engine.

To learn how it works, start reading at ``explorer/engine/tensor.py``. Its fast paths
(``explorer/engine/fast/``) give the same numbers with less Python per training step;
``set_fast_paths(False)``, ``with plain_path():`` or ``EXPLORER_ENGINE_PLAIN=1`` turn them off.

Examples
--------
>>> import explorer.engine as torch
>>> from explorer.engine import nn
>>> _ = torch.manual_seed(0)
>>> model = nn.MLP(2, (8, 8), 2)
>>> model(torch.tensor([[0.5, -1.0]])).shape
torch.Size([1, 2])
"""

from explorer.engine import cuda, special
from explorer.engine._size import Size
from explorer.engine.creation import (
    arange,
    as_tensor,
    empty,
    eye,
    from_numpy,
    full,
    full_like,
    linspace,
    ones,
    ones_like,
    rand,
    rand_like,
    randint,
    randn,
    randn_like,
    tensor,
    zeros,
    zeros_like,
)
from explorer.engine.device import device
from explorer.engine.dtypes import (
    bool,
    double,
    float,
    float16,
    float32,
    float64,
    half,
    int,
    int8,
    int16,
    int32,
    int64,
    long,
    short,
    uint8,
)
from explorer.engine.fast import plain_path, set_fast_paths
from explorer.engine.ops import (
    abs,
    allclose,
    argmax,
    cat,
    clamp,
    concat,
    equal,
    exp,
    flatten,
    is_tensor,
    log,
    log_softmax,
    matmul,
    max,
    mean,
    min,
    mm,
    numel,
    pow,
    relu,
    reshape,
    sigmoid,
    softmax,
    sqrt,
    stack,
    sum,
    tanh,
    where,
)
from explorer.engine.random import manual_seed
from explorer.engine.tensor import (
    Tensor,
    enable_grad,
    is_grad_enabled,
    no_grad,
    set_grad_enabled,
)

from explorer.engine import nn, optim  # isort: skip (they need Tensor first)

# types print under the package that exports them: <class 'explorer.engine.Tensor'>
Tensor.__module__ = Size.__module__ = __name__

__all__ = [
    "Size",
    "Tensor",
    "abs",
    "allclose",
    "arange",
    "argmax",
    "as_tensor",
    "bool",
    "cat",
    "clamp",
    "concat",
    "cuda",
    "device",
    "double",
    "empty",
    "enable_grad",
    "equal",
    "exp",
    "eye",
    "flatten",
    "float",
    "float16",
    "float32",
    "float64",
    "from_numpy",
    "full",
    "full_like",
    "half",
    "int",
    "int8",
    "int16",
    "int32",
    "int64",
    "is_grad_enabled",
    "is_tensor",
    "linspace",
    "log",
    "log_softmax",
    "long",
    "manual_seed",
    "matmul",
    "max",
    "mean",
    "min",
    "mm",
    "nn",
    "no_grad",
    "numel",
    "pow",
    "ones",
    "ones_like",
    "optim",
    "plain_path",
    "rand",
    "rand_like",
    "randint",
    "randn",
    "randn_like",
    "relu",
    "reshape",
    "set_fast_paths",
    "set_grad_enabled",
    "short",
    "sigmoid",
    "softmax",
    "special",
    "sqrt",
    "stack",
    "sum",
    "tanh",
    "tensor",
    "uint8",
    "where",
    "zeros",
    "zeros_like",
]
