import pyqtgraph as pg
from PySide6.QtGui import QImage, QPainter

from explorer.ui.export.files import ExportOptions, export_png
from explorer.ui.plots.native_items import Bars, Line


def bare_plot(qtbot) -> pg.PlotWidget:
    """A white 200 x 150 plot without axes over (0, 1) x (0, 1)."""
    plot = pg.PlotWidget(background="w")
    qtbot.addWidget(plot)
    plot.resize(200, 150)
    plot.hideAxis("left")
    plot.hideAxis("bottom")
    plot.setRange(xRange=(0, 1), yRange=(0, 1), padding=0)
    return plot


def dark_pixels(image: QImage, x=None, y=None) -> int:
    """How many pixels of column ``x`` (or row ``y``) are dark."""
    if x is not None:
        points = ((x, row) for row in range(image.height()))
    else:
        points = ((column, y) for column in range(image.width()))
    return sum(image.pixelColor(*point).lightness() < 128 for point in points)


def test_lines_in_a_large_png_scale_with_the_text(qtbot, tmp_path):
    plot = bare_plot(qtbot)
    plot.plot([0, 1], [0.5, 0.5], pen=pg.mkPen("k", width=1))  # cosmetic, 1 px on screen
    plot.show()
    set_pen = QPainter.setPen
    path = export_png(plot.getPlotItem(), tmp_path / "line.png", ExportOptions(scale=4))
    assert QPainter.setPen is set_pen  # the render's pen scaling is undone
    image = QImage(str(path))
    assert dark_pixels(image, x=image.width() // 2) >= 3  # about 4 px, not a 1-px hairline


def test_lines_of_qts_own_items_scale_with_the_text_too(qtbot, tmp_path):
    plot = bare_plot(qtbot)
    line = Line(0.5, angle=0, pen="k", span=(0, 1))  # a 1-px hairline on screen
    bars = Bars(x=[0.25], height=[0.25], width=0.2, brushes=["w"], pen="k")
    for item in (line, bars):
        plot.addItem(item, ignoreBounds=True)
    plot.show()
    path = export_png(plot.getPlotItem(), tmp_path / "line.png", ExportOptions(scale=4))
    image = QImage(str(path))
    assert dark_pixels(image, x=image.width() * 3 // 4) >= 3  # about 4 px, not a hairline
    # Both sides of the bar, about 4 px each.
    assert dark_pixels(image, y=image.height() * 7 // 8) >= 6
    assert line.pen().widthF() == 0 and bars.pen().widthF() == 0  # the screen's pens again
