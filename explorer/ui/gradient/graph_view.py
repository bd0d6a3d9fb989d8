"""The autograd graph: what one ``backward()`` walks, stepped through one node at a time.

The graph is the engine's own (read through :mod:`explorer.inspect.engine_graph`), built by
:func:`~explorer.inspect.autograd_graph.sample_graph` for one validation sample through the
model document's MLP, or by :func:`~explorer.inspect.autograd_graph.loss_call_graph` for the
Losses tab's current call (the loss call document). Step shows the next node the engine ran,
the gradient it received and what it sent to each input; Run all shows the end, Reset the
start. Both graphs run on the engine's plain path, where every layer is a node of its own.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from explorer.inspect.autograd_graph import (
    AutogradGraph,
    describe_array,
    loss_call_graph,
    sample_graph,
)
from explorer.lossbench.document import LossCallDocument
from explorer.lossbench.evaluate import LossRejected
from explorer.model.document import ModelDocument
from explorer.training.document import TrainingDocument
from explorer.ui.gradient.graph_canvas import GraphCanvas
from explorer.ui.gradient.plot_style import controls_column, lay_out_beside, stacked
from explorer.ui.tab_base import bind
from explorer.ui.widgets.spin_box import SpinBox

SOURCES = {
    "sample": "One sample through the model",
    "loss": "The Losses tab's call",
}
TABLE_COLUMNS = ("name", "kind", "op", "shape", "value", "grad")


class AutogradGraphView(QWidget):
    """objectName ``autogradGraph``: the graph, Step / Run all / Reset, and the node table."""

    def __init__(
        self,
        model: ModelDocument,
        training: TrainingDocument,
        losses: LossCallDocument,
        parent=None,
    ):
        super().__init__(parent)
        self.setObjectName("autogradGraph")
        self.model_document = model
        self.training_document = training
        self.loss_document = losses
        self._graph: AutogradGraph | None = None
        self._step = 0
        self._stale = True
        self.canvas = GraphCanvas()
        self.source = QComboBox(objectName="graphSource")
        for key, title in SOURCES.items():
            self.source.addItem(title, key)
        self.source.setToolTip("Whose backward() to show")
        self.sample_index = SpinBox("sample", objectName="graphSample")
        self.sample_index.setRange(0, 999_999)
        self.sample_index.setToolTip("Which validation sample of the Training tab's data")
        self.step_button = QPushButton("Step", objectName="graphStep")
        self.step_button.setToolTip("Run the next node of backward(), as the engine orders them")
        self.run_button = QPushButton("Run all", objectName="graphRunAll")
        self.run_button.setToolTip("Run every remaining node: the gradients backward() leaves")
        self.reset_button = QPushButton("Reset", objectName="graphReset")
        self.reset_button.setToolTip("Back to before backward(): values only")
        self.fit_button = QPushButton("Fit", objectName="graphFit")
        self.fit_button.setToolTip("Show the whole graph (the wheel zooms, dragging pans)")
        self.step_label = QLabel(objectName="graphStepText")
        self.step_label.setWordWrap(True)
        self.step_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.about = QLabel(objectName="graphAbout")
        self.about.setWordWrap(True)
        self.table = QTableWidget(0, len(TABLE_COLUMNS), objectName="graphTable")
        self.table.setHorizontalHeaderLabels(list(TABLE_COLUMNS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for column in (4, 5):  # value and grad share what is left
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self._build_layout()
        self._rebuild_timer = QTimer(self, singleShot=True, interval=0)
        self._rebuild_timer.timeout.connect(self.rebuild)
        self.source.currentIndexChanged.connect(self._on_inputs_changed)
        self.sample_index.valueChanged.connect(self._on_inputs_changed)
        self.step_button.clicked.connect(self.step)
        self.run_button.clicked.connect(self.run_all)
        self.reset_button.clicked.connect(self.reset)
        self.fit_button.clicked.connect(self.canvas.fit)
        bind(self, model.model_changed, self._on_inputs_changed)
        bind(self, model.weights_changed, self._on_inputs_changed)
        bind(self, training.data_changed, self._on_inputs_changed)
        bind(self, training.config_changed, self._on_inputs_changed)
        bind(self, losses.changed, self._on_loss_call_changed)

    def _build_layout(self) -> None:
        source_box = QGroupBox("Graph of")
        form = QFormLayout(source_box)
        form.addRow(self.source)
        form.addRow("Sample", self.sample_index)
        walk_box = QGroupBox("backward()")
        walk = QVBoxLayout(walk_box)
        buttons = QHBoxLayout()
        for button in (self.step_button, self.run_button, self.reset_button):
            buttons.addWidget(button)
        walk.addLayout(buttons)
        walk.addWidget(self.step_label)
        self.controls = controls_column(
            "graphControls", source_box, walk_box, self.fit_button, self.about
        )
        # Two parts to one: the table shows several nodes' numbers under the graph.
        plots = stacked("graphSplit", self.canvas, self.table, shares=(2, 1))
        lay_out_beside(self, self.controls, plots)

    # -- reading ------------------------------------------------------------------------------
    def graph(self) -> AutogradGraph | None:
        self._rebuild_if_stale()
        return self._graph

    def graph_nodes(self) -> list[dict]:
        """One record per node as the view shows it: ``name``, ``kind``, ``op``, ``shape``,
        ``value`` and ``grad`` (the gradient after the steps shown; after Run all, what the
        engine's backward gives)."""
        graph = self.graph()
        if graph is None:
            return []
        grads = graph.grads_after(self._step)
        records = []
        for node in graph.nodes:
            record = node.record()
            if node.kind in ("leaf", "tensor"):
                record["grad"] = grads.get(node.key)
            records.append(record)
        return records

    def current_step(self) -> int:
        return self._step

    def step_count(self) -> int:
        graph = self.graph()
        return 0 if graph is None else len(graph.steps)

    # -- actions ------------------------------------------------------------------------------
    def set_source(self, source: str) -> None:
        index = self.source.findData(source)
        if index < 0:
            raise ValueError(f"the graph's source is one of {', '.join(SOURCES)}; got {source!r}")
        self.source.setCurrentIndex(index)
        self._rebuild_if_stale()

    def step(self) -> None:
        self._show_step(self._step + 1)

    def run_all(self) -> None:
        self._show_step(self.step_count())

    def reset(self) -> None:
        self._show_step(0)

    def rebuild(self) -> None:
        """Build the graph anew from the current source (keeping the step shown)."""
        self._stale = False
        self._rebuild_timer.stop()
        try:
            graph, about = self._build()
        except LossRejected as rejection:
            graph, about = None, f"The loss rejects this call: {rejection}"
        self._graph = graph
        self.about.setText(about)
        self._step = 0 if graph is None else min(self._step, len(graph.steps))
        self.canvas.show_graph(graph, self._step)
        self._fill_table()
        self._update_step_text()

    def _build(self) -> tuple[AutogradGraph | None, str]:
        if self.source.currentData() == "loss":
            call = self.loss_document.call
            if call is None:
                return None, "The Losses tab has no call to show yet."
            graph = loss_call_graph(call.kind, call.options, call.input, call.target, call.dtype)
            return graph, graph.note
        model = self.model_document.model
        features, label, where = self._sample(model.input_features, model.output_features)
        loss = self.training_document.config.loss
        graph = sample_graph(model, features, label, loss)
        return graph, f"{where}<br>{graph.note}"

    def _sample(self, width: int, classes: int) -> tuple[np.ndarray, int, str]:
        val = self.training_document.val
        if val is not None and val.num_features == width and val.num_classes == classes:
            i = self.sample_index.value() % len(val)
            name = self.training_document.data_name or "the data"
            return val.x[i], int(val.y[i]), f"Validation sample {i} of {name}."
        rng = np.random.default_rng(self.sample_index.value())
        return (
            rng.standard_normal(width).astype(np.float32),
            int(rng.integers(classes)),
            "A random input: the Training tab's data does not fit the model.",
        )

    def shutdown(self) -> None:
        self._rebuild_timer.stop()

    # -- showing ------------------------------------------------------------------------------
    def _show_step(self, step: int) -> None:
        self._rebuild_if_stale()
        total = self.step_count()
        self._step = max(0, min(step, total))
        self.canvas.show_step(self._step)
        self._fill_table()
        self._update_step_text()

    def _update_step_text(self) -> None:
        graph, step = self._graph, self._step
        total = 0 if graph is None else len(graph.steps)
        self.step_button.setEnabled(step < total)
        self.run_button.setEnabled(step < total)
        self.reset_button.setEnabled(step > 0)
        if graph is None:
            self.step_label.setText("")
            return
        if step == 0:
            self.step_label.setText(
                f"Before backward(): {total} ops to run, each after every op that uses its "
                "result. Step runs the first: the loss's."
            )
            return
        current = graph.steps[step - 1]
        op, output = graph.node(current.op), graph.node(current.output)
        sent = []
        for key, grad in current.sent:
            name = graph.node(key).name
            sent.append(f"{name}: {describe_array(grad, 4)}" if grad is not None
                        else f"{name}: none (needs no gradient)")  # fmt: skip
        self.step_label.setText(
            f"<b>Step {step} of {total}: {op.name}</b><br>received ∂loss/∂{output.name} = "
            f"{describe_array(current.grad, 4)}<br>sent to "
            + "; ".join(sent)
            + ("<br>Done: every leaf holds its .grad." if step == total else "")
        )

    def _fill_table(self) -> None:
        records = self.graph_nodes() if self._graph is not None else []
        self.table.setRowCount(len(records))
        for row, record in enumerate(records):
            shape = record["shape"]
            cells = (
                record["name"],
                record["kind"],
                record["op"],
                "scalar" if not shape else " × ".join(str(n) for n in shape),
                "" if record["value"] is None else describe_array(record["value"]),
                "" if record["grad"] is None else describe_array(record["grad"]),
            )
            for column, text in enumerate(cells):
                item = self.table.item(row, column)
                if item is None:
                    item = QTableWidgetItem()
                    self.table.setItem(row, column, item)
                item.setText(text)

    # -- slots --------------------------------------------------------------------------------
    def _rebuild_if_stale(self) -> None:
        if self._stale:
            self.rebuild()

    def _on_inputs_changed(self, *_args) -> None:
        self.sample_index.setEnabled(self.source.currentData() == "sample")
        self._stale = True
        if self.isVisible():
            self._rebuild_timer.start()  # many changes in a row: one rebuild

    def _on_loss_call_changed(self) -> None:
        if self.source.currentData() == "loss":
            self._on_inputs_changed()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        self._rebuild_if_stale()
