"""The look every view reads: the current palette (light or dark), the zoom, and the one
styling of plots (background, title, axes, legends) that follows them.

One :class:`Theme` per process (:func:`theme`). Zoom scales the application font and every
plot font given here in points (titles, axis labels, tick labels, legends); the palette
gives every colour (``explorer.ui.colors``). Views are built with the current values, and
what must follow a change registers with :meth:`Theme.watch`; plots are restyled in place
(:func:`restyle_views`), never rebuilt.
"""

from __future__ import annotations

import inspect
import math
import weakref
from collections.abc import Callable

import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Signal
from PySide6.QtGui import QColor, QFont, QFontDatabase, QFontMetricsF
from PySide6.QtWidgets import QApplication, QWidget

from explorer.ui.colors import LIGHT, Palette
from explorer.ui.plots.minimum import ContentMinimum

#: Zoom steps, as a browser's (View > Zoom In / Zoom Out walk them).
ZOOM_STEPS = (0.8, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0)
#: Plot text at 100 %, in points.
TITLE_PT = 10.0
LABEL_PT = 9.0
TICK_PT = 8.0
LEGEND_PT = 8.0
#: pyqtgraph's fixed title row at 100 %, in pixels.
TITLE_ROW = 30
#: The smallest a plot that fills its own widget may be at 100 %, in pixels.
PLOT_MIN = (90, 120)
#: The monospace font tables and code prefer.
MONOSPACE_FAMILY = "DejaVu Sans Mono"


def check_zoom(zoom) -> float:
    """``zoom`` as a float between the smallest and the largest step, or ValueError."""
    try:
        value = float(zoom)
    except (TypeError, ValueError):
        raise ValueError(f"zoom must be a number; got {zoom!r}") from None
    if not ZOOM_STEPS[0] <= value <= ZOOM_STEPS[-1]:
        raise ValueError(
            f"zoom must be between {ZOOM_STEPS[0]:g} and {ZOOM_STEPS[-1]:g}; got {zoom!r}"
        )
    return value


def held_weakly(function: Callable | None) -> Callable[[], Callable | None]:
    """A getter of ``function``: a bound method is held weakly (the getter then gives None
    once its object is gone), anything else as it is."""
    if inspect.ismethod(function):
        return weakref.WeakMethod(function)
    return lambda: function


class _Hook(QObject):
    """Runs ``apply`` when the theme changes, for as long as its owner (its parent) lives.

    A method is held weakly: an object that watches for itself is still freed when nothing
    else refers to it (a strong reference would make a cycle through Qt's ownership, which
    Python's collector cannot see).
    """

    def __init__(self, owner: QObject, apply: Callable[[], None]):
        super().__init__(owner)
        self._apply = held_weakly(apply)

    def run(self) -> None:
        if getattr(self.parent(), "closed", False):
            return  # a closed pyqtgraph view has deleted its items: nothing left to restyle
        apply = self._apply()
        if apply is not None:
            apply()


