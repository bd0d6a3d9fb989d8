"""The Network tab: inside the network while it learns.

Left, the :class:`~explorer.ui.network.network_view.NetworkView`: every unit as a small
picture of what it computes, the weights as edges. Right, the
:class:`~explorer.ui.network.history_view.HistoryView`: each layer's weights and gradients
over the steps, its gradient norm, update ratio and dead units, and above both the hints those
numbers justify. The tab binds to the model document (the model, its data, the picked unit)
and to its run stream (the live run's pictures, the runs' histories); it never calls another
tab. While a run is live the pictures come from the training process; otherwise the tab
computes them from the model. It draws only while shown, and then within a share of the GUI
thread's time.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
from PySide6.QtCore import QSignalBlocker, Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from explorer.inspect.layer_history import LayerHistory
from explorer.inspect.network import linear_layers
from explorer.model.document import ModelDocument
from explorer.quoting import quoted
from explorer.ui.network.content import network_content
from explorer.ui.network.history_view import HistoryView
from explorer.ui.network.network_view import DEFAULT_UNITS, MAX_UNITS, NetworkView
from explorer.ui.network.pacing import ViewPacing
from explorer.ui.network.paint_clock import PAINT_CLOCK
from explorer.ui.tab_base import ExplorerTab, bind
from explorer.ui.theme import theme
from explorer.ui.widgets.card import set_text_color
from explorer.ui.widgets.spin_box import SpinBox

#: Each view's drawing may take this share of the GUI thread's time, at most ...
DRAW_SHARE = 0.03
#: ... and waits at least this long (seconds) between two refreshes, and at most LONGEST.
INTERVALS = {"network": 0.3, "distributions": 1.0, "scalars": 0.6}
#: The view whose paints each part of the drawing causes.
VIEWS = {"network": "network", "distributions": "history", "scalars": "history"}
LONGEST = 2.0
KEY = "Blue < 0 < red · dots: training data · edges: weight sign and size · ✕: dead unit"
KEY_TIP = (
    "Each unit's picture is its output over the input plane (the decision regions' plane): "
    "blue below 0, red above; for ReLU, 0 is the background. Faint dots are the training "
    "data. For images, a first-layer unit is its weight picture and a deeper unit its mean "
    "output per class as bars. Edges: red positive, blue negative weights, wider and darker "
    "when larger. ✕ marks a dead unit (0 everywhere)."
)


class NetworkTab(ExplorerTab):
    """What every unit computes, and each layer's health over the run."""

    title = "Network"
    export_name = "network"

    def __init__(self, document: ModelDocument | None = None, parent=None):
        super().__init__(parent)
        self.setObjectName("networkTab")
        self.document = document if document is not None else ModelDocument()
        self.stream = self.document.run_stream

        self.units = SpinBox("units per layer", objectName="networkUnits")
        self.units.setRange(1, MAX_UNITS)
        self.units.setValue(DEFAULT_UNITS)
        self.units.setToolTip(
            "Units drawn per layer: a wider layer shows those with the largest outgoing "
            "weights and says how many are not shown"
        )
        self.run_box = QComboBox(objectName="historyRun")
        self.run_box.setToolTip(
            "The run whose history is shown (selecting a run in the Training tab's runs list "
            "shows its history here too)"
        )
        # Wide enough for the runs' names where there is room; 14 characters at least.
        self.run_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.layer_box = QComboBox(objectName="historyLayer")
        self.layer_box.setToolTip("The layer whose weights and gradients are drawn over the steps")
        controls = QHBoxLayout()
        controls.setContentsMargins(0, 0, 0, 0)
        for text, widget in (
            ("Units per layer", self.units),
            ("History of", self.run_box),
            ("Layer", self.layer_box),
        ):
            controls.addWidget(QLabel(text))
            controls.addWidget(widget)
        controls.addStretch(1)
        # Always there, one line tall: a hint appearing mid-run must not lay the views out again.
        self.hints = QLabel(" ", objectName="networkHints")
        self.hints.setTextFormat(Qt.TextFormat.PlainText)
        self.hints.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)

        self.network = NetworkView()
        self.network.setToolTip(
            "Every unit's output as a picture; hover a unit for its bias and incoming weights, "
            "click it to select its row in the Model tab's heatmap"
        )
        self.hover = QLabel(" ", objectName="networkHover")
        self.hover.setWordWrap(True)
        self.hover.setTextFormat(Qt.TextFormat.RichText)
        self.hover.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.key = QLabel(KEY, objectName="networkKey")
        self.key.setToolTip(KEY_TIP)
        self.key.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 4, 0)
        left_layout.addWidget(self.network, 1)
        left_layout.addWidget(self.hover)
        left_layout.addWidget(self.key)
        self.history = HistoryView()
        self.history.setToolTip(
            "Per layer: weights and gradients over the steps (colour: share of the step's "
            "fullest bin), gradient norm, update ratio ‖ΔW‖/‖W‖ (band: 1e-4 to 1e-2) and "
            "dead ReLU units"
        )
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.history)
        self.splitter.setSizes([560, 620])
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(controls)
        layout.addWidget(self.hints)
        layout.addWidget(self.splitter, 1)

        self.pacing = ViewPacing(dict(INTERVALS), DRAW_SHARE, LONGEST)
        self._painted: dict[str, float] = {}
        self._pending_histories: list[tuple[int, str, list[str]]] = []
        self._selected_after_restore: int | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._on_timer_timeout)

        self.units.valueChanged.connect(self._on_units_value_changed)
        self.run_box.currentIndexChanged.connect(self._on_run_box_current_index_changed)
        self.layer_box.currentIndexChanged.connect(self._on_layer_box_current_index_changed)
        self.network.sigHovered.connect(self._on_network_hovered)
        self.network.sigUnitClicked.connect(self._on_network_unit_clicked)
        document, stream = self.document, self.stream
        for event in (document.model_changed, document.data_changed, document.training_changed):
            bind(self, event, self._on_network_changed)
        bind(self, document.weights_changed, self._on_network_changed)
        bind(self, document.unit_selected, self.network.select)
        bind(self, stream.picture, self._on_network_changed)
        bind(self, stream.recorded, self._on_stream_recorded)
        bind(self, stream.runs_changed, self._on_stream_runs_changed)
        bind(self, stream.selection_changed, self._on_stream_selection_changed)
        bind(self, document.model_changed, self._on_document_model_changed)
        theme().watch(self, self._on_theme_changed)
        self._on_document_model_changed(document.model)
        self._on_stream_runs_changed()

    # -- refreshing ---------------------------------------------------------------------------
    def _schedule(self) -> None:
        if not self.isVisible():
            return
        wait = self.pacing.wait(time.perf_counter())
        if wait is not None and not self.timer.isActive():
            self.timer.start(round(1000 * wait))

    def _on_network_changed(self, *_args) -> None:
        self.pacing.mark("network")
        self._schedule()

    def _on_document_model_changed(self, model) -> None:
        # The history's curves of a new model's layers, made now rather than mid-run.
        layers = [name for name, _ in linear_layers(model)]
        self.history.set_layers(layers)
        self._fill_layers(layers)

    def _on_stream_recorded(self, run_id: int) -> None:
        if run_id == self.stream.selected:
            self._mark_history()

    def _mark_history(self) -> None:
        self.pacing.mark("distributions")
        self.pacing.mark("scalars")
        self._schedule()

    def _on_timer_timeout(self) -> None:
        if not self.isVisible():
            return
        view = self.pacing.next_view(time.perf_counter())
        if view is not None:
            self._draw(view)
        self._schedule()

    def _draw(self, part: str) -> None:
        # The paints since this view's last refresh count with this part's drawing.
        view = VIEWS[part]
        painted = PAINT_CLOCK.total(view) - self._painted.get(view, 0.0)
        started = time.thread_time()
        if part == "network":
            self.refresh_network()
        else:
            self.refresh_history(part)
        cost = time.thread_time() - started + painted
        self._painted[view] = PAINT_CLOCK.total(view)
        self.pacing.drawn(part, time.perf_counter(), cost)

    def refresh(self) -> None:
        """Draw whatever changed, now (a test, or the tab coming to the front)."""
        for part in INTERVALS:
            if self.pacing.due[part]:
                self._draw(part)

    def refresh_network(self) -> None:
        document, stream = self.document, self.stream
        picture = None
        if document.training and stream.live is not None:
            picture = stream.latest_picture  # the training process's, while it trains
            if picture is None and self.network.content is not None:
                picture = self.network.content.picture  # until its first one arrives
        try:
            content = network_content(document.model, document.data, picture)
        except ValueError as error:  # weights that overflow: nothing to draw
            self.network.show_message(f"No picture: {error}")
            return
        if content is None:
            self.network.show_message(
                "No data for this model: choose data in the Training tab"
                if document.data is None
                else "The model does not fit the Training tab's data: adapt it there"
            )
            return
        self.network.show_content(content)
        self.network.select(document.selected_unit)

    def refresh_history(self, part: str | None = None) -> None:
        """Draw the selected run's history (``part``: see ``HistoryView.show_history``)."""
        history = self.stream.history(self.stream.selected)
        if history is not None:
            self._fill_layers(list(history.layers))
        self.history.show_history(history, part)
        hints = history.hints() if history is not None else []
        text = " · ".join(hints)
        if text != self.hints.toolTip():
            self.hints.setText(text or " ")
            self.hints.setToolTip(text)  # the whole of a line cut on screen

    def _fill_layers(self, layers: list[str]) -> None:
        current = [self.layer_box.itemText(i) for i in range(self.layer_box.count())]
        if layers != current:
            with QSignalBlocker(self.layer_box):
                self.layer_box.clear()
                self.layer_box.addItems(layers)
                self.layer_box.setCurrentIndex(min(self.history.layer, max(0, len(layers) - 1)))

    # -- controls -----------------------------------------------------------------------------
    def _on_units_value_changed(self, value: int) -> None:
        self.network.set_units_per_layer(value)

    def _on_layer_box_current_index_changed(self, index: int) -> None:
        if index >= 0:
            self.history.set_layer(index)

    def _on_run_box_current_index_changed(self, index: int) -> None:
        run_id = self.run_box.itemData(index)
        if run_id is not None:
            self.stream.select(int(run_id))

    def _on_stream_runs_changed(self) -> None:
        with QSignalBlocker(self.run_box):
            self.run_box.clear()
            for run_id, name in self.stream.names().items():
                self.run_box.addItem(name, run_id)
            self.run_box.setCurrentIndex(self.run_box.findData(self.stream.selected))
        self.run_box.setEnabled(self.run_box.count() > 0)
        self._on_stream_selection_changed(self.stream.selected)

    def _on_stream_selection_changed(self, run_id) -> None:
        with QSignalBlocker(self.run_box):
            self.run_box.setCurrentIndex(self.run_box.findData(run_id))
        self._mark_history()

    def _on_network_hovered(self, text: str) -> None:
        self.hover.setText(text or " ")

    def _on_network_unit_clicked(self, layer: str, unit: int) -> None:
        self.document.select_unit(layer, unit)

    def _on_theme_changed(self) -> None:
        self.run_box.setMinimumWidth(self.run_box.fontMetrics().horizontalAdvance("x" * 14) + 30)
        set_text_color(self.hints, "warning")
        self.hints.setFixedHeight(self.hints.fontMetrics().height() + 4)
        set_text_color(self.key, "muted")
        self.key.setText(KEY)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        self.refresh()  # what changed while another tab was in front

    # -- ExplorerTab --------------------------------------------------------------------------
    def export_items(self) -> dict[str, Any]:
        items = {}
        if self.network.content is not None:
            items["network"] = self.network.plot_item
        items.update(self.history.export_items())
        return items

    def state(self) -> dict[str, Any]:
        names = self.stream.names()
        return {
            "units_per_layer": self.units.value(),
            "layer": max(0, self.layer_box.currentIndex()),
            "histories": [
                {"run": run_id, "name": names[run_id], "layers": list(history.layers)}
                for run_id, history in self.stream.histories().items()
            ],
            "selected_run": self.stream.selected,
        }

    def restore_state(self, state: dict[str, Any]) -> None:
        if not isinstance(state, dict):
            raise ValueError(f"network state must be an object; got {quoted(state)}")
        units = state.get("units_per_layer", DEFAULT_UNITS)
        if isinstance(units, bool) or not isinstance(units, int) or not 1 <= units <= MAX_UNITS:
            raise ValueError(f"units per layer must be 1 to {MAX_UNITS}; got {quoted(units)}")
        layer = state.get("layer", 0)
        if isinstance(layer, bool) or not isinstance(layer, int) or layer < 0:
            raise ValueError(f"the history's layer must be a whole number; got {quoted(layer)}")
        histories = state.get("histories", [])
        if not isinstance(histories, list):
            raise ValueError(f"network histories must be a list; got {quoted(histories)}")
        pending = []
        for entry in histories:
            if not isinstance(entry, dict) or not isinstance(entry.get("run"), int):
                raise ValueError(f"a network history needs a run id; got {quoted(entry)}")
            layers = entry.get("layers")
            if not isinstance(layers, list) or not all(isinstance(n, str) for n in layers):
                raise ValueError(f"a history's layers must be names; got {quoted(layers)}")
            pending.append((entry["run"], str(entry.get("name", f"#{entry['run']}")), layers))
        selected = state.get("selected_run")
        self.units.setValue(units)
        self.history.layer = layer
        self._pending_histories = pending
        self._selected_after_restore = selected if isinstance(selected, int) else None
        self.stream.restore({})  # the arrays bring the histories back

    def session_arrays(self) -> dict[str, np.ndarray]:
        arrays = {}
        for run_id, history in self.stream.histories().items():
            for key, value in history.to_arrays().items():
                arrays[f"run{run_id}.{key}"] = value
        return arrays

    def restore_session_arrays(self, arrays: dict[str, np.ndarray]) -> None:
        restored = {}
        for run_id, name, layers in self._pending_histories:
            prefix = f"run{run_id}."
            part = {k[len(prefix) :]: v for k, v in arrays.items() if k.startswith(prefix)}
            try:
                restored[run_id] = (name, LayerHistory.from_arrays(layers, part))
            except ValueError as error:
                raise ValueError(f"the history of run {run_id}: {error}") from None
        self._pending_histories = []
        self.stream.restore(restored)
        if self._selected_after_restore in restored:
            self.stream.select(self._selected_after_restore)
