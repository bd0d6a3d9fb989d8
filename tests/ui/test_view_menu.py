"""View > Zoom and View > Appearance, seen in every tab of a real window."""

import re

import pyqtgraph as pg
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QKeySequence, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QPushButton

from explorer.ui import MainWindow
from explorer.ui.colors import LIGHT
from explorer.ui.theme import LEGEND_PT, TICK_PT, theme

TABS = ("distributions", "losses", "model", "training", "gradient")
SPAN_SIZE = r"<span style=\"[^\"]*font-size:([\d.]+)pt"


@pytest.fixture
def window(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(1280, 820)
    return window


def scene_items(tab, kind):
    """Every item of type ``kind`` in the tab's plots (on every page, shown or not)."""
    return [
        item
        for view in tab.findChildren(pg.GraphicsView)
        for item in view.scene().items()
        if isinstance(item, kind)
    ]


def legend_point_sizes(tab) -> set[float]:
    """The point sizes the legends' texts are drawn at (their spans' font-size)."""
    sizes = set()
    for legend in scene_items(tab, pg.LegendItem):
        for _sample, label in legend.items:
            html = label.item.toHtml()
            sizes.update(
                float(s) for s in re.findall(r"<span style=\"[^\"]*font-size:([\d.]+)pt", html)
            )
    return sizes


def test_the_view_menu_has_zoom_and_appearance_with_their_shortcuts(window):
    texts = [a.text().replace("&", "") for a in window.view_menu.actions() if a.text()]
    assert texts[:3] == ["Zoom In", "Zoom Out", "Actual Size"]
    assert QKeySequence(QKeySequence.StandardKey.ZoomIn) in window.zoom_in_action.shortcuts()
    assert QKeySequence(QKeySequence.StandardKey.ZoomOut) in window.zoom_out_action.shortcuts()
    assert window.actual_size_action.shortcuts() == [QKeySequence("Ctrl+0")]
    choices = window.appearance_actions
    assert list(choices) == ["system", "light", "dark"]
    assert choices["system"].isChecked() and choices["system"].actionGroup().isExclusive()

    window.zoom_in_action.trigger()
    window.zoom_in_action.trigger()
    assert theme().zoom == 1.25  # a browser's steps: 100, 110, 125 %
    window.zoom_out_action.trigger()
    assert theme().zoom == 1.1
    window.actual_size_action.trigger()
    assert theme().zoom == 1.0
    window.zoom_out_action.trigger()
    window.zoom_out_action.trigger()
    window.zoom_out_action.trigger()
    assert theme().zoom == 0.8  # the smallest step stays


def test_zoom_scales_labels_tick_labels_and_legends_in_every_tab(qtbot, window):
    window.tab("model").findChild(QPushButton, "runForward").click()  # its legend's entries
    before = {name: _sizes(window.tab(name)) for name in TABS}
    window.set_zoom(1.5)
    for name in TABS:
        tab = window.tab(name)
        labels, ticks, legends = _sizes(tab)
        old_labels, old_ticks, old_legends = before[name]
        assert labels and ticks and legends, name
        # Every label, whether it has a font of its own or not, is half as large again.
        for label, size in labels.items():
            assert size == pytest.approx(1.5 * old_labels[label], abs=0.01), (name, label)
        assert ticks == {1.5 * TICK_PT} and old_ticks == {TICK_PT}, name
        assert legends == {1.5 * LEGEND_PT} and old_legends == {LEGEND_PT}, name
    assert window.statusBar().currentMessage() == "Zoom 150 %"

    # The zoom is remembered: a new window (a new run of the app) starts at 150 %.
    window.close()
    theme().set(zoom=1.0)
    again = MainWindow()
    qtbot.addWidget(again)
    assert theme().zoom == 1.5
    assert _sizes(again.tab("losses"))[1] == {1.5 * TICK_PT}


def _sizes(tab):
    labels = {
        label: label.font().pointSizeF()
        for label in tab.findChildren(QLabel)
        if label.text().strip()
    }
    ticks = {axis.style["tickFont"].pointSizeF() for axis in scene_items(tab, pg.AxisItem)}
    return labels, ticks, legend_point_sizes(tab)


def lightness(color) -> int:
    return pg.mkColor(color).lightness()


def assert_plots_are(window, dark: bool) -> None:
    for name in TABS:
        tab = window.tab(name)
        views = tab.findChildren(pg.GraphicsView)
        assert views, name
        for view in views:
            background = lightness(view.backgroundBrush().color())
            assert (background < 60) if dark else (background > 240), (name, view)
        for axis in scene_items(tab, pg.AxisItem):
            text = lightness(axis.textPen().color())
            assert (text > 180) if dark else (text < 80), (name, axis)
            line = lightness(axis.pen().color())
            assert (line > 130) if dark else (line < 120), (name, axis)
        for legend in scene_items(tab, pg.LegendItem):
            assert (lightness(legend.opts["labelTextColor"]) > 180) == dark, name
            assert (lightness(legend.opts["brush"].color()) < 60) == dark, name
        for plot in scene_items(tab, pg.PlotItem):
            title = plot.titleLabel
            if title.isVisible() and title.text:
                color = pg.mkColor(title.opts["color"])
                assert (lightness(color) > 180) == dark, (name, title.text)


def test_set_appearance_dark_makes_the_window_and_every_plot_dark_and_back(window):
    window.set_appearance("dark")
    assert window.appearance_actions["dark"].isChecked()
    palette = window.palette()
    assert palette.color(QPalette.ColorRole.Window).lightness() < 80
    assert palette.color(QPalette.ColorRole.WindowText).lightness() > 180
    assert palette.color(QPalette.ColorRole.Base).lightness() < 60
    assert_plots_are(window, dark=True)
    # Live plots are restyled, not rebuilt: the same items, now in the dark colours.
    losses = window.tab("losses").curves
    assert lightness(losses.regression.getAxis("left").textPen().color()) > 180

    window.set_appearance("light")
    assert window.palette().color(QPalette.ColorRole.Window).lightness() > 200
    assert_plots_are(window, dark=False)
    assert theme().palette == LIGHT


def test_the_appearance_is_remembered(qtbot, window):
    window.set_appearance("dark")
    window.close()
    theme().set(palette=LIGHT)
    again = MainWindow()
    qtbot.addWidget(again)
    assert again.appearance.preference() == "dark"
    assert again.appearance_actions["dark"].isChecked()
    assert theme().palette.dark


def test_system_follows_the_colour_scheme_live(window):
    window.set_appearance("system")
    hints = QGuiApplication.styleHints()
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)  # the desktop switched to dark
    assert theme().palette.dark
    assert QApplication.palette().color(QPalette.ColorRole.Window).lightness() < 80
    assert_plots_are(window, dark=True)
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert not theme().palette.dark
    assert_plots_are(window, dark=False)
    # A forced appearance ignores the desktop.
    window.set_appearance("light")
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert not theme().palette.dark


