"""The Model tab: configure an MLP and see it as the module tree ``nn.Module`` keeps.

The tab owns the one model the app trains: the Training tab reads it with :meth:`model`,
hears about new ones through ``sigModelChanged``, calls :meth:`refresh_parameters` (throttled)
while it trains and :meth:`mark_trained` so a rebuild asks before discarding trained weights.
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

from explorer.inspect.mlp_config import (
    DEFAULT_CONFIG,
    DEFAULT_PARAMETER_BUDGET,
    build_mlp,
    check_parameter_budget,
    validate_config,
)
from explorer.inspect.module_info import first_weight, model_totals
from explorer.ui.model.build_worker import BackgroundBuild
from explorer.ui.model.config_form import ModelConfigForm
from explorer.ui.model.forward_panel import ForwardPanel
from explorer.ui.model.introspection_panel import IntrospectionPanel
from explorer.ui.model.module_tree_model import ModuleTreeModel
from explorer.ui.model.rebuild import ask_rebuild, rebuild_question
from explorer.ui.model.tab_state import VIEWS, validate_tab_state
from explorer.ui.model.weight_panel import WeightPanel
from explorer.ui.settings import make_settings
from explorer.ui.tab_base import ExplorerTab
from explorer.ui.widgets.zoom import scale_columns

BUDGET_KEY = "model/parameter_budget"
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


def load_parameter_budget() -> int:
    """The parameter budget from the app's settings (default 50 million)."""
    value = make_settings().value(BUDGET_KEY, DEFAULT_PARAMETER_BUDGET)
    try:
        budget = int(value)
    except (TypeError, ValueError):
        return DEFAULT_PARAMETER_BUDGET
    return budget if budget > 0 else DEFAULT_PARAMETER_BUDGET


class ModelTab(ExplorerTab):
    """Configure, build and inspect the shared ``nn.MLP``."""

    title = "Model"
    export_name = "model"
    sigModelChanged = Signal(object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("modelTab")
        self._model = None
        self._config: dict[str, Any] = dict(DEFAULT_CONFIG)
        self._trained = False
        self._training_probe: Callable[[], bool] = lambda: False
        # Replaced in tests: called with this tab, returns True to go ahead.
        self.confirm_rebuild: Callable[[ModelTab], bool] = ask_rebuild

        self.form = ModelConfigForm()
        self.form.set_budget(load_parameter_budget())
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
        self.build_model(confirm=False)

    def _sample_widths(self) -> list[int]:
        """The least width of each tree column: its sample text at the current font."""
        metrics = self.tree.fontMetrics()
        widths = [metrics.horizontalAdvance(s) + 10 for s in COLUMN_SAMPLES]
        widths[0] += self.tree.indentation() * 2
        return widths

    # -- the API the Training tab uses ------------------------------------------------------
    def model(self):
        """The current ``nn.MLP`` (the very instance the Training tab trains)."""
        return self._model

    def model_config(self) -> dict[str, Any]:
        """The configuration the current model was built from (a copy)."""
        return {**self._config, "hidden_sizes": list(self._config["hidden_sizes"])}

    def set_model_config(self, config: dict[str, Any], build: bool = True) -> bool:
        """Show ``config`` in the form and, if ``build``, build it.

        Raises ValueError (form untouched) if the configuration is invalid or above the
        parameter budget. Returns True when a new model was built (False if the person
        chose to keep a trained model).
        """
        config = validate_config(config)
        check_parameter_budget(config, self.form.budget)
        self.form.set_config(config)
        return self.build_model() if build else False

    def set_sample_provider(self, provider: Callable[..., Any] | None, name: str = "") -> None:
        """Let the forward inspector draw samples: ``provider(index)`` (or ``provider()``)
        returns one sample's features, or ``(features, label)``; None removes it."""
        self.forward.set_sample_provider(provider, name)

    def set_training_probe(self, probe: Callable[[], bool] | None) -> None:
        """``probe()`` is True while a training run of this model is in progress (running
        or paused), e.g. the Training tab's; a rebuild then asks first and says the run
        will stop. None removes it."""
        self._training_probe = probe or (lambda: False)

    def is_training(self) -> bool:
        """True while the training probe reports a run in progress."""
        return bool(self._training_probe())

    def rebuild_question(self) -> str:
        """The question :meth:`build_model` asks before discarding weights or a run."""
        return rebuild_question(self._trained, self.is_training())

    def mark_trained(self, trained: bool = True) -> None:
        """Record whether the model holds trained weights (a rebuild then asks first)."""
        self._trained = bool(trained)
        self._update_totals()

    def is_trained(self) -> bool:
        return self._trained

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
        try:
            config = self.form.config()
            count = check_parameter_budget(config, self.form.budget)
        except ValueError as error:
            self.form.show_error(f"Not built: {error}")
            return False
        training = confirm and self.is_training()
        if confirm and (self._trained or training) and not self.confirm_rebuild(self):
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
        self._install(build_mlp(config), config)
        return True

    def is_building(self) -> bool:
        """True while a large model is being built in the background."""
        return self._builder.is_running()

    def _on_builder_built(self, model, config) -> None:
        self.form.show_busy("")
        self._install(model, config)

    def _on_builder_failed(self, message: str) -> None:
        self.form.show_busy("")
        self.form.show_error(f"Not built: {message}")

    def _install(self, model, config: dict[str, Any]) -> None:
        selected = self.selected_path()
        self._model, self._config, self._trained = model, config, False
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
        self.forward.set_model(model, config["input_features"])
        self._update_totals()
        keep = selected is not None and self.tree_model.index_of(selected).isValid()
        self.select(selected if keep else "")
        self.sigModelChanged.emit(model)

    def _update_totals(self) -> None:
        if self._model is None:
            self.totals.setText(" ")
            return
        text = model_totals(self._model).summary()
        if self._trained:
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
            make_settings().setValue(BUDGET_KEY, budget)

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
            "config": self.model_config(),
            "selected": self.selected_path() or "",
            "recurse": self.introspection.recurse.isChecked(),
            "view": VIEWS[self.views.currentIndex()],
            "sample_source": self.forward.source_key(),
            "sample_index": self.forward.sample_index.value(),
        }

    def restore_state(self, state: dict[str, Any]) -> None:
        if isinstance(state, dict) and "config" not in state:
            state = {**state, "config": self.model_config()}  # keep the model's shape
        checked = validate_tab_state(state, self.form.budget)
        config, selected = checked["config"], checked["selected"]
        self.form.set_config(config)
        self.build_model(confirm=False)
        self.introspection.recurse.setChecked(checked["recurse"])
        self.views.setCurrentIndex(VIEWS.index(checked["view"]))
        self.forward.sample_index.setValue(checked["sample_index"])
        position = self.forward.source.findData(checked["sample_source"])
        if self.forward.source.model().item(position).isEnabled():
            self.forward.source.setCurrentIndex(position)
        if self.tree_model.index_of(selected).isValid():
            self.select(selected)
        else:
            self.introspection.show_node(self.tree_model.node(self.tree.currentIndex()))