class Theme(QObject):
    """The current palette and zoom; ``sigChanged`` after either changed.

    Zoom sets the application font to its size at 100 % times the zoom, so every widget
    without a font of its own follows; :meth:`pt` and :meth:`font` scale the sizes the
    plots and a few widgets set themselves.
    """

    sigChanged = Signal()

    def __init__(self):
        super().__init__()
        self.palette: Palette = LIGHT
        self.zoom = 1.0
        self._base_font: QFont | None = None  # the application font at 100 %
        pg.setConfigOptions(background=LIGHT.background, foreground=LIGHT.text)

    # -- state ------------------------------------------------------------------------------
    def set(self, palette: Palette | None = None, zoom: float | None = None) -> None:
        """Change the palette and/or the zoom; restyles every plot and tells the watchers."""
        palette = self.palette if palette is None else palette
        zoom = self.zoom if zoom is None else check_zoom(zoom)
        if palette == self.palette and zoom == self.zoom:
            return
        if zoom != self.zoom:
            self._set_application_font(zoom)
        self.palette, self.zoom = palette, zoom
        # Items made from now on (and pyqtgraph's own defaults) take the new colours.
        pg.setConfigOptions(background=palette.background, foreground=palette.text)
        restyle_views()
        self.sigChanged.emit()

    def _set_application_font(self, zoom: float) -> None:
        app = QApplication.instance()
        if app is None:
            return
        if self._base_font is None:
            self._base_font = QFont(app.font())
        font = QFont(self._base_font)
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * zoom)
        else:
            font.setPixelSize(max(1, round(font.pixelSize() * zoom)))
        app.setFont(font)
        # Qt tells the widgets later, by posted events: now, so the views that fit their sizes
        # to their fonts (after this, in the watchers) measure the new ones.
        QCoreApplication.sendPostedEvents(None, QEvent.Type.ApplicationFontChange)

    # -- sizes and colours ------------------------------------------------------------------
    def pt(self, points: float) -> float:
        """``points`` at the current zoom."""
        return points * self.zoom

    def px(self, pixels: float) -> int:
        """A size in pixels at 100 %, at the current zoom."""
        return int(round(pixels * self.zoom))

    def font(self, points: float | None = None, bold: bool = False, monospace: bool = False):
        """The application font at ``points`` (at 100 %; None: its own size), zoomed."""
        app = QApplication.instance()
        font = QFont(app.font()) if app is not None else QFont()
        if points is not None:
            font.setPointSizeF(self.pt(points))
        if bold:
            font.setBold(True)
        if monospace:
            # DejaVu's is compact (a 16-row tensor keeps half its rows in view); elsewhere the
            # system's fixed-pitch font.
            system = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont).families()
            font.setFamilies([MONOSPACE_FAMILY, *system])
            font.setStyleHint(QFont.StyleHint.Monospace)
            font.setFixedPitch(True)
        return font

    def color(self, rgb, alpha: int | None = None) -> QColor:
        """A QColor of an RGB(A) tuple, with ``alpha`` (0..255) if given."""
        color = QColor(*rgb)
        if alpha is not None:
            color.setAlpha(alpha)
        return color

    def hex(self, rgb) -> str:
        """'#rrggbb' of an RGB tuple, for HTML."""
        return QColor(*rgb[:3]).name()

    # -- following changes ------------------------------------------------------------------
    def watch(self, owner: QObject, apply: Callable[[], None]) -> None:
        """Call ``apply()`` now and after every change, while ``owner`` (a QObject: widget,
        plot item) exists: a view's colours and fonts are set in one place, and updated."""
        hook = _Hook(owner, apply)
        self.sigChanged.connect(hook.run)
        apply()


_THEME: Theme | None = None


def theme() -> Theme:
    """The process's one :class:`Theme`."""
    global _THEME
    if _THEME is None:
        _THEME = Theme()
    return _THEME


# -- plots ----------------------------------------------------------------------------------
def style_axis(axis: pg.AxisItem) -> None:
    """Axis line and ticks, tick labels and the axis label in the theme's colours and sizes.

    An axis title never carries a multiplier ("loss (x0.001)", "(x1e+12)" on a log axis): the
    ticks show the real values. An axis type that scales its labels on purpose at extreme
    values sets ``scales_its_label``. An axis may carry ``tick_room``, the tick label it keeps
    room for from the start."""
    scales = bool(getattr(axis, "scales_its_label", False))
    axis.enableAutoSIPrefix(scales)
    if not scales:
        # pyqtgraph still works out a scale for the current range when the prefix is turned
        # off, and then draws its ticks scaled ("800" for 0.8) under a title without it.
        axis.autoSIPrefixScale, axis.labelUnitPrefix = 1.0, ""
    current = theme()
    palette = current.palette
    axis.labelStyle["font-size"] = f"{current.pt(LABEL_PT):g}pt"
    axis.setPen(pg.mkPen(palette.axis))
    axis.setTextPen(pg.mkPen(palette.text))
    font = current.font(TICK_PT)
    # pyqtgraph widens an axis for its labels but never narrows it: start again from the font.
    axis.textWidth, axis.textHeight = 30, 18
    room = getattr(axis, "tick_room", "")
    if room:
        axis.textWidth = math.ceil(QFontMetricsF(font).horizontalAdvance(room)) + 1
    axis.setStyle(tickFont=font)


def style_legend(legend: pg.LegendItem) -> None:
    """A legend's card and text in the theme's colours, its text at the zoomed size."""
    current = theme()
    palette = current.palette
    legend.setBrush(pg.mkBrush(palette.legend))
    legend.setPen(pg.mkPen(palette.legend_border))
    legend.opts["labelTextColor"] = pg.mkColor(palette.text)
    legend.opts["labelTextSize"] = f"{current.pt(LEGEND_PT):g}pt"
    for _sample, label in legend.items:
        label.setText(
            label.text, color=legend.opts["labelTextColor"], size=legend.opts["labelTextSize"]
        )
    legend.updateSize()


