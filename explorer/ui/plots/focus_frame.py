"""A focus frame for every plot: the plot with the keyboard focus shows a highlighted border.

pyqtgraph's views take the focus (a click, Tab) but draw nothing to show it. One
:class:`PlotFocusFrame` per application follows ``QApplication.focusChanged``: when a plot
view (a ``pg.GraphicsView``) gets the focus, four thin strips in the theme's focus colour
(``Palette.focus``, as thick as the zoom makes them) are laid along its edges, over the plot;
they go when the focus leaves. The strips are plain filled widgets (no paint code runs while
the plot redraws), and nothing is done for a plot that does not have the focus.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from explorer.ui.theme import theme

WIDTH = 2  # pixels at 100 %


def focused_plot(widget: QWidget | None) -> pg.GraphicsView | None:
    """The plot view ``widget`` is (or whose viewport it is), or None."""
    while widget is not None:
        if isinstance(widget, pg.GraphicsView):
            return widget
        parent = widget.parentWidget()
        # Only the view itself or its viewport: a widget placed inside a plot is not the plot.
        if not isinstance(parent, pg.GraphicsView) or widget is not parent.viewport():
            return None
        widget = parent
    return None


class PlotFocusFrame(QObject):
    """Shows the frame on whichever plot view has the focus (see the module's text)."""

    def __init__(self, app: QApplication):
        super().__init__(app)
        self.setObjectName("plotFocusFrame")
        self._plot: pg.GraphicsView | None = None
        self._strips: list[QWidget] = []
        app.focusChanged.connect(self._on_app_focus_changed)
        theme().watch(self, self._on_theme_changed)

    def plot(self) -> pg.GraphicsView | None:
        """The plot view showing the frame, or None."""
        return self._plot

    def strips(self) -> list[QWidget]:
        """The frame's four edges (top, bottom, left, right) while it is shown."""
        return list(self._strips) if self._plot is not None else []

    def _on_app_focus_changed(self, _old, new) -> None:
        plot = focused_plot(new)
        if plot is self._plot:
            return
        self._detach()
        if plot is not None:
            self._attach(plot)

    def _attach(self, plot: pg.GraphicsView) -> None:
        self._plot = plot
        self._strips = []
        for name in ("top", "bottom", "left", "right"):
            strip = QWidget(plot)
            strip.setObjectName(f"plotFocusFrame-{name}")
            strip.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            strip.setAutoFillBackground(True)
            self._strips.append(strip)
        self._color_strips()
        self._place()
        for strip in self._strips:
            strip.show()
            strip.raise_()
        plot.installEventFilter(self)
        plot.destroyed.connect(self._on_plot_destroyed)

    def _detach(self) -> None:
        plot, self._plot = self._plot, None
        strips, self._strips = self._strips, []
        if plot is None:
            return
        try:
            plot.removeEventFilter(self)
            plot.destroyed.disconnect(self._on_plot_destroyed)
        except (RuntimeError, TypeError):  # the view is being deleted
            return
        for strip in strips:
            strip.hide()
            strip.deleteLater()

    def _on_plot_destroyed(self, *_args) -> None:
        self._plot, self._strips = None, []

    def color(self) -> QColor:
        """The frame's colour: the theme's focus colour."""
        return theme().color(theme().palette.focus)

    def _on_theme_changed(self) -> None:
        if self._plot is not None:
            self._color_strips()
            self._place()

    def _color_strips(self) -> None:
        color = self.color()
        for strip in self._strips:
            palette = strip.palette()
            palette.setColor(QPalette.ColorRole.Window, color)
            strip.setPalette(palette)

    def _place(self) -> None:
        plot = self._plot
        width, height = plot.width(), plot.height()
        thick = max(1, theme().px(WIDTH))
        top, bottom, left, right = self._strips
        top.setGeometry(0, 0, width, thick)
        bottom.setGeometry(0, height - thick, width, thick)
        left.setGeometry(0, 0, thick, height)
        right.setGeometry(width - thick, 0, thick, height)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt override)
        if watched is self._plot and event.type() == QEvent.Type.Resize:
            self._place()
        return False


def install_plot_focus_frame(app: QApplication | None = None) -> PlotFocusFrame:
    """The application's one :class:`PlotFocusFrame`, created on the first call."""
    app = app or QApplication.instance()
    existing = app.findChild(PlotFocusFrame, "plotFocusFrame")
    return existing if existing is not None else PlotFocusFrame(app)
