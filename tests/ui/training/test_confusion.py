"""The confusion matrix: class names whole where there is room, a title never cut."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF
from PySide6.QtWidgets import QApplication

from explorer.ui.export.plot_data import csv_tables
from explorer.ui.training.confusion import ConfusionMatrixPlot

IRIS = ["setosa", "versicolor", "virginica"]


def shown(qtbot, plot: ConfusionMatrixPlot, width: int, height: int) -> None:
    plot.resize(width, height)
    plot.show()
    qtbot.waitExposed(plot)
    plot.grab()  # lays the plot out and paints its axes, which elide names to their room
    QApplication.processEvents()
    plot.grab()


def test_class_names_are_whole_with_room_and_elided_with_a_tooltip_without(qtbot):
    plot = ConfusionMatrixPlot()
    qtbot.addWidget(plot)
    plot.set_matrix(np.diag([10, 10, 10]), IRIS)
    shown(qtbot, plot, 320, 300)
    bottom, left = plot.plot_item.getAxis("bottom"), plot.plot_item.getAxis("left")
    assert bottom.shown_names() == IRIS and left.shown_names() == IRIS

    shown(qtbot, plot, 150, 300)  # ~30 px a column: no room for "versicolor"
    squeezed = bottom.shown_names()
    assert squeezed[1].endswith("…") and "versicolor".startswith(squeezed[1][:-1])
    # Hovering a shortened name shows it whole.
    label = plot.plot_item.vb.mapViewToScene(QPointF(1, 2.5))
    label.setY(bottom.mapToScene(bottom.boundingRect().center()).y())
    qtbot.mouseMove(plot.viewport(), plot.mapFromScene(label))
    qtbot.waitUntil(lambda: bottom.toolTip() == "versicolor")

    # The CSV always carries the full names.
    (_, header, columns), *_ = csv_tables(plot.plot_item)
    assert header[1:] == IRIS and list(columns[0]) == IRIS
