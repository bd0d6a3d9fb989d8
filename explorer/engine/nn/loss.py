"""Loss modules, as ``torch.nn.modules.loss``: each keeps its options and calls ``functional``.

A loss keeps one string ``reduction``; the deprecated ``size_average`` and ``reduce`` flags,
when given, override it through :func:`~explorer.engine.nn._reduction.legacy_get_string`
(with torch's warning). As in torch, the options are stored as given and checked when the
loss is called (by its function in ``functional``), so a subclass of :class:`_Loss` may take
options of its own, such as the lecture notes' ``KLDivLoss`` with ``reduction='batchmean'``.

Examples
--------
The lecture notes' example:

>>> import numpy as np
>>> from explorer.engine import Tensor, nn
>>> rng = np.random.default_rng(0)
>>> loss = nn.L1Loss()
>>> input = Tensor(rng.standard_normal((3, 5)), requires_grad=True)  # torch.randn(3, 5, ...)
>>> target = Tensor(rng.standard_normal((3, 5)))
>>> output = loss(input, target)
>>> output.backward()
>>> input.grad.shape
torch.Size([3, 5])
"""

from __future__ import annotations

from explorer.engine.nn import functional as F  # noqa: N812 (torch's alias)
from explorer.engine.nn._reduction import legacy_get_string
from explorer.engine.nn.module import Module
from explorer.engine.tensor import Tensor

__all__ = [
    "BCELoss",
    "BCEWithLogitsLoss",
    "CrossEntropyLoss",
    "HuberLoss",
    "KLDivLoss",
    "L1Loss",
    "MSELoss",
    "NLLLoss",
    "SmoothL1Loss",
]


class _Loss(Module):
    """Base of every loss: keeps ``reduction`` and maps the deprecated flags onto it.

    ``reduction`` is stored as given; the loss's function checks it when called.
    """

    def __init__(self, size_average=None, reduce=None, reduction: str = "mean") -> None:
        super().__init__()
        if size_average is not None or reduce is not None:
            self.reduction: str = legacy_get_string(size_average, reduce)
        else:
            self.reduction = reduction


class _WeightedLoss(_Loss):
    """A loss with an optional per-class ``weight`` Tensor, kept as a buffer."""

    def __init__(
        self, weight: Tensor | None = None, size_average=None, reduce=None, reduction: str = "mean"
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)


class L1Loss(_Loss):
    r"""Mean absolute error: :math:`l_n = |x_n - y_n|`, then ``reduction``.

    Shape: input ``(*)``, target ``(*)`` (same shape); output scalar, or ``(*)`` for
    ``reduction='none'``.
    """

    __constants__ = ["reduction"]

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.l1_loss(input, target, reduction=self.reduction)


class MSELoss(_Loss):
    r"""Mean squared error: :math:`l_n = (x_n - y_n)^2`, then ``reduction``.

    Shape: input ``(*)``, target ``(*)``; output scalar, or ``(*)`` for ``'none'``.
    """

    __constants__ = ["reduction"]

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.mse_loss(input, target, reduction=self.reduction)


class NLLLoss(_WeightedLoss):
    r"""Negative log likelihood: :math:`l_n = -w_{y_n} x_{n, y_n}` for log-probabilities ``x``.

    ``'mean'`` divides by :math:`\sum_n w_{y_n}` over targets that are not ``ignore_index``.

    Shape: input ``(C)``, ``(N, C)`` or ``(N, C, d1, ...)``; target ``()``, ``(N)`` or
    ``(N, d1, ...)`` of int64 class indices; output scalar or the target's shape.
    """

    __constants__ = ["ignore_index", "reduction"]

    def __init__(
        self,
        weight: Tensor | None = None,
        size_average=None,
        ignore_index: int = -100,
        reduce=None,
        reduction: str = "mean",
    ) -> None:
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index = ignore_index

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.nll_loss(
            input, target, weight=self.weight, ignore_index=self.ignore_index,
            reduction=self.reduction,
        )  # fmt: skip


