"""A layered left-to-right layout of an autograd graph: inputs on the left, the loss on the right.

networkx finds the layers (:func:`networkx.topological_generations` of the graph read from
the loss backwards, so every node sits one column before the first op that uses it: a
parameter right beside its layer); within each column nodes are ordered by the mean row of
the nodes they feed (one barycentre sweep from the loss leftwards), which keeps the edges of
an MLP's chain from crossing. No graphviz binary is needed.

Examples
--------
>>> import numpy as np
>>> from explorer.lossbench.spec import LossOptions
>>> from explorer.inspect.autograd_graph import loss_call_graph
>>> graph = loss_call_graph("MSE", LossOptions(), np.ones((1, 2)), np.zeros((1, 2)))
>>> positions = layered_layout(graph)
>>> positions[graph.root.key][0] == max(x for x, _ in positions.values())
True
"""

from __future__ import annotations

import networkx as nx

from explorer.inspect.autograd_graph import AutogradGraph


def graph_of(graph: AutogradGraph) -> nx.DiGraph:
    """The graph as a networkx DiGraph (edges point forward: input -> op -> result)."""
    digraph = nx.DiGraph()
    digraph.add_nodes_from(node.key for node in graph.nodes)
    digraph.add_edges_from((edge.source, edge.target) for edge in graph.edges)
    return digraph


def layers(graph: AutogradGraph) -> list[list[str]]:
    """The columns from left to right, each a list of node keys from top to bottom."""
    digraph = graph_of(graph)
    slots = {(edge.source, edge.target): edge.slot for edge in graph.edges}
    order = {node.key: index for index, node in enumerate(graph.nodes)}
    rows: dict[str, float] = {}
    placed: list[list[str]] = []
    for generation in nx.topological_generations(digraph.reverse(copy=False)):  # right to left
        groups: dict[float, list[str]] = {}
        for key in generation:
            fed = [rows[s] for s in digraph.successors(key)]
            groups.setdefault(sum(fed) / len(fed) if fed else 0.0, []).append(key)
        column: list[str] = []
        for _, group in sorted(groups.items()):
            column += _centred_chain(group, digraph, slots, order)
        for rank, key in enumerate(column):
            rows[key] = rank - (len(column) - 1) / 2
        placed.append(column)
    return placed[::-1]


def _centred_chain(group, digraph, slots, order) -> list[str]:
    """The inputs of one op in argument order, the first (the data: ``x`` of ``addmm(x, W,
    b)``) in the middle and the others around it: the chain from input to loss stays a line."""

    def argument(key: str) -> tuple[int, int]:
        used_by = [slots.get((key, s), 0) for s in digraph.successors(key)]
        return (min(used_by, default=0), order[key])

    group = sorted(group, key=argument)
    chain = [key for key in group if argument(key)[0] == 0]
    ends = [key for key in group if argument(key)[0] != 0]
    return ends[: len(ends) // 2] + chain + ends[len(ends) // 2 :]


def layered_layout(
    graph: AutogradGraph, column: float = 1.0, row: float = 1.0
) -> dict[str, tuple[float, float]]:
    """``key -> (x, y)``: columns ``column`` apart from left to right, rows ``row`` apart,
    each column centred on y = 0 (y grows downwards, as on screen)."""
    positions: dict[str, tuple[float, float]] = {}
    for index, keys in enumerate(layers(graph)):
        for rank, key in enumerate(keys):
            positions[key] = (index * column, (rank - (len(keys) - 1) / 2) * row)
    return positions
