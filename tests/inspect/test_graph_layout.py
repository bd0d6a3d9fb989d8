"""The layered layout: inputs on the left, the loss on the right, every edge going right."""

import doctest

import numpy as np

import explorer.inspect.graph_layout as graph_layout
from explorer.inspect.autograd_graph import loss_call_graph, sample_graph
from explorer.inspect.graph_layout import layered_layout, layers
from explorer.lossbench.spec import LossOptions
from explorer.model.config import MLPConfig


def test_docstring_examples():
    assert doctest.testmod(graph_layout).failed == 0


def mlp_graph(hidden=(4, 3)):
    model = MLPConfig(input_features=2, hidden_sizes=hidden, output_features=3).build()
    return sample_graph(model, np.array([0.5, -0.5], np.float32), 0)


def test_every_node_is_placed_once_and_every_edge_goes_right():
    for graph in (mlp_graph(), mlp_graph(()), loss_call_graph(
        "NLL", LossOptions(log_softmax_input=True), np.zeros((2, 3)), np.array([0, 2])
    )):  # fmt: skip
        columns = layers(graph)
        placed = [key for column in columns for key in column]
        assert sorted(placed) == sorted(node.key for node in graph.nodes)
        column_of = {key: i for i, column in enumerate(columns) for key in column}
        for edge in graph.edges:
            assert column_of[edge.source] < column_of[edge.target]
        assert columns[-1] == [graph.root.key]


def test_a_parameter_sits_right_before_the_op_that_uses_it_with_the_data_between():
    graph = mlp_graph()
    columns = layers(graph)
    column_of = {key: i for i, column in enumerate(columns) for key in column}
    for index in (1, 2, 3):
        weight = graph.node_named(f"linear{index}.weight").key
        bias = graph.node_named(f"linear{index}.bias").key
        op = next(edge.target for edge in graph.edges if edge.source == weight)
        assert column_of[weight] == column_of[bias] == column_of[op] - 1
        column = columns[column_of[weight]]
        # weight above, the data (input or the activation before) in the middle, bias below
        assert column.index(weight) < column.index(bias)
        assert column.index(weight) + 1 < column.index(bias) or len(column) == 2


def test_positions_are_columns_apart_and_centred():
    graph = mlp_graph()
    positions = layered_layout(graph, column=100.0, row=10.0)
    xs = sorted({x for x, _ in positions.values()})
    assert np.allclose(np.diff(xs), 100.0)
    for column in layers(graph):
        ys = [positions[key][1] for key in column]
        assert abs(sum(ys)) < 1e-9  # centred on y = 0
