"""The Gradient tab: the graph one backward() walks, the loss landscape around the weights with
the optimizer's path, and the learning-rate finder.

Three pages, each a view of the app's documents (it never calls another tab): the model
document (the MLP both the Model and Training tabs show), the training document (the Training
tab's data, settings and last run's path) and the loss call document (the Losses tab's
current call). Long computations run off the GUI thread and can be cancelled.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QTabWidget, QVBoxLayout

from explorer.inspect.autograd_graph import node_table
from explorer.lossbench.document import LossCallDocument
from explorer.model.document import ModelDocument
from explorer.training.document import TrainingDocument
from explorer.ui.gradient.graph_view import SOURCES, AutogradGraphView
from explorer.ui.gradient.landscape_view import LossLandscapeView
from explorer.ui.gradient.lr_finder_view import LRFinderView
from explorer.ui.tab_base import ExplorerTab

PAGES = ("graph", "landscape", "lr-finder")


class GradientTab(ExplorerTab):
    """Autograd graph, loss landscape and learning-rate finder, on three pages."""

    title = "Gradient"
    export_name = "gradient"

    def __init__(
        self,
        model: ModelDocument | None = None,
        training: TrainingDocument | None = None,
        losses: LossCallDocument | None = None,
        parent=None,
    ):
        super().__init__(parent)
        self.setObjectName("gradientTab")
        self.model_document = model if model is not None else ModelDocument()
        self.training_document = training if training is not None else TrainingDocument()
        self.loss_document = losses if losses is not None else LossCallDocument()
        self.graph_view = AutogradGraphView(
            self.model_document, self.training_document, self.loss_document
        )
        self.landscape_view = LossLandscapeView(self.model_document, self.training_document)
        self.lr_finder = LRFinderView(self.model_document, self.training_document)
        self.pages = QTabWidget(objectName="gradientPages")
        self.pages.addTab(self.graph_view, "Autograd graph")
        self.pages.addTab(self.landscape_view, "Loss landscape")
        self.pages.addTab(self.lr_finder, "Learning-rate finder")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.pages)

    def show_page(self, page: str) -> None:
        """Show "graph", "landscape" or "lr-finder"."""
        if page not in PAGES:
            raise ValueError(f"the Gradient tab's pages are {', '.join(PAGES)}; got {page!r}")
        self.pages.setCurrentIndex(PAGES.index(page))

    # -- ExplorerTab ----------------------------------------------------------------------------
    def export_items(self):
        return {
            "autograd-graph": self.graph_view.canvas.plot_item,
            "landscape": self.landscape_view.heatmap.plot_item,
            "landscape-slice": self.landscape_view.slice_plot.plot_item,
            "lr-finder": self.lr_finder.plot.plot_item,
        }

    def export_tables(self) -> dict[str, tuple[list[str], list[list]]]:
        """The graph's nodes as shown (values and gradients in full) and the landscape's grid
        as ``(α, β, loss)`` rows."""
        tables = {}
        records = self.graph_view.graph_nodes()
        if records:
            tables["autograd-nodes"] = node_table(records)
        rows = self.landscape_view.grid_rows()
        if rows:
            tables["landscape-grid"] = (["alpha", "beta", "loss"], [list(r) for r in rows])
        return tables

    def state(self) -> dict[str, Any]:
        return {
            "page": PAGES[self.pages.currentIndex()],
            "graph_source": self.graph_view.source.currentData(),
            "graph_sample": self.graph_view.sample_index.value(),
            "landscape": self.landscape_view.state(),
        }

    def restore_state(self, state: dict[str, Any]) -> None:
        if not isinstance(state, dict):
            raise ValueError(f"the Gradient tab's state must be an object; got {state!r}")
        unknown = sorted(set(state) - {"page", "graph_source", "graph_sample", "landscape"})
        if unknown:
            raise ValueError(f"unknown Gradient tab state key(s): {', '.join(unknown)}")
        source = state.get("graph_source", "sample")
        if source not in SOURCES:
            raise ValueError(f"graph_source must be one of {', '.join(SOURCES)}; got {source!r}")
        sample = state.get("graph_sample", 0)
        if isinstance(sample, bool) or not isinstance(sample, int) or not 0 <= sample <= 999_999:
            raise ValueError(f"graph_sample must be a whole number 0 to 999999; got {sample!r}")
        landscape = state.get("landscape", {})
        if not isinstance(landscape, dict):
            raise ValueError(f"landscape must be an object; got {landscape!r}")
        page = state.get("page", "graph")
        if page not in PAGES:
            raise ValueError(f"the Gradient tab's pages are {', '.join(PAGES)}; got {page!r}")
        self.landscape_view.restore_state(landscape)  # checks all of it before it changes any
        self.graph_view.set_source(source)
        self.graph_view.sample_index.setValue(sample)
        self.show_page(page)

    def shutdown(self) -> None:
        self.graph_view.shutdown()
        self.landscape_view.shutdown()
        self.lr_finder.shutdown()
