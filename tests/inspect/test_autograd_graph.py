"""The autograd graph's records: the engine's values and gradients for the same call, and an
independent numpy forward and backward pass through a small MLP."""

import doctest

import numpy as np
import pytest

import explorer.inspect.autograd_graph as autograd_graph
from explorer.engine import Tensor, plain_path
from explorer.inspect.autograd_graph import (
    array_lines,
    describe_array,
    loss_call_graph,
    node_table,
    sample_graph,
)
from explorer.lossbench.evaluate import LossRejected, evaluate
from explorer.lossbench.spec import LossOptions
from explorer.model.config import MLPConfig
from explorer.model.loss import compute_loss


def test_docstring_examples():
    assert doctest.testmod(autograd_graph).failed == 0


CALLS = [
    ("L1", LossOptions(), (3, 5), "real"),
    ("MSE", LossOptions(reduction="sum"), (2, 3), "real"),
    ("CrossEntropy", LossOptions(), (4, 3), "classes"),
    ("CrossEntropy", LossOptions(label_smoothing=0.1), (4, 3), "classes"),
    ("NLL", LossOptions(log_softmax_input=True), (3, 4), "classes"),
    ("Huber", LossOptions(reduction="none", delta=0.5), (2, 4), "real"),
    ("BCEWithLogits", LossOptions(), (2, 3), "unit"),
]


@pytest.mark.parametrize(("kind", "options", "shape", "target"), CALLS)
def test_a_loss_calls_graph_holds_what_the_losses_tab_computes(kind, options, shape, target):
    rng = np.random.default_rng(3)
    x = rng.normal(size=shape)
    if target == "classes":
        t = rng.integers(0, shape[1], size=shape[0])
    elif target == "unit":
        t = rng.uniform(size=shape)
    else:
        t = rng.normal(size=shape)
    for dtype in ("float32", "float64"):
        graph = loss_call_graph(kind, options, x, t, dtype)
        result = evaluate(kind, options, x, t, dtype)
        assert float(graph.root.value) == pytest.approx(result.value, rel=1e-6)
        np.testing.assert_allclose(graph.node_named("input").grad, result.grad, rtol=1e-6)
        np.testing.assert_array_equal(graph.node_named("input").value, x.astype(dtype))
        # after the whole walk, the replay gives the same gradients as backward
        final = graph.grads_after(len(graph.steps))
        np.testing.assert_array_equal(final[graph.node_named("input").key], result.grad)


def test_a_rejected_call_is_rejected_with_the_engines_message():
    with pytest.raises(LossRejected, match="out of bounds"):
        loss_call_graph("CrossEntropy", LossOptions(), np.zeros((2, 3)), np.array([0, 7]))


def numpy_mlp(params, x, label):
    """Forward and backward of linear-relu-linear and cross entropy, in float64 numpy."""
    names = ("linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias")
    w1, b1, w2, b2 = (np.asarray(params[name], dtype=np.float64) for name in names)
    x = np.asarray(x, dtype=np.float64).reshape(1, -1)
    pre = x @ w1.T + b1
    hidden = np.maximum(pre, 0)
    logits = hidden @ w2.T + b2
    shifted = logits - logits.max()
    probabilities = np.exp(shifted) / np.exp(shifted).sum()
    loss = -np.log(probabilities[0, label])
    d_logits = probabilities.copy()
    d_logits[0, label] -= 1
    d_hidden = d_logits @ w2
    d_pre = d_hidden * (pre > 0)
    return {
        "linear1": pre,
        "relu": hidden,
        "linear2": logits,
        "loss": loss,
    }, {
        "linear2.weight": d_logits.T @ hidden,
        "linear2.bias": d_logits[0],
        "linear1.weight": d_pre.T @ x,
        "linear1.bias": d_pre[0],
        "linear2": d_logits,
        "relu": d_hidden,
        "linear1": d_pre,
    }


