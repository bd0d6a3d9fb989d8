"""The command line, run as the user runs it: `python -m explorer ...` in a subprocess."""

import csv
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

import explorer
from explorer.cli import build_parser, run_cli
from explorer.info import cross_entropy, entropy, js_divergence, kl_divergence

ROOT = Path(explorer.__file__).resolve().parent.parent


def run(*args, timeout=120, **extra_env):
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY")}
    env["PYTHONPATH"] = str(ROOT)
    env.update(extra_env)
    return subprocess.run(
        [sys.executable, "-m", "explorer", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def png_size(path):
    from PySide6.QtGui import QImage

    image = QImage(str(path))
    assert not image.isNull(), path
    return image.width(), image.height()


def csv_header(path):
    with open(path, newline="") as handle:
        return next(csv.reader(handle))


def check_figures(folder, prefix, width):
    pngs = sorted(folder.glob(f"{prefix}-*.png"))
    assert pngs
    # The widest plot is exported at the width, the others at the same scale.
    assert max(png_size(png)[0] for png in pngs) == width
    for png in pngs:
        assert 0 < png_size(png)[0] <= width
        assert ET.parse(png.with_suffix(".svg")).getroot().tag.endswith("svg")
        assert csv_header(png.with_suffix(".csv"))
    return [p.stem.removeprefix(f"{prefix}-") for p in pngs]


def test_export_distributions_writes_figures_and_the_numbers_of_explorer_info(tmp_path):
    out = tmp_path / "figs"
    result = run(
        "export",
        "distributions",
        "--p",
        "1,0,0",
        "--q",
        "0.8,0.1,0.1",
        "--base",
        "2",
        "--out",
        str(out),
        "--width",
        "640",
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    metrics = json.loads((out / "metrics.json").read_text())
    p, q = [1, 0, 0], [0.8, 0.1, 0.1]
    assert metrics["base"] == 2
    assert metrics["entropy_p"] == entropy(p, base=2)
    assert metrics["entropy_q"] == entropy(q, base=2)
    assert metrics["cross_entropy"] == cross_entropy(p, q, base=2)
    assert round(metrics["cross_entropy"], 4) == 0.3219  # the lecture notes' worked example
    assert metrics["cross_entropy_qp"] == "inf"  # q has mass where p has none
    assert metrics["kl_pq"] == kl_divergence(p, q, base=2)
    assert metrics["kl_qp"] == "inf"
    assert metrics["js"] == js_divergence(p, q, base=2)
    names = check_figures(out, "distributions", 640)
    assert "kl-contributions" in names and "p-and-q" in names
    header = csv_header(out / "distributions-kl-contributions.csv")
    assert any("KL contribution" in h or "KL_contribution" in h for h in header)


def test_export_training_trains_and_writes_curves_history_metrics_weights(tmp_path):
    from explorer.training import HISTORY_COLUMNS

    out = tmp_path / "run"
    result = run(
        "export",
        "training",
        "--dataset",
        "spiral",
        "--epochs",
        "2",
        "--seed",
        "1",
        "--out",
        str(out),
        "--width",
        "500",
    )
    assert result.returncode == 0, result.stderr
    assert "100.0%" in result.stderr  # the progress bar, plain text when not a terminal
    metrics = json.loads((out / "metrics.json").read_text())
    assert set(metrics) == {"train_loss", "val_loss", "val_accuracy", "epochs", "seconds"}
    assert metrics["epochs"] == 2 and 0 <= metrics["val_accuracy"] <= 1
    with open(out / "history.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    layers = [
        f"{key}_{name}" for name in ("linear1", "linear2") for key in ("grad_norm", "update_ratio")
    ]
    assert list(rows[0]) == [*HISTORY_COLUMNS, *layers] and len(rows) == 2
    assert float(rows[-1]["val_loss"]) == pytest.approx(metrics["val_loss"])
    assert all(float(row[name]) > 0 for row in rows for name in layers)
    with np.load(out / "weights.npz", allow_pickle=False) as weights:
        assert weights["linear1.weight"].shape[1] == 2
    assert sorted(check_figures(out, "training", 500)) == [
        "accuracy",
        "confusion-matrix",
        "dead-units",
        "decision-regions",
        "gradient-norms",
        "gradients-linear1",
        "gradients-linear2",
        "loss",
        "network",
        "update-ratios",
        "weights-linear1",
        "weights-linear2",
    ]
    header = set(csv_header(out / "training-network.csv"))
    assert {"unit: layer", "unit: unit", "unit: bias", "unit: dead"} <= header
    norms = list(csv.reader(open(out / "training-gradient-norms.csv", newline="")))
    assert norms[0][1:] == ["linear1", "linear2"] and float(norms[-1][0]) == 2 * 23
    with open(out / "training-confusion-matrix.csv", newline="") as handle:
        counts = [[int(v) for v in row[1:]] for row in list(csv.reader(handle))[1:]]
    assert sum(map(sum, counts)) == 180  # every validation sample counted once
    assert csv_header(out / "training-decision-regions-data.csv")[0].endswith(": x₁")
    regions = list(csv.reader(open(out / "training-decision-regions.csv", newline="")))
    assert regions[0][0] == "x₂ \\ x₁" and len(regions) == 101  # labelled 100 x 100 grid
    assert csv_header(out / "training-confusion-matrix.csv")[0] == "true class \\ predicted class"
    assert any("validation" in column for column in csv_header(out / "training-loss.csv"))


def test_screenshot_renders_the_window_showing_a_tab(tmp_path):
    out = tmp_path / "shots" / "dist.png"
    config = tmp_path / "config"
    result = run(
        "screenshot", "--tab", "distributions", "--out", str(out), XDG_CONFIG_HOME=str(config)
    )
    assert result.returncode == 0, result.stderr
    assert png_size(out) == (1280, 820)
    assert not config.exists() or not any(config.rglob("*"))  # the user's settings untouched


def test_screenshot_offers_every_tab_of_the_window(qtbot, capsys):
    from explorer.ui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    names = [tab.export_name for tab in window.all_tabs()]
    assert "network" in names and "gradient" in names
    assert run_cli(["screenshot", "--help"]) == 0
    shown = capsys.readouterr().out
    for name in names:
        assert name in shown
        args = build_parser().parse_args(["screenshot", "--tab", name, "--out", "x.png"])
        assert args.tab == name


def test_screenshot_renders_the_network_tab(tmp_path):
    out = tmp_path / "network.png"
    result = run("screenshot", "--tab", "network", "--out", str(out), "--width", "1024",
                 "--height", "640", XDG_CONFIG_HOME=str(tmp_path / "config"))  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert png_size(out) == (1024, 640)


def test_help_works_without_qt():
    code = (
        "import sys, contextlib, io\n"
        "from explorer.app import main\n"
        "for argv in (['--help'], ['export', '--help'], ['export', 'distributions', '--help'],"
        " ['export', 'training', '--help'], ['screenshot', '--help'],"
        " ['export', 'gradient', '--help'], ['lr-find', '--help']):\n"
        "    with contextlib.redirect_stdout(io.StringIO()):\n"
        "        assert main(argv) == 0, argv\n"
        "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph'))))\n"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_a_bad_argument_in_a_real_process_is_one_line_and_exit_2(tmp_path):
    result = run("export", "distributions", "--p", "1,x,0", "--q", "1,1,1", "--out", str(tmp_path))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0
    assert "'x' is not a number" in result.stderr


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["export", "distributions", "--p", "1,x", "--q", "1,1"], "'x' is not a number"),
        (["export", "distributions", "--p", "1,-0.5", "--q", "1,1"], "negative entry"),
        (["export", "distributions", "--p", "-1,1,0", "--q", "1,1,1"], "negative entry '-1'"),
        (["export", "distributions", "--p", "1,0", "--q", "1,1,1"], "distributions: error:"),
        (["export", "losses", "--weight", "1,2", "--c", "3"], "one per class (--c 3)"),
        (["export", "losses", "--loss", "mse", "--ignore-index", "-1"], "not an option of MSE"),
        (["export", "distributions", "--p", "0,0", "--q", "1,1"], "all zeros"),
        (["export", "distributions", "--p", "1", "--q", "1"], "categories"),
        (["export", "distributions", "--p", "1,0,0", "--q", "1,1"], "they must match"),
        (["export", "distributions", "--p", "1,0", "--q", "1,1", "--base", "3"], "base must be"),
        (["export", "distributions", "--p", "1,0", "--q", "1,1", "--width", "-5"], "out of range"),
        (["export", "training", "--dataset", "mnist-ish"], "invalid choice"),
        (["export", "training", "--epochs", "-3"], "out of range"),
        (["export", "training", "--epochs", "two"], "not a whole number"),
        (["export", "training", "--lr", "-1"], "out of range"),
        (["export", "training", "--hidden", "32,x"], "not a whole number"),
        (["export", "nothing"], "invalid choice"),
        (["screenshot", "--tab", "settings", "--out", "x.png"], "invalid choice"),
        (["screenshot", "--tab", "model", "--out", "x.jpg"], "must name a .png"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(capsys, tmp_path, argv, message):
    if "--out" not in argv:
        argv = [*argv, "--out", str(tmp_path / "out")]
    assert run_cli(argv) == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.strip().count("\n") == 0 and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_an_unwritable_out_fails_cleanly_with_nothing_left_behind(capsys, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    argv = ["export", "distributions", "--p", "1,0", "--q", "1,1", "--out", str(blocker / "d")]
    assert run_cli(argv) == 2
    err = capsys.readouterr().err
    assert "cannot create folder" in err and str(blocker / "d") in err
    assert os.listdir(tmp_path) == ["file"]


def test_existing_files_are_kept_unless_forced(capsys, tmp_path):
    (tmp_path / "metrics.json").write_text("mine")
    argv = ["export", "distributions", "--p", "1,0", "--q", "1,1", "--out", str(tmp_path)]
    assert run_cli(argv) == 2
    assert "--force" in capsys.readouterr().err
    assert os.listdir(tmp_path) == ["metrics.json"]
    assert (tmp_path / "metrics.json").read_text() == "mine"


def test_no_command_prints_help(capsys):
    assert run_cli([]) == 0
    assert "export" in capsys.readouterr().out


@pytest.mark.slow
def test_export_model_writes_plots_repr_summary_and_weights(tmp_path):
    out = tmp_path / "model"
    result = run(
        "export",
        "model",
        "--input-features",
        "20",
        "--hidden",
        "16,8",
        "--output-features",
        "3",
        "--parameter",
        "linear2.weight",
        "--out",
        str(out),
        "--width",
        "400",
    )
    assert result.returncode == 0, result.stderr
    assert (out / "model.txt").read_text().startswith("MLP(\n  (linear1): Linear(in_features=20")
    summary = json.loads((out / "model.json").read_text())
    assert summary["total_params"] == 20 * 16 + 16 + 16 * 8 + 8 + 8 * 3 + 3
    assert summary["state_dict"]["linear2.weight"] == [8, 16]
    with np.load(out / "weights.npz", allow_pickle=False) as weights:
        weight = weights["linear2.weight"]
    with open(out / "model-weight-heatmap.csv", newline="") as handle:
        rows = list(csv.reader(handle))[1:]
    matrix = np.array([[float(v) for v in row[1:]] for row in rows])
    assert matrix.shape in (weight.shape, weight.T.shape)
    assert np.allclose(matrix if matrix.shape == weight.shape else matrix.T, weight, atol=1e-8)
    assert "weight-heatmap" in check_figures(out, "model", 400)


def test_model_arguments_are_checked_before_anything_is_built(capsys, tmp_path):
    argv = ["export", "model", "--input-features", "100000", "--hidden", "10000"]
    assert run_cli([*argv, "--out", str(tmp_path / "o")]) == 2
    assert "budget" in capsys.readouterr().err.lower()
    assert run_cli(["export", "model", "--parameter", "linear9.bias", "--out", str(tmp_path)]) == 2
    assert "linear1.weight" in capsys.readouterr().err


def test_a_training_model_above_the_budget_fails_at_once_in_one_line(tmp_path):
    out = tmp_path / "t"
    result = run("export", "training", "--dataset", "digits", "--hidden", "16384,16384,16384",
                 "--out", str(out))  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "Traceback" not in result.stderr
    assert "explorer export training: error: 64-16384-16384-16384-10 would hold" in result.stderr
    assert "above the parameter budget of 50,000,000; nothing was allocated" in result.stderr
    assert not out.exists()


def test_export_training_prices_the_model_before_building_it(capsys, tmp_path, monkeypatch):
    from explorer.model.config import MLPConfig

    monkeypatch.setattr(MLPConfig, "build", lambda config: pytest.fail("allocated"))
    argv = ["export", "training", "--dataset", "digits", "--hidden", "16384 16384 16384"]
    assert run_cli([*argv, "--out", str(tmp_path / "t")]) == 2
    assert "budget" in capsys.readouterr().err


@pytest.mark.slow
def test_export_losses_writes_curves_and_the_engine_value(tmp_path):
    from explorer.engine import Tensor
    from explorer.engine.nn import functional as F

    out = tmp_path / "losses"
    result = run(
        "export",
        "losses",
        "--loss",
        "KLDiv",
        "--reduction",
        "batchmean",
        "--seed",
        "3",
        "--out",
        str(out),
        "--width",
        "600",
        "--formats",
        "png,csv",
    )
    assert result.returncode == 0, result.stderr
    report = json.loads((out / "loss.json").read_text())
    assert report["loss"] == "KLDiv" and report["reduction"] == "batchmean"
    x = Tensor(np.array(report["input"]))
    expected = F.kl_div(
        F.log_softmax(x, dim=1), Tensor(np.array(report["target"])), reduction="batchmean"
    )
    assert report["value"] == pytest.approx(float(expected.item()), rel=1e-12)
    assert "nn.KLDivLoss" in report["pytorch_code"]
    assert csv_header(out / "losses-regression-curves.csv")[1] == "L1"
    assert max(png_size(png)[0] for png in out.glob("losses-*.png")) == 600  # the widest plot
    assert png_size(out / "losses-classification-loss.png")[0] <= 600
    assert not list(out.glob("*.svg"))


def test_loss_options_are_checked_against_the_loss(capsys, tmp_path):
    argv = ["export", "losses", "--loss", "mse", "--reduction", "batchmean", "--out", str(tmp_path)]
    assert run_cli(argv) == 2
    assert "not one of MSE's" in capsys.readouterr().err
    assert (
        run_cli(["export", "losses", "--loss", "l1", "--delta", "2", "--out", str(tmp_path)]) == 2
    )
    assert "--delta is not an option of L1" in capsys.readouterr().err
    assert run_cli(["export", "losses", "--loss", "hinge", "--out", str(tmp_path)]) == 2
    assert "'hinge' is not one of" in capsys.readouterr().err
    assert os.listdir(tmp_path) == []


def test_a_negative_value_is_joined_to_its_option():
    from explorer.cli import join_negative_values

    assert join_negative_values(["--p", "-1,1,0", "--q", "-.5", "--n", "3", "--force"]) == [
        "--p=-1,1,0",
        "--q=-.5",
        "--n",
        "3",
        "--force",
    ]


def test_loss_flags_become_loss_options_and_the_output_keeps_its_shape():
    from explorer.cli import build_parser
    from explorer.cli.losses import loss_options, nested

    argv = ["export", "losses", "--loss", "CrossEntropy", "--out", "o", "--c", "3"]
    argv += ["--label-smoothing", "0.1", "--ignore-index=-1", "--weight", "1,2,1"]
    kind, options = loss_options(build_parser().parse_args(argv))
    assert (kind, options.label_smoothing, options.ignore_index) == ("CrossEntropy", 0.1, -1)
    assert options.weight == (1.0, 2.0, 1.0)
    argv = ["export", "losses", "--loss", "kldiv", "--log-target", "--out", "o"]
    assert loss_options(build_parser().parse_args(argv))[1].log_target is True
    assert nested(np.array([[1.0, np.inf], [0.5, 2.0]])) == [[1.0, "inf"], [0.5, 2.0]]
    assert nested(np.float64(3.0)) == 3.0


@pytest.mark.parametrize(
    ("failure", "code"),
    [
        (RuntimeError("the dataset could not be made"), 1),
        (ValueError("not enough samples for a validation split"), 2),
        (KeyboardInterrupt(), 130),
    ],
)
@pytest.mark.parametrize("where", ["setup", "training"])
def test_a_failed_export_training_leaves_nothing_behind(
    capsys, tmp_path, monkeypatch, where, failure, code
):
    import explorer.training
    from explorer.training.trainer import Trainer

    def fail(*args, **kwargs):
        raise failure

    if where == "setup":
        monkeypatch.setattr(explorer.training, "setup_run", fail)
    else:
        monkeypatch.setattr(Trainer, "run", fail)
    if where == "training" and code == 2:
        code = 1  # a ValueError while training is a failure, not a bad argument
    (tmp_path / "mine.txt").write_text("mine")
    for out in (tmp_path / "new" / "run", tmp_path):
        argv = ["export", "training", "--epochs", "1", "--out", str(out)]
        assert run_cli(argv) == code
        assert str(failure) in capsys.readouterr().err
        assert os.listdir(tmp_path) == ["mine.txt"]


@pytest.mark.parametrize("tab", ["distributions", "losses", "model"])
def test_a_failed_export_removes_the_files_it_wrote(capsys, tmp_path, monkeypatch, tab):
    import explorer.ui.headless

    def fail_after_one_figure(*args, **kwargs):
        # as the real ones: (..., out, options, overwrite, refuse)
        values = [*args, *kwargs.values()]
        out, overwrite, refuse = next(v for v in values if isinstance(v, Path)), *values[-2:]
        figures = [out / f"{tab}-plot.png", out / f"{tab}-plot.csv"]
        refuse(figures, overwrite)
        figures[0].write_bytes(b"\x89PNG")
        raise OSError(28, "No space left on device", str(figures[1]))

    monkeypatch.setattr(explorer.ui.headless, f"export_{tab}", fail_after_one_figure)
    (tmp_path / "mine.txt").write_text("mine")
    options = {"distributions": ["--p", "1,0", "--q", "1,1"]}.get(tab, [])
    assert run_cli(["export", tab, *options, "--out", str(tmp_path), "--force"]) == 1
    err = capsys.readouterr().err
    assert f"failed: No space left on device: '{tmp_path / f'{tab}-plot.csv'}'" in err
    assert os.listdir(tmp_path) == ["mine.txt"]
