import numpy as np
import pyqtgraph as pg
import pytest
from pyqtgraph.exporters import SVGExporter
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor

from explorer.ui.export.plot_data import csv_tables
from explorer.ui.plots.native_items import (
    Bars,
    Label,
    Line,
    Marker,
    RichLabel,
    drawn_rect,
    hairline,
)


@pytest.fixture
def plot(qtbot):
    widget = pg.PlotWidget()
    qtbot.addWidget(widget)
    widget.resize(400, 300)
    widget.show()
    widget.setRange(xRange=(-1, 3), yRange=(-1, 2), padding=0)
    qtbot.waitExposed(widget)
    yield widget.getPlotItem()  # the widget lives as long as the test


def test_bars_draw_one_rectangle_per_bar_from_their_bottoms(plot):
    bars = Bars(x=[0, 1, 2], height=[0.5, -0.25, 1.0], y0=[0, 0, 0.5], width=0.5)
    plot.addItem(bars, ignoreBounds=True)
    polygons = bars.path().toFillPolygons()
    rects = sorted(
        (p.boundingRect().x(), p.boundingRect().y(), p.boundingRect().height()) for p in polygons
    )
    assert rects == [(-0.25, 0.0, 0.5), (0.75, -0.25, 0.25), (1.75, 0.5, 1.0)]
    # A hairline pen does not pad the bounds by a pixel's width in data units.
    assert bars.boundingRect() == QRectF(-0.25, -0.25, 2.5, 1.75)


def test_bars_keep_what_they_were_not_given(plot):
    bars = Bars(x=[0, 1], height=[1, 2], width=0.4, y0=[0.5, 0.5])
    bars.setOpts(height=[3, 4])
    np.testing.assert_array_equal(bars.opts["x"], [0, 1])
    np.testing.assert_array_equal(bars.opts["y0"], [0.5, 0.5])
    assert bars.boundingRect().bottom() == pytest.approx(4.5)
    bars.setOpts(x=[0, 1, 2, 3], height=[1, 1, 1, 1], y0=0)  # the count may change
    assert len(bars.path().toFillPolygons()) == 4


def test_each_colour_of_the_palette_is_a_layer_of_its_own(plot):
    red, blue = QColor(200, 0, 0), QColor(0, 0, 200)
    bars = Bars(x=[0, 1, 2], height=[1, -1, 2], brushes=[red, blue], colors=[0, 1, 0])
    plot.addItem(bars, ignoreBounds=True)
    (child,) = bars.childItems()
    assert bars.brush().color() == red and child.brush().color() == blue
    assert len(bars.path().toFillPolygons()) == 2
    assert len(child.path().toFillPolygons()) == 1
    bars.setOpts(height=[1, 1, 1], colors=[0, 0, 0])
    assert child.path().isEmpty()
    bars.setOpts(height=[-1, -1, -1])  # colours stay as last given
    assert child.path().isEmpty()


def test_bars_are_exported_as_csv_columns_like_pyqtgraph_bars(plot):
    plot.addItem(Bars(x=[0, 1], height=[0.25, 0.75], y0=[0.5, 0.5], width=0.4, name="P"))
    ((_, header, columns),) = csv_tables(plot)
    assert header[1:] == ["P", "P bottom"]
    np.testing.assert_array_equal(columns[1], [0.25, 0.75])
    np.testing.assert_array_equal(columns[2], [0.5, 0.5])


def test_the_svg_export_draws_bars_labels_and_markers(plot, tmp_path):
    plot.addItem(Bars(x=[0, 1], height=[0.5, 1.5], brushes=["#1f77b4"]), ignoreBounds=True)
    label = Label("H(P) 0.322", color="k", anchor=(0.5, 1.0))
    label.setPos(1, 1)
    plot.addItem(label, ignoreBounds=True)
    marker = Marker(10, brush="r", pen="w")
    marker.setPos(0, 0.5)
    plot.addItem(marker, ignoreBounds=True)
    path = tmp_path / "plot.svg"
    SVGExporter(plot).export(str(path))
    svg = path.read_text()
    assert "H(P) 0.322" in svg
    assert "#1f77b4" in svg and "#ff0000" in svg


