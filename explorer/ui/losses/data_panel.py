"""The Data box of the Losses tab: shape N x C, seed, Randomize and dtype."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QLabel,
    QPushButton,
)

from explorer.lossbench.tensors import MAX_SIZE
from explorer.ui.widgets.eliding_combo import ElidingComboBox
from explorer.ui.widgets.signals import signals_blocked
from explorer.ui.widgets.spin_box import SpinBox

DTYPES = (
    ("float64 (exact match)", "float64"),
    ("float32 (PyTorch default)", "float32"),
)


def _size_spin(name: str, what: str, tip: str, value: int) -> SpinBox:
    spin = SpinBox(what, objectName=name)
    spin.setRange(1, MAX_SIZE)
    spin.setValue(value)
    spin.setToolTip(tip)
    return spin


class LossDataPanel(QGroupBox):
    """Shape, seed and dtype controls; the tab connects to their signals directly."""

    def __init__(self, parent=None):
        super().__init__("Data", parent)
        form = QFormLayout(self)
        self.n_spin = _size_spin("batchSize", "N", "N: the batch size (rows)", 3)
        self.c_spin = _size_spin("numClasses", "C", "C: classes / columns", 5)
        self.seed_spin = SpinBox("seed", objectName="seed")
        self.seed_spin.setRange(0, 2**31 - 1)
        self.seed_spin.setToolTip("Seed of the random input and target (same seed, same numbers)")
        self.randomize_button = QPushButton("Randomize", objectName="randomize")
        self.randomize_button.setToolTip("Draw a new input and target: the next seed")
        # Whole where the column has room for it, else elided, in full on hover.
        self.dtype = ElidingComboBox(8, objectName="dtype")
        for text, value in DTYPES:
            self.dtype.addItem(text, value)
        self.dtype.setToolTip(
            "The dtype of input and target. float64: the PyTorch code prints this tab's value "
            "digit for digit. float32 (torch's default): a different summation order can "
            "move the last of the 6 printed digits."
        )
        form.addRow("N (batch)", self.n_spin)
        form.addRow("C (classes)", self.c_spin)
        form.addRow("seed", self.seed_spin)
        form.addRow("", self.randomize_button)  # under the seed: the column stays narrow
        form.addRow("dtype", self.dtype)

    def field_labels(self) -> list[QLabel]:
        """The labels of the form's rows."""
        layout = self.layout()
        labels = (
            layout.itemAt(row, QFormLayout.ItemRole.LabelRole) for row in range(layout.rowCount())
        )
        return [
            item.widget()
            for item in labels
            if item is not None and isinstance(item.widget(), QLabel)
        ]

    def shape(self) -> tuple[int, int]:
        return self.n_spin.value(), self.c_spin.value()

    def seed(self) -> int:
        return self.seed_spin.value()

    def dtype_name(self) -> str:
        return self.dtype.currentData()

    def set_quietly(self, n: int, c: int, seed: int, dtype: str) -> None:
        """Show these values without emitting change signals."""
        with signals_blocked(self.n_spin, self.c_spin, self.seed_spin, self.dtype):
            self.n_spin.setValue(n)
            self.c_spin.setValue(c)
            self.seed_spin.setValue(seed)
            self.dtype.setCurrentIndex(self.dtype.findData(dtype))
