"""``explorer export gradient``: the autograd graph and the loss landscape of a trained run."""

import csv
import json

import numpy as np
import pytest

from tests.cli.test_cli import png_size, run


def test_export_gradient_writes_the_graph_the_landscape_and_their_numbers(tmp_path):
    out = tmp_path / "gradient"
    result = run(
        "export", "gradient", "--epochs", "3", "--hidden", "8", "--resolution", "7",
        "--scale", "1", "--out", str(out),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    names = {p.name for p in out.iterdir()}
    for stem in ("autograd-graph", "landscape", "landscape-slice"):
        assert {f"gradient-{stem}.{ext}" for ext in ("png", "svg", "csv")} <= names
    assert {"gradient-autograd-nodes.csv", "gradient-landscape-grid.csv", "gradient.json"} <= names
    summary = json.loads((out / "gradient.json").read_text())
    landscape = summary["landscape"]
    assert landscape["directions"] == "pca" and landscape["path_points"] == 4
    assert landscape["resolution"] == 7 and 0 < sum(landscape["explained_variance"]) <= 1
    assert summary["run"]["model"] == "2-8-3" and summary["graph"]["ops"][0].startswith("NllLoss")
    grid = np.loadtxt(out / "gradient-landscape-grid.csv", delimiter=",", skiprows=1)
    assert grid.shape == (49, 3)
    assert grid[:, 2].min() == pytest.approx(landscape["loss_min"], rel=1e-9)
    with open(out / "gradient-autograd-nodes.csv", newline="") as handle:
        rows = {row["name"]: row for row in csv.DictReader(handle)}
    assert rows["linear1.weight"]["grad"]  # after backward: every leaf has its gradient
    assert png_size(out / "gradient-landscape.png")[0] > 300


def test_export_gradient_with_random_directions(tmp_path):
    out = tmp_path / "random"
    result = run(
        "export", "gradient", "--epochs", "1", "--hidden", "4", "--directions", "random",
        "--span", "0.5", "--resolution", "5", "--formats", "csv", "--out", str(out),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    summary = json.loads((out / "gradient.json").read_text())["landscape"]
    assert summary["directions"] == "random" and summary["alpha"] == [-0.5, 0.5]
    assert not list(out.glob("*.png"))
