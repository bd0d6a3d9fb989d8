"""``explorer lr-find``: the learning-rate range test, headless: curve, plot and suggestion."""

from __future__ import annotations

import csv
import io

from explorer.cli.common import (
    EXIT_OK,
    OutputFolder,
    UsageError,
    add_output_options,
    add_run_options,
    export_options,
    integer,
    prepare_run,
    real,
    report,
    run_spec,
    use_offscreen_qt,
    write_json,
)


def add_parser(commands) -> None:
    from explorer.training.lr_finder import END_LR, NUM_STEPS, START_LR

    finder = commands.add_parser(
        "lr-find",
        help="the learning-rate range test: loss against rate, and a suggested rate",
        description="From a dataset's default run's initial weights, train for about "
        f"{NUM_STEPS} batches while the learning rate grows exponentially from {START_LR:g} "
        f"to {END_LR:g} (stopping once the smoothed loss passes 4x its minimum), then write "
        "lr_find.csv (step, lr, loss, smoothed loss), the plot (lr_find.png, lr_find.svg) and "
        "suggestion.json (lr_min_div10, the suggestion: the lowest loss's rate / 10; "
        "lr_steepest: the steepest descent's). The weights are not kept.",
    )
    add_run_options(finder, None, lr=False)
    finder.add_argument(
        "--start-lr", type=real(1e-12, 1), default=START_LR, metavar="LR",
        help=f"the first rate (default {START_LR:g})",
    )  # fmt: skip
    finder.add_argument(
        "--end-lr", type=real(1e-6, 100), default=END_LR, metavar="LR",
        help=f"the last rate (default {END_LR:g})",
    )  # fmt: skip
    finder.add_argument(
        "--steps", type=integer(5, 10_000), default=NUM_STEPS, metavar="N",
        help=f"batches (default {NUM_STEPS})",
    )  # fmt: skip
    add_output_options(finder, "the plot's formats, of png and svg (lr_find.csv is always written)")
    finder.set_defaults(run=run)


def run(args) -> int:
    from explorer.training.lr_finder import lr_range_test

    if args.start_lr >= args.end_lr:
        raise UsageError(f"--start-lr ({args.start_lr:g}) must be below --end-lr ({args.end_lr:g})")
    spec = run_spec(args)
    plots = tuple(fmt for fmt in args.formats if fmt in ("png", "svg"))
    with OutputFolder(args.out, args.force) as folder:
        prepared = prepare_run(spec)
        out = folder.path
        folder.claim(
            [out / "lr_find.csv", out / "suggestion.json"] + [out / f"lr_find.{f}" for f in plots]
        )
        result = lr_range_test(
            prepared.model, prepared.train, spec.training, args.start_lr, args.end_lr, args.steps
        )
        written = [write_csv(out / "lr_find.csv", result.rows())]
        if plots:
            use_offscreen_qt()
            from explorer.ui.gradient.headless import export_lr_plot

            options = export_options(args)
            written += export_lr_plot(result, out, plots, options, True)
        suggestion = {
            **result.suggestion(),
            "dataset": spec.dataset,
            "model": prepared.model_config.describe(),
            "optimizer": spec.training.optimizer,
            "loss": spec.training.loss,
            "batch_size": spec.training.batch_size,
            "seed": spec.training.seed,
            "start_lr": args.start_lr,
            "end_lr": args.end_lr,
        }
        written.append(write_json(out / "suggestion.json", suggestion, True))
    report(written, out)
    return EXIT_OK


def write_csv(path, rows) -> object:
    from explorer.io.atomic import write_text_atomic

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["step", "lr", "loss", "smoothed_loss"])
    writer.writerows(rows)
    write_text_atomic(path, buffer.getvalue())
    return path
