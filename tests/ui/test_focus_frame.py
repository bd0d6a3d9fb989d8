import pyqtgraph as pg
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from explorer.ui import MainWindow
from explorer.ui.plots.focus_frame import install_plot_focus_frame


def active_window(qtbot, size=None) -> MainWindow:
    window = MainWindow()
    qtbot.addWidget(window)
    if size is not None:
        window.resize(*size)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def framed_losses_plot(qtbot, window, reason):
    """The Losses tab's curves, given the focus (for ``reason``), and the frame drawn on them."""
    window.show_tab("losses")
    view = window.tab("losses").curves
    view.setFocus(reason)
    frame = install_plot_focus_frame()
    qtbot.waitUntil(lambda: frame.plot() is view)
    return view, frame


def test_every_focusable_plot_of_every_tab_shows_a_focus_frame(qtbot):
    window = active_window(qtbot, (1280, 820))
    frame = install_plot_focus_frame()
    checked = 0
    for tab in window.all_tabs():
        window.show_tab(tab.export_name)
        plots = [
            view
            for view in tab.findChildren(pg.GraphicsView)
            if view.isVisible() and view.focusPolicy() & Qt.FocusPolicy.TabFocus
        ]
        for view in plots:
            view.setFocus(Qt.FocusReason.TabFocusReason)
            qtbot.waitUntil(lambda v=view: frame.plot() is v)
            top, bottom, left, right = frame.strips()
            assert all(
                strip.isVisible() and strip.parentWidget() is view
                for strip in (top, bottom, left, right)
            )
            assert top.geometry().top() == 0 and top.width() == view.width()
            assert bottom.geometry().bottom() == view.height() - 1
            assert right.geometry().right() == view.width() - 1
            image = view.grab().toImage()
            assert image.pixelColor(view.width() // 2, 0) == frame.color()
            checked += 1
        window.tabs.tabBar().setFocus(Qt.FocusReason.TabFocusReason)
        qtbot.waitUntil(lambda: frame.plot() is None)
    assert checked >= 8


def test_the_frame_follows_a_resize_and_leaves_with_the_focus(qtbot):
    window = active_window(qtbot)
    view, frame = framed_losses_plot(qtbot, window, Qt.FocusReason.MouseFocusReason)
    window.resize(window.width() + 60, window.height())
    qtbot.waitUntil(lambda: frame.strips()[0].width() == view.width())
    window.tab("losses").n_spin.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: frame.plot() is None)
    assert QApplication.focusWidget() is not view


@pytest.mark.parametrize("appearance", ["light", "dark"])
def test_the_frame_takes_the_appearances_focus_colour_and_the_zoom(qtbot, appearance):
    from explorer.ui.colors import PALETTES
    from explorer.ui.theme import theme

    window = active_window(qtbot)
    view, frame = framed_losses_plot(qtbot, window, Qt.FocusReason.TabFocusReason)
    palette = PALETTES[appearance]
    theme().set(palette=palette, zoom=1.5)  # while the frame is shown
    top, _bottom, left, _right = frame.strips()
    assert top.height() == left.width() == 3
    image = view.grab().toImage()
    assert image.pixelColor(view.width() // 2, 0).getRgb()[:3] == palette.focus
    window.tabs.tabBar().setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: frame.plot() is None)
