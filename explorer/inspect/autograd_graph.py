"""The graph one ``backward()`` walks, as records a view draws and a test checks.

:func:`build_graph` runs ``root.backward()`` on a graph the caller built and returns an
:class:`AutogradGraph`: one :class:`GraphNode` per tensor (leaves such as the input and the
parameters, and every intermediate result) and per operation (named as torch names them,
``AddmmBackward0``), the edges from each operation's inputs to it and from it to its result,
and the walk itself, one :class:`GraphStep` per operation in the order the engine ran them.
:meth:`AutogradGraph.grads_after` replays the walk: the gradient each tensor holds after the
first ``k`` steps, so the chain rule can be followed one node at a time.

:func:`loss_call_graph` (a loss called as the Losses tab calls it) and :func:`sample_graph`
(one sample through an MLP and its loss) build the two graphs the app shows; both run on the
engine's plain path, where every layer and activation is a node of its own.

Examples
--------
>>> import numpy as np
>>> from explorer.lossbench.spec import LossOptions
>>> graph = loss_call_graph("L1", LossOptions(), np.array([[1.0, -1.0]]), np.zeros((1, 2)))
>>> graph.root.name, float(graph.root.value)
('loss', 1.0)
>>> graph.node_named("input").grad.tolist()
[[0.5, -0.5]]
>>> len(graph.steps) == sum(node.kind == "op" for node in graph.nodes)
True
"""

from __future__ import annotations

import copy
import dataclasses
import re
import warnings
from dataclasses import dataclass, field

import numpy as np

from explorer.engine import Tensor, nn, plain_path
from explorer.inspect import engine_graph
from explorer.inspect.number_format import format_value

#: Tensors with at most this many values are shown in full; larger ones as a summary.
FULL_VALUES = 12
#: Node kinds: a leaf that takes a gradient (input, parameter), a leaf that takes none
#: (target, data), an intermediate result, an operation.
KINDS = ("leaf", "constant", "tensor", "op")


@dataclass(frozen=True)
class GraphNode:
    """One node: a tensor (``value``, and ``grad`` once backward has run) or an operation.

    ``op`` is the operation's name for an op node and for the tensor it made ("" for a
    leaf); ``shape`` is the tensor's (an op's: its result's).
    """

    key: str
    name: str
    kind: str
    op: str
    shape: tuple[int, ...]
    value: np.ndarray | None = None
    grad: np.ndarray | None = None

    def record(self) -> dict:
        """``{name, op, shape, value, grad}``: what ``autogradGraph.graph_nodes()`` gives."""
        return {
            "name": self.name,
            "kind": self.kind,
            "op": self.op,
            "shape": self.shape,
            "value": self.value,
            "grad": self.grad,
        }


@dataclass(frozen=True)
class GraphEdge:
    """From an op's input (``slot``: its argument position) to the op, or from an op to its
    result (``slot`` -1)."""

    source: str
    target: str
    slot: int


@dataclass(frozen=True)
class GraphStep:
    """One node of the backward walk: op ``op`` received ``grad`` (d loss / d its result
    ``output``) and sent ``sent[i]`` to its i-th input (None: that input takes no gradient)."""

    op: str
    output: str
    grad: np.ndarray
    sent: tuple[tuple[str, np.ndarray | None], ...]


@dataclass
class AutogradGraph:
    """Nodes in creation order (leaves and inputs before what they feed), edges, the walk."""

    title: str
    nodes: list[GraphNode]
    edges: list[GraphEdge]
    steps: list[GraphStep]
    note: str = ""
    _by_key: dict[str, GraphNode] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._by_key = {node.key: node for node in self.nodes}

    def node(self, key: str) -> GraphNode:
        return self._by_key[key]

    def node_named(self, name: str) -> GraphNode:
        """The tensor node called ``name`` (KeyError if none)."""
        for node in self.nodes:
            if node.name == name and node.kind != "op":
                return node
        raise KeyError(f"no tensor named {name!r} in the graph")

    @property
    def root(self) -> GraphNode:
        """The tensor backward started from (the loss)."""
        return self.node(self.steps[0].output) if self.steps else self.nodes[-1]

    def records(self) -> list[dict]:
        """One record per node (see :meth:`GraphNode.record`)."""
        return [node.record() for node in self.nodes]

    def grads_after(self, count: int) -> dict[str, np.ndarray]:
        """The gradient each tensor holds after the walk's first ``count`` steps.

        A tensor's gradient is the sum of what the steps so far sent it; once every op that
        used it has run, that is d loss / d tensor. The root holds d loss / d loss = 1 from the
        first step on.
        """
        grads: dict[str, np.ndarray] = {}
        steps = self.steps[: max(0, count)]
        if steps:
            grads[steps[0].output] = steps[0].grad
        for step in steps:
            for key, sent in step.sent:
                if sent is not None:
                    grads[key] = grads[key] + sent if key in grads else sent
        return grads


