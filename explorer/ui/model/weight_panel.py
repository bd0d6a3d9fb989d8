"""The selected parameter as a heatmap with a colour bar, and histograms of values and grad.

Items are created once; :meth:`WeightPanel.refresh` only calls ``setImage``/``setData``, so
the Training tab can call it many times a second while a model trains.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, QSignalBlocker, Qt, Signal
from PySide6.QtGui import QBrush, QPen
from PySide6.QtWidgets import QGraphicsRectItem, QLabel, QVBoxLayout, QWidget

from explorer.inspect.array_stats import ArrayStats, histogram, symmetric_limit
from explorer.inspect.module_info import TreeNode, format_shape
from explorer.inspect.number_format import format_value
from explorer.ui.model.plot_style import (
    ValueAxisItem,
    fit_axis_width,
    nan_color,
    set_title,
    span_title,
    style_plot,
)
from explorer.ui.model.unit_image import UnitImagePlot, square_side
from explorer.ui.plots.index_axis import IndexAxisItem
from explorer.ui.plots.minimum import ContentMinimum
from explorer.ui.theme import style_plot as style_colorbar
from explorer.ui.theme import theme

DIVERGING_MAP = "CET-D1A"
HIST_BINS = 60
MAX_SQUARE_RATIO = 2
MAX_IMAGE_SIDE = 1024  # larger weights are shown strided: a screen has fewer pixels anyway
NO_GRADIENT = "no gradient yet"
_MARKER_STEPS = {
    Qt.Key.Key_Up: -1,
    Qt.Key.Key_Down: 1,
    Qt.Key.Key_PageUp: -10,
    Qt.Key.Key_PageDown: 10,
}


def square_cells(rows: int, cols: int) -> bool:
    """Whether a rows x cols heatmap is drawn with square cells: unless it is a strip
    longer than MAX_SQUARE_RATIO times its width, which square cells would make a sliver."""
    return max(rows, cols) <= MAX_SQUARE_RATIO * min(rows, cols)


def _histogram_plot(title: str, bottom: str) -> pg.PlotItem:
    plot = style_plot(
        pg.PlotItem(axisItems={"bottom": ValueAxisItem("bottom")}), title, "count", bottom
    )
    plot.showGrid(x=True, y=True, alpha=0.2)
    plot.setMouseEnabled(x=False, y=False)
    plot.hideButtons()
    plot.disableAutoRange()
    return plot


def _fit_range(plot: pg.PlotItem, edges: np.ndarray, counts: np.ndarray) -> None:
    """Frame a histogram, keeping the current frame while the data still fills most of it.

    During training the histogram moves a little at every refresh; re-framing each time
    would make pyqtgraph regenerate both axes (the costliest part of a repaint) and jitter.
    """
    low, high = float(edges[0]), float(edges[-1])
    top = float(counts.max()) if counts.size else 1.0
    (x0, x1), (_, y1) = plot.vb.viewRange()
    width = high - low
    fits = x0 <= low and high <= x1 and (high - low) >= 0.7 * (x1 - x0)
    fits = fits and top <= y1 and top >= 0.7 * y1
    if not fits:
        margin = 0.03 * width if width > 0 else 0.5
        plot.setRange(xRange=(low - margin, high + margin), yRange=(0, top * 1.08), padding=0)


def _step_curve() -> pg.PlotDataItem:
    return pg.PlotDataItem(stepMode="center", fillLevel=0)


def _color_step_curve(curve: pg.PlotDataItem, index: int) -> None:
    """A histogram in the theme's ``index``-th data colour (values blue, gradients orange)."""
    color = theme().palette.color(index)
    curve.setPen(pg.mkPen(color, width=1.5))
    curve.setBrush((*color, 90))


def _error_hex() -> str:
    palette = theme().palette
    return theme().hex(palette.text_color(palette.error, palette.panel))


def _shift_inside(low: float, high: float, least: float, most: float) -> float:
    """How far to move the view's span [low, high] to keep the data's [least, most] in
    sight: inside it when the view is the shorter, around it when the data is."""
    if high - low <= most - least:
        outside_low, outside_high = low < least, high > most
    else:
        outside_low, outside_high = low > least, high < most
    if outside_low:
        return least - low
    if outside_high:
        return most - high
    return 0.0


