"""The headless command line: ``explorer export <tab> ...`` and ``explorer screenshot ...``.

Parsing and validation happen here without Qt, so ``explorer --help`` and every argument error
work on any machine; bad arguments print one line and exit with code 2, never a traceback.
Only a command that renders imports the Qt side (``explorer.ui.headless``), after setting
``QT_QPA_PLATFORM=offscreen`` so that no display is needed.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from pathlib import Path

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
TAB_NAMES = ("distributions", "losses", "model", "training")
MAX_SCREENSHOT_SIDE = 8192
MAX_CATEGORIES = 32


class UsageError(Exception):
    """A bad argument found after parsing; printed as one line, exit code 2."""


class _Parser(argparse.ArgumentParser):
    """argparse, but an error is one line (no usage block) and never a traceback."""

    def error(self, message: str):
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


# -- argument types (each error message quotes the bad value) ----------------------------
def _distribution(text: str) -> list[float]:
    parts = [part.strip() for part in text.split(",")]
    if not text.strip() or any(part == "" for part in parts):
        raise argparse.ArgumentTypeError(f"{text!r} is not a comma-separated list of numbers")
    values = []
    for part in parts:
        try:
            value = float(part)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{text!r} is not a list of numbers ({part!r} is not a number)"
            ) from None
        if not math.isfinite(value):
            raise argparse.ArgumentTypeError(f"{text!r} has a non-finite entry {part!r}")
        if value < 0:
            raise argparse.ArgumentTypeError(f"{text!r} has a negative entry {part!r}")
        values.append(value)
    if len(values) > MAX_CATEGORIES:
        raise argparse.ArgumentTypeError(f"{len(values)} categories; at most {MAX_CATEGORIES}")
    if sum(values) == 0:
        raise argparse.ArgumentTypeError(f"{text!r} is all zeros; it cannot be normalized")
    return values


def _base(text: str) -> float:
    from explorer.info import resolve_base

    try:
        return resolve_base(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _integer(low: int, high: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{value} is out of range ({low} to {high})")
        return value

    return parse


def _real(low: float, high: float):
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if not (math.isfinite(value) and low <= value <= high):
            raise argparse.ArgumentTypeError(f"{text!r} is out of range ({low:g} to {high:g})")
        return value

    return parse


def _formats(text: str) -> tuple[str, ...]:
    formats = tuple(dict.fromkeys(f.strip().lower() for f in text.split(",") if f.strip()))
    bad = [f for f in formats if f not in ("png", "svg", "csv")]
    if bad or not formats:
        raise argparse.ArgumentTypeError(f"{text!r}: formats are png, svg and csv")
    return formats


def _add_output_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--out",
        required=True,
        type=Path,
        metavar="DIR",
        help="folder to write into (created if missing)",
    )
    parser.add_argument(
        "--formats",
        type=_formats,
        default=("png", "svg", "csv"),
        metavar="LIST",
        help="which figure formats to write, e.g. png,svg (default: png,svg,csv)",
    )
    size = parser.add_mutually_exclusive_group()
    size.add_argument(
        "--width",
        type=_integer(16, 16384),
        metavar="PX",
        help="PNG width in pixels; the height keeps the plot's aspect ratio",
    )
    size.add_argument(
        "--scale",
        type=_real(0.1, 16),
        metavar="X",
        help="PNG size as a multiple of the plot's size in the app (default 2)",
    )
    parser.add_argument("--force", action="store_true", help="overwrite files that already exist")


# -- the parser ---------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    from explorer import __version__

    parser = _Parser(
        prog="explorer",
        description="A visual explorer for the mathematics of training a neural network. "
        "Run with no arguments to open the app; the commands below need no display.",
        epilog="Examples:\n"
        "  explorer export distributions --p 1,0,0 --q 0.8,0.1,0.1 --out figs\n"
        "  explorer screenshot --tab distributions --out distributions.png\n",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"explorer {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    export = commands.add_parser(
        "export",
        help="write a tab's figures (PNG, SVG, CSV) and numbers into a folder",
        description="Write a tab's figures as PNG, SVG and CSV, plus its numbers as JSON. "
        "Files are named <tab>-<plot>.<ext>; existing files are kept unless --force.",
    )
    tabs = export.add_subparsers(dest="tab", metavar="TAB", required=True, parser_class=_Parser)

    dist = tabs.add_parser(
        "distributions",
        help="P and Q as bars, KL contributions, the H(P,Q) decomposition, sensitivity",
        description="Export the Distributions tab for two discrete distributions P and Q, "
        "and metrics.json with entropy, cross entropy, KL (both ways) and JS. "
        'Entries are normalized to sum 1; infinity is written as "inf".',
    )
    dist.add_argument(
        "--p",
        required=True,
        type=_distribution,
        metavar="LIST",
        help="P as comma-separated non-negative numbers, e.g. 1,0,0",
    )
    dist.add_argument(
        "--q",
        required=True,
        type=_distribution,
        metavar="LIST",
        help="Q, with as many entries as P, e.g. 0.8,0.1,0.1",
    )
    dist.add_argument(
        "--base",
        type=_base,
        default=2.0,
        metavar="B",
        help="logarithm base: 2 (bits, default), e (nats) or 10 (hartleys)",
    )
    _add_output_options(dist)
    dist.set_defaults(run=_run_export_distributions)

    _add_training_parser(tabs)
    _add_model_parser(tabs)
    _add_losses_parser(tabs)

    shot = commands.add_parser(
        "screenshot",
        help="render a tab as the app shows it, to a PNG",
        description="Render the main window showing one tab, offscreen, to a PNG file.",
    )
    shot.add_argument(
        "--tab",
        required=True,
        type=str.lower,
        choices=TAB_NAMES,
        metavar="NAME",
        help=f"the tab to show: {', '.join(TAB_NAMES)}",
    )
    shot.add_argument("--out", required=True, type=Path, metavar="FILE.png", help="PNG to write")
    shot.add_argument(
        "--width",
        type=_integer(320, MAX_SCREENSHOT_SIDE),
        default=1280,
        metavar="PX",
        help="window width in pixels (default 1280)",
    )
    shot.add_argument(
        "--height",
        type=_integer(240, MAX_SCREENSHOT_SIDE),
        default=820,
        metavar="PX",
        help="window height in pixels (default 820)",
    )
    shot.add_argument("--force", action="store_true", help="overwrite the file if it exists")
    shot.set_defaults(run=_run_screenshot)
    return parser


def _add_training_parser(tabs) -> None:
    from explorer.training import DATASET_NAMES, DEFAULT_RUN, LOSSES, OPTIMIZERS
    from explorer.training.config import MAX_BATCH_SIZE, MAX_EPOCHS, MAX_SEED

    training = DEFAULT_RUN.training
    train = tabs.add_parser(
        "training",
        help="train the MLP headless; loss and accuracy curves, history, metrics, weights",
        description="Train an MLP on a built-in dataset without a display, with a progress "
        "bar on stderr, then write the loss and accuracy curves (PNG, SVG, CSV), history.csv "
        "(one row per epoch), metrics.json and weights.npz (keyed like PyTorch's state_dict). "
        f"Without options this is the app's default run ({DEFAULT_RUN.dataset}, "
        f"{training.epochs} epochs, {training.optimizer}, lr {training.lr:g}).",
    )
    train.add_argument(
        "--dataset",
        type=str.lower,
        choices=DATASET_NAMES,
        default=DEFAULT_RUN.dataset,
        metavar="NAME",
        help=f"one of {', '.join(DATASET_NAMES)} (default {DEFAULT_RUN.dataset})",
    )
    train.add_argument(
        "--epochs",
        type=_integer(1, MAX_EPOCHS),
        metavar="N",
        help="passes over the training data (default: the dataset's default run)",
    )
    train.add_argument(
        "--seed",
        type=_integer(0, MAX_SEED),
        metavar="S",
        help="seed of the split, the initial weights and the batch order (default 0)",
    )
    train.add_argument(
        "--batch-size", type=_integer(1, MAX_BATCH_SIZE), metavar="B", help="samples per step"
    )
    train.add_argument("--lr", type=_real(1e-8, 10), metavar="LR", help="learning rate")
    train.add_argument(
        "--optimizer",
        type=str.lower,
        choices=OPTIMIZERS,
        metavar="NAME",
        help=f"one of {', '.join(OPTIMIZERS)}",
    )
    train.add_argument(
        "--loss",
        type=str.lower,
        choices=LOSSES,
        metavar="NAME",
        help=f"one of {', '.join(LOSSES)}",
    )
    train.add_argument(
        "--hidden",
        type=_hidden_sizes,
        metavar="LIST",
        help="hidden layer sizes, e.g. 32,32 (empty string for none)",
    )
    _add_output_options(train)
    train.set_defaults(run=_run_export_training)


def _add_model_parser(tabs) -> None:
    from explorer.engine import nn
    from explorer.inspect.mlp_config import DEFAULT_CONFIG, DTYPES, MAX_FEATURES

    model = tabs.add_parser(
        "model",
        help="an MLP's weight heatmap and histograms, print(model), parameter counts",
        description="Build nn.MLP as the Model tab does and write the selected parameter's "
        "heatmap and histograms (PNG, SVG, CSV), model.txt (print(model), as PyTorch prints "
        "it), model.json (configuration, state_dict shapes, parameter counts) and weights.npz. "
        "Defaults are the lecture's Model(784, 256, 10, init_weight='he', init_bias='zero').",
    )
    features = _integer(1, MAX_FEATURES)
    model.add_argument(
        "--input-features",
        type=features,
        default=DEFAULT_CONFIG["input_features"],
        metavar="N",
        help=f"input width (default {DEFAULT_CONFIG['input_features']})",
    )
    model.add_argument(
        "--hidden",
        type=_hidden_sizes,
        metavar="LIST",
        help="hidden layer sizes, e.g. 256 or 256,128 (empty string for none; default 256)",
    )
    model.add_argument(
        "--output-features",
        type=features,
        default=DEFAULT_CONFIG["output_features"],
        metavar="N",
        help=f"output width (default {DEFAULT_CONFIG['output_features']})",
    )
    model.add_argument(
        "--activation",
        type=str.lower,
        choices=nn.MLP.ACTIVATIONS,
        metavar="NAME",
        default=DEFAULT_CONFIG["activation"],
        help=f"one of {', '.join(nn.MLP.ACTIVATIONS)}",
    )
    model.add_argument(
        "--init-weight",
        type=str.lower,
        choices=nn.MLP.INIT_WEIGHTS,
        metavar="NAME",
        default=DEFAULT_CONFIG["init_weight"],
        help=f"one of {', '.join(nn.MLP.INIT_WEIGHTS)}",
    )
    model.add_argument(
        "--init-bias",
        type=str.lower,
        choices=nn.MLP.INIT_BIASES,
        metavar="NAME",
        default=DEFAULT_CONFIG["init_bias"],
        help=f"one of {', '.join(nn.MLP.INIT_BIASES)}",
    )
    model.add_argument(
        "--dtype",
        type=str.lower,
        choices=DTYPES,
        default=DEFAULT_CONFIG["dtype"],
        metavar="NAME",
        help=f"one of {', '.join(DTYPES)}",
    )
    model.add_argument(
        "--seed",
        type=_integer(0, 2**32 - 1),
        default=0,
        metavar="S",
        help="seed of the initial weights (default 0)",
    )
    model.add_argument(
        "--parameter",
        default="linear1.weight",
        metavar="NAME",
        help="the parameter to plot, as state_dict names it (default linear1.weight)",
    )
    _add_output_options(model)
    model.set_defaults(run=_run_export_model)


def _add_losses_parser(tabs) -> None:
    from explorer.lossbench.spec import LOSSES
    from explorer.lossbench.tensors import MAX_SIZE

    kinds = {kind.lower(): kind for kind in LOSSES}
    losses = tabs.add_parser(
        "losses",
        help="a PyTorch loss on seeded tensors: value, gradient, code; the loss curves",
        description="Set a loss up as the Losses tab does, on seeded N x C tensors, and write "
        "its curve panels (L1/MSE/Huber/SmoothL1 vs the prediction and their slopes; cross "
        "entropy vs squared error for a sigmoid output: PNG, SVG, CSV) and loss.json (the "
        "input, target, output, value and gradient from the engine's backward, and the same "
        "call as PyTorch code).",
    )
    losses.add_argument(
        "--loss",
        type=lambda text: _choice(text, kinds),
        default="crossentropy",
        metavar="NAME",
        help=f"one of {', '.join(LOSSES)} (default CrossEntropy)",
    )
    losses.add_argument(
        "--reduction",
        choices=("none", "mean", "sum", "batchmean"),
        metavar="R",
        help="none, mean, sum (batchmean for KLDiv); default mean",
    )
    losses.add_argument("--delta", type=_real(1e-6, 1e6), metavar="D", help="Huber's delta")
    losses.add_argument("--beta", type=_real(1e-6, 1e6), metavar="B", help="SmoothL1's beta")
    losses.add_argument(
        "--n", type=_integer(1, MAX_SIZE), default=3, metavar="N", help="rows (default 3)"
    )
    losses.add_argument(
        "--c", type=_integer(1, MAX_SIZE), default=5, metavar="C", help="columns (default 5)"
    )
    losses.add_argument(
        "--seed",
        type=_integer(0, 2**31 - 1),
        default=0,
        metavar="S",
        help="seed of the random tensors (default 0)",
    )
    losses.add_argument(
        "--dtype",
        choices=("float32", "float64"),
        default="float64",
        metavar="T",
        help="float64 (default: the PyTorch code reproduces the value digit for digit) or float32",
    )
    _add_output_options(losses)
    losses.set_defaults(run=_run_export_losses)


def _choice(text: str, names: dict[str, str]) -> str:
    key = text.strip().lower().removesuffix("loss")
    if key not in names:
        raise argparse.ArgumentTypeError(f"{text!r} is not one of {', '.join(names.values())}")
    return names[key]


def _hidden_sizes(text: str) -> tuple[int, ...]:
    if not text.strip():
        return ()
    sizes = []
    for part in text.split(","):
        try:
            size = int(part)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{text!r} is not a list of layer sizes ({part.strip()!r} is not a whole number)"
            ) from None
        if not 1 <= size <= 16384:
            raise argparse.ArgumentTypeError(f"layer size {size} is out of range (1 to 16384)")
        sizes.append(size)
    if len(sizes) > 8:
        raise argparse.ArgumentTypeError(f"{len(sizes)} hidden layers; at most 8")
    return tuple(sizes)


# -- running ------------------------------------------------------------------------------
def run_cli(argv: list[str]) -> int:
    """Parse ``argv`` and run the command; return the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version and argument errors
        return int(exc.code or 0)
    if args.command is None:
        parser.print_help()
        return EXIT_OK
    try:
        return args.run(args)
    except UsageError as exc:
        print(f"explorer {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("explorer: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 (a command-line tool reports, never dumps)
        print(f"explorer {args.command}: failed: {exc}", file=sys.stderr)
        if os.environ.get("EXPLORER_DEBUG"):
            raise
        return EXIT_FAILED


def _use_offscreen_qt() -> None:
    # Before the first Qt import: the CLI renders without any display.
    os.environ["QT_QPA_PLATFORM"] = "offscreen"


def _output_folder(args) -> Path:
    from explorer.io.atomic import WriteLocationError, check_writable_folder

    try:
        return check_writable_folder(args.out, create=True)
    except WriteLocationError as exc:
        raise UsageError(f"--out: {exc}") from None


def _export_options(args):
    scale = args.scale if args.scale is not None or args.width is not None else 2.0
    return {"formats": args.formats, "width": args.width, "scale": scale}


def _metric(value: float):
    """JSON has no infinity: write it as the string "inf"."""
    value = float(value)
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    if math.isnan(value):
        return "nan"
    return value


def distribution_metrics(p, q, base: float) -> dict:
    """The numbers ``metrics.json`` holds for P and Q, from ``explorer.info``."""
    from explorer.info import cross_entropy, entropy, js_divergence, kl_divergence

    return {
        "base": _metric(base),
        "entropy_p": _metric(entropy(p, base=base)),
        "entropy_q": _metric(entropy(q, base=base)),
        "cross_entropy": _metric(cross_entropy(p, q, base=base)),
        "cross_entropy_qp": _metric(cross_entropy(q, p, base=base)),
        "kl_pq": _metric(kl_divergence(p, q, base=base)),
        "kl_qp": _metric(kl_divergence(q, p, base=base)),
        "js": _metric(js_divergence(p, q, base=base)),
    }


def _write_json(path: Path, data: dict, force: bool) -> Path:
    from explorer.io.atomic import write_text_atomic

    if path.exists() and not force:
        raise UsageError(f"{str(path)!r} exists; pass --force to overwrite it")
    write_text_atomic(path, json.dumps(data, indent=2) + "\n")
    return path


def _refuse_existing(paths: list[Path], force: bool) -> None:
    existing = [p for p in paths if p.exists()]
    if existing and not force:
        names = ", ".join(p.name for p in existing[:6])
        more = f" and {len(existing) - 6} more" if len(existing) > 6 else ""
        raise UsageError(f"would overwrite {names}{more}; pass --force to overwrite")


def _run_export_distributions(args) -> int:
    if len(args.p) != len(args.q):
        raise UsageError(
            f"--p has {len(args.p)} entries and --q has {len(args.q)}; they must match"
        )
    try:
        metrics = distribution_metrics(args.p, args.q, args.base)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    out = _output_folder(args)
    _refuse_existing([out / "metrics.json"], args.force)
    _use_offscreen_qt()
    from explorer.ui.headless import export_distributions

    written = export_distributions(
        args.p,
        args.q,
        args.base,
        out,
        _export_options(args),
        overwrite=args.force,
        refuse=_refuse_existing,
    )
    written.append(_write_json(out / "metrics.json", metrics, args.force))
    _report(written, out)
    return EXIT_OK


TRAINING_FIGURES = ("loss", "accuracy")


def training_spec(args):
    """The RunSpec the arguments describe: the dataset's default run, with overrides."""
    from dataclasses import replace

    from explorer.training import default_run_for

    spec = default_run_for(args.dataset)
    changes = {
        key: value
        for key, value in (
            ("epochs", args.epochs),
            ("seed", args.seed),
            ("batch_size", args.batch_size),
            ("lr", args.lr),
            ("optimizer", args.optimizer),
            ("loss", args.loss),
        )
        if value is not None
    }
    spec = spec.with_training(**changes)
    if args.hidden is not None:
        spec = replace(spec, hidden_sizes=args.hidden)
    try:
        return spec.validate()
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def training_metrics(history, seconds: float, diverged: str | None) -> dict:
    last = history.last_epoch
    metrics = {
        "train_loss": None if last is None else _metric(last.train_loss),
        "val_loss": None if last is None else _metric(last.val_loss),
        "val_accuracy": None if last is None else _metric(last.val_accuracy),
        "epochs": 0 if last is None else last.epoch,
        "seconds": round(seconds, 3),
    }
    if diverged:
        metrics["diverged"] = diverged
    return metrics


def _run_export_training(args) -> int:
    import time

    from explorer.progress import ProgressBar
    from explorer.training import save_weights, setup_run

    spec = training_spec(args)
    out = _output_folder(args)
    figures = [out / f"training-{name}.{fmt}" for name in TRAINING_FIGURES for fmt in args.formats]
    fixed = [out / "history.csv", out / "metrics.json", out / "weights.npz"]
    _refuse_existing(figures + fixed, args.force)
    try:
        run = setup_run(spec)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    trainer = run.trainer
    config = spec.training
    bar = ProgressBar(trainer.total_steps, label=f"training {spec.dataset}")
    epoch_line = {"text": ""}

    def on_step(result) -> None:
        if result.epoch_finished is not None:
            record = result.epoch_finished
            epoch_line["text"] = (
                f"epoch {record.epoch}/{config.epochs}  val_loss {record.val_loss:.4f}  "
                f"val_acc {100 * record.val_accuracy:.1f}%"
            )
        bar.update(result.step, epoch_line["text"] or f"loss {result.loss:.4f}")

    started = time.perf_counter()
    history = trainer.run(callback=on_step)
    seconds = time.perf_counter() - started
    bar.finish(epoch_line["text"])
    if trainer.diverged:
        print(f"explorer export training: {trainer.diverged}", file=sys.stderr)

    _use_offscreen_qt()
    from explorer.ui.headless import export_training_figures

    written = export_training_figures(history, spec, out, _export_options(args), args.force)
    history.write_csv(out / "history.csv")
    written.append(out / "history.csv")
    written.append(
        _write_json(
            out / "metrics.json", training_metrics(history, seconds, trainer.diverged), True
        )
    )
    written.append(save_weights(run.model, out / "weights.npz"))
    _report(written, out)
    return EXIT_FAILED if trainer.diverged else EXIT_OK


def model_config(args) -> dict:
    """The Model tab's configuration dict for the arguments (validated, budget checked)."""
    from explorer.inspect.mlp_config import (
        DEFAULT_CONFIG,
        DEFAULT_PARAMETER_BUDGET,
        check_parameter_budget,
        validate_config,
    )

    hidden = DEFAULT_CONFIG["hidden_sizes"] if args.hidden is None else list(args.hidden)
    try:
        config = validate_config(
            {
                "input_features": args.input_features,
                "hidden_sizes": hidden,
                "output_features": args.output_features,
                "activation": args.activation,
                "init_weight": args.init_weight,
                "init_bias": args.init_bias,
                "dtype": args.dtype,
                "seed": args.seed,
            }
        )
        check_parameter_budget(config, DEFAULT_PARAMETER_BUDGET)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    return config


def _run_export_model(args) -> int:
    import numpy as np

    from explorer.inspect.mlp_config import build_mlp
    from explorer.inspect.module_info import model_totals
    from explorer.io.atomic import atomic_path, write_text_atomic

    config = model_config(args)
    model = build_mlp(config)
    state = model.state_dict()
    if args.parameter not in state:
        raise UsageError(
            f"--parameter: the model has no {args.parameter!r}; it has {', '.join(state)}"
        )
    out = _output_folder(args)
    fixed = [out / "model.txt", out / "model.json", out / "weights.npz"]
    _refuse_existing(fixed, args.force)
    _use_offscreen_qt()
    from explorer.ui.headless import export_model

    written = export_model(
        config, args.parameter, out, _export_options(args), args.force, _refuse_existing
    )
    write_text_atomic(out / "model.txt", repr(model) + "\n")
    totals = model_totals(model)
    summary = {
        "config": config,
        "state_dict": {key: list(np.shape(value)) for key, value in state.items()},
        "total_params": totals.total_params,
        "trainable_params": totals.trainable_params,
        "params_size_mb": round(totals.params_size_mb, 6),
    }
    written.append(_write_json(out / "model.json", summary, True))
    with atomic_path(out / "weights.npz") as tmp:
        np.savez(tmp, **{key: np.asarray(value) for key, value in state.items()})
    written += [out / "model.txt", out / "weights.npz"]
    _report(written, out)
    return EXIT_OK


def loss_options(args):
    """The loss kind and its LossOptions from the arguments (ValueError -> UsageError)."""
    from explorer.lossbench.spec import LOSSES, LossOptions, replace_options

    spec = LOSSES[args.loss]
    changes = {}
    if args.reduction is not None:
        if args.reduction not in spec.reductions:
            raise UsageError(
                f"--reduction {args.reduction!r} is not one of {args.loss}'s: "
                f"{', '.join(spec.reductions)}"
            )
        changes["reduction"] = args.reduction
    for name in ("delta", "beta"):
        value = getattr(args, name)
        if value is not None:
            if name not in spec.options:
                raise UsageError(f"--{name} is not an option of {args.loss}")
            changes[name] = value
    try:
        return args.loss, replace_options(LossOptions(), **changes)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def _run_export_losses(args) -> int:
    kind, options = loss_options(args)
    out = _output_folder(args)
    _refuse_existing([out / "loss.json"], args.force)
    _use_offscreen_qt()
    from explorer.ui.headless import export_losses

    written, state = export_losses(
        kind,
        options,
        args.n,
        args.c,
        args.seed,
        args.dtype,
        out,
        _export_options(args),
        args.force,
        _refuse_existing,
    )
    written.append(_write_json(out / "loss.json", loss_report(state), True))
    _report(written, out)
    return EXIT_OK


def loss_report(state: dict) -> dict:
    """loss.json: the tab's setup, and the engine's value and gradient for it."""
    import numpy as np

    from explorer.lossbench.codegen import pytorch_code
    from explorer.lossbench.evaluate import LossRejected, evaluate
    from explorer.lossbench.spec import LossOptions

    kind, dtype = state["loss"], state["dtype"]
    options = LossOptions.from_dict(state["options"])
    x, t = np.asarray(state["input"]), np.asarray(state["target"])
    report = {"loss": kind, "options": options.to_dict(), "dtype": dtype}
    report.update(input=state["input"], target=state["target"])
    try:
        result = evaluate(kind, options, x, t, dtype)
    except LossRejected as exc:
        report["rejected"] = str(exc)
        return report
    report.update(
        reduction=result.reduction,
        value=_metric(result.value),
        output=[_metric(v) for v in np.ravel(result.output)]
        if result.output.ndim
        else _metric(result.output),
        grad=[[_metric(v) for v in row] for row in np.atleast_2d(result.grad)],
        warnings=list(result.warnings),
        pytorch_code=pytorch_code(kind, options, x, t, dtype),
    )
    return report


def _run_screenshot(args) -> int:
    out: Path = args.out
    if out.suffix.lower() != ".png":
        raise UsageError(f"--out must name a .png file; got {str(out)!r}")
    from explorer.io.atomic import WriteLocationError, check_writable_folder

    try:
        check_writable_folder(out.parent if str(out.parent) else Path("."), create=True)
    except WriteLocationError as exc:
        raise UsageError(f"--out: {exc}") from None
    _refuse_existing([out], args.force)
    _use_offscreen_qt()
    from explorer.ui.headless import screenshot

    screenshot(args.tab, out, args.width, args.height)
    _report([out], out.parent)
    return EXIT_OK


def _report(written: list[Path], folder: Path) -> None:
    print(f"wrote {len(written)} file(s) to {folder}:", file=sys.stderr)
    for path in written:
        print(path)
