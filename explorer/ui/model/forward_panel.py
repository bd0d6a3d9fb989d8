"""Forward-pass inspector: one sample through the model, every layer's activations shown.

The numbers come from :func:`explorer.inspect.forward_trace.forward_trace`, which uses the
engine's forward hooks and removes them afterwards.
"""

from __future__ import annotations

import html
import inspect
from collections.abc import Callable
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QItemSelectionModel, QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from explorer.inspect.forward_trace import ForwardTrace, forward_trace, prepare_input
from explorer.inspect.module_info import format_shape
from explorer.inspect.number_format import format_value
from explorer.inspect.samples import IndexedSamples
from explorer.ui.model.plot_style import ValueAxisItem, style_plot
from explorer.ui.theme import add_legend, theme
from explorer.ui.widgets.spin_box import SpinBox

RANDOM_SOURCE = "random"
DATASET_SOURCE = "dataset"
TABLE_COLUMNS = ("layer", "shape", "mean", "std", "min", "max", "zeros")
RANDOM_TIP = "the seed of the random sample"


def default_rows(labels: list[str], most: int = 5) -> list[int]:
    """Rows to draw at first: all of a short trace; else the input, up to three evenly
    spaced activations and the output, so a deep network's histograms stay readable."""
    if len(labels) <= most:
        return list(range(len(labels)))
    between = [i for i, label in enumerate(labels) if label.endswith(")")]
    if len(between) > most - 2:
        picks = np.linspace(0, len(between) - 1, most - 2).round().astype(int)
        between = [between[i] for i in sorted(set(picks))]
    return sorted({0, *between, len(labels) - 1})


def _sample_from(provider: Callable[..., Any], index: int) -> tuple[Any, Any]:
    """Call a provider as ``provider(index)`` or ``provider()``; split off an optional label."""
    takes_index = bool(inspect.signature(provider).parameters)
    result = provider(index) if takes_index else provider()
    if result is None:
        return None, None
    if isinstance(result, tuple) and len(result) == 2:
        return result
    return result, None


