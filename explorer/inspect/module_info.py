"""A module as the tree ``nn.Module`` keeps: one node per module, parameter and buffer.

The tree is read from the registries themselves (``_parameters``, ``_buffers``,
``_modules``), in the order PyTorch iterates them, so what the Model tab shows is what
``named_parameters()`` and ``named_modules()`` walk. Statistics are computed on demand
(:func:`node_values`) so a view only pays for the rows it paints.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from explorer.inspect.array_stats import ArrayStats
from explorer.inspect.number_format import format_value

ROOT_NAME = "model"

COLUMNS = (
    "Name",
    "Type",
    "Shape",
    "# Params",
    "dtype",
    "requires_grad",
    "mean",
    "std",
    "grad norm",
)
STAT_COLUMNS = (6, 7, 8)


@dataclass(eq=False)
class TreeNode:
    """One row of the module tree.

    ``path`` is the qualified name ``named_modules()``/``named_parameters()`` use (``""`` for
    the root); ``kind`` is ``"module"``, ``"parameter"`` or ``"buffer"``.
    """

    name: str
    path: str
    kind: str
    obj: Any
    parent: TreeNode | None = None
    children: list[TreeNode] = field(default_factory=list)
    row: int = 0

    @property
    def code(self) -> str:
        """How to reach this object from Python: ``model.linear1.weight``."""
        return f"{ROOT_NAME}.{self.path}" if self.path else ROOT_NAME

    @property
    def is_module(self) -> bool:
        return self.kind == "module"

    def module(self):
        """The module this node is, or the module owning this parameter/buffer."""
        return self.obj if self.is_module else self.parent.obj

    def walk(self):
        """This node and every descendant, depth first in registry order."""
        stack = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))

    def find(self, path: str) -> TreeNode | None:
        """The node whose qualified name is ``path`` (``""`` is the root)."""
        for node in self.walk():
            if node.path == path:
                return node
        return None


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def build_tree(model) -> TreeNode:
    """The tree of ``model``: parameters, then buffers, then child modules, at every level."""
    root = TreeNode(ROOT_NAME, "", "module", model)
    stack = [root]
    while stack:
        node = stack.pop()
        module = node.obj
        entries = [
            *(("parameter", n, p) for n, p in module._parameters.items()),
            *(("buffer", n, b) for n, b in module._buffers.items()),
            *(("module", n, m) for n, m in module._modules.items()),
        ]
        for kind, name, obj in entries:
            if obj is None:  # torch allows registering None (e.g. bias=False)
                continue
            child = TreeNode(name, _join(node.path, name), kind, obj, node, row=len(node.children))
            node.children.append(child)
            if kind == "module":
                stack.append(child)
    return root


def _array(obj) -> np.ndarray:
    return np.asarray(obj)


def _grad(obj) -> np.ndarray | None:
    grad = getattr(obj, "grad", None)
    return None if grad is None else np.asarray(grad)


def grad_norm(params) -> float | None:
    """Euclidean norm of the gradients of ``params`` together; None if none has one yet."""
    total, seen = 0.0, False
    for param in params:
        grad = _grad(param)
        if grad is not None:
            seen = True
            with np.errstate(over="ignore"):  # a diverged run's gradient: inf, not a warning
                total += float(np.sum(np.square(grad, dtype=np.float64)))
    return float(np.sqrt(total)) if seen else None


def format_shape(shape) -> str:
    return "(" + ", ".join(str(n) for n in shape) + ("," if len(shape) == 1 else "") + ")"


def node_values(node: TreeNode) -> tuple[str, ...]:
    """The text of every column in :data:`COLUMNS` for ``node``."""
    if node.is_module:
        module = node.obj
        params = list(module.parameters())
        count = sum(p.numel() for p in params)
        dtypes = sorted({str(np.asarray(p).dtype) for p in params})
        flags = {bool(p.requires_grad) for p in params}
        return (
            node.name,
            type(module).__name__,
            "",
            f"{count:,}",
            ", ".join(dtypes),
            str(flags.pop()) if len(flags) == 1 else ("mixed" if flags else ""),
            "",
            "",
            format_value(grad_norm(params)),
        )
    data = _array(node.obj)
    stats = ArrayStats.of(data)
    requires_grad = getattr(node.obj, "requires_grad", False)
    return (
        node.name,
        type(node.obj).__name__ if node.kind == "parameter" else "buffer",
        format_shape(data.shape),
        f"{data.size:,}",
        str(data.dtype),
        str(bool(requires_grad)),
        format_value(stats.mean),
        format_value(stats.std),
        format_value(grad_norm([node.obj])),
    )


@dataclass(frozen=True)
class ModelTotals:
    """torchinfo's footer: parameter counts and the memory they take."""

    total_params: int
    trainable_params: int
    param_bytes: int
    buffer_bytes: int

    @property
    def non_trainable_params(self) -> int:
        return self.total_params - self.trainable_params

    @property
    def params_size_mb(self) -> float:
        """Megabytes (10**6 bytes, as torchinfo counts) held by the parameters."""
        return self.param_bytes / 1e6

    def summary(self) -> str:
        return (
            f"Total params: {self.total_params:,}   "
            f"Trainable params: {self.trainable_params:,}   "
            f"Non-trainable params: {self.non_trainable_params:,}   "
            f"Params size (MB): {self.params_size_mb:.2f}"
        )


def model_totals(model) -> ModelTotals:
    """Count each distinct parameter once, as ``sum(p.numel() for p in model.parameters())``."""
    total = trainable = param_bytes = 0
    for param in model.parameters():
        data = _array(param)
        total += int(data.size)
        param_bytes += int(data.nbytes)
        if getattr(param, "requires_grad", False):
            trainable += int(data.size)
    buffer_bytes = sum(int(_array(b).nbytes) for _, b in model.named_buffers())
    return ModelTotals(total, trainable, param_bytes, buffer_bytes)


def first_weight(node: TreeNode) -> TreeNode | None:
    """The parameter a view should show for ``node``: itself, or its first 2-D parameter."""
    if not node.is_module:
        return node
    params = [n for n in node.walk() if n.kind == "parameter"]
    for candidate in params:
        if _array(candidate.obj).ndim == 2:
            return candidate
    return params[0] if params else None
