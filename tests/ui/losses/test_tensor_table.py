import numpy as np
from PySide6.QtCore import Qt

from explorer.ui.losses.tensor_table import TensorTable, TensorTableModel


def test_headers_number_the_rows_and_columns_as_qt_asks_for_them(qtbot):
    model = TensorTableModel("input")
    model.set_values(np.arange(6.0).reshape(2, 3))
    table = TensorTable(model, "inputTable", "input")
    qtbot.addWidget(table)
    horizontal, vertical = Qt.Orientation.Horizontal, Qt.Orientation.Vertical
    # Qt's views pass the role as a plain int (the C++ signature says int).
    assert model.headerData(2, horizontal, 0) == "2"
    assert model.headerData(1, vertical, int(Qt.ItemDataRole.DisplayRole)) == "1"
    assert model.headerData(2, horizontal, Qt.ItemDataRole.DisplayRole) == "2"
    assert "dim 1" in model.headerData(2, horizontal, int(Qt.ItemDataRole.ToolTipRole))
    assert "dim 0" in model.headerData(1, vertical, int(Qt.ItemDataRole.ToolTipRole))
    model.column_header = "class"  # class-index targets: one column named for what it holds
    assert model.headerData(0, horizontal, 0) == "class"
    assert model.headerData(0, horizontal, int(Qt.ItemDataRole.DecorationRole)) is None