class ForwardPanel(QWidget):
    """Controls, a per-layer statistics table and overlaid activation histograms."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._model = None
        self._features = 0
        self._provider: Callable[..., Any] | None = None
        # Entered around the pass, so a training step never runs at the same time.
        self._provider_name = "dataset"
        self.last_trace: ForwardTrace | None = None

        self.source = QComboBox()
        self.source.setObjectName("sampleSource")
        # Shrinks with the panel rather than keeping the Model tab wider than a laptop screen.
        self.source.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.source.setMinimumContentsLength(10)
        self.source.addItem("Random sample, N(0, 1)", RANDOM_SOURCE)
        self.source.addItem("Dataset sample", DATASET_SOURCE)
        self.source.setToolTip(
            "Where the input comes from: standard normal noise, or a sample of the Training "
            "tab's dataset (available once a dataset is loaded there)"
        )
        self.sample_index = SpinBox("sample")
        self.sample_index.setObjectName("sampleIndex")
        self.sample_index.setRange(0, 10_000_000)
        self.sample_index.setPrefix("sample #")
        self._update_index_tip()
        self.run_button = QPushButton("Run forward pass")
        self.run_button.setObjectName("runForward")
        self.run_button.setToolTip(
            "Run model(x) once with a forward hook on every layer, record what each layer "
            "outputs, then remove the hooks"
        )
        self.run_button.clicked.connect(self._on_run_button_clicked)
        controls = QHBoxLayout()
        controls.addWidget(self.source, 1)
        controls.addWidget(self.sample_index)
        controls.addWidget(self.run_button)

        self.message = QLabel("Run a forward pass to see what each layer produces.")
        self.message.setObjectName("forwardMessage")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.RichText)
        self.message.setToolTip("The input used, the model's output and any problem")

        self.table = QTableWidget(0, len(TABLE_COLUMNS))
        self.table.setObjectName("activationTable")
        self.table.setHorizontalHeaderLabels(TABLE_COLUMNS)
        self.table.setToolTip(
            "Statistics of every value the hooks saw, in forward order: the input, then each "
            "layer's output; 'zeros' is the share of exact zeros (dead ReLU units)"
        )
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.ExtendedSelection)
        self.table.itemSelectionChanged.connect(self._on_table_item_selection_changed)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

        self.graphics = pg.GraphicsLayoutWidget()
        self.graphics.setBackground(theme().palette.background)
        self.graphics.setObjectName("activationPlot")
        self.graphics.setToolTip(
            "Histograms of the values selected in the table (Ctrl/Shift-click rows to compare "
            "layers; with none selected, all are drawn)"
        )
        self.plot = style_plot(
            self.graphics.addPlot(axisItems={"bottom": ValueAxisItem("bottom")}),
            "values seen by the forward hooks",
            "density",
            "value",
        )
        self.plot.showGrid(x=True, y=True, alpha=0.2)
        self.legend = add_legend(self.plot, offset=(-10, 10))
        self._curves: list[pg.PlotDataItem] = []

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(controls)
        layout.addWidget(self.message)
        layout.addWidget(self.table)
        layout.addWidget(self.graphics, 1)
        self._update_source_enabled()
        theme().watch(self, self._on_theme_changed)

    def _on_theme_changed(self) -> None:
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self._fit_table_height(self.table.rowCount())
        self._on_table_item_selection_changed()  # the curves' colours

    def export_items(self) -> dict[str, pg.PlotItem]:
        """The histogram plot, once a forward pass has filled it."""
        return {"activations": self.plot} if self.last_trace is not None else {}

    # -- wiring ---------------------------------------------------------------------------
    def set_model(self, model, input_features: int = 0) -> None:
        """Inspect ``model``, whose first layer takes ``input_features`` values."""
        self._model = model
        self._features = input_features
        self.last_trace = None
        self.table.setRowCount(0)
        for curve in self._curves:
            curve.setData([], [])
        self.message.setText("Run a forward pass to see what each layer produces.")

    def set_sample_provider(self, provider: Callable[..., Any] | None, name: str = "") -> None:
        """``provider(index)`` gives a sample; an
        :class:`~explorer.inspect.samples.IndexedSamples` also says which set it indexes
        and refuses an index outside it."""
        self._provider = provider
        self._provider_name = name or "dataset"
        self.source.setItemText(1, f"Sample from {self._provider_name}")
        self._update_source_enabled()
        self._update_index_tip()

    def _update_index_tip(self) -> None:
        provider = self._provider
        if isinstance(provider, IndexedSamples):
            where = f"an index into {provider.what} (#0 to #{len(provider) - 1})"
        elif provider is not None:
            where = f"an index into the samples {self._provider_name} lends"
        else:
            where = "an index into the Training tab's data, once loaded"
        self.sample_index.setToolTip(f"Which sample: {where}; or {RANDOM_TIP}")

    def _update_source_enabled(self) -> None:
        # A disabled combo entry says plainly that no dataset is there yet.
        item = self.source.model().item(1)
        item.setEnabled(self._provider is not None)
        if self._provider is None and self.source.currentData() == DATASET_SOURCE:
            self.source.setCurrentIndex(0)

    def source_key(self) -> str:
        return self.source.currentData()

    # -- running --------------------------------------------------------------------------
    def _on_run_button_clicked(self) -> None:
        self.run()

    def _sample(self) -> tuple[np.ndarray, str]:
        index = self.sample_index.value()
        features = self._features
        if self.source_key() == DATASET_SOURCE and self._provider is not None:
            x, label = _sample_from(self._provider, index)
            if x is None:
                raise ValueError(f"{self._provider_name} has no sample to give yet")
            where = f"{self._provider_name} sample #{index}"
            if label is not None:
                where += f" (label {label})"
        else:
            x = np.random.default_rng(index).standard_normal(features)
            where = f"random N(0, 1) sample, seed {index}"
        dtype = next(self._model.parameters()).dtype
        return prepare_input(x, features, dtype), where

    def run(self) -> ForwardTrace | None:
        """Trace one forward pass and show it; returns the trace (None on a refused input)."""
        if self._model is None:
            self.message.setText("Build a model first.")
            return None
        try:
            x, where = self._sample()
        except (ValueError, IndexError, KeyError, TypeError) as error:
            text = html.escape(str(error), quote=False)
            palette = theme().palette
            color = theme().hex(palette.text_color(palette.error, palette.panel))
            self.message.setText(f"<span style='color:{color}'>Cannot run: {text}</span>")
            return None
        trace = forward_trace(self._model, x)
        self.last_trace = trace
        self._show(trace, where)
        return trace

    def _show(self, trace: ForwardTrace, where: str) -> None:
        output = trace.output
        predicted = int(np.argmax(output[0])) if output.ndim == 2 and output.shape[1] else None
        self.message.setText(
            f"Input: {where}. Output {format_shape(output.shape)}"
            + (f", argmax = {predicted}." if predicted is not None else ".")
            + f" Forward hooks on {', '.join(trace.hooked)} recorded the values below and "
            "were removed again (every _forward_hooks is empty)."
        )
        self.table.setRowCount(len(trace.values))
        self._fit_table_height(len(trace.values))
        for row, value in enumerate(trace.values):
            s = value.stats
            cells = (
                value.label,
                format_shape(value.shape),
                format_value(s.mean),
                format_value(s.std),
                format_value(s.min),
                format_value(s.max),
                f"{100 * s.zero_fraction:.1f}%",
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(row, column, item)
        self._show_histograms(trace)

    def _fit_table_height(self, rows: int) -> None:
        # As tall as its rows (up to 12), so the histogram gets the rest of the page.
        shown = min(max(rows, 4), 12)
        height = self.table.verticalHeader().defaultSectionSize() * shown
        height += (
            self.table.horizontalHeader().sizeHint().height() + 2 * self.table.frameWidth() + 2
        )
        self.table.setFixedHeight(height)

    def _show_histograms(self, trace: ForwardTrace) -> None:
        while len(self._curves) < len(trace.values):
            curve = pg.PlotDataItem(stepMode="center")
            self.plot.addItem(curve)
            self._curves.append(curve)
        for index, curve in enumerate(self._curves):
            if index < len(trace.values):
                value = trace.values[index]
                curve.opts["name"] = value.label  # the CSV column's title
                # Density, not counts: 784 inputs and 10 logits then share one y axis.
                widths = np.diff(value.edges)
                total = value.counts.sum()  # 0 when no value is finite (a diverged model)
                density = value.counts / (total * widths) if total else value.counts
                curve.setData(value.edges, density)
            else:
                curve.setData([], [])
        with QSignalBlocker(self.table):
            self.table.clearSelection()
            rows = default_rows([v.label for v in trace.values])
            # No selection means "draw all": a short trace needs no highlighted rows.
            for row in rows if len(rows) < len(trace.values) else []:
                self._select_row(row)
        self._on_table_item_selection_changed()

    def _select_row(self, row: int) -> None:
        selection = self.table.selectionModel()
        index = self.table.model().index(row, 0)
        selection.select(
            index,
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )

    def visible_labels(self) -> list[str]:
        """The labels of the histograms drawn now, in forward order."""
        if self.last_trace is None:
            return []
        return [
            value.label
            for value, curve in zip(self.last_trace.values, self._curves, strict=False)
            if curve.isVisible()
        ]

    def _on_table_item_selection_changed(self) -> None:
        if self.last_trace is None:
            return
        count = len(self.last_trace.values)
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        shown = rows or list(range(count))
        self.legend.clear()
        for index, curve in enumerate(self._curves):
            visible = index in shown
            curve.setVisible(visible)
            if visible:
                color = theme().palette.color(shown.index(index))
                curve.setPen(pg.mkPen(color, width=2))
                self.legend.addItem(curve, self.last_trace.values[index].label)
        self.plot.enableAutoRange()

    def curve_data(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """What each visible histogram curve shows, by legend label (for tests and scripts)."""
        if self.last_trace is None:
            return {}
        return {
            value.label: curve.getData()
            for value, curve in zip(self.last_trace.values, self._curves, strict=False)
        }
