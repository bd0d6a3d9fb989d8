"""What the loss gave: its value, the per-element output, input.grad and the PyTorch code."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics, QGuiApplication, QTextCursor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from explorer.lossbench.evaluate import LossResult
from explorer.lossbench.tensors import value_text
from explorer.ui.losses.table_pair import TablePair, labelled
from explorer.ui.losses.tensor_table import TensorTable, TensorTableModel
from explorer.ui.widgets.card import set_text_color
from explorer.ui.widgets.quiet_label import QuietLabelBox
from explorer.ui.widgets.readout import Readout
from explorer.ui.widgets.zoom import follow_font


def heading(text: str, tip: str) -> QLabel:
    """A bold caption above a table."""
    label = QLabel(text)
    label.setToolTip(tip)
    follow_font(label, bold=True)
    label.setWordWrap(True)
    return label


class LossResultView(QWidget):
    """The value (``lossValue``), output and gradient heat tables, and the copyable code
    (in ``code_box``, which the tab lays out)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.output_model = TensorTableModel("output", parent=self)
        self.gradient_model = TensorTableModel("input.grad", parent=self)
        self.output_model.set_heat(True)
        self.gradient_model.set_heat(True)

        self.value = Readout("output", objectName="lossValue")
        self.value.setToolTip("output: the loss value the engine computed (6 decimals)")
        self.value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.value.setTextFormat(Qt.TextFormat.PlainText)
        self.note = QLabel(objectName="lossValueNote")
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        set_text_color(self.note, "muted")
        self.note.setToolTip("The reduction that made the value")
        # A longer or shorter text must not resize the columns (and repaint the plots), nor
        # even ask: a label whose size is not fixed both ways asks every layout up to the
        # main window's tab widget for room with each new text, and that repaints the window.
        follow_font(self.value, 4, after=self._fit_value)
        value_row = QHBoxLayout()
        value_row.addWidget(heading("output", "output = loss(input, target)"))
        value_row.addWidget(self.value)
        value_row.addWidget(QuietLabelBox(self.note), 1)
        layout.addLayout(value_row)

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
        self.output_box = labelled(
            heading("output (none)", "The unreduced loss, reduction='none'"), self.output_table
        )
        gradient_box = labelled(
            heading("input.grad", "The gradient of the output w.r.t. the input"),
            self.gradient_table,
        )
        self.tables = TablePair(self.output_box, gradient_box)
        layout.addWidget(self.tables, 1)

        # The code has a box of its own: the tab puts it in a splitter, where it can fold away.
        self.code_box = QWidget(objectName="codeBox")
        code_layout = QVBoxLayout(self.code_box)
        code_layout.setContentsMargins(0, 0, 0, 0)
        code_row = QHBoxLayout()
        code_row.addWidget(heading("The same in PyTorch", "Paste into Python with torch"))
        code_row.addStretch(1)
        self.copy_button = QPushButton("Copy", objectName="copyCode")
        self.copy_button.setToolTip("Copy the PyTorch code to the clipboard")
        code_row.addWidget(self.copy_button)
        code_layout.addLayout(code_row)
        self.code = QPlainTextEdit(objectName="pytorchCode")
        self.code.setReadOnly(True)
        self.code.setUndoRedoEnabled(False)  # edited in place by _show_code: keep no history
        self.code.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.code.setToolTip("PyTorch code computing the same output and input.grad")
        follow_font(self.code, -1.5, monospace=True)
        code_layout.addWidget(self.code, 1)
        self.copy_button.clicked.connect(self._on_copy_clicked)

    def _fit_value(self) -> None:
        metrics = QFontMetrics(self.value.font())
        self.value.setFixedSize(metrics.horizontalAdvance("-0.000000e+000"), metrics.height() + 2)

    def show_result(self, result: LossResult, code: str) -> None:
        """Show ``result`` and its PyTorch ``code``."""
        none = result.reduction == "none"
        self.value.show_value(result.value, value_text(result.value))
        if none:
            shape = ", ".join(str(s) for s in result.output.shape)
            self.note.setText(f"= output.sum() of shape [{shape}]")
            self.output_model.set_values(result.output.astype(np.float64))
        elif result.divisor is not None:
            self.note.setText(
                f"{result.reduction} = sum {value_text(result.summed)} / {result.divisor:.6g}"
            )
        else:
            self.note.setText(f"reduction='{result.reduction}'")
        if self.output_box.isVisibleTo(self) != none:
            self.output_box.setVisible(none)
        single = result.output.ndim == 1
        self.tables.arrange(self.output_box if single or not none else None)
        self.gradient_model.set_values(result.grad)
        self._show_code(code)

    def _show_code(self, code: str) -> None:
        """Replace only the changed span of the code (an option change edits one line):
        re-laying out the whole script costs more than the edit."""
        old = self.code.toPlainText()
        if code == old:
            return
        if not (old and old.isascii() and code.isascii()):  # cursor positions count UTF-16
            self.code.setPlainText(code)
            return
        start = 0
        limit = min(len(old), len(code))
        while start < limit and old[start] == code[start]:
            start += 1
        end = 0
        while end < limit - start and old[-1 - end] == code[-1 - end]:
            end += 1
        cursor = QTextCursor(self.code.document())
        cursor.setPosition(start)
        cursor.setPosition(len(old) - end, QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(code[start : len(code) - end])

    def _on_copy_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self.code.toPlainText())
