import numpy as np
import pytest

from explorer.engine import Tensor, nn
from explorer.inspect.module_info import (
    COLUMNS,
    build_tree,
    first_weight,
    grad_norm,
    model_totals,
    node_values,
)
from explorer.model.config import MLPConfig

CONFIGS = [
    {},
    {"hidden_sizes": []},
    {"input_features": 3, "hidden_sizes": [5, 4, 2], "output_features": 2},
    {"input_features": 2, "hidden_sizes": [1] * 8, "output_features": 1, "dtype": "float64"},
]


@pytest.mark.parametrize("config", CONFIGS)
def test_tree_walks_what_the_engine_names(config):
    model = MLPConfig.from_dict(config).build()
    root = build_tree(model)
    nodes = list(root.walk())
    modules = [n.path for n in nodes if n.kind == "module"]
    params = [n.path for n in nodes if n.kind == "parameter"]
    assert modules == [name for name, _ in model.named_modules()]
    assert params == [name for name, _ in model.named_parameters()]
    for node in nodes:
        if node.kind == "parameter":
            assert node.obj is model.get_parameter(node.path)
        assert node.parent is None or node.parent.children[node.row] is node


def test_root_row_counts_every_parameter_and_modules_have_no_stats():
    model = MLPConfig.from_dict({}).build()
    root = build_tree(model)
    values = dict(zip(COLUMNS, node_values(root), strict=True))
    assert values["Name"] == "model"
    assert values["Type"] == "MLP"
    assert values["# Params"] == "203,530"
    assert values["mean"] == "" and values["grad norm"] == "—"


def test_parameter_row_shows_shape_dtype_and_statistics():
    model = MLPConfig.from_dict({}).build()
    node = build_tree(model).find("linear1.weight")
    values = dict(zip(COLUMNS, node_values(node), strict=True))
    weight = model.linear1.weight.data
    assert values["Type"] == "Parameter"
    assert values["Shape"] == "(256, 784)"
    assert values["# Params"] == "200,704"
    assert values["dtype"] == "float32"
    assert values["requires_grad"] == "True"
    assert float(values["mean"]) == pytest.approx(weight.mean(), rel=1e-3, abs=1e-9)
    assert float(values["std"]) == pytest.approx(weight.std(), rel=1e-3)
    assert node_values(build_tree(model).find("linear2.bias"))[2] == "(10,)"


def test_grad_norm_appears_after_backward():
    model = MLPConfig.from_dict(
        {"input_features": 4, "hidden_sizes": [3], "output_features": 2}
    ).build()
    assert grad_norm(model.parameters()) is None
    model(Tensor(np.ones((5, 4), dtype=np.float32))).sum().backward()
    grads = [np.asarray(p.grad) for p in model.parameters()]
    expected = np.sqrt(sum(float((g.astype(np.float64) ** 2).sum()) for g in grads))
    assert grad_norm(model.parameters()) == pytest.approx(expected)
    node = build_tree(model).find("linear2.weight")
    assert float(node_values(node)[8]) == pytest.approx(
        np.linalg.norm(model.linear2.weight.grad), rel=1e-3
    )


def test_totals_match_torchinfo_arithmetic():
    model = MLPConfig.from_dict({}).build()
    totals = model_totals(model)
    assert totals.total_params == 203_530
    assert totals.trainable_params == 203_530
    assert totals.params_size_mb == pytest.approx(203_530 * 4 / 1e6)
    assert "Params size (MB): 0.81" in totals.summary()
    model.linear2.requires_grad_(False)
    assert model_totals(model).non_trainable_params == 2_570


def test_buffers_and_missing_bias_are_shown_as_the_registries_hold_them():
    class WithBuffer(nn.Module):
        def __init__(self):
            super().__init__()
            self.linear = nn.Linear(3, 2, bias=False)
            self.register_buffer("running", Tensor(np.zeros(2, dtype=np.float32)))

    root = build_tree(WithBuffer())
    assert [(n.path, n.kind) for n in root.walk()] == [
        ("", "module"),
        ("running", "buffer"),
        ("linear", "module"),
        ("linear.weight", "parameter"),
    ]


def test_first_weight_prefers_a_matrix():
    root = build_tree(MLPConfig.from_dict({}).build())
    assert first_weight(root).path == "linear1.weight"
    assert first_weight(root.find("linear2")).path == "linear2.weight"
    assert first_weight(root.find("linear2.bias")).path == "linear2.bias"


def test_statistics_of_exploded_and_diverged_weights_read_plainly():
    model = MLPConfig.from_dict({"input_features": 4, "hidden_sizes": [3]}).build()
    root = build_tree(model)
    weight = root.find("linear1.weight")
    model.linear1.weight.data[...] = np.array([[1.16543e18, -1.16543e18, 0, 0]] * 3)
    mean, std = node_values(weight)[6:8]
    assert (mean, std) == ("0", "8.241e+17")
    model.linear1.weight.data[0, 0] = np.nan
    model.linear1.bias.data[0] = np.inf
    assert node_values(weight)[6:8] == ("nan", "nan")
    assert node_values(root.find("linear1.bias"))[6] == "inf"
    model.linear1.weight.grad = Tensor(np.full((3, 4), np.inf, dtype=np.float32))
    assert node_values(weight)[8] == "inf"