def node_table(records: list[dict]) -> tuple[list[str], list[list]]:
    """Node records (:meth:`AutogradGraph.records`) as a CSV table, values in full."""
    header = ["name", "kind", "op", "shape", "value", "grad"]
    rows = [
        [
            record["name"],
            record["kind"],
            record["op"],
            "x".join(str(n) for n in record["shape"]) if record["shape"] else "scalar",
            "" if record["value"] is None else _flat_text(record["value"]),
            "" if record["grad"] is None else _flat_text(record["grad"]),
        ]
        for record in records
    ]
    return header, rows


def _flat_text(array: np.ndarray) -> str:
    return " ".join(format_value(v, 6) for v in np.asarray(array, dtype=np.float64).ravel())


def describe_array(array: np.ndarray | None, limit: int = FULL_VALUES) -> str:
    """A tensor's values as a node shows them: in full up to ``limit`` values, else a summary
    (mean, standard deviation, range).

    >>> describe_array(np.array([0.5, -1.0]))
    '[0.5, -1]'
    >>> describe_array(np.arange(100.0))
    'mean 49.5 std 28.9 in [0, 99]'
    """
    if array is None:
        return "—"
    values = np.asarray(array, dtype=np.float64)
    if values.size <= limit:
        return _nested(values)
    with np.errstate(all="ignore"):
        mean, std = float(values.mean()), float(values.std())
        low, high = float(values.min()), float(values.max())
    return (
        f"mean {format_value(mean, 3)} std {format_value(std, 3)} "
        f"in [{format_value(low, 3)}, {format_value(high, 3)}]"
    )


def array_lines(array: np.ndarray | None, limit: int = FULL_VALUES, per_line: int = 4) -> list[str]:
    """:func:`describe_array` over lines a node can show: at most ``per_line`` values a line,
    a matrix's rows on lines of their own.

    >>> array_lines(np.array([[1.0, 2.0], [3.0, 4.0]]))
    ['[[1, 2],', ' [3, 4]]']
    >>> array_lines(np.arange(6.0))
    ['[0, 1, 2, 3,', ' 4, 5]']
    """
    values = None if array is None else np.asarray(array, dtype=np.float64)
    if values is None or values.size > limit or values.ndim == 0 or values.ndim > 2:
        return [describe_array(array, limit)]
    if values.size == 0:
        return ["[]"]
    matrix = values.ndim == 2
    rows = values if matrix else values.reshape(1, -1)
    lines = []
    for i, row in enumerate(rows):
        chunks = [row[j : j + per_line] for j in range(0, len(row), per_line)] or [row]
        for k, chunk in enumerate(chunks):
            if k == 0:
                prefix = ("[[" if i == 0 else " [") if matrix else "["
            else:
                prefix = "  " if matrix else " "
            text = ", ".join(format_value(float(v)) for v in chunk)
            if k < len(chunks) - 1:
                suffix = ","
            elif matrix:
                suffix = "]]" if i == len(rows) - 1 else "],"
            else:
                suffix = "]"
            lines.append(prefix + text + suffix)
    return lines


def _nested(values: np.ndarray) -> str:
    if values.ndim == 0:
        return format_value(float(values))
    return "[" + ", ".join(_nested(row) for row in values) + "]"


_HEAD = re.compile(r"Backward\d*$")


def short_op(op: str) -> str:
    """``AddmmBackward0`` -> ``addmm``: the default name of the tensor an op made."""
    return _HEAD.sub("", op).lower() or "result"


