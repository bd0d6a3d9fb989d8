"""The Gradient tab: its pages, exports, state, and a layout that fits a laptop at 150 %."""

import numpy as np
import pytest
from PySide6.QtWidgets import QAbstractButton, QApplication

from explorer.ui.export.files import ExportOptions, export_items, shown_items, with_data
from explorer.ui.gradient.tab import GradientTab
from explorer.ui.theme import theme
from tests.ui.gradient.helpers import WAIT_MS, make_tab


def test_exports_are_the_shown_pages_plots_and_the_tables(qtbot, tmp_path):
    tab = make_tab(qtbot)
    tab.resize(1280, 820)
    tab.show()
    qtbot.waitUntil(lambda: tab.graph_view.graph() is not None)
    tab.graph_view.run_all()
    assert set(tab.export_items()) == {
        "autograd-graph", "landscape", "landscape-slice", "lr-finder",
    }  # fmt: skip
    items, skipped = with_data(shown_items(tab))
    assert "autograd-graph" in items and "autograd-nodes" in items
    written = export_items(items, tmp_path, tab.export_name, ExportOptions(scale=1.0))
    names = {path.name for path in written}
    assert {"gradient-autograd-graph.png", "gradient-autograd-graph.svg",
            "gradient-autograd-graph.csv", "gradient-autograd-nodes.csv"} <= names  # fmt: skip
    nodes = (tmp_path / "gradient-autograd-graph.csv").read_text().splitlines()
    assert nodes[0].split(",")[2:] == ["node: name", "node: kind", "node: op"]  # and where
    assert len(nodes) == 1 + len(tab.graph_view.graph_nodes())
    table = (tmp_path / "gradient-autograd-nodes.csv").read_text().splitlines()
    assert table[0] == "name,kind,op,shape,value,grad"

    tab.show_page("landscape")
    view = tab.landscape_view
    view.resolution.setValue(4)
    with qtbot.waitSignal(view.job.sigDone, timeout=WAIT_MS):
        view.compute()
    items, _ = with_data(shown_items(tab))
    assert {"landscape", "landscape-slice", "landscape-grid"} <= set(items)
    assert "autograd-graph" not in items  # another page's
    written = export_items(items, tmp_path, tab.export_name, ExportOptions(scale=1.0),
                           overwrite=True)  # fmt: skip
    grid = np.loadtxt(tmp_path / "gradient-landscape-grid.csv", delimiter=",", skiprows=1)
    np.testing.assert_allclose(grid[:, 2], view.landscape().losses.ravel())
    matrix = np.loadtxt(tmp_path / "gradient-landscape.csv", delimiter=",", skiprows=1)
    np.testing.assert_allclose(matrix[:, 1:], view.landscape().losses)  # rows β, columns α


def test_state_round_trips_and_a_bad_entry_is_named(qtbot):
    tab = make_tab(qtbot, record_path=False)
    tab.show_page("landscape")
    tab.landscape_view.set_directions("pca")
    tab.landscape_view.resolution.setValue(21)
    tab.graph_view.set_source("loss")
    state = tab.state()
    again = make_tab(qtbot, record_path=False)
    again.restore_state(state)
    assert again.state() == state
    for bad, message in (
        ({"page": "nowhere"}, "pages"),
        ({"graph_source": "elsewhere"}, "graph_source"),
        ({"graph_sample": -1}, "graph_sample"),
        ({"landscape": {"resolution": 99}}, "resolution"),
        ({"landscape": {"directions": "sideways"}}, "directions"),
        ({"colour": "red"}, "unknown"),
        ({"landscape": {"directions": "random", "span": 0.0}}, "span"),
        ({"landscape": {"resolution": 9}, "page": "nowhere"}, "pages"),
    ):
        with pytest.raises(ValueError, match=message):
            again.restore_state(bad)
        assert again.state() == state  # nothing changed


@pytest.mark.parametrize("page", ["graph", "landscape", "lr-finder"])
def test_every_control_fits_a_laptop_window_at_150_percent(qtbot, page):
    tab = make_tab(qtbot, record_path=False)
    theme().set(zoom=1.5)
    tab.show_page(page)
    tab.resize(1024, 640)
    tab.show()
    QApplication.processEvents()
    current = tab.pages.currentWidget()
    column = current.controls
    qtbot.waitUntil(lambda: column.widget().width() <= column.viewport().width())
    for control in column.widget().findChildren(QAbstractButton):
        if control.isVisibleTo(column.widget()):
            right = control.mapTo(column.widget(), control.rect().topRight()).x()
            assert right <= column.viewport().width(), control.objectName()
    plot = {"graph": tab.graph_view.canvas, "landscape": tab.landscape_view.heatmap,
            "lr-finder": tab.lr_finder.plot}[page]  # fmt: skip
    assert plot.width() >= 300 and plot.height() >= 200  # room left for the picture
    assert tab.width() <= 1024 and tab.height() <= 640


def test_a_tab_made_alone_has_documents_of_its_own(qtbot):
    tab = GradientTab()
    qtbot.addWidget(tab, before_close_func=lambda widget: widget.shutdown())
    assert tab.training_document.train is None
    assert "No data" in tab.landscape_view.job.status.text()
