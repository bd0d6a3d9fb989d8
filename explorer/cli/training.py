"""``explorer export training``: train headless, then curves, history, metrics, weights."""

from __future__ import annotations

import sys

from explorer.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    OutputFolder,
    UsageError,
    add_output_options,
    export_options,
    hidden_sizes_type,
    integer,
    metric,
    real,
    report,
    use_offscreen_qt,
    write_json,
)


def add_parser(tabs) -> None:
    from explorer.model.budget import DEFAULT_PARAMETER_BUDGET
    from explorer.model.config import MAX_SEED
    from explorer.training import DATASET_NAMES, DEFAULT_RUN, OPTIMIZERS, TRAINING_LOSSES
    from explorer.training.config import MAX_BATCH_SIZE, MAX_EPOCHS

    training = DEFAULT_RUN.training
    train = tabs.add_parser(
        "training",
        help="train the MLP headless; loss and accuracy curves, history, metrics, weights",
        description="Train an MLP on a built-in dataset without a display, with a progress "
        "bar on stderr, then write the loss and accuracy curves (PNG, SVG, CSV), history.csv "
        "(one row per epoch), metrics.json and weights.npz (keyed like PyTorch's state_dict). "
        f"Without options this is the app's default run ({DEFAULT_RUN.dataset}, "
        f"{training.epochs} epochs, {training.optimizer}, lr {training.lr:g}). A model above "
        f"the parameter budget ({DEFAULT_PARAMETER_BUDGET:,} parameters, as the app's "
        "default) is refused before anything is built.",
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
        type=integer(1, MAX_EPOCHS),
        metavar="N",
        help="passes over the training data (default: the dataset's default run)",
    )
    train.add_argument(
        "--seed",
        type=integer(0, MAX_SEED),
        metavar="S",
        help="seed of the split, the initial weights and the batch order (default 0)",
    )
    train.add_argument(
        "--batch-size", type=integer(1, MAX_BATCH_SIZE), metavar="B", help="samples per step"
    )
    train.add_argument("--lr", type=real(1e-8, 10), metavar="LR", help="learning rate")
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
        choices=TRAINING_LOSSES,
        metavar="NAME",
        help=f"one of {', '.join(TRAINING_LOSSES)}",
    )
    train.add_argument(
        "--hidden",
        type=hidden_sizes_type,
        metavar="LIST",
        help="hidden layer sizes, e.g. 32,32 or '32 32' (empty string for none)",
    )
    add_output_options(train)
    train.set_defaults(run=run)


def figure_names(is_2d: bool) -> tuple[str, ...]:
    """The plots ``export training`` writes: curves, decision regions for 2-D data, confusion."""
    regions = ("decision-regions",) if is_2d else ()
    return ("loss", "accuracy", *regions, "confusion-matrix")


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
        spec = replace(spec, model=replace(spec.model, hidden_sizes=args.hidden))
    try:
        return spec.validate()
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def training_metrics(history, seconds: float, diverged: str | None) -> dict:
    last = history.last_epoch
    metrics = {
        "train_loss": None if last is None else metric(last.train_loss),
        "val_loss": None if last is None else metric(last.val_loss),
        "val_accuracy": None if last is None else metric(last.val_accuracy),
        "epochs": 0 if last is None else last.epoch,
        "seconds": round(seconds, 3),
    }
    if diverged:
        metrics["diverged"] = diverged
    return metrics


def run(args) -> int:
    from explorer.training import setup_run

    spec = training_spec(args)
    with OutputFolder(args.out, args.force) as folder:
        try:
            run = setup_run(spec)  # priced against the parameter budget before it is built
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        out = folder.path
        names = figure_names(run.dataset.is_2d)
        figures = [out / f"training-{name}.{fmt}" for name in names for fmt in args.formats]
        if run.dataset.is_2d and "csv" in args.formats:
            figures.append(out / "training-decision-regions-data.csv")  # the points beside it
        folder.claim(figures + [out / "history.csv", out / "metrics.json", out / "weights.npz"])
        return _train_and_export(args, spec, run, out)


def _train_and_export(args, spec, run, out) -> int:
    import time

    from explorer.progress import ProgressBar
    from explorer.training import save_weights

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

    use_offscreen_qt()
    from explorer.ui.headless import export_training_figures

    written = export_training_figures(run, out, export_options(args), args.force)
    history.write_csv(out / "history.csv")
    written.append(out / "history.csv")
    written.append(
        write_json(out / "metrics.json", training_metrics(history, seconds, trainer.diverged), True)
    )
    written.append(save_weights(run.model, out / "weights.npz"))
    report(written, out)
    return EXIT_FAILED if trainer.diverged else EXIT_OK