def test_at_150_percent_in_a_small_window_nothing_is_cut_or_laid_over(qtbot, window):
    window.resize(1024, 640)
    window.show()
    qtbot.waitExposed(window)
    window.set_zoom(1.5)
    for name in TABS:
        window.show_tab(name)
        QApplication.processEvents()
        # The window keeps the screen's size; a tab larger than it scrolls.
        assert (window.width(), window.height()) == (1024, 640)
        tab = window.tab(name)
        for view in tab.findChildren(pg.PlotWidget):
            if view.isVisible():
                title = view.getPlotItem().titleLabel.item.boundingRect().width()
                assert title <= view.width(), (name, view.objectName())
    readouts = window.tab("distributions").readouts
    notes = readouts.findChild(QLabel, "readingNotes")
    assert readouts.identity.geometry().bottom() < notes.geometry().top()
    assert notes.height() >= notes.heightForWidth(notes.width())
    window.hide()


def test_a_zoom_on_another_tab_leaves_every_loss_field_its_room(qtbot, window):
    from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QLineEdit, QWidget

    from explorer.lossbench.spec import LOSSES

    window.resize(1024, 640)  # the tab gets no more than its minimum width (and scrolls)
    window.show()
    qtbot.waitExposed(window)
    window.set_zoom(1.5)  # while the Losses tab is hidden
    window.show_tab("losses")
    tab = window.tab("losses")
    scroll = tab.controls_scroll
    for kind in LOSSES:
        tab.set_loss(kind)
        QApplication.processEvents()
        # The form is never wider than its column: nothing is cut at its right edge.
        assert scroll.widget().width() <= scroll.viewport().width(), kind
        for field in tab.controls.findChildren(QWidget):
            editable = isinstance(field, QComboBox | QAbstractSpinBox | QLineEdit)
            if editable and field.isVisible() and not isinstance(field.parent(), QAbstractSpinBox):
                needed = field.minimumSizeHint().width()
                assert field.width() >= needed, (kind, field.objectName(), field.width(), needed)
    window.hide()
