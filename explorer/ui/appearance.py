"""Light or dark, following the system or forced, and the zoom, kept in the settings.

With "system" the app follows Qt's colour scheme (``QStyleHints.colorScheme``) and switches
live on ``colorSchemeChanged``. "light" and "dark" ask Qt for that scheme; where the
platform's style ignores the request (Linux without a desktop theme, the offscreen
platform), the app switches to the Fusion style with a palette of its own. Plots and
coloured widgets follow through :func:`explorer.ui.theme.theme`.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from explorer.ui.colors import DARK, LIGHT, Palette
from explorer.ui.theme import ZOOM_STEPS, check_zoom, theme

APPEARANCES = ("system", "light", "dark")
APPEARANCE_KEY = "view/appearance"
ZOOM_KEY = "view/zoom"  # in percent
_SCHEMES = {"light": Qt.ColorScheme.Light, "dark": Qt.ColorScheme.Dark}


def qt_palette(palette: Palette) -> QPalette:
    """A widget palette (Fusion's roles) matching ``palette``."""
    role, group = QPalette.ColorRole, QPalette.ColorGroup
    dark = palette.dark
    window = QColor(45, 46, 50) if dark else QColor(239, 239, 239)
    text = QColor(*palette.text) if dark else QColor(0, 0, 0)
    base = QColor(*palette.background)
    button = QColor(55, 56, 61) if dark else QColor(239, 239, 239)
    disabled = QColor(125, 125, 125) if dark else QColor(150, 150, 150)
    colors = {
        role.Window: window,
        role.WindowText: text,
        role.Base: base,
        role.AlternateBase: QColor(38, 39, 43) if dark else QColor(247, 247, 247),
        role.ToolTipBase: QColor(60, 61, 66) if dark else QColor(255, 255, 220),
        role.ToolTipText: text,
        role.PlaceholderText: QColor(*palette.muted),
        role.Text: text,
        role.Button: button,
        role.ButtonText: text,
        role.BrightText: QColor(255, 90, 90),
        role.Light: button.lighter(150),
        role.Midlight: button.lighter(125),
        role.Mid: button.darker(130) if not dark else button.lighter(110),
        role.Dark: button.darker(150),
        role.Shadow: QColor(0, 0, 0),
        role.Highlight: QColor(*palette.focus),
        role.HighlightedText: QColor(255, 255, 255),
        role.Link: QColor(110, 170, 245) if dark else QColor(0, 0, 255),
        role.LinkVisited: QColor(180, 140, 240) if dark else QColor(255, 0, 255),
    }
    qpalette = QPalette()
    for name, color in colors.items():
        qpalette.setColor(name, color)
    for name in (role.WindowText, role.Text, role.ButtonText, role.ToolTipText):
        qpalette.setColor(group.Disabled, name, disabled)
    qpalette.setColor(group.Disabled, role.Highlight, QColor(90, 90, 90) if dark else disabled)
    return qpalette


def is_dark(palette: QPalette) -> bool:
    """Whether a widget palette is a dark one (light text on a dark window)."""
    window = palette.color(QPalette.ColorRole.Window)
    text = palette.color(QPalette.ColorRole.WindowText)
    return window.lightness() < text.lightness()


def check_appearance(name) -> str:
    """``name`` if it is one of APPEARANCES, else ValueError quoting it."""
    if name not in APPEARANCES:
        raise ValueError(f"appearance must be one of {', '.join(APPEARANCES)}; got {name!r}")
    return name


class Appearance(QObject):
    """The app's appearance ("system", "light" or "dark") and zoom, read from and written to
    the settings that ``settings_factory`` makes (``view/appearance``, ``view/zoom``)."""

    def __init__(self, settings_factory: Callable, parent=None):
        super().__init__(parent)
        self._settings = settings_factory
        app = QApplication.instance()
        self._native_style = app.style().name()
        self._own_palette = False  # the platform ignored the scheme asked for: ours is set
        self._preference = "system"
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._on_color_scheme_changed)
        self._following = True
        settings = settings_factory()
        preference = settings.value(APPEARANCE_KEY, "system")
        self._preference = preference if preference in APPEARANCES else "system"
        self._apply()
        try:
            zoom = check_zoom(float(settings.value(ZOOM_KEY, 100)) / 100)
        except (TypeError, ValueError):
            zoom = 1.0  # a bad stored value is forgotten, never fatal
        theme().set(zoom=zoom)

    # -- appearance -------------------------------------------------------------------------
    def preference(self) -> str:
        return self._preference

    def set_preference(self, name: str) -> None:
        """Follow the system ("system") or force "light" or "dark"; remembered."""
        self._preference = check_appearance(name)
        self._settings().setValue(APPEARANCE_KEY, name)
        self._apply()

    def stop_following(self) -> None:
        """Leave the system's colour scheme alone from now on (the window closes)."""
        if self._following:
            QGuiApplication.styleHints().colorSchemeChanged.disconnect(
                self._on_color_scheme_changed
            )
            self._following = False

    def _on_color_scheme_changed(self, scheme) -> None:
        if self._preference == "system":
            self._apply(scheme)

    def _apply(self, system_scheme=None) -> None:
        app = QApplication.instance()
        hints = QGuiApplication.styleHints()
        if self._preference == "system":
            hints.unsetColorScheme()
            self._use_native_palette(app)
            scheme = hints.colorScheme() if system_scheme is None else system_scheme
            if scheme == Qt.ColorScheme.Unknown:
                dark = is_dark(app.palette())
            else:
                dark = scheme == Qt.ColorScheme.Dark
                if dark != is_dark(app.palette()):
                    self._use_own_palette(app, DARK if dark else LIGHT)
        else:
            dark = self._preference == "dark"
            hints.setColorScheme(_SCHEMES[self._preference])
            self._use_native_palette(app)
            if is_dark(app.palette()) != dark:
                self._use_own_palette(app, DARK if dark else LIGHT)
        # Qt tells the widgets by posted events: now, so all is in one appearance at once.
        QCoreApplication.sendPostedEvents(None, QEvent.Type.ApplicationPaletteChange)
        theme().set(palette=DARK if dark else LIGHT)

    def _use_native_palette(self, app) -> None:
        if self._own_palette:
            app.setStyle(self._native_style)
            app.setPalette(QPalette())
            self._own_palette = False

    def _use_own_palette(self, app, palette: Palette) -> None:
        # Fusion draws every control from the palette; native styles may not.
        if app.style().name().lower() != "fusion":
            app.setStyle("Fusion")
        app.setPalette(qt_palette(palette))
        self._own_palette = True

    # -- zoom -------------------------------------------------------------------------------
    def zoom(self) -> float:
        return theme().zoom

    def set_zoom(self, zoom: float) -> None:
        """Scale every text by ``zoom`` (0.8 to 2); remembered."""
        zoom = check_zoom(zoom)
        theme().set(zoom=zoom)
        self._settings().setValue(ZOOM_KEY, round(zoom * 100))

    def next_zoom(self, direction: int) -> float:
        """The zoom step after the current one (``direction`` +1) or before it (-1); the
        current zoom at either end."""
        zoom = self.zoom()
        if direction > 0:
            return next((z for z in ZOOM_STEPS if z > zoom + 1e-9), zoom)
        return next((z for z in reversed(ZOOM_STEPS) if z < zoom - 1e-9), zoom)


__all__ = ["APPEARANCES", "Appearance", "check_appearance", "is_dark", "qt_palette"]
