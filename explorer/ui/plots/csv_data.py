"""A plot item that only carries a series for the CSV exports."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg


class CsvData(pg.PlotDataItem):
    """An invisible item that only carries a series for the CSV exports.

    ``setData(x, y)`` keeps the arrays and ``getData()``/``getOriginalDataset()`` give them
    back; nothing is prepared for drawing (a plain PlotDataItem would compute bounds and
    update its empty curve and scatter on every slider move).
    """

    def __init__(self, name: str):
        self._xy = (np.empty(0), np.empty(0))
        super().__init__(pen=None, symbol=None, name=name)

    def setData(self, *args, **kwargs) -> None:  # noqa: N802 (pyqtgraph API)
        if args or "x" in kwargs or "y" in kwargs:
            x, y = args if args else (kwargs.pop("x"), kwargs.pop("y"))
            self._xy = (np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64))
        if kwargs:  # style and name only: the item draws nothing
            super().setData(**kwargs)

    def getData(self):  # noqa: N802 (pyqtgraph API)
        return self._xy

    def getOriginalDataset(self):  # noqa: N802 (pyqtgraph API)
        return self._xy
