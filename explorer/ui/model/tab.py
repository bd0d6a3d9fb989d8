"""The Model tab: configure an MLP and see it as the module tree ``nn.Module`` keeps.

The tab is a view of the :class:`~explorer.model.document.ModelDocument` the window owns: it
builds the form's configuration into the document and shows whatever model the document
holds, whoever built it (the Training tab adapts it to its data); it re-reads the parameters
when the document says they changed (a run is training them) and asks before a rebuild
discards trained weights or stops a run.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QSplitter,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from explorer.inspect.module_info import first_weight, model_totals
from explorer.model.budget import ParameterBudget
from explorer.model.config import MLPConfig
from explorer.model.document import ModelDocument
from explorer.ui.model.build_worker import BackgroundBuild
from explorer.ui.model.config_form import ModelConfigForm
from explorer.ui.model.forward_panel import ForwardPanel
from explorer.ui.model.introspection_panel import IntrospectionPanel
from explorer.ui.model.module_tree_model import ModuleTreeModel
from explorer.ui.model.rebuild import ask_rebuild, rebuild_question
from explorer.ui.model.tab_state import VIEWS, validate_tab_state
from explorer.ui.model.weight_panel import WeightPanel
from explorer.ui.tab_base import ExplorerTab, bind
from explorer.ui.widgets.zoom import scale_columns

# Above this many parameters the Build button builds in a worker thread (~0.1 s and more).
BACKGROUND_BUILD_THRESHOLD = 2_000_000
# Widest expected content per column, so widths are set once, without reading every row.
COLUMN_SAMPLES = (
    "linear10  ",
    "Parameter",
    "(2048, 2048)",
    "4,196,352",
    "float32",
    "requires_grad",
    "-8.888e+88",  # format_value's widest: 4 significant digits, signed, in scientific form
    "8.888e+88",
    "8.888e+88",
)

#: Columns fitted to each new model's texts (the statistics change too often for that).
FITTED_COLUMNS = (0, 1, 2, 3, 4)


class ModelTab(ExplorerTab):
    """Configure, build and inspect the shared ``nn.MLP``."""

    title = "Model"
    export_name = "model"
    sigModelChanged = Signal(object)

    def __init__(self, document: ModelDocument | None = None, parent=None):
        super().__init__(parent)
        self.setObjectName("modelTab")
        self.document = document if document is not None else ModelDocument()
        # Replaced in tests: called with this tab, returns True to go ahead.
        self.confirm_rebuild: Callable[[ModelTab], bool] = ask_rebuild

        self.form = ModelConfigForm()
        self.form.set_budget(self.document.budget.limit)
        self.form.sigBuildRequested.connect(self._on_form_build_requested)
        self.form.sigBudgetChanged.connect(self._on_form_budget_changed)

        self.tree_model = ModuleTreeModel(self)
        self.tree = QTreeView()
        self.tree.setObjectName("moduleTree")
        self.tree.setModel(self.tree_model)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setToolTip(
            "The live module tree: modules and the parameters in their _parameters. "
            "Select a row to list its parameters() and show its weights."
        )
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate(self._sample_widths()):
            self.tree.setColumnWidth(column, width)
        scale_columns(self.tree)  # with the zoom
        self.tree.selectionModel().currentChanged.connect(self._on_tree_current_changed)
        self.copy_path_action = QAction("Copy Python path", self.tree)
        self.copy_path_action.setShortcut(QKeySequence.StandardKey.Copy)
        self.copy_path_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.copy_path_action.setToolTip(
            "Copy how to reach the row from Python, e.g. model.linear1.weight"
        )
        self.copy_path_action.triggered.connect(self._on_copy_path_triggered)
        self.tree.addAction(self.copy_path_action)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

        self.totals = QLabel(" ")
        self.totals.setObjectName("modelTotals")
        self.totals.setToolTip("torchinfo's totals: sum(p.numel() for p in model.parameters())")
        self.totals.setWordWrap(True)  # a narrow tree column wraps it rather than clip it

        self.introspection = IntrospectionPanel()
        self.weights = WeightPanel()
        self.forward = ForwardPanel()
        self.views = QTabWidget()
        self.views.setObjectName("modelViews")
        self.views.addTab(self.weights, "Weights")
        self.views.addTab(self.forward, "Forward pass")
        self.views.setTabToolTip(0, "Heatmap and histograms of the selected parameter")
        self.views.setTabToolTip(1, "One sample through the model, seen by forward hooks")
        self.views.currentChanged.connect(self._on_views_current_changed)
        self.forward.run_button.clicked.connect(self.introspection.refresh_internals)

        tree_box = QWidget()
        tree_layout = QVBoxLayout(tree_box)
        tree_layout.setContentsMargins(0, 0, 0, 0)
        tree_layout.addWidget(self.tree, 1)
        tree_layout.addWidget(self.totals)
        left_split = QSplitter(Qt.Orientation.Vertical)
        left_split.addWidget(tree_box)
        left_split.addWidget(self.introspection)
        left_split.setSizes([280, 350])
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left_split)
        self.splitter.addWidget(self.views)
        self.splitter.setSizes([760, 520])
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        # The form spans the tab: beside it, tree and views would not fit a laptop's width.
        layout.addWidget(self.form)
        layout.addWidget(self.splitter, 1)

        self._builder = BackgroundBuild(self)
        self._builder.sigBuilt.connect(self._on_builder_built)
        self._builder.sigFailed.connect(self._on_builder_failed)
        document = self.document
        bind(self, document.model_changed, self._on_document_model_changed)
        bind(self, document.weights_changed, self.refresh_parameters)
        bind(self, document.trained_changed, self._on_document_flag_changed)
        bind(self, document.training_changed, self._on_document_flag_changed)
        bind(self, document.budget_changed, self._on_document_budget_changed)
        bind(self, document.samples_changed, self.forward.set_sample_provider)
        bind(self, document.unit_selected, self._on_document_unit_selected)
        self.forward.set_sample_provider(document.sample_provider, document.sample_name)
        self._show_model(document.model)

    def _sample_widths(self) -> list[int]:
        """The least width of each tree column: its sample text at the current font."""
        metrics = self.tree.fontMetrics()
        widths = [metrics.horizontalAdvance(s) + 10 for s in COLUMN_SAMPLES]
        widths[0] += self.tree.indentation() * 2
        return widths

    # -- the document -----------------------------------------------------------------------
    def model(self):
        """The ``nn.MLP`` the tab shows: the document's."""
        return self.document.model

    def set_model_config(self, config: MLPConfig, build: bool = True) -> bool:
        """Show ``config`` in the form and, if ``build``, build it.

        Raises ValueError (form untouched) if the configuration is above the parameter
        budget. Returns True when a new model was built (False if the person chose to keep a
        trained model).
        """
        self.document.price(config)
        self.form.set_config(config)
        return self.build_model() if build else False

    def rebuild_question(self) -> str:
        """The question :meth:`build_model` asks before discarding weights or a run."""
        return rebuild_question(self.document.trained, self.document.training)

    def refresh_parameters(self) -> None:
        """Parameter values or gradients changed in place: re-read what is on screen.

        Cheap by design: the tree re-reads the statistic columns of painted rows only, and
        the weight panel reuses its items. When the tab is hidden nothing is computed until
        it is shown again (``showEvent`` refreshes).
        """
        if not self.isVisible():
            return
        self.tree_model.refresh_statistics(self._row_on_screen)
        if self.views.currentWidget() is self.weights:
            self.weights.refresh()

    # -- building ---------------------------------------------------------------------------
    def build_model(self, confirm: bool = True, background: bool = False) -> bool:
        """Build the form's configuration; refuse (with a message) if invalid or too large.

        With ``background``, a model above ``BACKGROUND_BUILD_THRESHOLD`` parameters is
        built in a worker thread and installed when ready (``sigModelChanged`` tells).
        Returns True when a model was built or its build started.
        """
        if self._builder.is_running():
            self.form.show_error("Not built: a model is still being built.")
            return False
        document = self.document
        try:
            config = self.form.config()
            count = document.price(config)
        except ValueError as error:
            self.form.show_error(f"Not built: {error}")
            return False
        training = confirm and document.training
        if confirm and (document.trained or training) and not self.confirm_rebuild(self):
            kept = (
                "the model and its training run were kept"
                if training
                else "the trained model was kept"
            )
            self.form.show_error(f"Not built: {kept}.")
            return False
        if background and count > BACKGROUND_BUILD_THRESHOLD:
            self.form.show_busy(f"Building {count:,} parameters in the background…")
            self._builder.start(config)
            return True
        document.build(config)  # the document says so: _on_document_model_changed shows it
        return True

    def is_building(self) -> bool:
        """True while a large model is being built in the background."""
        return self._builder.is_running()

    def _on_builder_built(self, model, config) -> None:
        self.form.show_busy("")
        try:
            self.document.install(config, model)
        except ValueError as error:  # the budget was lowered while it was being built
            self.form.show_error(f"Not built: {error}")

    def _on_builder_failed(self, message: str) -> None:
        self.form.show_busy("")
        self.form.show_error(f"Not built: {message}")

    def _on_document_model_changed(self, model) -> None:
        self._show_model(model)

    def _show_model(self, model) -> None:
        selected = self.selected_path()
        config = self.document.config
        self.form.set_config(config)
        self.form.set_built_config(config)
        self.tree_model.set_model(model)
        self.tree.expandAll()
        samples = self._sample_widths()
        for column in FITTED_COLUMNS:  # a large model's names and counts are never elided
            needed = max(samples[column], self.tree.sizeHintForColumn(column))
            if needed != self.tree.columnWidth(column):
                self.tree.setColumnWidth(column, needed)
        # The first layer's weight rows look at the input picture (when it is square).
        self.weights.set_image_layer(next(iter(model._modules), None))
        self.introspection.set_model(model)
        self.forward.set_model(model, config.input_features)
        self._update_totals()
        keep = selected is not None and self.tree_model.index_of(selected).isValid()
        self.select(selected if keep else "")
        self.sigModelChanged.emit(model)

    def _on_document_flag_changed(self, _value: bool) -> None:
        self._update_totals()

    def _on_document_budget_changed(self, budget: ParameterBudget) -> None:
        self.form.set_budget(budget.limit)

    def _update_totals(self) -> None:
        text = model_totals(self.document.model).summary()
        if self.document.trained:
            text += "   · trained"
        self.totals.setText(text)

    # -- selection --------------------------------------------------------------------------
    def selected_path(self) -> str | None:
        node = self.tree_model.node(self.tree.currentIndex())
        return node.path if node is not None else None

    def select(self, path: str) -> None:
        """Select the node with qualified name ``path`` ('' = the root, 'linear1.weight')."""
        index = self.tree_model.index_of(path)
        if not index.isValid():
            raise ValueError(f"no module or parameter named {path!r} in the model")
        self.tree.setCurrentIndex(index)
        self.tree.scrollTo(index)

    def _on_document_unit_selected(self, selection) -> None:
        # A unit picked elsewhere (the Network tab): its layer's weight, its row marked.
        if selection is not None:
            layer, unit = selection
            self.select(f"{layer}.weight")
            self.views.setCurrentWidget(self.weights)
            self.weights.select_unit(unit)

    def _on_copy_path_triggered(self) -> None:
        node = self.tree_model.node(self.tree.currentIndex())
        if node is not None:
            QGuiApplication.clipboard().setText(node.code)

    def _row_on_screen(self, index) -> bool:
        rect = self.tree.visualRect(index)
        return rect.isValid() and rect.intersects(self.tree.viewport().rect())

    def _on_tree_current_changed(self, current, _previous) -> None:
        node = self.tree_model.node(current)
        self.introspection.show_node(node)
        self.weights.show_parameter(first_weight(node) if node is not None else None)

    def _on_form_build_requested(self) -> None:
        self.build_model(background=True)

    def _on_form_budget_changed(self, budget: int) -> None:
        self.document.set_budget(ParameterBudget(budget))

    def _on_views_current_changed(self, _index: int) -> None:
        if self.views.currentWidget() is self.weights:
            self.weights.refresh()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        # Training may have changed the weights while another tab was in front.
        self.refresh_parameters()

    # -- ExplorerTab ------------------------------------------------------------------------
    def shutdown(self) -> None:
        self._builder.wait()

    def export_items(self) -> dict[str, pg.GraphicsObject]:
        return {**self.weights.export_items(), **self.forward.export_items()}

    def state(self) -> dict[str, Any]:
        return {
            "selected": self.selected_path() or "",
            "recurse": self.introspection.recurse.isChecked(),
            "view": VIEWS[self.views.currentIndex()],
            "sample_source": self.forward.source_key(),
            "sample_index": self.forward.sample_index.value(),
        }

    def restore_state(self, state: dict[str, Any]) -> None:
        """The view's state (the model is the document's, restored before the tabs)."""
        checked = validate_tab_state(state)
        self.introspection.recurse.setChecked(checked["recurse"])
        self.views.setCurrentIndex(VIEWS.index(checked["view"]))
        self.forward.sample_index.setValue(checked["sample_index"])
        position = self.forward.source.findData(checked["sample_source"])
        if self.forward.source.model().item(position).isEnabled():
            self.forward.source.setCurrentIndex(position)
        selected = checked["selected"]
        if self.tree_model.index_of(selected).isValid():
            self.select(selected)
        else:
            self.introspection.show_node(self.tree_model.node(self.tree.currentIndex()))
