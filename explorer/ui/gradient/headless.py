"""The Gradient tab without a window: ``explorer export gradient`` and ``explorer lr-find``
draw their figures with the tab's own views (the command line sets the offscreen platform
first; see :mod:`explorer.ui.headless`)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication

from explorer.data import Dataset
from explorer.engine import nn
from explorer.lossbench.document import LossCallDocument
from explorer.model.config import MLPConfig
from explorer.model.document import ModelDocument
from explorer.training.config import TrainingConfig
from explorer.training.document import TrainingDocument
from explorer.training.lr_finder import LRFinderResult
from explorer.training.trajectory import WeightTrajectory
from explorer.ui.export.documents import tab_documents
from explorer.ui.export.files import ExportOptions, export_items, with_data
from explorer.ui.headless import WINDOW_SIZE, offscreen_app, show_offscreen

#: The Gradient tab's page each exported figure is on.
PAGE_ITEMS = {
    "graph": ("autograd-graph",),
    "landscape": ("landscape", "landscape-slice"),
}


def gradient_tab(
    config: MLPConfig,
    model: nn.Module,
    train: Dataset,
    val: Dataset,
    training: TrainingConfig,
    trajectory: WeightTrajectory | None = None,
    name: str = "",
):
    """A Gradient tab whose documents hold ``model``, the data and settings, and the path."""
    from explorer.ui.gradient.tab import GradientTab

    model_document = ModelDocument(config)
    model_document.install(config, model)
    training_document = TrainingDocument(training)
    training_document.set_data(train, val, name)
    if trajectory is not None:
        for epoch, point in zip(trajectory.epochs(), trajectory.points(), strict=True):
            training_document.trajectory.record(int(epoch), point)
    return GradientTab(model_document, training_document, LossCallDocument())


def export_gradient(run, trajectory, settings: dict, out: Path, options: dict, overwrite: bool):
    """The autograd graph of one sample and the loss landscape of a trained run, written
    into ``out``; returns ``(files written, the tab's summary)``.

    ``settings``: ``sample`` (validation sample index), ``directions`` ("random" or "pca"),
    ``seed``, ``span``, ``split`` ("train" or "val") and ``resolution``.
    """
    export_options = ExportOptions(**options)
    with offscreen_app() as made:
        tab = gradient_tab(
            run.model_config, run.model, run.train, run.val, run.spec.training, trajectory,
            run.dataset.name,
        )  # fmt: skip
        made.append(tab)
        show_offscreen(tab, *WINDOW_SIZE)
        graph = tab.graph_view
        graph.set_source("sample")
        graph.sample_index.setValue(int(settings["sample"]))
        graph.rebuild()
        graph.run_all()
        landscape = tab.landscape_view
        landscape.restore_state(
            {key: settings[key] for key in ("directions", "seed", "span", "split", "resolution")}
        )
        result = landscape.compute_now()
        if result is None:
            raise ValueError(landscape.job.status.text())
        written = []
        items = tab.export_items()
        for page, names in PAGE_ITEMS.items():
            tab.show_page(page)
            for _ in range(3):
                QApplication.processEvents()
            shown, _ = with_data({name: items[name] for name in names})
            written += export_items(shown, out, tab.export_name, export_options, overwrite)
        written += export_items(tab_documents(tab), out, tab.export_name, export_options, overwrite)
        return written, summary(tab)


def summary(tab) -> dict:
    """``gradient.json``: what the graph and the landscape show, in numbers."""
    graph = tab.graph_view.graph()
    landscape = tab.landscape_view.landscape()
    out: dict = {}
    if graph is not None:
        out["graph"] = {
            "title": graph.title,
            "nodes": len(graph.nodes),
            "ops": [graph.node(step.op).name for step in graph.steps],
            "loss": float(graph.root.value),
        }
    if landscape is not None:
        directions = landscape.directions
        explained = directions.explained
        out["landscape"] = {
            "directions": directions.kind,
            "seed": directions.seed,
            "explained_variance": None if explained is None else list(explained),
            "split": landscape.split,
            "resolution": len(landscape.alphas),
            "alpha": [float(landscape.alphas[0]), float(landscape.alphas[-1])],
            "beta": [float(landscape.betas[0]), float(landscape.betas[-1])],
            "loss_at_weights": landscape.center_loss,
            "loss_min": float(landscape.losses.min()),
            "loss_max": float(landscape.losses.max()),
            "path_points": 0 if landscape.path is None else len(landscape.path),
        }
    return out


def export_lr_plot(result: LRFinderResult, out: Path, formats: tuple[str, ...], options: dict,
                   overwrite: bool) -> list[Path]:  # fmt: skip
    """The range test's plot as ``lr_find.png`` / ``lr_find.svg`` in ``out``."""
    from explorer.ui.export.files import export_png, export_svg
    from explorer.ui.gradient.lr_finder_view import LRFinderPlot

    export_options = ExportOptions(**{**options, "formats": ("png",)})
    written = []
    with offscreen_app() as made:
        plot = LRFinderPlot()
        made.append(plot)
        plot.show_result(result)
        show_offscreen(plot, 900, 560)
        for fmt in formats:
            path = out / f"lr_find.{fmt}"
            if path.exists() and not overwrite:
                raise FileExistsError(f"would overwrite {path.name}")
            if fmt == "png":
                written.append(export_png(plot.plot_item, path, export_options))
            elif fmt == "svg":
                written.append(export_svg(plot.plot_item, path))
    return written
