"""The confusion matrix: class names whole where there is room, a title never cut."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF
from PySide6.QtWidgets import QApplication

from explorer.ui.export.plot_data import csv_tables
from explorer.ui.training.confusion import ConfusionMatrixPlot

IRIS = ["setosa", "versicolor", "virginica"]
LONG = [
    "Iris setosa (Fisher 1936)",
    "Iris versicolor (Fisher 1936)",
    "Iris virginica (Fisher 1936)",
]


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


def test_at_1024_by_640_a_finished_run_shows_the_whole_matrix_and_title(qtbot, tmp_path):
    from explorer.ui import MainWindow
    from tests.ui.training.tab_helpers import click, wait_loaded, wait_stopped

    # Three well-separated classes: a confident model, so the P/Q panel reads "(1 − 1e-09)".
    rows = [f"{3 * (i % 3) + i % 5 / 10},{i % 7 / 10},{LONG[i % 3]}" for i in range(90)]
    path = tmp_path / "iris.csv"
    path.write_text("\n".join(rows) + "\n")
    window = MainWindow()
    qtbot.addWidget(window, before_close_func=lambda w: w.tab("training").shutdown())
    window.resize(1024, 640)
    window.show_tab("training")
    window.show()
    qtbot.waitExposed(window)
    tab = window.tab("training")
    dataset = tab.view.dataset
    dataset.ask_open_path = lambda title, start, filters: str(path)
    dataset.kind.setCurrentIndex(dataset.kind.findData("csv"))
    dataset.kind.activated.emit(dataset.kind.currentIndex())
    wait_loaded(qtbot, tab)
    tab.view.settings.epochs.setValue(40)  # confident enough for "−log (1 − 1.234e-05)"
    click(qtbot, tab.view.start)
    wait_stopped(qtbot, tab, "done")
    plot = tab.view.confusion_plot
    window.grab()
    QApplication.processEvents()
    window.grab()
    title = plot.plot_item.titleLabel
    assert title.geometry().width() >= title.item.boundingRect().width()
    cells = plot.mapFromScene(plot.image.mapRectToScene(plot.image.boundingRect()))
    cells = cells.boundingRect().translated(plot.mapTo(window, plot.rect().topLeft()))
    assert shown_in(plot, window).contains(cells.adjusted(1, 1, -1, -1))
    panel = tab.view.info_link  # nothing beside it is pushed out of the window either
    assert shown_in(panel, window).width() == panel.width()
    assert plot.plot_item.getAxis("bottom").shown_names()[2].startswith("Iris")
    line = tab.view.info_link.detail_label.toolTip()
    assert line.startswith("−log q(Iris ") and "(Fisher 1936)) = −log (1 − " in line


def shown_in(widget, window):
    """The part of ``widget`` not clipped by any of its parents, in ``window``'s pixels."""
    rect = widget.rect().translated(widget.mapTo(window, widget.rect().topLeft()))
    parent = widget.parentWidget()
    while parent is not None:
        rect &= parent.rect().translated(parent.mapTo(window, parent.rect().topLeft()))
        parent = parent.parentWidget()
    return rect
