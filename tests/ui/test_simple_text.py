import pyqtgraph as pg
import pytest
from PySide6.QtWidgets import QGraphicsSimpleTextItem

from explorer.ui.plots.simple_text import SimpleTextItem


@pytest.fixture
def widget(qtbot):
    widget = pg.PlotWidget()
    qtbot.addWidget(widget)
    widget.resize(300, 200)
    widget.show()
    return widget


def test_plain_text_with_line_breaks_anchored_like_a_text_item(widget):
    plot = widget.getPlotItem()
    item = SimpleTextItem("H(P)\n2.961", color=(40, 40, 40), anchor=(0.5, 1.0))
    plot.addItem(item)
    item.setPos(1.0, 2.0)
    assert isinstance(item.textItem, QGraphicsSimpleTextItem)
    assert item.toPlainText() == "H(P)\n2.961"
    assert item.color == pg.mkColor(40, 40, 40)
    # Anchor (0.5, 1): the text's bottom centre is at the item's position.
    box = item.textItem.mapRectToParent(item.textItem.boundingRect())
    assert box.center().x() == pytest.approx(0.0) and box.bottom() == pytest.approx(0.0)
    assert box.height() > 1.5 * item.textItem.font().pointSizeF()  # two lines
    item.setText("H(P) 3.0")
    assert item.toPlainText() == "H(P) 3.0"
    # Only one text child: pyqtgraph's document item is gone.
    assert [type(child) for child in item.childItems()] == [QGraphicsSimpleTextItem]


def test_html_and_wrapping_are_refused(qtbot):
    item = SimpleTextItem("x")
    with pytest.raises(TypeError, match="plain text"):
        item.setHtml("<b>x</b>")
    with pytest.raises(TypeError, match="wrap"):
        item.setTextWidth(20)


def test_svg_export_keeps_the_text(widget, tmp_path):
    import pyqtgraph.exporters as exporters

    plot = widget.getPlotItem()
    plot.addItem(SimpleTextItem("KL 0.745", color=(40, 40, 40)))
    path = tmp_path / "plot.svg"
    exporters.SVGExporter(plot).export(str(path))
    assert "KL 0.745" in path.read_text()
