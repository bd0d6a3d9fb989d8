"""``explorer export training``: train headless, then curves, the network and its layers'
history, history.csv, metrics, weights."""

from __future__ import annotations

import sys

from explorer.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    OutputFolder,
    add_output_options,
    add_run_options,
    export_options,
    metric,
    prepare_run,
    report,
    run_spec,
    use_offscreen_qt,
    write_json,
)

DISTRIBUTIONS_PER_RUN = 100  # histograms of weights and gradients a headless run records


def add_parser(tabs) -> None:
    from explorer.model.budget import DEFAULT_PARAMETER_BUDGET
    from explorer.training import DEFAULT_RUN

    training = DEFAULT_RUN.training
    train = tabs.add_parser(
        "training",
        help="train the MLP headless; loss and accuracy curves, history, metrics, weights",
        description="Train an MLP on a built-in dataset without a display, with a progress "
        "bar on stderr, then write the loss and accuracy curves, the network view (what every "
        "unit computes) and each layer's history (weights and gradients over the steps, "
        "gradient norms, update ratios, dead units) as PNG, SVG and CSV, history.csv (one row "
        "per epoch, with each layer's gradient norm and update ratio), metrics.json and "
        "weights.npz (keyed like PyTorch's state_dict). "
        f"Without options this is the app's default run ({DEFAULT_RUN.dataset}, "
        f"{training.epochs} epochs, {training.optimizer}, lr {training.lr:g}). A model above "
        f"the parameter budget ({DEFAULT_PARAMETER_BUDGET:,} parameters, as the app's "
        "default) is refused before anything is built.",
    )
    add_run_options(train, "passes over the training data (default: the dataset's default run)")
    add_output_options(train)
    train.set_defaults(run=run)


def figure_names(is_2d: bool, layers: list[str] = (), relu: bool = False) -> tuple[str, ...]:
    """The plots ``export training`` writes: curves, decision regions for 2-D data, confusion,
    the network view, each layer's weights and gradients over the steps, gradient norms,
    update ratios and, for a ReLU network with hidden layers, dead units."""
    regions = ("decision-regions",) if is_2d else ()
    per_layer = tuple(f"{kind}-{name}" for name in layers for kind in ("weights", "gradients"))
    dead = ("dead-units",) if relu and len(layers) > 1 else ()
    return (
        "loss",
        "accuracy",
        *regions,
        "confusion-matrix",
        "network",
        *per_layer,
        "gradient-norms",
        "update-ratios",
        *dead,
    )


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
    spec = run_spec(args)
    with OutputFolder(args.out, args.force) as folder:
        run = prepare_run(spec)
        out = folder.path
        layers = [f"linear{i}" for i in range(1, len(spec.model.hidden_sizes) + 2)]
        names = figure_names(run.dataset.is_2d, layers, spec.model.activation == "relu")
        figures = [out / f"training-{name}.{fmt}" for name in names for fmt in args.formats]
        if run.dataset.is_2d and "csv" in args.formats:
            figures.append(out / "training-decision-regions-data.csv")  # the points beside it
        folder.claim(figures + [out / "history.csv", out / "metrics.json", out / "weights.npz"])
        return _train_and_export(args, spec, run, out)


def _train_and_export(args, spec, run, out) -> int:
    import time

    from explorer.inspect.layer_history import LayerHistory
    from explorer.progress import ProgressBar
    from explorer.training import save_weights
    from explorer.training.probes import NetworkRecorder, step_hooks

    trainer = run.trainer
    config = spec.training
    bar = ProgressBar(trainer.total_steps, label=f"training {spec.dataset}")
    epoch_line = {"text": ""}
    recorder = NetworkRecorder(
        run.model,
        run.train.x,
        epoch_steps=trainer.steps_per_epoch,
        distribution_epochs=max(1, config.epochs // DISTRIBUTIONS_PER_RUN),
    )
    layers = LayerHistory(recorder.names)
    before_step, after_step = step_hooks(trainer, recorder)

    def on_step(result) -> None:
        after_step(result)
        if result.epoch_finished is not None or result.done:
            records = recorder.drain()
            if records is not None:
                layers.extend(records)
        if result.epoch_finished is not None:
            record = result.epoch_finished
            epoch_line["text"] = (
                f"epoch {record.epoch}/{config.epochs}  val_loss {record.val_loss:.4f}  "
                f"val_acc {100 * record.val_accuracy:.1f}%"
            )
        bar.update(result.step, epoch_line["text"] or f"loss {result.loss:.4f}")

    started = time.perf_counter()
    history = trainer.run(callback=on_step, should_stop=before_step)
    seconds = time.perf_counter() - started
    bar.finish(epoch_line["text"])
    if trainer.diverged:
        print(f"explorer export training: {trainer.diverged}", file=sys.stderr)

    use_offscreen_qt()
    from explorer.ui.headless import export_training_figures

    written = export_training_figures(run, out, export_options(args), args.force, layers)
    history.write_csv(out / "history.csv", layers.epoch_columns(history.epoch_column("step")))
    written.append(out / "history.csv")
    written.append(
        write_json(out / "metrics.json", training_metrics(history, seconds, trainer.diverged), True)
    )
    written.append(save_weights(run.model, out / "weights.npz"))
    report(written, out)
    return EXIT_FAILED if trainer.diverged else EXIT_OK
