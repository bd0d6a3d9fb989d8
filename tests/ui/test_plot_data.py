import numpy as np
import pyqtgraph as pg

from explorer.ui.export import ExportOptions, planned_files
from explorer.ui.plot_data import csv_tables, csv_text, image_matrix


def test_image_with_points_writes_matrix_and_data(qtbot):
    plot = pg.PlotWidget()
    qtbot.addWidget(plot)
    plot.addItem(pg.ImageItem(np.ones((2, 2))))
    plot.plot([1, 2], [3, 4], pen=None, symbol="o", name="points")
    tables = csv_tables(plot.getPlotItem())
    assert [(suffix, header[:2]) for suffix, header, _ in tables] == [
        ("", ["row", "col0"]),
        ("-data", ["points_x", "points_y"]),
    ]
    assert [
        p.name
        for p in planned_files(
            {"map": plot.getPlotItem()}, ".", "t", ExportOptions(formats=("csv",))
        )
    ] == [
        "t-map.csv",
        "t-map-data.csv",
    ]


def test_an_image_can_say_what_its_colours_mean(qtbot):
    image = pg.ImageItem(np.zeros((2, 3, 3), dtype=np.uint8))
    image.image[0, 0] = (255, 128, 0)
    assert image_matrix(image)[0, 0] == "#ff8000"
    image.export_matrix = lambda: np.array([[0, 1, 2], [2, 1, 0]])
    assert image_matrix(image).tolist() == [[0, 1, 2], [2, 1, 0]]


def test_bars_with_edges_and_stacks(qtbot):
    plot = pg.PlotWidget()
    qtbot.addWidget(plot)
    plot.addItem(pg.BarGraphItem(x0=[0, 1], x1=[0.5, 1.5], y0=[1, 2], y1=[3, 3], name="stack"))
    ((suffix, header, columns),) = csv_tables(plot.getPlotItem())
    assert header == ["bars_stack_x", "bars_stack_bottom", "bars_stack_height", "bars_stack_width"]
    assert [list(c) for c in columns] == [[0.25, 1.25], [1, 2], [2, 1], [0.5, 0.5]]


def test_csv_text_writes_inf_and_nan_as_words():
    text = csv_text(["a", "b"], [np.array([1.5, np.inf]), np.array([np.nan])])
    assert text.splitlines() == ["a,b", "1.5,nan", "inf,"]