def set_title(plot: pg.PlotItem, title: str) -> None:
    """Give ``plot`` a title (HTML) in the theme's text colour and size."""
    current = theme()
    plot.setTitle(title, color=current.palette.text, size=f"{current.pt(TITLE_PT):g}pt")
    _fit_title_row(plot)


def _fit_title_row(plot: pg.PlotItem) -> None:
    # pyqtgraph fixes the title's row at 30 pixels, too little for a zoomed title (or one of
    # two lines).
    text_height = math.ceil(plot.titleLabel.item.boundingRect().height()) + 4
    height = max(math.ceil(TITLE_ROW * max(1.0, theme().zoom)), text_height)
    plot.titleLabel.setMaximumHeight(height)
    plot.layout.setRowFixedHeight(0, height)
    view = plot.getViewWidget()
    if isinstance(view, pg.PlotWidget) and view.getPlotItem() is plot:
        # A plot alone in its widget keeps room for its axes, legend and title, which spans
        # the whole plot: a splitter would squeeze a zoomed one into an unreadable strip (a
        # window too small for them scrolls instead).
        span_title(plot)
        if isinstance(view, ContentMinimum):
            view.updateGeometry()  # its minimum is its plot's, title and axes included
            return
        title = math.ceil(plot.titleLabel.item.boundingRect().width()) + 16
        current = theme()
        view.setMinimumSize(max(title, current.px(PLOT_MIN[0])), current.px(PLOT_MIN[1]))


def span_title(plot: pg.PlotItem, first_column: int = 0) -> None:
    """Let the title use the plot's width from ``first_column`` on (its axes' and a colour
    bar's too): pyqtgraph confines it to the view box's column."""
    layout = plot.layout
    columns = layout.columnCount()
    layout.removeItem(plot.titleLabel)
    layout.addItem(plot.titleLabel, 0, first_column, 1, columns - first_column)


def style_title(plot: pg.PlotItem) -> None:
    """Restyle ``plot``'s title (if it has one) in the current colour and size."""
    label = plot.titleLabel
    if label.isVisible() and label.text:
        set_title(plot, label.text)


def style_plot(plot: pg.PlotItem) -> pg.PlotItem:
    """Title, both axes and legend of ``plot`` in the theme's colours and sizes."""
    style_title(plot)
    for entry in plot.axes.values():
        style_axis(entry["item"])
    if plot.legend is not None:
        style_legend(plot.legend)
    return plot


def add_legend(plot: pg.PlotItem, **options) -> pg.LegendItem:
    """``plot.addLegend(**options)`` in the theme's look (options: offset, spacing, ...)."""
    legend = plot.addLegend(**options)
    style_legend(legend)
    return legend


def style_view(view: pg.GraphicsView) -> None:
    """The view's background and every plot, axis, legend and text in its scene."""
    view.setBackground(theme().palette.background)
    for item in view.scene().items():
        if isinstance(item, pg.TextItem):
            # A text item keeps the font it was made with; a view sets its own afterwards.
            item.setFont(theme().font())
        elif isinstance(item, pg.AxisItem):
            style_axis(item)
        elif isinstance(item, pg.LegendItem):
            style_legend(item)
        elif isinstance(item, pg.PlotItem):
            style_title(item)
    view.updateGeometry()  # restyled text may need more (or less) room


def restyle_views(widgets: list[QWidget] | None = None) -> None:
    """Restyle every pyqtgraph view among ``widgets`` (default: all the application's)."""
    if widgets is None:
        app = QApplication.instance()
        widgets = app.allWidgets() if app is not None else []
    for widget in widgets:
        if isinstance(widget, pg.GraphicsView):
            style_view(widget)


__all__ = [
    "LABEL_PT",
    "LEGEND_PT",
    "TICK_PT",
    "TITLE_PT",
    "ZOOM_STEPS",
    "Theme",
    "add_legend",
    "check_zoom",
    "restyle_views",
    "set_title",
    "span_title",
    "style_axis",
    "style_legend",
    "style_plot",
    "style_view",
    "theme",
]
