import pytest
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from explorer.ui.appearance import (
    APPEARANCE_KEY,
    ZOOM_KEY,
    Appearance,
    check_appearance,
    is_dark,
    qt_palette,
)
from explorer.ui.colors import DARK, LIGHT
from explorer.ui.settings import make_settings
from explorer.ui.theme import theme


def window_color():
    return QApplication.palette().color(QPalette.ColorRole.Window)


def test_the_widget_palettes_match_the_plot_palettes():
    assert is_dark(qt_palette(DARK)) and not is_dark(qt_palette(LIGHT))
    base = qt_palette(DARK).color(QPalette.ColorRole.Base).getRgb()[:3]
    assert base == DARK.background  # tables and plots share their background


def test_an_unknown_appearance_is_refused_with_its_name():
    with pytest.raises(ValueError, match="'purple'"):
        check_appearance("purple")


def test_dark_where_the_platform_ignores_the_scheme_is_fusion_with_a_dark_palette(qapp):
    native = window_color()
    appearance = Appearance(make_settings)
    appearance.set_preference("dark")
    # The offscreen platform keeps its light palette whatever scheme is asked for.
    assert QApplication.style().name().lower() == "fusion"
    assert is_dark(QApplication.palette()) and theme().palette == DARK
    assert make_settings().value(APPEARANCE_KEY) == "dark"
    appearance.set_preference("system")
    assert window_color() == native and theme().palette == LIGHT
    appearance.stop_following()


def test_bad_stored_values_are_forgotten_not_fatal(qapp):
    settings = make_settings()
    settings.setValue(APPEARANCE_KEY, "purple")
    settings.setValue(ZOOM_KEY, "huge")
    appearance = Appearance(make_settings)
    assert appearance.preference() == "system" and appearance.zoom() == 1.0
    settings.setValue(ZOOM_KEY, 400)  # out of range
    again = Appearance(make_settings)
    assert again.zoom() == 1.0
    for each in (appearance, again):
        each.stop_following()


def test_zoom_steps_stop_at_both_ends(qapp):
    appearance = Appearance(make_settings)
    appearance.set_zoom(2.0)
    assert appearance.next_zoom(+1) == 2.0 and appearance.next_zoom(-1) == 1.75
    assert make_settings().value(ZOOM_KEY) in (200, "200")
    appearance.set_zoom(0.8)
    assert appearance.next_zoom(-1) == 0.8 and appearance.next_zoom(+1) == 0.9
    appearance.stop_following()