def _decoration(item):
    """Mark ``item`` as drawing aid only: CSV exports leave it out."""
    item.csv_exclude = True
    return item


class PlotsWidget(ContentMinimum, pg.GraphicsLayoutWidget):
    """The panel's plots, never given less room than they need (a title cut, a sliver).

    ``key_handler(event)``, when set, sees each key first and returns True if it used it;
    ``sigPointerLeft`` says the pointer left the plots.
    """

    sigPointerLeft = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.key_handler = None

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if self.key_handler is not None and self.key_handler(event):
            event.accept()
            return
        super().keyPressEvent(event)

    def leaveEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().leaveEvent(event)
        self.sigPointerLeft.emit()


class WeightPanel(QWidget):
    """Heatmap (``weight-heatmap``), value histogram and gradient histogram of one parameter."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._node: TreeNode | None = None
        self._image_shape: tuple[int, ...] = ()
        self.title = QLabel("Select a parameter in the module tree")
        self.title.setObjectName("weightTitle")
        self.title.setWordWrap(True)
        self.title.setToolTip("The parameter shown below and its summary statistics")
        self.graphics = PlotsWidget()
        self.graphics.setBackground(theme().palette.background)
        self.graphics.setObjectName("weightPlots")
        # No tooltip over the plots: over the heatmap, the value read-out is what to see.
        self.title.setToolTip(
            "The parameter shown below and its summary statistics. Heatmap: row i is output "
            "unit i, column j input feature j (weight[i, j]). Colours diverge from white at "
            "0; the bar spans ±3 RMS of the finite values (NaN is drawn grey, ±inf at the "
            "bar's ends)."
        )
        index_axes = {"left": IndexAxisItem("left"), "bottom": IndexAxisItem("bottom")}
        self.heatmap_plot = style_plot(
            pg.PlotItem(axisItems=index_axes),
            "weight",
            "output unit i (row)",
            "input feature j (column)",
        )
        self.heatmap_plot.invertY(True)
        self.heatmap_plot.hideButtons()
        self.image = pg.ImageItem(axisOrder="row-major")
        # NaN pixels are transparent: this grey shows through them, unlike any weight's colour.
        self.nan_backdrop = _decoration(QGraphicsRectItem())
        self.nan_backdrop.setPen(QPen(Qt.PenStyle.NoPen))
        self.nan_backdrop.setZValue(-1)
        self.nan_backdrop.setVisible(False)
        self.heatmap_plot.addItem(self.nan_backdrop, ignoreBounds=True)
        self.heatmap_plot.addItem(self.image)
        # The value under the pointer, beside the pointer.
        self.hover = _decoration(pg.TextItem(""))  # its colours: _on_theme_changed
        self.hover.setZValue(20)
        self.hover.setVisible(False)
        self._hover_at = None  # the scene position the read-out is for
        self.colorbar = pg.ColorBarItem(
            values=(-1.0, 1.0),
            colorMap=pg.colormap.get(DIVERGING_MAP),
            interactive=False,
            width=14,
        )
        bar_axis = self.colorbar.getAxis("right")
        bar_axis.setLabel("value")
        style_colorbar(self.colorbar)
        fit_axis_width(bar_axis, -1.0, 1.0)  # and for every new scale (a fixed 45 px hid 1e+18)
        self.colorbar.setImageItem(self.image, insert_in=self.heatmap_plot)
        span_title(self.heatmap_plot)  # a long title leaves room for the unit picture

        self.values_plot = _histogram_plot("values", "value")
        self.values_curve = _step_curve()
        self.values_plot.addItem(self.values_curve)
        self.zero_line = _decoration(pg.InfiniteLine(0, angle=90))
        self.values_plot.addItem(self.zero_line)

        self.grad_plot = _histogram_plot("gradient", "gradient value")
        self.grad_curve = _step_curve()
        self.grad_plot.addItem(self.grad_curve)
        self.grad_message = _decoration(pg.TextItem(NO_GRADIENT, anchor=(0.5, 0.5)))
        self.grad_message.setToolTip(
            "param.grad is None until a backward pass (e.g. one training step) fills it"
        )
        self.grad_plot.addItem(self.grad_message, ignoreBounds=True)
        self.grad_message.setPos(0.5, 0.5)

        # First-layer units seen as images; shown when the input is a square picture.
        self._image_layer: str | None = None
        self.unit_plot = UnitImagePlot(DIVERGING_MAP)
        self.unit_plot.setToolTip(
            "The selected unit's incoming weights reshaped to the input image: drag the "
            "dashed line on the heatmap (or click a row, or use Up/Down, PageUp/PageDown "
            "(10 rows), Home/End with the plots focused) to pick another unit"
        )
        self.unit = 0  # the weight row marked on the heatmap (and drawn as a picture)
        self.unit_line = _decoration(pg.InfiniteLine(0, angle=0, movable=True))
        self.unit_line.setVisible(False)
        self.unit_line.setZValue(10)
        self.heatmap_plot.addItem(self.unit_line, ignoreBounds=True)
        self.unit_line.sigPositionChanged.connect(self._on_unit_line_moved)

        self.top = self.graphics.addLayout(row=0, col=0)
        self.top.addItem(self.heatmap_plot, row=0, col=0)
        # Always in the layout (detaching items upsets pyqtgraph at exit); collapsed when unused.
        self.top.addItem(self.unit_plot, row=0, col=1)
        self.top.layout.setAlignment(self.unit_plot, Qt.AlignmentFlag.AlignVCenter)
        self.unit_plot.collapse(True)
        self.bottom = self.graphics.addLayout(row=1, col=0)
        self.bottom.addItem(self.values_plot, row=0, col=0)
        self.bottom.addItem(self.grad_plot, row=0, col=1)
        self.graphics.ci.layout.setRowStretchFactor(0, 3)
        self.graphics.ci.layout.setRowStretchFactor(1, 2)
        # In the scene, not the heatmap's view box: the box would cut it at the heatmap's edge.
        self.graphics.scene().addItem(self.hover)
        self.heatmap_plot.scene().sigMouseMoved.connect(self._on_scene_mouse_moved)
        self.heatmap_plot.scene().sigMouseClicked.connect(self._on_scene_mouse_clicked)
        self.graphics.sigPointerLeft.connect(self._on_graphics_pointer_left)
        self.graphics.key_handler = self._on_graphics_key
        self.heatmap_plot.vb.sigRangeChangedManually.connect(
            self._on_heatmap_range_changed_manually
        )

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.title)
        layout.addWidget(self.graphics, 1)
        theme().watch(self, self._on_theme_changed)

    def _on_theme_changed(self) -> None:
        palette = theme().palette
        _color_step_curve(self.values_curve, 0)
        _color_step_curve(self.grad_curve, 1)
        self.nan_backdrop.setBrush(QBrush(nan_color()))
        self.zero_line.setPen(pg.mkPen(palette.neutral, style=Qt.PenStyle.DashLine))
        self.grad_message.setColor(palette.muted)
        self.unit_line.setPen(pg.mkPen(palette.text, style=Qt.PenStyle.DashLine))
        # The read-out on a legend's card: readable over any colour of the heatmap.
        self.hover.setColor(palette.text)
        self.hover.fill = pg.mkBrush(palette.legend)
        self.hover.border = pg.mkPen(palette.legend_border)
        self.hover.update()
        low, high = self.colorbar.levels()
        fit_axis_width(self.colorbar.getAxis("right"), low, high)  # tick labels resized
        if self._node is not None:
            self.refresh()  # the summary's warning colour

    def export_items(self) -> dict[str, pg.PlotItem]:
        """The plots that show data now: no gradient histogram before the first backward."""
        items = {
            "weight-heatmap": self.heatmap_plot,
            "weight-histogram": self.values_plot,
        }
        if not self.gradient_message():
            items["gradient-histogram"] = self.grad_plot
        if self.unit_shown():
            items["unit-weights"] = self.unit_plot
        return items

    def set_image_layer(self, path: str | None) -> None:
        """Name the module whose weight rows look at the input picture (``linear1``)."""
        self._image_layer = path

    def unit_shown(self) -> bool:
        return not self.unit_plot.collapsed

    def select_unit(self, unit: int) -> None:
        """Mark row ``unit`` of the weight (moves the heatmap's marker line); a first-layer
        weight also shows the row as an image."""
        self.unit_line.setValue(unit)

    def node(self) -> TreeNode | None:
        return self._node

    def show_parameter(self, node: TreeNode | None) -> None:
        """Show ``node`` (a parameter or buffer node); None clears the panel."""
        self._node = node
        self._image_shape = ()
        self._clear_hover()  # the value under the pointer belonged to the old parameter
        self.refresh()

    def refresh(self) -> None:
        """Re-read the parameter's values and gradient (they change in place while training)."""
        node = self._node
        if node is None:
            self.image.clear()
            self.values_curve.setData([], [])
            self.grad_curve.setData([], [])
            self.title.setText("Select a parameter in the module tree")
            self._clear_hover()
            return
        data = np.asarray(node.obj)
        stats = ArrayStats.of(data)
        limit = self._stable_limit(symmetric_limit(data, stats))
        self._show_image(node, data, limit, stats.finite)
        self._show_unit(node, data, limit)
        edges, counts = histogram(data, HIST_BINS, stats)
        self.values_curve.setData(edges, counts)
        _fit_range(self.values_plot, edges, counts)
        self._show_gradient(node)
        numbers = " &nbsp;·&nbsp; ".join(
            f"{name} {format_value(value, 3)}"
            for name, value in (
                ("mean", stats.mean),
                ("std", stats.std),
                ("min", stats.min),
                ("max", stats.max),
            )
        )
        warning = ""
        if not stats.finite:
            warning = (
                f" &nbsp;·&nbsp; <span style='color:{_error_hex()}'>{stats.nonfinite_text()} "
                "(nan grey, ±inf at the colour ends)</span>"
            )
        self.title.setText(f"<b>{node.path}</b> &nbsp; {numbers}{warning}")
        if self._hover_at is not None:  # the values changed under a still pointer
            self._on_scene_mouse_moved(self._hover_at)

    def _show_image(self, node: TreeNode, data: np.ndarray, limit: float, finite: bool) -> None:
        # A bias is drawn as a column: entry i belongs to output unit i, like row i above.
        image = data.reshape(data.shape[0], -1) if data.ndim >= 2 else data.reshape(-1, 1)
        rows, cols = image.shape
        step_r, step_c = -(-rows // MAX_IMAGE_SIDE), -(-cols // MAX_IMAGE_SIDE)
        # A copy, so the picture painted later is the one read now (training mutates in place).
        shown = np.array(image[::step_r, ::step_c])
        self.image.setImage(shown, autoLevels=False, levels=(-limit, limit))
        # Pixel (i, j) is centred on (j, i), so ticks name whole rows and columns.
        self.image.setRect(QRectF(-0.5, -0.5, cols, rows))
        self.nan_backdrop.setRect(QRectF(-0.5, -0.5, cols, rows))
        self.nan_backdrop.setVisible(not finite)
        if self.colorbar.levels() != (-limit, limit):
            self.colorbar.setLevels((-limit, limit))
            fit_axis_width(self.colorbar.getAxis("right"), -limit, limit)
        # CSV: the weights themselves (not colours), each row and column by its true index.
        self.image.export_matrix = shown
        self.image.export_axes = (
            np.arange(0, cols, step_c),
            np.arange(0, rows, step_r),
            "input feature j" if data.ndim >= 2 else node.name,
            "output unit i",
        )
        if image.shape != self._image_shape:  # a newly selected parameter
            self._image_shape = image.shape
            set_title(self.values_plot, f"values of {node.path}")
            set_title(self.grad_plot, f"{node.path}.grad")
            self.values_curve.opts["name"] = f"{node.path} count"
            self.grad_curve.opts["name"] = f"{node.path}.grad count"
            sampled = f"  (strided {step_r}×{step_c} to draw)" if step_r * step_c > 1 else ""
            set_title(self.heatmap_plot, f"{node.code}  {format_shape(data.shape)}{sampled}")
            self.heatmap_plot.setLabel(
                "bottom", "input feature j (column)" if data.ndim == 2 else "(one column)"
            )
            # Square cells where the picture stays readable; a long strip fills the plot.
            self.heatmap_plot.setAspectLocked(square_cells(rows, cols))
            self.heatmap_plot.autoRange(padding=0)
            self.graphics.updateGeometry()  # a new title may need more room

    def _stable_limit(self, limit: float) -> float:
        """Keep the colour scale while the new limit is within 15% of it: colours stay
        comparable from one training refresh to the next, and the bar is not redrawn."""
        if self._image_shape:
            current = float(self.colorbar.levels()[1])
            if 0.85 * current <= limit <= 1.15 * current:
                return current
        return limit

    def _show_unit(self, node: TreeNode, data: np.ndarray, limit: float) -> None:
        pictured = (
            data.ndim == 2
            and node.parent is not None
            and node.parent.path == self._image_layer
            and square_side(data.shape[1]) is not None
        )
        if pictured != self.unit_shown():
            self.unit_plot.collapse(not pictured)
            self.graphics.updateGeometry()
        # Every weight matrix marks its selected row (a unit picked in the Network tab).
        self.unit_line.setVisible(data.ndim == 2)
        if data.ndim == 2:
            self.unit = min(self.unit, data.shape[0] - 1)
            with QSignalBlocker(self.unit_line):
                self.unit_line.setBounds((0, data.shape[0] - 1))
                self.unit_line.setValue(self.unit)
        if pictured:
            self.unit_plot.show_unit(data, self.unit, limit)

    def _on_unit_line_moved(self, line) -> None:
        node = self._node
        if node is None or node.obj.data.ndim != 2:
            return
        data = np.asarray(node.obj)
        unit = int(np.clip(round(line.value()), 0, data.shape[0] - 1))
        if unit != self.unit:
            self.unit = unit
            if self.unit_shown():
                self.unit_plot.show_unit(data, unit, self.colorbar.levels()[1])

    def _on_scene_mouse_clicked(self, event) -> None:
        if not self.unit_line.isVisible() or not self.heatmap_plot.sceneBoundingRect().contains(
            event.scenePos()
        ):
            return
        row = self.heatmap_plot.vb.mapSceneToView(event.scenePos()).y()
        if 0 <= row < self._image_shape[0]:
            self.select_unit(int(np.floor(row + 0.5)))

    def _show_gradient(self, node: TreeNode) -> None:
        grad = getattr(node.obj, "grad", None)
        if grad is None:
            self.grad_curve.setData([], [])
            self.grad_curve.setVisible(False)
            self.grad_message.setVisible(True)
            self.grad_plot.setXRange(0, 1, padding=0)
            self.grad_plot.setYRange(0, 1, padding=0)
            for side in ("left", "bottom"):
                self.grad_plot.getAxis(side).setStyle(showValues=False)
            return
        edges, counts = histogram(np.asarray(grad), HIST_BINS)
        self.grad_curve.setData(edges, counts)
        self.grad_curve.setVisible(True)
        self.grad_message.setVisible(False)
        for side in ("left", "bottom"):
            self.grad_plot.getAxis(side).setStyle(showValues=True)
        _fit_range(self.grad_plot, edges, counts)

    def gradient_message(self) -> str:
        """The text shown in place of the gradient histogram, '' when a histogram is shown."""
        return self.grad_message.toPlainText() if self.grad_message.isVisible() else ""

    def _allowed_view(self) -> QRectF | None:
        """The most the heatmap's view may show ("View All"): the data's rectangle, widened
        to the view's shape when the cells are square."""
        if len(self._image_shape) != 2:
            return None
        rows, cols = self._image_shape
        box = self.heatmap_plot.vb
        width, height = float(cols), float(rows)
        pixels_x, pixels_y = box.width(), box.height()
        if box.state["aspectLocked"] and pixels_x > 0 and pixels_y > 0:
            per_pixel = max(width / pixels_x, height / pixels_y)
            width, height = per_pixel * pixels_x, per_pixel * pixels_y
        return QRectF(cols / 2 - 0.5 - width / 2, rows / 2 - 0.5 - height / 2, width, height)

    def _on_heatmap_range_changed_manually(self, *_args) -> None:
        # A drag that missed the marker, or a wheel turn, may not take the heatmap off
        # screen: the view goes back inside the data (or to View All when zoomed out past it).
        # (ViewBox.setLimits trims an aspect-locked view when the plot changes shape.)
        allowed = self._allowed_view()
        if allowed is None:
            return
        box = self.heatmap_plot.vb
        (x0, x1), (y0, y1) = box.viewRange()
        slack = 1e-6 * max(allowed.width(), allowed.height())
        if x1 - x0 > allowed.width() + slack or y1 - y0 > allowed.height() + slack:
            box.autoRange(padding=0)
            return
        rows, cols = self._image_shape
        dx = _shift_inside(x0, x1, -0.5, cols - 0.5)
        dy = _shift_inside(y0, y1, -0.5, rows - 0.5)
        if dx or dy:
            box.translateBy(x=dx, y=dy)

    def _on_graphics_key(self, event) -> bool:
        """Up/Down, PageUp/PageDown (10 rows), Home/End move the unit marker."""
        if not self.unit_line.isVisible() or len(self._image_shape) != 2:
            return False
        last = self._image_shape[0] - 1
        unit = self.unit_plot.unit
        key = event.key()
        if key in _MARKER_STEPS:
            unit = int(np.clip(unit + _MARKER_STEPS[key], 0, last))
        elif key == Qt.Key.Key_Home:
            unit = 0
        elif key == Qt.Key.Key_End:
            unit = last
        else:
            return False
        self.select_unit(unit)
        (_, _), (top, bottom) = self.heatmap_plot.vb.viewRange()
        if not top <= unit <= bottom:  # zoomed in: bring the marked row into view
            self.heatmap_plot.vb.translateBy(y=unit - (top + bottom) / 2)
        return True

    def hover_text(self) -> str:
        """The value read-out beside the pointer, '' when none is shown."""
        return self.hover.toPlainText() if self.hover.isVisible() else ""

    def _clear_hover(self) -> None:
        self._hover_at = None
        if self.hover.isVisible():
            self.hover.setVisible(False)

    def _on_graphics_pointer_left(self) -> None:
        self._clear_hover()

    def _on_scene_mouse_moved(self, position) -> None:
        box = self.heatmap_plot.vb
        if self._node is None or not box.sceneBoundingRect().contains(position):
            self._clear_hover()
            return
        point = box.mapSceneToView(position)
        data = np.asarray(self._node.obj)
        image = data.reshape(data.shape[0], -1) if data.ndim >= 2 else data.reshape(-1, 1)
        row, col = int(np.floor(point.y() + 0.5)), int(np.floor(point.x() + 0.5))
        if not (0 <= row < image.shape[0] and 0 <= col < image.shape[1]):
            self._clear_hover()
            return
        index = f"[{row}, {col}]" if data.ndim == 2 else f"[{row}]"
        self.hover.setText(f"{self._node.code}{index} = {format_value(image[row, col], 5)}")
        # Beside the pointer, on the side with room: right and below in the view's left
        # upper part, left or above nearer the other edges.
        centre = box.sceneBoundingRect().center()
        self.hover.setAnchor(
            (
                -0.05 if position.x() < centre.x() else 1.05,
                -0.3 if position.y() < centre.y() else 1.3,
            )
        )
        self.hover.setPos(position)
        self.hover.setVisible(True)
        self._keep_hover_in_sight()
        self._hover_at = position

    def _keep_hover_in_sight(self) -> None:
        # A long read-out (a zoomed font, a narrow window) may not fit on its side of the
        # pointer: it moves back inside what the plots show rather than being cut.
        shown = self.graphics.mapToScene(self.graphics.viewport().rect()).boundingRect()
        text = self.hover.mapRectToScene(self.hover.boundingRect())
        dx = max(0.0, shown.left() - text.left()) or min(0.0, shown.right() - text.right())
        dy = max(0.0, shown.top() - text.top()) or min(0.0, shown.bottom() - text.bottom())
        if dx or dy:
            self.hover.setPos(self.hover.pos() + QPointF(dx, dy))
