"""``explorer lr-find``: the curve, the plot and the suggestion, as a user runs it."""

import csv
import json

import pytest

from explorer.training import DEFAULT_RUN, setup_run
from explorer.training.lr_finder import lr_range_test
from tests.cli.test_cli import png_size, run


def test_lr_find_writes_the_curve_the_plot_and_the_suggestion(tmp_path):
    out = tmp_path / "lr"
    result = run("lr-find", "--dataset", "spiral", "--optimizer", "adam", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "lr_find.csv", "lr_find.png", "lr_find.svg", "suggestion.json",
    ]  # fmt: skip
    suggestion = json.loads((out / "suggestion.json").read_text())
    expected = lr_range_test(
        *(lambda r: (r.model, r.train, r.spec.training))(setup_run(DEFAULT_RUN))
    )
    assert suggestion["lr_min_div10"] == pytest.approx(expected.lr_min_div10)
    assert suggestion["lr_steepest"] == pytest.approx(expected.lr_steepest)
    assert suggestion["suggested"] == "lr_min_div10" and suggestion["optimizer"] == "adam"
    with open(out / "lr_find.csv", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["step", "lr", "loss", "smoothed_loss"]
    assert len(rows) - 1 == suggestion["steps"] == len(expected.lrs)
    assert float(rows[1][1]) == pytest.approx(1e-7)
    width, height = png_size(out / "lr_find.png")
    assert width > 1000 and height > 500


def test_lr_find_keeps_what_exists_and_refuses_bad_rates(tmp_path):
    out = tmp_path / "lr"
    out.mkdir()
    (out / "suggestion.json").write_text("{}")
    result = run("lr-find", "--formats", "csv", "--steps", "20", "--out", str(out))
    assert result.returncode == 2 and "suggestion.json" in result.stderr
    assert (out / "suggestion.json").read_text() == "{}"
    result = run("lr-find", "--start-lr", "1", "--end-lr", "0.1", "--out", str(out))
    assert result.returncode == 2 and "--start-lr" in result.stderr
    result = run("lr-find", "--formats", "csv", "--steps", "20", "--out", str(out), "--force")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["lr_find.csv", "suggestion.json"]
