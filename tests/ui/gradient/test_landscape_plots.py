"""The loss landscape's heatmap: its legend lies outside the landscape."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtWidgets import QApplication

from explorer.model.landscape import Directions, Landscape
from explorer.ui.gradient.landscape_plots import LandscapePlot


def bowl(path: bool = True) -> Landscape:
    alphas = np.linspace(-40.0, 8.0, 25)
    betas = np.linspace(-4.0, 8.0, 25)
    losses = 0.2 + 0.001 * alphas[None, :] ** 2 + 0.01 * betas[:, None] ** 2
    trail = np.column_stack([np.linspace(-34, 0, 10), np.linspace(-2.2, 0, 10)])
    return Landscape(
        alphas=alphas,
        betas=betas,
        losses=losses,
        slice_alphas=alphas,
        slice_losses=losses[12],
        directions=Directions(first={}, second={}, kind="pca", explained=(0.9, 0.06)),
        center_loss=0.2,
        path=trail if path else None,
    )


@pytest.mark.parametrize("size", [(900, 520), (560, 360)])
def test_the_legend_lies_outside_the_heatmap(qtbot, size):
    plot = LandscapePlot()
    qtbot.addWidget(plot)
    plot.resize(*size)
    plot.show()
    qtbot.waitExposed(plot)
    plot.show_landscape(bowl())
    QApplication.processEvents()
    legend = plot.legend
    assert legend.isVisible()
    assert [label.text for _sample, label in legend.items] == [
        "θ (current weights)",
        "start of the run",
    ]
    data = plot.plot_item.vb.sceneBoundingRect()
    shown = legend.sceneBoundingRect()
    assert shown.height() > 0 and not shown.intersects(data)
    assert plot.rect().contains(plot.mapFromScene(shown).boundingRect())  # not cut either
