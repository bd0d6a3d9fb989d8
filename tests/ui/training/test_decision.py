"""Decision regions: the GUI's CSV and the command line's carry the same columns."""

from __future__ import annotations

import csv

import pytest

from explorer.training import DEFAULT_RUN, setup_run
from explorer.ui.export.files import ExportOptions, export_items
from explorer.ui.headless import export_training_figures
from tests.ui.training.tab_helpers import click, make_tab, wait_stopped


def read_csv(path):
    with open(path, newline="") as handle:
        return list(csv.reader(handle))


def test_the_points_csv_names_each_points_class_as_the_command_line_does(qtbot, tmp_path):
    tab = make_tab(qtbot, "spiral", samples=150, epochs=1)
    click(qtbot, tab.view.start)
    wait_stopped(qtbot, tab, "done")
    items = {"decision-regions": tab.export_items()["decision-regions"]}
    export_items(items, tmp_path, "training", ExportOptions(formats=("csv",)))
    tab.shutdown()
    gui = read_csv(tmp_path / "training-decision-regions-data.csv")
    names = set(tab.data.dataset.class_names)
    classes = [i for i, column in enumerate(gui[0]) if column.endswith(": class")]
    assert len(classes) == 2  # training and validation points
    assert {row[classes[0]] for row in gui[1:] if row[classes[0]]} == names

    run = setup_run(DEFAULT_RUN.with_training(epochs=1))
    run.trainer.run()
    cli = tmp_path / "cli"
    cli.mkdir()
    export_training_figures(run, cli, {"formats": ("csv",)}, overwrite=False)
    assert read_csv(cli / "training-decision-regions-data.csv")[0] == gui[0]


def _show_spiral_regions(plot) -> tuple[float, float, float, float]:
    """Spiral points and made-up regions over their extent; the extent."""
    import numpy as np

    from explorer.data import make_spiral
    from explorer.model.evaluate import plane_extent

    data = make_spiral(n_samples=300)
    plot.set_points(data.x[:240], data.y[:240], data.x[240:], data.y[240:], 3)
    extent = plane_extent(data.x)
    x0, x1, y0, y1 = extent
    gx, gy = np.meshgrid(np.linspace(x0, x1, 40), np.linspace(y0, y1, 40))
    angle = np.arctan2(gy, gx)
    probabilities = np.stack([np.cos(angle + k) + 1.5 for k in (0.0, 2.1, 4.2)], axis=-1)
    plot.set_regions(extent, probabilities / probabilities.sum(axis=-1, keepdims=True))
    return extent


def _bands_and_stretch(plot, extent) -> tuple[float, float, float]:
    """How much wider and taller than the regions the view is (1: no empty band), and how
    many more pixels a unit of x₂ gets than a unit of x₁ (1: the plane's true shape)."""
    (vx0, vx1), (vy0, vy1) = plot.plot_item.vb.viewRange()
    x0, x1, y0, y1 = extent
    box = plot.plot_item.vb.boundingRect()
    stretch = (box.height() / (vy1 - vy0)) / (box.width() / (vx1 - vx0))
    return (vx1 - vx0) / (x1 - x0), (vy1 - vy0) / (y1 - y0), stretch


def _shown_whole(qtbot, plot, extent) -> tuple[float, float, float]:
    """:func:`_bands_and_stretch` once the view shows the regions whole (it fits them when
    it is next drawn)."""
    qtbot.waitUntil(lambda: min(_bands_and_stretch(plot, extent)[:2]) > 0.999)
    return _bands_and_stretch(plot, extent)


@pytest.mark.parametrize("size", [(1280, 820), (1600, 1000), (1024, 640)])
def test_the_decision_regions_fill_their_plot_in_the_window(qtbot, size):
    from explorer.ui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(*size)
    window.show_tab("training")
    window.show()
    qtbot.waitExposed(window)
    plot = window.tab("training").view.decision_plot
    extent = _show_spiral_regions(plot)
    width, height, stretch = _shown_whole(qtbot, plot, extent)
    if size == (1280, 820):
        assert plot.width() >= 300  # not squeezed beside the P/Q column
    # The regions fill the data area but for a thin margin, on a plane barely stretched.
    assert width <= 1.12 and height <= 1.12, (width, height)
    assert 0.8 <= stretch <= 1.25


def test_a_tall_narrow_plot_stretches_the_plane_only_so_far(qtbot):
    from explorer.ui.training.decision import DecisionRegionPlot

    plot = DecisionRegionPlot()
    qtbot.addWidget(plot)
    plot.resize(260, 600)
    plot.show()
    qtbot.waitExposed(plot)
    extent = _show_spiral_regions(plot)
    width, height, stretch = _shown_whole(qtbot, plot, extent)
    assert stretch == pytest.approx(1.25, rel=0.02)  # the most it is stretched
    assert width <= 1.12 and height > 1.12  # then the view shows more of the plane
