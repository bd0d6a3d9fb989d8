"""The Losses tab: set up a PyTorch loss, see its value, its gradient, its code and its curves."""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from explorer.lossbench.codegen import pytorch_code
from explorer.lossbench.evaluate import LossRejected, LossResult, evaluate
from explorer.lossbench.spec import (
    CLASS_INDICES,
    KIND_LABELS,
    LOSSES,
    LossOptions,
    input_kind,
    replace_options,
    target_kind,
)
from explorer.lossbench.state import tensors_from_state
from explorer.lossbench.tensors import MAX_SIZE, convert, random_tensor, resized
from explorer.ui.losses.curve_panels import LossCurvePanels
from explorer.ui.losses.options_panel import LossOptionsPanel
from explorer.ui.losses.table_pair import TablePair, labelled
from explorer.ui.losses.tensor_table import TensorTable, TensorTableModel
from explorer.ui.tabs.base import ExplorerTab

MESSAGE_COLORS = {"error": "#b00020", "warning": "#8a5a00", "info": "#555555"}


def _heading(text: str, tip: str) -> QLabel:
    label = QLabel(text)
    label.setToolTip(tip)
    label.setStyleSheet("font-weight: 600; color: #333;")
    label.setWordWrap(True)
    return label


class LossesTab(ExplorerTab):
    """Every loss of issue 4 with its options, value, gradient, PyTorch code and curves.

    Automation: :meth:`set_loss` picks a loss and options, :meth:`set_shape`,
    :meth:`set_seed`, :meth:`randomize` and :meth:`set_tensors` set the data;
    :attr:`last_result` is the last valid :class:`LossResult`.
    """

    title = "Losses"
    export_name = "losses"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("lossesTab")
        self.last_result: LossResult | None = None
        self._kinds = ("", "")
        self.options_panel = LossOptionsPanel()
        self.input_model = TensorTableModel("input", editable=True, parent=self)
        self.target_model = TensorTableModel("target", editable=True, parent=self)
        self.output_model = TensorTableModel("output", parent=self)
        self.gradient_model = TensorTableModel("input.grad", parent=self)
        self.output_model.set_heat(True)
        self.gradient_model.set_heat(True)
        self.curves = LossCurvePanels()
        self._build_layout()
        self.options_panel.sigOptionsChanged.connect(self._on_options_changed)
        self.input_model.sigCellEdited.connect(self._on_table_edited)
        self.target_model.sigCellEdited.connect(self._on_table_edited)
        self.n_spin.valueChanged.connect(self._on_shape_changed)
        self.c_spin.valueChanged.connect(self._on_shape_changed)
        self.seed_spin.valueChanged.connect(self._on_seed_changed)
        self.randomize_button.clicked.connect(self._on_randomize_clicked)
        self.dtype.currentIndexChanged.connect(self._on_dtype_changed)
        self.copy_button.clicked.connect(self._on_copy_clicked)
        self._sync_tensor_kinds(regenerate=True)
        self._update_curves()
        self._recompute()

    # -- layout -------------------------------------------------------------------------------
    def _build_layout(self) -> None:
        controls = QWidget()
        left = QVBoxLayout(controls)
        loss_box = QGroupBox("Loss function")
        QVBoxLayout(loss_box).addWidget(self.options_panel)
        left.addWidget(loss_box)
        data_box = QGroupBox("Data")
        data_form = QFormLayout(data_box)
        self.n_spin = self._size_spin("batchSize", "N: the batch size (rows), 1 to 16", 3)
        self.c_spin = self._size_spin("numClasses", "C: classes / columns, 1 to 16", 5)
        self.seed_spin = QSpinBox(objectName="seed")
        self.seed_spin.setRange(0, 2**31 - 1)
        self.seed_spin.setToolTip("Seed of the random input and target (same seed, same numbers)")
        self.randomize_button = QPushButton("Randomize", objectName="randomize")
        self.randomize_button.setToolTip("Draw a new input and target: the next seed")
        self.dtype = QComboBox(objectName="dtype")
        self.dtype.addItem("float64 (exact match)", "float64")
        self.dtype.addItem("float32 (PyTorch default)", "float32")
        self.dtype.setToolTip(
            "The dtype of input and target. float64: the PyTorch code prints this tab's value "
            "digit for digit. float32 (torch's default): a different summation order can "
            "move the last of 6 printed digits."
        )
        data_form.addRow("N (batch)", self.n_spin)
        data_form.addRow("C (classes)", self.c_spin)
        seed_row = QHBoxLayout()
        seed_row.addWidget(self.seed_spin, 1)
        seed_row.addWidget(self.randomize_button)
        data_form.addRow("seed", seed_row)
        data_form.addRow("dtype", self.dtype)
        left.addWidget(data_box)
        self.message = QLabel(objectName="lossMessage")
        self.message.setWordWrap(True)
        self.message.setToolTip("What the engine said about the last change")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        left.addWidget(self.message)
        left.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(controls)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(250)

        self.input_table = TensorTable(
            self.input_model,
            "lossInput",
            "input: editable. Type a number into a cell; a cell that is not a finite number "
            "turns red and the last valid result stays on screen.",
        )
        self.target_table = TensorTable(
            self.target_model, "lossTarget", "target: editable, in the form the loss needs"
        )
        self.output_table = TensorTable(
            self.output_model,
            "lossOutput",
            "output for reduction='none': one loss per element (per sample for class indices)",
        )
        self.gradient_table = TensorTable(
            self.gradient_model,
            "lossGradient",
            "input.grad after output.backward(): ∂output/∂input from the engine's autograd "
            "(red positive, blue negative)",
        )
        self.input_label = _heading("input", "The first argument of the loss")
        self.target_label = _heading("target", "The second argument of the loss")
        self.output_label = _heading("output (none)", "The unreduced loss, reduction='none'")
        gradient_label = _heading("input.grad", "The gradient of the output w.r.t. the input")
        self.value = QLabel(objectName="lossValue")
        self.value.setToolTip("output: the loss value the engine computed (6 decimals)")
        self.value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = QFont(self.value.font())
        font.setPointSizeF(font.pointSizeF() + 4)
        self.value.setFont(font)

        middle = QWidget()
        grid = QVBoxLayout(middle)
        grid.setContentsMargins(4, 4, 4, 4)
        self.inputs = TablePair(
            labelled(self.input_label, self.input_table),
            labelled(self.target_label, self.target_table),
        )
        grid.addWidget(self.inputs, 3)
        value_row = QHBoxLayout()
        value_row.addWidget(_heading("output", "loss(input, target)"))
        value_row.addWidget(self.value, 1)
        grid.addLayout(value_row)
        self.output_box = labelled(self.output_label, self.output_table)
        self.results = TablePair(self.output_box, labelled(gradient_label, self.gradient_table))
        grid.addWidget(self.results, 3)
        code_row = QHBoxLayout()
        code_row.addWidget(_heading("The same in PyTorch", "Paste into Python with torch"))
        code_row.addStretch(1)
        self.copy_button = QPushButton("Copy", objectName="copyCode")
        self.copy_button.setToolTip("Copy the PyTorch code to the clipboard")
        code_row.addWidget(self.copy_button)
        grid.addLayout(code_row)
        self.code = QPlainTextEdit(objectName="pytorchCode")
        self.code.setReadOnly(True)
        self.code.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.code.setToolTip("PyTorch code computing the same output and input.grad")
        code_font = QFont("DejaVu Sans Mono")
        code_font.setStyleHint(QFont.StyleHint.Monospace)
        code_font.setPointSizeF(max(self.font().pointSizeF() - 1.5, 7))
        self.code.setFont(code_font)
        grid.addWidget(self.code, 3)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(scroll)
        splitter.addWidget(middle)
        curves_box = QWidget()
        curves_layout = QVBoxLayout(curves_box)
        curves_layout.setContentsMargins(0, 0, 0, 0)
        curves_layout.setSpacing(2)
        curves_layout.addWidget(self.curves, 1)
        caption = QLabel(
            "<b>Top</b>: one element, target y = 0: L1's slope is always ±1, MSE's grows with "
            "the error, Huber/SmoothL1 are quadratic inside ±δ/β (dotted) and linear outside. "
            "<b>Bottom</b>: a sigmoid output p = σ(z) whose true class is 1. Where the model is "
            "confidently wrong (shaded) squared error's gradient vanishes, so it barely learns "
            "from its worst mistakes; cross entropy's stays near −1."
        )
        caption.setObjectName("curveCaption")
        caption.setWordWrap(True)
        caption.setStyleSheet("color: #444; font-size: 8pt; background: white; padding: 4px;")
        caption.setToolTip("The seed's 'gradient difference' slide, computed by the engine")
        curves_layout.addWidget(caption)
        splitter.addWidget(curves_box)
        splitter.setStretchFactor(1, 5)
        splitter.setStretchFactor(2, 5)
        splitter.setSizes([300, 440, 540])
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(splitter)

    @staticmethod
    def _size_spin(name: str, tip: str, value: int) -> QSpinBox:
        spin = QSpinBox(objectName=name)
        spin.setRange(1, MAX_SIZE)
        spin.setValue(value)
        spin.setToolTip(tip)
        return spin

    # -- automation ---------------------------------------------------------------------------
    def set_loss(self, kind: str, **options: Any) -> None:
        """Choose loss ``kind`` ('L1', 'KLDiv', ...) and change ``options`` (LossOptions names)."""
        if kind not in LOSSES:
            raise ValueError(f"unknown loss {kind!r}; choose one of {', '.join(LOSSES)}")
        _, current, _ = self.options_panel.read()
        self.options_panel.set_state(kind, replace_options(current, **options))
        self._on_options_changed()

    def set_shape(self, n: int, c: int) -> None:
        """Resize the tensors to N x C (keeping the values they share)."""
        self.n_spin.blockSignals(True)
        self.c_spin.blockSignals(True)
        self.n_spin.setValue(n)
        self.c_spin.setValue(c)
        self.n_spin.blockSignals(False)
        self.c_spin.blockSignals(False)
        self._on_shape_changed()

    def set_seed(self, seed: int) -> None:
        """Draw new tensors from ``seed``."""
        self.seed_spin.setValue(seed)

    def randomize(self) -> None:
        self._on_randomize_clicked()

    def set_tensors(self, input: np.ndarray, target: np.ndarray) -> None:  # noqa: A002
        """Put ``input`` and ``target`` in the tables (shapes must fit the loss) and recompute."""
        self.input_model.set_values(np.asarray(input, dtype=np.float64), integer=False)
        integer = target_kind(*self._spec_options()) == CLASS_INDICES
        dtype = np.int64 if integer else np.float64
        self.target_model.set_values(np.asarray(target, dtype=dtype), integer=integer)
        self._recompute()

    def current_dtype(self) -> str:
        return self.dtype.currentData()

    def set_dtype(self, dtype: str) -> None:
        """'float64' (the PyTorch code matches digit for digit) or 'float32' (torch's default)."""
        index = self.dtype.findData(dtype)
        if index < 0:
            raise ValueError(f"dtype must be 'float64' or 'float32'; got {dtype!r}")
        self.dtype.setCurrentIndex(index)

    def current_options(self) -> tuple[str, LossOptions]:
        kind, options, _ = self.options_panel.read()
        return kind, options

    def _spec_options(self):
        kind, options = self.current_options()
        return LOSSES[kind], options

    # -- recompute ----------------------------------------------------------------------------
    def _sync_tensor_kinds(self, regenerate: bool = False) -> None:
        """Make the tables hold what the loss needs: convert where that means something."""
        spec, options = self._spec_options()
        kinds = (input_kind(spec, options), target_kind(spec, options))
        n, c = self.n_spin.value(), self.c_spin.value()
        seed = self.seed_spin.value()
        models = (self.input_model, self.target_model)
        for stream, (model, old, new) in enumerate(zip(models, self._kinds, kinds, strict=True)):
            if not regenerate and old == new:
                continue
            values = None if regenerate else convert(model.values(), old, new, c)
            if values is None:
                values = random_tensor(new, n, c, seed, stream)
            model.column_header = "class" if new == CLASS_INDICES else ""
            model.set_values(values, integer=new == CLASS_INDICES)
        self._kinds = kinds
        self.inputs.arrange(self.inputs.second if kinds[1] == CLASS_INDICES else None)
        self.input_label.setText(f"input  ({KIND_LABELS[kinds[0]]}, N × C)")
        if kinds[1] == CLASS_INDICES:
            self.target_label.setText("target  (class indices, N)")
        else:
            self.target_label.setText(f"target  ({KIND_LABELS[kinds[1]]}, N × C)")

    def _recompute(self) -> None:
        """Evaluate with the engine; on bad input keep the last valid result and say why."""
        kind, options, option_error = self.options_panel.read()
        problems = self.input_model.bad_cells() + self.target_model.bad_cells()
        if option_error:
            problems.insert(0, option_error)
        if problems:
            self._show_message(problems[0] + " (showing the last valid result)", "error")
            return
        x, t = self.input_model.values(), self.target_model.values()
        try:
            result = evaluate(kind, options, x, t, self.current_dtype())
        except LossRejected as rejection:
            self._show_message(f"{rejection} (showing the last valid result)", "error")
            return
        self.last_result = result
        self._show_result(result)
        self.code.setPlainText(pytorch_code(kind, options, x, t, self.current_dtype()))
        if result.warnings:
            self._show_message("Warning: " + " ".join(result.warnings), "warning")
        else:
            self._show_message(f"{LOSSES[kind].class_name}: computed by the engine", "info")

    def _show_result(self, result: LossResult) -> None:
        if result.reduction == "none":
            shape = ", ".join(str(s) for s in result.output.shape)
            self.value.setText(
                f"{result.value:.6f}  <span style='font-size:9pt;color:#555'>= output.sum(); "
                f"reduction='none' gives shape [{shape}] (left below)</span>"
            )
            self.output_model.set_values(result.output.astype(np.float64))
        else:
            self.value.setText(
                f"{result.value:.6f}  <span style='font-size:9pt;color:#555'>"
                f"reduction='{result.reduction}'</span>"
            )
        self.output_box.setVisible(result.reduction == "none")
        single = result.output.ndim == 1
        self.results.arrange(self.output_box if single or result.reduction != "none" else None)
        self.gradient_model.set_values(result.grad)

    def _show_message(self, text: str, level: str) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(f"color: {MESSAGE_COLORS[level]};")

    def _update_curves(self) -> None:
        kind, options = self.current_options()
        self.curves.update_regression(options.delta, options.beta)
        self.curves.highlight(kind)

    # -- slots ----------------------------------------------------------------------------------
    def _on_options_changed(self) -> None:
        self._sync_tensor_kinds()
        kind, options = self.current_options()
        if (options.delta, options.beta) != getattr(self, "_curve_params", None):
            self._curve_params = (options.delta, options.beta)
            self.curves.update_regression(options.delta, options.beta)
        self.curves.highlight(kind)
        self._recompute()

    def _on_table_edited(self, row: int, column: int) -> None:
        del row, column
        self._recompute()

    def _on_shape_changed(self, *args) -> None:
        del args
        n, c = self.n_spin.value(), self.c_spin.value()
        seed = self.seed_spin.value()
        for stream, (model, kind) in enumerate(
            zip((self.input_model, self.target_model), self._kinds, strict=True)
        ):
            fresh = random_tensor(kind, n, c, seed, stream)
            values = resized(model.values(), fresh)
            if kind == CLASS_INDICES:
                values = np.where((values >= 0) & (values < c), values, fresh)
            model.set_values(values)
        self._recompute()

    def _on_seed_changed(self, seed: int) -> None:
        del seed
        self._sync_tensor_kinds(regenerate=True)
        self._recompute()

    def _on_dtype_changed(self, index: int) -> None:
        del index
        self._recompute()

    def _on_randomize_clicked(self) -> None:
        self.seed_spin.setValue(self.seed_spin.value() + 1)

    def _on_copy_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self.code.toPlainText())
        self._show_message("PyTorch code copied to the clipboard", "info")

    # -- ExplorerTab ----------------------------------------------------------------------------
    def export_items(self):
        return dict(self.curves.plots)

    def state(self) -> dict[str, Any]:
        kind, options = self.current_options()
        return {
            "loss": kind,
            "options": options.to_dict(),
            "shape": [self.n_spin.value(), self.c_spin.value()],
            "seed": self.seed_spin.value(),
            "dtype": self.current_dtype(),
            "input": self.input_model.values().tolist(),
            "target": self.target_model.values().tolist(),
        }

    def restore_state(self, state: dict[str, Any]) -> None:
        kind, options, (n, c), seed, x, t = tensors_from_state(state)
        dtype = state.get("dtype", "float64")
        if self.dtype.findData(dtype) < 0:
            raise ValueError(f"state 'dtype' must be 'float64' or 'float32'; got {dtype!r}")
        self.dtype.blockSignals(True)
        self.dtype.setCurrentIndex(self.dtype.findData(dtype))
        self.dtype.blockSignals(False)
        for widget in (self.seed_spin, self.n_spin, self.c_spin):
            widget.blockSignals(True)
        self.seed_spin.setValue(seed)
        self.n_spin.setValue(n)
        self.c_spin.setValue(c)
        for widget in (self.seed_spin, self.n_spin, self.c_spin):
            widget.blockSignals(False)
        self.options_panel.set_state(kind, options)
        self._sync_tensor_kinds(regenerate=True)
        self._on_options_changed()
        self.set_tensors(x, t)