def test_a_label_hangs_from_its_anchor_in_pixels_whatever_the_scale(plot):
    label = Label("KL 0.745", color="k", anchor=(0.5, 1.0))
    plot.addItem(label, ignoreBounds=True)
    label.setPos(1.0, 0.5)
    point = plot.getViewBox().mapViewToScene(QPointF(1.0, 0.5))  # scene = view pixels here
    box = drawn_rect(label)
    assert box.center().x() == pytest.approx(point.x(), abs=0.51)
    assert box.bottom() == pytest.approx(point.y(), abs=0.51)
    width = box.width()
    plot.setRange(xRange=(-10, 30), yRange=(-10, 20), padding=0)
    assert drawn_rect(label).width() == pytest.approx(width)


def test_place_changes_only_what_differs_and_hides(plot):
    label = Label("", anchor=(0.5, 0.5))
    plot.addItem(label, ignoreBounds=True)
    label.place("a\nb", 1.0, 2.0)
    assert (label.text(), label.pos().x(), label.pos().y(), label.isVisible()) == (
        "a\nb",
        1,
        2,
        True,
    )
    two_lines = label.boundingRect().height()
    assert label.transform().dy() == pytest.approx(-two_lines / 2)
    label.place("c", 3.0, 4.0, visible=False)
    assert not label.isVisible() and label.text() == "a\nb"  # hidden as it was
    label.place("c", 3.0, 4.0)
    assert label.isVisible() and label.text() == "c" and label.pos().x() == 3


def test_a_marker_keeps_its_size_in_pixels(plot):
    marker = Marker(10, brush="r", pen=pg.mkPen("w", width=1.5))
    plot.addItem(marker, ignoreBounds=True)
    marker.setPos(1, 1)
    assert drawn_rect(marker).width() == pytest.approx(10 + 1.5)
    plot.setRange(xRange=(-100, 100), yRange=(-1, 2), padding=0)
    assert drawn_rect(marker).width() == pytest.approx(10 + 1.5)


def test_hairline_pens_are_one_pixel_and_no_pen_stays_none():
    assert hairline(pg.mkPen("k", width=3)).widthF() == 0
    assert hairline(pg.mkPen(None)).style() == pg.QtCore.Qt.PenStyle.NoPen


def test_a_rich_label_anchors_like_a_plain_one(plot):
    label = RichLabel('<span style="font-size:8pt">▲</span>∞', color="r", anchor=(0.0, 1.0))
    plot.addItem(label, ignoreBounds=True)
    label.setPos(0.0, 1.0)
    point = plot.getViewBox().mapViewToScene(QPointF(0.0, 1.0))
    box = drawn_rect(label)
    assert (box.left(), box.bottom()) == pytest.approx((point.x(), point.y()), abs=0.51)
    label.setAnchor((1.0, 1.0))  # the mark now ends at the point
    assert drawn_rect(label).right() == pytest.approx(point.x(), abs=0.51)
    assert label.toPlainText() == "▲∞"


def test_lines_span_what_they_are_given_at_their_value(plot):
    level = Line(0.5, angle=0, pen="k", span=(-1, 3))
    now = Line(1.0, angle=90, pen="k")
    for line in (level, now):
        plot.addItem(line, ignoreBounds=True)
    assert level.line().p1().toTuple() == (-1, 0.5) and level.line().p2().toTuple() == (3, 0.5)
    now.set_span(-1, 2)
    now.setValue(2.0)
    assert now.value() == 2.0 and now.line().p1().toTuple() == (2, -1)
    assert now.line().p2().toTuple() == (2, 2)
    assert now.pen().widthF() == 0  # one pixel, whatever the scale
    with pytest.raises(ValueError, match="angle"):
        Line(0, angle=45)