class CrossEntropyLoss(_WeightedLoss):
    r"""Cross entropy of logits: log-softmax and negative log likelihood in one stable step.

    The target holds class indices (int64; shape ``()``, ``(N)`` or ``(N, d1, ...)``) or,
    when it has the input's shape, class probabilities (floating point). ``label_smoothing``
    mixes the target with the uniform distribution, as in torch.

    Shape: input ``(C)``, ``(N, C)`` or ``(N, C, d1, ...)``; output scalar, or ``()``,
    ``(N)``, ``(N, d1, ...)`` for ``reduction='none'``.
    """

    __constants__ = ["ignore_index", "reduction", "label_smoothing"]

    def __init__(
        self,
        weight: Tensor | None = None,
        size_average=None,
        ignore_index: int = -100,
        reduce=None,
        reduction: str = "mean",
        label_smoothing: float = 0.0,
    ) -> None:
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index = ignore_index
        self.label_smoothing = label_smoothing

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.cross_entropy(
            input, target, weight=self.weight, ignore_index=self.ignore_index,
            reduction=self.reduction, label_smoothing=self.label_smoothing,
        )  # fmt: skip


class KLDivLoss(_Loss):
    r"""Kullback-Leibler divergence :math:`l_n = y_n (\log y_n - x_n)`, ``x`` log-probabilities.

    ``reduction='batchmean'`` is the true KL divergence (sum over the batch divided by the
    batch size); ``'mean'`` divides by every element and warns, as torch. With
    ``log_target=True`` the target is given as log-probabilities too.

    Shape: input ``(*)``, target ``(*)``; output scalar, or ``(*)`` for ``'none'``.
    """

    __constants__ = ["reduction"]

    def __init__(
        self, size_average=None, reduce=None, reduction: str = "mean", log_target: bool = False
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.log_target = log_target

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.kl_div(input, target, reduction=self.reduction, log_target=self.log_target)


class BCELoss(_WeightedLoss):
    r"""Binary cross entropy of probabilities: :math:`l_n = -w_n [y_n \log x_n +
    (1 - y_n) \log(1 - x_n)]`, each log clamped to ``>= -100``.

    Shape: input ``(*)`` in [0, 1], target ``(*)`` in [0, 1] (same shape); output scalar or
    ``(*)``.
    """

    __constants__ = ["reduction"]

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.binary_cross_entropy(input, target, weight=self.weight, reduction=self.reduction)


class BCEWithLogitsLoss(_Loss):
    r"""Sigmoid plus binary cross entropy, computed stably from logits.

    ``pos_weight`` (one per class, broadcast along the last dimension) scales the positive
    term: :math:`l_n = -w_n [p\, y_n \log \sigma(x_n) + (1 - y_n) \log(1 - \sigma(x_n))]`.

    Shape: input ``(*)``, target ``(*)`` (same shape); output scalar or ``(*)``.
    """

    def __init__(
        self,
        weight: Tensor | None = None,
        size_average=None,
        reduce=None,
        reduction: str = "mean",
        pos_weight: Tensor | None = None,
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)
        self.register_buffer("pos_weight", pos_weight)

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.binary_cross_entropy_with_logits(
            input, target, self.weight, pos_weight=self.pos_weight, reduction=self.reduction
        )


class HuberLoss(_Loss):
    r"""Huber loss: :math:`0.5 d^2` where :math:`|d| <` ``delta``, else
    :math:`\delta (|d| - 0.5 \delta)`, with :math:`d = x_n - y_n`.

    Shape: input ``(*)``, target ``(*)``; output scalar or ``(*)``.
    """

    __constants__ = ["reduction", "delta"]

    def __init__(self, reduction: str = "mean", delta: float = 1.0) -> None:
        super().__init__(reduction=reduction)
        self.delta = delta

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.huber_loss(input, target, reduction=self.reduction, delta=self.delta)


class SmoothL1Loss(_Loss):
    r"""Smooth L1: :math:`0.5 d^2 / \beta` where :math:`|d| < \beta`, else
    :math:`|d| - 0.5 \beta`; ``beta=0`` is L1.

    Shape: input ``(*)``, target ``(*)``; output scalar or ``(*)``.
    """

    __constants__ = ["reduction"]

    def __init__(
        self, size_average=None, reduce=None, reduction: str = "mean", beta: float = 1.0
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.beta = beta

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.smooth_l1_loss(input, target, reduction=self.reduction, beta=self.beta)
