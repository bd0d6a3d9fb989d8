"""``nn.Parameter``: a Tensor that a Module registers as one of its parameters."""

from __future__ import annotations

from typing import Any

import numpy as np

from explorer.engine.tensor import Tensor


class Parameter(Tensor):
    """A Tensor that is a module parameter, as ``torch.nn.Parameter``.

    Assigning a Parameter to a Module attribute registers it in the module's
    ``_parameters``, so it appears in :meth:`Module.parameters` and ``state_dict()``.

    Parameters
    ----------
    data : array_like or Tensor, optional
        The values; a Tensor's array is shared, not copied. ``None`` gives an empty tensor.
    requires_grad : bool
        Default True, as in torch.

    Examples
    --------
    >>> from explorer.engine import nn
    >>> nn.Parameter([1.0, 2.0])
    Parameter containing:
    tensor([1., 2.], requires_grad=True)
    """

    __slots__ = ()

    def __init__(self, data: Any = None, requires_grad: bool = True):
        if data is None:
            data = np.empty(0, dtype=np.float32)
        super().__init__(data._data if isinstance(data, Tensor) else data, requires_grad)

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()
