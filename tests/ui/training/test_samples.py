"""The validation images: the chosen sample is always on screen and framed."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, Qt

from explorer.ui.training.samples import SampleGrid
from tests.ui.training.tab_helpers import click, make_tab, wait_stopped


def framed_cell(grid: SampleGrid) -> int | None:
    """The page position of the image the frame surrounds, read from the frame's corners."""
    xs, ys = grid.frame.getData()
    if xs is None or not len(xs):
        return None
    center_x, center_y = (xs.min() + xs.max()) / 2, (ys.min() + ys.max()) / 2
    col = int((center_x - grid._pad) // grid._cell[1])
    row = int((center_y - grid._pad) // grid._cell[0])
    return row * grid.columns + col


def test_hardest_shows_and_frames_a_sample_beyond_the_first_page(qtbot):
    tab = make_tab(qtbot, "digits", epochs=1, batch=64)
    click(qtbot, tab.view.start)
    wait_stopped(qtbot, tab, "done")
    grid, panel = tab.view.sample_grid, tab.view.info_link
    assert framed_cell(grid) == 0  # the P/Q panel's sample 0, framed from the start
    losses = panel._losses
    # Make the hardest sample one beyond the first page, as it is for most models.
    hardest = int(np.argmax(losses))
    if hardest < grid.count:
        panel._losses = losses = losses.copy()
        losses[100] = losses.max() + 1
        hardest = 100
    click(qtbot, panel.hardest)
    assert panel.sample.value() == hardest
    assert hardest in grid.shown_range() and grid.selected() == hardest
    assert framed_cell(grid) == hardest - grid.shown_range().start
    caption = grid.captions()[hardest - grid.shown_range().start]
    names = tab.data.dataset.class_names
    assert caption.split(" ")[0] in names  # the page's captions carry its predictions

    # Typing an index on the first page brings that page back.
    panel.sample.selectAll()
    qtbot.keyClicks(panel.sample, "3")
    qtbot.keyClick(panel.sample, Qt.Key.Key_Return)
    assert grid.shown_range().start == 0 and framed_cell(grid) == 3
    tab.shutdown()


def test_a_click_on_a_later_page_gives_its_validation_index(qtbot):
    grid = SampleGrid(count=4, columns=2)
    qtbot.addWidget(grid)
    grid.set_samples(np.random.default_rng(0).random((10, 8, 8)), np.arange(10) % 3, list("abc"))
    grid.set_predictions(np.arange(10) % 3)
    grid.select(9)
    assert list(grid.shown_range()) == [8, 9] and grid.captions() == ["c", "a"]
    grid.resize(300, 300)
    grid.show()
    qtbot.waitExposed(grid)
    second = grid.plot_item.vb.mapViewToScene(QPointF(grid._pad + grid._cell[1] * 1.5, 4))
    with qtbot.waitSignal(grid.sigSampleClicked) as clicked:
        qtbot.mouseClick(grid.viewport(), Qt.MouseButton.LeftButton, pos=grid.mapFromScene(second))
    assert clicked.args == [9]
