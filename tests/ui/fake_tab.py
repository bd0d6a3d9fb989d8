"""A small tab implementing the ExplorerTab protocol, for the export/session/fault tests."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QSpinBox, QVBoxLayout

from explorer.ui.tab_base import ExplorerTab


class FakeTab(ExplorerTab):
    title = "Fake"
    export_name = "fake"

    def __init__(self, export_name: str = "fake", parent=None):
        super().__init__(parent)
        self.export_name = export_name
        self.title = export_name.title()
        self.count = QSpinBox(self)
        self.count.setRange(1, 100)
        self.count.setValue(3)
        self.curves = pg.PlotWidget(title="Curves")
        self.curves.addLegend()
        x = np.linspace(0, 1, 5)
        self.curves.plot(x, x**2, name="square")
        self.curves.plot(x, np.sqrt(x), name="root")
        self.layout_widget = pg.GraphicsLayoutWidget()
        self.bars_plot = self.layout_widget.addPlot(title="Bars")
        self.bars_plot.addItem(pg.BarGraphItem(x=[0, 1, 2], height=[0.5, 0.3, 0.2], width=0.6))
        self.image_plot = pg.PlotWidget(title="Image")
        self.image_plot.addItem(pg.ImageItem(np.arange(12.0).reshape(3, 4)))
        layout = QVBoxLayout(self)
        layout.addWidget(self.count)
        layout.addWidget(self.curves)
        layout.addWidget(self.layout_widget)
        layout.addWidget(self.image_plot)
        self.arrays = {"w": np.ones((2, 2), dtype=np.float32)}
        self.shut_down = False

    def export_items(self):
        return {
            "curves": self.curves.getPlotItem(),
            "bars": self.layout_widget.ci,
            "image": self.image_plot.getPlotItem(),
        }

    def state(self):
        return {"count": self.count.value()}

    def restore_state(self, state):
        count = state.get("count", 3)
        if not isinstance(count, int) or not 1 <= count <= 100:
            raise ValueError(f"count must be an integer from 1 to 100; got {count!r}")
        self.count.setValue(count)

    def session_arrays(self):
        return dict(self.arrays)

    def restore_session_arrays(self, arrays):
        self.arrays = dict(arrays)

    def shutdown(self):
        self.shut_down = True
