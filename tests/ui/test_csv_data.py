import numpy as np
import pyqtgraph as pg

from explorer.ui.plots.csv_data import CsvData


def test_csv_data_keeps_the_true_values_and_draws_nothing(qtbot):
    widget = pg.PlotWidget()
    qtbot.addWidget(widget)
    item = CsvData("KL contribution")
    widget.addItem(item)
    item.setData([0.0, 1.0, 2.0], [0.5, -0.25, np.inf])
    x, y = item.getOriginalDataset()
    assert list(x) == [0.0, 1.0, 2.0] and y[2] == np.inf
    assert item.getData()[1][1] == -0.25
    assert item.name() == "KL contribution"
    assert item.curve.getData()[0] is None or len(item.curve.getData()[0]) == 0


def test_csv_data_takes_x_and_y_by_keyword_too(qtbot):
    item = CsvData("H(P,Q)")
    item.setData(x=[0.0, 1.0], y=[2.0, np.inf])
    assert list(item.getData()[1]) == [2.0, np.inf]