def test_one_samples_graph_matches_an_independent_numpy_forward_and_backward():
    model = MLPConfig(input_features=3, hidden_sizes=(5,), output_features=4, seed=2).build()
    x = np.array([0.3, -1.2, 0.8], dtype=np.float32)
    graph = sample_graph(model, x, label=2)
    params = {name: np.asarray(p) for name, p in model.named_parameters()}
    forward, backward = numpy_mlp(params, x, 2)
    for name, value in forward.items():
        np.testing.assert_allclose(graph.node_named(name).value, value, rtol=1e-5, atol=1e-6)
    for name, grad in backward.items():
        np.testing.assert_allclose(graph.node_named(name).grad, grad, rtol=1e-5, atol=1e-6)
    assert graph.node_named("input").kind == "constant"  # data takes no gradient
    assert graph.node_named("linear1.weight").kind == "leaf"
    # every layer and activation is a node: two linears, one relu, one loss
    ops = [node.name for node in graph.nodes if node.kind == "op"]
    assert len(ops) == 4 and ops[0].startswith("Addmm") and ops[1].startswith("Relu")


def test_one_samples_graph_is_the_engines_plain_forward_and_backward():
    model = MLPConfig(input_features=2, hidden_sizes=(6, 4), output_features=3,
                      activation="tanh", seed=5).build()  # fmt: skip
    x = np.array([0.4, -0.7], dtype=np.float32)
    graph = sample_graph(model, x, label=1, loss="mse")
    with plain_path():
        logits = model(Tensor(x.reshape(1, -1)))
        loss = compute_loss(logits, np.array([1]), "mse")
        loss.backward()
    assert float(graph.root.value) == float(loss.item())
    for name, parameter in model.named_parameters():
        np.testing.assert_array_equal(graph.node_named(name).grad, np.asarray(parameter.grad))


def test_the_models_own_gradients_are_left_alone():
    model = MLPConfig(input_features=2, hidden_sizes=(3,), output_features=2).build()
    assert all(p.grad is None for p in model.parameters())
    sample_graph(model, np.zeros(2, np.float32), 0)
    assert all(p.grad is None for p in model.parameters())
    assert model.training  # its mode too


def test_stepping_replays_the_walk_node_by_node():
    model = MLPConfig(input_features=2, hidden_sizes=(3,), output_features=2, seed=1).build()
    graph = sample_graph(model, np.array([1.0, -2.0], np.float32), 1)
    assert graph.grads_after(0) == {}
    first = graph.grads_after(1)
    assert set(first) == {graph.root.key, graph.node_named("linear2").key}
    # each op runs after every op that uses its result
    position = {step.op: i for i, step in enumerate(graph.steps)}
    for edge in graph.edges:
        if edge.slot >= 0 and graph.node(edge.source).kind == "tensor":
            maker = f"op{edge.source[1:]}"
            assert position[edge.target] < position[maker]
    # a leaf's gradient is complete once the op that uses it has run
    final = graph.grads_after(len(graph.steps))
    for name in ("linear1.weight", "linear2.bias"):
        node = graph.node_named(name)
        np.testing.assert_array_equal(final[node.key], node.grad)


def test_the_node_table_has_one_row_per_node_with_every_value():
    graph = loss_call_graph("MSE", LossOptions(), np.array([[1.0, 2.0]]), np.zeros((1, 2)))
    header, rows = node_table(graph.records())
    assert header == ["name", "kind", "op", "shape", "value", "grad"]
    assert len(rows) == len(graph.nodes)
    by_name = {row[0]: row for row in rows}
    assert by_name["input"][4] == "1 2" and by_name["input"][5] == "1 2"
    assert by_name["loss"][3] == "scalar"


def test_values_are_shown_in_full_when_small_and_summarized_when_large():
    assert describe_array(np.array([[1.0, 2.0]])) == "[[1, 2]]"
    assert describe_array(None) == "—"
    assert describe_array(np.ones(13)).startswith("mean 1 std 0")
    assert array_lines(np.ones((2, 2))) == ["[[1, 1],", " [1, 1]]"]
    assert array_lines(np.arange(5.0)) == ["[0, 1, 2, 3,", " 4]"]
    assert array_lines(np.float64(2.5)) == ["2.5"]
