import gc
import weakref

import pyqtgraph as pg
import pytest
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication, QWidget

from explorer.ui.colors import DARK, LIGHT
from explorer.ui.theme import (
    LEGEND_PT,
    TICK_PT,
    TITLE_PT,
    add_legend,
    check_zoom,
    set_title,
    style_plot,
    theme,
)


@pytest.mark.parametrize("bad", [0.5, 2.5, "big", None])
def test_a_zoom_outside_the_steps_is_refused_with_the_value_quoted(bad):
    with pytest.raises(ValueError, match=repr(bad).replace("(", r"\(")):
        check_zoom(bad)
    assert check_zoom("1.25") == 1.25


def test_zoom_scales_the_application_font_and_every_size_given_in_points(qapp):
    base = QApplication.font().pointSizeF()
    theme().set(zoom=1.5)
    assert QApplication.font().pointSizeF() == pytest.approx(1.5 * base)
    assert theme().font(8).pointSizeF() == 12 and theme().px(100) == 150
    theme().set(zoom=1.0)
    assert QApplication.font().pointSizeF() == base  # back exactly, not rounded twice


def test_a_styled_plot_follows_the_theme_in_place(qtbot):
    view = pg.PlotWidget()
    qtbot.addWidget(view)
    plot = view.getPlotItem()
    plot.plot([0, 1], [0, 1], name="a curve")
    add_legend(plot)
    plot.legend.addItem(plot.items[0], "a curve")
    set_title(plot, "a plot")
    style_plot(plot)
    axis = plot.getAxis("left")
    assert axis.style["tickFont"].pointSizeF() == TICK_PT
    assert pg.mkColor(axis.textPen().color()).getRgb()[:3] == LIGHT.text
    theme().set(palette=DARK, zoom=2.0)
    assert plot.getAxis("left") is axis  # the same items, restyled
    assert view.backgroundBrush().color().getRgb()[:3] == DARK.background
    assert axis.textPen().color().getRgb()[:3] == DARK.text
    assert axis.style["tickFont"].pointSizeF() == 2 * TICK_PT
    assert plot.legend.opts["labelTextSize"] == f"{2 * LEGEND_PT:g}pt"
    assert plot.titleLabel.opts["size"] == f"{2 * TITLE_PT:g}pt"
    # pyqtgraph's fixed 30-pixel title row grows with the title.
    assert plot.layout.rowMaximumHeight(0) >= 60


def test_watch_applies_now_and_on_every_change_while_its_owner_lives(qtbot):
    calls = []
    owner = QWidget()
    qtbot.addWidget(owner)
    theme().watch(owner, lambda: calls.append(theme().zoom))
    theme().set(zoom=1.1)
    assert calls == [1.0, 1.1]
    owner.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    theme().set(zoom=1.25)
    assert calls == [1.0, 1.1]


class Watcher(QWidget):
    def __init__(self):
        super().__init__()
        self.seen = []
        theme().watch(self, self._on_theme_changed)

    def _on_theme_changed(self):
        self.seen.append(theme().palette.name)


def test_an_object_that_watches_for_itself_is_still_freed(qapp):
    watcher = Watcher()
    theme().set(palette=DARK)
    assert watcher.seen == ["light", "dark"]
    gone = weakref.ref(watcher)
    del watcher
    gc.collect()
    assert gone() is None  # the theme holds its method weakly: no cycle through Qt
    theme().set(palette=LIGHT)


def test_a_title_of_two_lines_gets_a_row_that_holds_both(qtbot):
    view = pg.PlotWidget()
    qtbot.addWidget(view)
    plot = view.getPlotItem()
    set_title(plot, "one")
    one = plot.layout.rowMaximumHeight(0)
    set_title(plot, "one<br>two")
    text = plot.titleLabel.item.boundingRect().height()
    assert plot.layout.rowMaximumHeight(0) >= text > one / 1.5


def test_a_plot_widget_that_knows_its_plots_minimum_keeps_it_rather_than_a_fixed_one(qtbot):
    from explorer.ui.training.paint_meter import TimedPlotWidget

    view = TimedPlotWidget()
    qtbot.addWidget(view)
    plot = view.getPlotItem()
    set_title(plot, "a title much longer than the smallest plot would be")
    assert (view.minimumWidth(), view.minimumHeight()) == (0, 0)
    title = plot.titleLabel.item.boundingRect().width()
    assert view.minimumSizeHint().width() >= title
    theme().set(zoom=1.5)
    assert view.minimumSizeHint().width() >= plot.titleLabel.item.boundingRect().width() > title


def test_no_axis_title_in_the_app_carries_a_multiplier(qtbot):
    from explorer.ui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    plain = []
    for widget in window.findChildren(pg.GraphicsView):
        for item in widget.scene().items():
            if isinstance(item, pg.AxisItem) and not getattr(item, "scales_its_label", False):
                plain.append(item)
    assert len(plain) > 20
    assert [a.labelString() for a in plain if a.autoSIPrefix] == []
    window.set_appearance("dark")  # restyled axes keep the rule
    assert [a.labelString() for a in plain if a.autoSIPrefix] == []
    window.close()


def shown_tick_labels(axis: pg.AxisItem) -> list[str]:
    """The tick labels ``axis`` draws, as the user reads them."""
    from PySide6.QtGui import QPainter, QPicture

    picture = QPicture()
    painter = QPainter(picture)
    try:
        specs = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    return [text for _rect, _flags, text in specs[2]]


def test_a_restyled_axis_keeps_reading_the_real_values(qtbot):
    view = pg.PlotWidget()
    qtbot.addWidget(view)
    view.resize(400, 300)
    plot = view.getPlotItem()
    plot.setLabel("left", "probability")
    style_plot(plot)
    plot.setYRange(0, 0.8, padding=0)
    axis = plot.getAxis("left")
    assert "0.8" in shown_tick_labels(axis)
    theme().set(palette=DARK)  # a restyle while the range is below 1
    labels = shown_tick_labels(axis)
    assert "0.8" in labels and "800" not in labels
    theme().set(zoom=1.5)
    assert "0.8" in shown_tick_labels(axis)


def test_a_closed_plot_view_is_not_restyled(qtbot):
    import pyqtgraph as pg

    from explorer.ui.theme import theme

    view = pg.PlotWidget()
    qtbot.addWidget(view)
    calls = []
    theme().watch(view, lambda: calls.append(theme().zoom))
    view.close()  # pyqtgraph deletes the view's items
    theme().set(zoom=1.25)
    assert calls == [1.0]  # only the call when it began watching
