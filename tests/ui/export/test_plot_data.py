import numpy as np
import pyqtgraph as pg

from explorer.ui.export.files import ExportOptions, planned_files
from explorer.ui.export.plot_data import csv_tables, csv_text, image_matrix


def test_image_with_points_writes_matrix_and_data(qtbot):
    plot = pg.PlotWidget()
    qtbot.addWidget(plot)
    plot.addItem(pg.ImageItem(np.ones((2, 2))))
    plot.plot([1, 2], [3, 4], pen=None, symbol="o", name="points")
    tables = csv_tables(plot.getPlotItem())
    assert [(suffix, header[:2]) for suffix, header, _ in tables] == [
        ("", ["row", "col0"]),
        ("-data", ["points: x", "points: y"]),
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
    assert header == ["x", "stack", "stack bottom"]
    assert [list(c) for c in columns] == [[0.25, 1.25], [2, 1], [1, 2]]


def test_csv_text_writes_inf_and_nan_as_words():
    text = csv_text(["a", "b"], [np.array([1.5, np.inf]), np.array([np.nan])])
    assert text.splitlines() == ["a,b", "1.5,nan", "inf,"]


def test_columns_are_named_after_the_items_and_share_x(qtbot):
    plot = pg.PlotWidget()
    qtbot.addWidget(plot)
    plot.setLabel("bottom", "step")
    plot.plot([0, 1, 2], [3, 2, 1], name="loss (raw)")
    plot.plot([0, 1, 2], [3, 2.5, 2], name="loss (EMA)")
    plot.plot([0, 5], [4, 1], name="run #2")
    marker = plot.plot([1], [2], symbol="o", name="marker")
    marker.csv_exclude = True
    ((_, header, columns),) = csv_tables(plot.getPlotItem())
    assert header == ["step", "loss (raw)", "loss (EMA)", "step (run #2)", "run #2"]
    assert csv_text(header, columns).splitlines()[:3] == [
        "step,loss (raw),loss (EMA),step (run #2),run #2",
        "0,3,3,0,4",
        "1,2,2.5,5,1",
    ]


def test_bars_beside_a_tick_take_its_label(qtbot):
    plot = pg.PlotWidget()
    qtbot.addWidget(plot)
    plot.setLabel("bottom", "category")
    plot.getAxis("bottom").setTicks([[(0, "arm 0"), (1, "arm 1")]])
    plot.addItem(pg.BarGraphItem(x=[-0.2, 0.8], height=[0.25, 0.75], width=0.4, name="P"))
    plot.addItem(pg.BarGraphItem(x=[0.2, 1.2], height=[0.5, 0.5], width=0.4, name="Q"))
    ((_, header, columns),) = csv_tables(plot.getPlotItem())
    assert csv_text(header, columns).splitlines() == [
        "category,P,Q",
        "arm 0,0.25,0.5",
        "arm 1,0.75,0.5",
    ]


def test_an_image_with_export_axes_writes_a_labelled_matrix(qtbot):
    plot = pg.PlotWidget()
    qtbot.addWidget(plot)
    image = pg.ImageItem(np.zeros((3, 2)))
    image.export_matrix = np.array([[5, 1, 0], [2, 7, 1]])  # rows: true, columns: predicted
    image.export_axes = (["a", "b", "c"], ["a", "b"], "predicted", "true")
    plot.addItem(image)
    ((_, header, columns),) = csv_tables(plot.getPlotItem())
    assert csv_text(header, columns).splitlines() == [
        "true \\ predicted,a,b,c",
        "a,5,1,0",
        "b,2,7,1",
    ]
    image.export_matrix = np.array([[5, 2], [1, 7], [0, 1]])  # pyqtgraph's [x, y] order
    ((_, header, columns),) = csv_tables(plot.getPlotItem())
    assert csv_text(header, columns).splitlines()[1] == "a,5,1,0"


def test_a_scatter_can_add_columns_such_as_its_class(qtbot):
    plot = pg.PlotWidget()
    qtbot.addWidget(plot)
    plot.setLabel("bottom", "x₁")
    plot.setLabel("left", "x₂")
    points = pg.ScatterPlotItem(x=[0.5, 1.5], y=[2, 3], name="training points")
    points.export_columns = {"class": ["arm 0", "arm 2"]}
    plot.addItem(points)
    ((_, header, columns),) = csv_tables(plot.getPlotItem())
    assert csv_text(header, columns).splitlines() == [
        "training points: x₁,training points: x₂,training points: class",
        "0.5,2,arm 0",
        "1.5,3,arm 2",
    ]
