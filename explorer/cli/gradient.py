"""``explorer export gradient``: train headless, then the autograd graph of one sample and the
loss landscape around the trained weights with the run's path."""

from __future__ import annotations

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

DEFAULT_EPOCHS = 30


def add_parser(tabs) -> None:
    from explorer.model.config import MAX_SEED
    from explorer.model.landscape import DIRECTION_KINDS, MAX_RESOLUTION

    gradient = tabs.add_parser(
        "gradient",
        help="the autograd graph of one sample, and the loss landscape with the run's path",
        description="Train an MLP on a built-in dataset without a display, recording its "
        "weights after every epoch, then write the graph backward() walks for one validation "
        "sample (gradient-autograd-graph.*, every node's value and gradient in "
        "gradient-autograd-nodes.csv) and the loss around the trained weights on a plane "
        "(gradient-landscape.*, the slice along the first direction, and every grid point as "
        "alpha,beta,loss in gradient-landscape-grid.csv), plus gradient.json. The plane's "
        "directions are the top two PCA directions of the run's path (drawn on it) or "
        "filter-normalized random ones (Li et al. 2018).",
    )
    add_run_options(
        gradient,
        f"epochs to train before drawing (default {DEFAULT_EPOCHS})",
        default_epochs=DEFAULT_EPOCHS,
    )
    gradient.add_argument(
        "--directions",
        type=str.lower,
        choices=DIRECTION_KINDS,
        default="pca",
        metavar="KIND",
        help="pca (the run's path, default) or random (filter-normalized)",
    )
    gradient.add_argument(
        "--direction-seed", type=integer(0, MAX_SEED), default=0, metavar="S",
        help="seed of the random directions (default 0)",
    )  # fmt: skip
    gradient.add_argument(
        "--span", type=real(0.01, 100), default=1.0, metavar="X",
        help="random directions: alpha and beta from -X to X (default 1)",
    )  # fmt: skip
    gradient.add_argument(
        "--resolution", type=integer(3, MAX_RESOLUTION), default=MAX_RESOLUTION, metavar="N",
        help=f"grid points per direction (default {MAX_RESOLUTION})",
    )  # fmt: skip
    gradient.add_argument(
        "--split", choices=("train", "val"), default="train",
        help="the loss on the training (default) or validation data",
    )  # fmt: skip
    gradient.add_argument(
        "--sample", type=integer(0, 999_999), default=0, metavar="I",
        help="the validation sample whose graph is drawn (default 0)",
    )  # fmt: skip
    add_output_options(gradient)
    gradient.set_defaults(run=run)


def run(args) -> int:
    spec = run_spec(args)
    with OutputFolder(args.out, args.force) as folder:
        prepared = prepare_run(spec)
        out = folder.path
        folder.claim(planned(out, args.formats) + [out / "gradient.json"])
        trajectory = train_recording(prepared)
        use_offscreen_qt()
        from explorer.ui.gradient.headless import export_gradient

        settings = {
            "sample": args.sample,
            "directions": args.directions,
            "seed": args.direction_seed,
            "span": args.span,
            "split": args.split,
            "resolution": args.resolution,
        }
        written, summary = export_gradient(
            prepared, trajectory, settings, out, export_options(args), args.force
        )
        summary["run"] = {
            "dataset": spec.dataset,
            "model": prepared.model_config.describe(),
            "epochs": spec.training.epochs,
            "optimizer": spec.training.optimizer,
            "lr": spec.training.lr,
        }
        written.append(write_json(out / "gradient.json", summary, True))
    report(written, out)
    return EXIT_OK


def planned(out, formats) -> list:
    """The figure files ``export gradient`` writes (CSV beside them when asked)."""
    paths = [
        out / f"gradient-{name}.{fmt}"
        for name in ("autograd-graph", "landscape", "landscape-slice")
        for fmt in formats
    ]
    if "csv" in formats:
        paths += [
            out / "gradient-landscape-data.csv",
            out / "gradient-autograd-nodes.csv",
            out / "gradient-landscape-grid.csv",
        ]
    return paths


def train_recording(run):
    """Train ``run`` to the end with a progress bar, recording its weights every epoch."""
    from explorer.progress import ProgressBar
    from explorer.training.trajectory import WeightTrajectory, weight_vector

    trainer, spec = run.trainer, run.spec
    trajectory = WeightTrajectory()
    trajectory.begin(weight_vector(run.model))
    bar = ProgressBar(trainer.total_steps, label=f"training {spec.dataset}")

    def on_step(result) -> None:
        if result.epoch_finished is not None:
            trajectory.record(result.epoch_finished.epoch, weight_vector(run.model))
        bar.update(result.step, f"loss {result.loss:.4f}")

    trainer.run(callback=on_step)
    bar.finish(f"{len(trajectory)} recorded weights")
    if trainer.diverged:
        raise UsageError(f"the run {trainer.diverged}")
    return trajectory