def build_graph(root: Tensor, names: dict[int, str], title: str, note: str = "") -> AutogradGraph:
    """Run ``root.backward()`` and record its graph and walk.

    Parameters
    ----------
    root : Tensor
        A scalar that requires grad, whose leaves hold no gradient yet.
    names : dict
        ``id(tensor) -> name`` for the tensors to name (input, parameters, the loss); others
        are named after the op that made them (``relu``, ``relu_2``).
    title, note : str
        What the graph is, and a line on how it was made, for the view.
    """
    tensors = engine_graph.graph_tensors(root)
    keys = {id(tensor): f"t{index}" for index, tensor in enumerate(tensors)}
    forward_values = {id(tensor): engine_graph.values(tensor) for tensor in tensors}
    walk = engine_graph.record_backward(root)
    received = {id(step.node): step.grad for step in walk}

    nodes: list[GraphNode] = []
    edges: list[GraphEdge] = []
    used: dict[str, int] = {}
    for tensor in tensors:
        key, op = keys[id(tensor)], engine_graph.op_name(tensor)
        name = names.get(id(tensor))
        if name is None:
            base = short_op(op) if op else "constant"
            used[base] = used.get(base, 0) + 1
            name = base if used[base] == 1 else f"{base}_{used[base]}"
        shape = tuple(int(n) for n in tensor.shape)
        if op is None:
            kind = "leaf" if tensor.requires_grad else "constant"
            grad = engine_graph.leaf_grad(tensor) if tensor.requires_grad else None
            nodes.append(GraphNode(key, name, kind, "", shape, forward_values[id(tensor)], grad))
            continue
        op_key = f"op{key[1:]}"
        nodes.append(GraphNode(op_key, op, "op", op, shape))
        for slot, parent in enumerate(engine_graph.inputs_of(tensor)):
            edges.append(GraphEdge(keys[id(parent)], op_key, slot))
        edges.append(GraphEdge(op_key, key, -1))
        nodes.append(
            GraphNode(key, name, "tensor", op, shape, forward_values[id(tensor)],
                      received.get(id(tensor)))
        )  # fmt: skip
    steps = [
        GraphStep(
            op=f"op{keys[id(step.node)][1:]}",
            output=keys[id(step.node)],
            grad=step.grad,
            sent=tuple(
                (keys[id(parent)], sent)
                for parent, sent in zip(engine_graph.inputs_of(step.node), step.sent, strict=True)
            ),
        )
        for step in walk
    ]
    return AutogradGraph(title, nodes, edges, steps, note)


# -- the two graphs the app shows -----------------------------------------------------------
PLAIN_NOTE = (
    "Built on the engine's plain path, where every layer and activation is a node of its own "
    "(training fuses them into fewer nodes for speed; the numbers are the same)."
)


def loss_call_graph(
    kind: str,
    options,
    input: np.ndarray,  # noqa: A002 (torch's name)
    target: np.ndarray,
    dtype: str = "float32",
) -> AutogradGraph:
    """The graph of ``loss(input, target).backward()``, the call the Losses tab makes
    (:func:`explorer.lossbench.evaluate.loss_call`); raises ``LossRejected`` as it does."""
    from explorer.lossbench.evaluate import loss_call
    from explorer.lossbench.spec import LOSSES

    # The Losses tab shows the engine's warnings about this call; the graph repeats none.
    with plain_path(), warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        call = loss_call(kind, options, input, target, dtype)
        names = {id(call.input): "input", id(call.target): "target", id(call.total): "loss"}
        for name, buffer in call.module.named_buffers():
            names[id(buffer)] = name
        title = f"{LOSSES[kind].class_name}: output = loss(input, target); output.backward()"
        return build_graph(call.total, names, title, PLAIN_NOTE)


def sample_graph(
    model: nn.Module, x: np.ndarray, label: int, loss: str = "cross_entropy"
) -> AutogradGraph:
    """The graph of one sample through (a copy of) ``model`` and its ``loss``, backward.

    ``x`` holds the sample's features (one row); ``label`` its class. The model is copied, so
    its own ``.grad`` stays as it was.
    """
    from explorer.model.evaluate import input_dtype
    from explorer.model.loss import compute_loss

    model = copy.deepcopy(model)
    model.zero_grad()
    for parameter in model.parameters():
        parameter.grad = None
    names: dict[int, str] = {id(p): name for name, p in model.named_parameters()}
    outputs: dict[int, str] = {}

    def keep_name(module_name: str):
        def hook(module, args, output):
            outputs[id(output)] = module_name

        return hook

    handles = [
        module.register_forward_hook(keep_name(name)) for name, module in model.named_children()
    ]
    features = np.asarray(x, dtype=input_dtype(model)).reshape(1, -1)
    labels = np.array([int(label)], dtype=np.int64)
    try:
        model.eval()
        with plain_path(), np.errstate(all="ignore"):
            inputs = Tensor(features)
            logits = model(inputs)
            value = compute_loss(logits, labels, loss)
    finally:
        for handle in handles:
            handle.remove()
    names.update(outputs)
    names[id(inputs)] = "input"
    names[id(value)] = "loss"
    title = f"One sample (class {int(label)}) through the model, {loss} loss, backward"
    with np.errstate(all="ignore"):
        graph = build_graph(value, names, title, PLAIN_NOTE)
    # The loss makes its target tensor itself: the one leaf of the label's values.
    for index, node in enumerate(graph.nodes):
        if node.kind == "constant" and np.array_equal(node.value, labels):
            graph.nodes[index] = dataclasses.replace(node, name="target")
    return AutogradGraph(graph.title, graph.nodes, graph.edges, graph.steps, graph.note)
