"""The MLP drawn as columns of units, each a small picture of what it computes.

Inputs, each hidden layer and the outputs are columns. For 2-D data every unit is its output
over the input plane (the decision regions' plane), with the training points faintly behind;
for images a first-layer unit is its weight picture and a deeper unit its mean output per
class as a strip of bars. Edges between units are coloured by the weight's sign and drawn
wider and more opaque as its magnitude grows. A wide layer shows its strongest units (by
outgoing weight) and says how many are not shown. Hover a unit for its bias and incoming
weights; click it to pick it (the Model tab selects its row).

Each column is one RGBA image (:mod:`explorer.ui.network.tiles`) and the edges are eight
curves (sign x four widths), so a repaint costs a handful of items whatever the width.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Signal
from PySide6.QtGui import QFontMetricsF

from explorer.inspect.network import ACTIVATION_RANGES
from explorer.inspect.number_format import format_value
from explorer.ui.network.content import NetworkContent
from explorer.ui.network.paint_clock import PAINT_CLOCK
from explorer.ui.network.tiles import (
    atlas,
    bar_tiles,
    colorize,
    diverging_lut,
    stamp_points,
    symmetric_limit,
    value_range,
)
from explorer.ui.plots.minimum import ContentMinimum
from explorer.ui.theme import set_title, style_plot, theme


def class_color(index: int) -> tuple[int, int, int]:
    """Class ``index``'s colour, as the Training tab draws it (the theme's data colours)."""
    return theme().palette.color(index)


DEFAULT_UNITS = 24
MAX_UNITS = 64
COLUMN_GAP = 1.8  # room for the edges between two columns, in tiles
ROW_GAP = 0.25  # between two units of a column, in tiles (a quarter: whole pixels)
SUB_GAP = 0.3  # between two sub-columns of a wide layer
HEADER = 1.6  # room above the columns for their labels, in tiles
BAR_TILE = 24  # pixels of a class-bar tile
POINT_STRENGTH = 0.3
PLANE_PERCENTILE = 85
#: Edge widths (px) and opacities by the weight's magnitude, a quarter of the largest each.
EDGE_WIDTHS = (0.6, 1.1, 1.9, 3.0)
EDGE_ALPHAS = (55, 105, 170, 235)
MAX_LISTED_WEIGHTS = 6


@dataclass
class Column:
    """One layer's units as laid out: which units, where (top-left corners), what they show.

    A column holding more units than fit under each other is drawn as a few sub-columns,
    each shifted down a little so the edges into the back ones pass between the front ones.
    """

    name: str  # "input", or the Linear layer's name
    title: str
    units: np.ndarray  # the units shown, strongest first
    total: int  # units the layer has
    xs: np.ndarray  # each shown unit's left edge
    ys: np.ndarray  # each shown unit's top edge
    rows: int  # units per sub-column
    values: np.ndarray | None = None  # the shown units' plane images (k, ny, nx)
    dead: np.ndarray | None = None

    @property
    def left(self) -> float:
        return float(self.xs.min()) if len(self.xs) else 0.0

    @property
    def right(self) -> float:
        return float(self.xs.max()) + 1.0 if len(self.xs) else 1.0


Placement = tuple[np.ndarray, np.ndarray, int]


def arrange(counts: list[int], rows: int) -> tuple[list[Placement], float, float]:
    """Place columns of ``counts`` units with at most ``rows`` under each other: per column
    ``(xs, ys, rows used)``, and the whole picture's width and height (in tiles)."""
    placed, x, height = [], 0.0, 0.0
    for count in counts:
        subs = max(1, math.ceil(count / rows))
        used = max(1, math.ceil(count / subs))
        index = np.arange(count)
        sub, row = index // used, index % used
        shift = (1 + ROW_GAP) / subs
        xs = x + sub * (1 + SUB_GAP)
        ys = row * (1 + ROW_GAP) + sub * shift
        placed.append((xs.astype(float), ys.astype(float), used))
        height = max(height, used * (1 + ROW_GAP) - ROW_GAP + (subs - 1) * shift)
        x += subs + (subs - 1) * SUB_GAP + COLUMN_GAP
    return placed, x - COLUMN_GAP, height


def best_rows(counts: list[int], width_px: float, height_px: float) -> int:
    """The most units under each other that gives the largest tiles in a view of
    ``width_px`` x ``height_px`` (a label row above the columns)."""
    best, size = max(counts), 0.0
    for rows in range(max(counts), 0, -1):
        _, width, height = arrange(counts, rows)
        tile = min(width_px / (width + 0.8), height_px / (height + HEADER))
        if tile > size * 1.02:  # fewer rows only for clearly larger tiles
            best, size = rows, tile
    return best


class NetworkView(ContentMinimum, pg.GraphicsLayoutWidget):
    """The network's units and weights (objectName ``networkView``).

    ``sigUnitClicked(layer, unit)`` reports a click on a unit of a Linear layer;
    ``sigHovered(text)`` what is under the mouse ('' when nothing is).
    """

    sigUnitClicked = Signal(str, int)
    sigHovered = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("networkView")
        self.plot_item = plot = self.addPlot()
        for side in ("left", "bottom"):
            plot.hideAxis(side)
        plot.invertY(True)
        plot.setAspectLocked(True)
        plot.setMouseEnabled(x=False, y=False)
        plot.hideButtons()
        plot.setMenuEnabled(False)
        set_title(plot, "What every unit computes")
        self._edges = [
            pg.PlotCurveItem(connect="pairs", antialias=True) for _ in range(2 * len(EDGE_WIDTHS))
        ]
        for item in self._edges:
            item.csv_exclude = True
            plot.addItem(item)
        self._images: list[pg.ImageItem] = []  # a pool: one per sub-column drawn
        self._labels: list[pg.TextItem] = []  # a pool: one per column
        self._dead = pg.PlotCurveItem(connect="pairs")
        self._dead.csv_exclude = True
        self._dead.setZValue(5)
        self._selection = pg.PlotCurveItem()
        self._selection.csv_exclude = True
        self._selection.setZValue(6)
        # Draws nothing; its points are the units, so the CSV lists them with their numbers.
        self.units_item = pg.ScatterPlotItem(size=0, pen=None, brush=None, name="unit")
        for item in (self._dead, self._selection, self.units_item):
            plot.addItem(item)
        self.units_per_layer = DEFAULT_UNITS
        self.columns: list[Column] = []
        self.content: NetworkContent | None = None
        self.selected: tuple[str, int] | None = None
        self._rows = 0
        self._drawn: tuple | None = None  # what the column images show (see show_content)
        self._empty = pg.TextItem("", anchor=(0.5, 0.5))
        self._empty.csv_exclude = True
        plot.addItem(self._empty)
        self.scene().sigMouseMoved.connect(self._on_scene_mouse_moved)
        self.scene().sigMouseClicked.connect(self._on_scene_mouse_clicked)
        theme().watch(self, self._on_theme_changed)

    # -- for tests and exports -----------------------------------------------------------
    def unit_images(self) -> dict[str, np.ndarray]:
        """Each Linear layer's shown units' outputs over the grid, ``(units, H, W)`` with row
        ``i`` at ``grid()[1][i]`` (none for data that is not 2-D)."""
        return {
            c.name: c.values for c in self.columns if c.name != "input" and c.values is not None
        }

    def grid(self) -> tuple[np.ndarray, np.ndarray]:
        """The x and y values of the grid the unit images sample (empty without one)."""
        picture = self.content.picture if self.content is not None else {}
        if "xs" not in picture:
            return np.zeros(0), np.zeros(0)
        return np.asarray(picture["xs"]), np.asarray(picture["ys"])

    def shown_units(self) -> dict[str, np.ndarray]:
        """The units each Linear layer shows, strongest first."""
        return {c.name: c.units for c in self.columns if c.name != "input"}

    def dead_units(self) -> dict[str, np.ndarray]:
        """Which shown units are marked dead, per Linear layer."""
        return {c.name: c.dead for c in self.columns if c.name != "input" and c.dead is not None}

    def hidden_counts(self) -> dict[str, int]:
        """Units each column does not show."""
        return {c.name: c.total - len(c.units) for c in self.columns}

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(f"no column {name!r}")

    def unit_center(self, layer: str, unit: int) -> QPointF:
        """Where unit ``unit`` of ``layer`` is drawn, in view coordinates (KeyError if it is
        not shown)."""
        column = self.column(layer)
        rows = np.flatnonzero(column.units == unit)
        if not rows.size:
            raise KeyError(f"unit {unit} of {layer} is not shown")
        row = int(rows[0])
        return QPointF(column.xs[row] + 0.5, column.ys[row] + 0.5)

    # -- drawing ------------------------------------------------------------------------------
    def set_units_per_layer(self, count: int) -> None:
        count = int(np.clip(count, 1, MAX_UNITS))
        if count != self.units_per_layer:
            self.units_per_layer = count
            if self.content is not None:
                self.show_content(self.content)

    def show_message(self, text: str) -> None:
        """No network to draw: ``text`` instead."""
        self.content = None
        self.columns = []
        self._drawn = None
        for item in (*self._images, *self._labels):
            item.hide()
        for item in (*self._edges, self._dead, self._selection):
            item.setData([], [])
        self.units_item.setData([], [])
        self._empty.setText(text)
        self._empty.setColor(theme().palette.muted)
        self._empty.setPos(0, 0)
        self._empty.show()
        self.plot_item.setRange(QRectF(-5, -2, 10, 4), padding=0)

    def show_content(self, content: NetworkContent) -> None:
        """Draw ``content`` (layout, pictures, edges, marks)."""
        self.content = content
        self._empty.hide()
        self._layout(content)
        # New weights alone (a run between two pictures) move only the edges.
        key = (id(content.picture), self.units_per_layer, self._rows, theme().palette.name)
        if key != self._drawn:
            self._draw_columns(content)
            self._drawn = key
        self._draw_edges(content)
        self._draw_marks()
        self._fit()

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        content = getattr(self, "content", None)  # resized before __init__ is done
        if content is not None and self._rows_for_size(content) != self._rows:
            self.show_content(self.content)
        elif content is not None:
            self._fit()

    def _rows_for_size(self, content: NetworkContent) -> int:
        rect = self.plot_item.vb.rect()
        counts = [len(units) for units, _ in self._column_units(content)]
        return best_rows(counts, max(rect.width(), 50.0), max(rect.height(), 50.0))

    def _column_units(self, content: NetworkContent) -> list[tuple[np.ndarray, int]]:
        n = self.units_per_layer
        input_count = content.weights[0].shape[1]
        if content.image_side is not None:
            inputs = np.zeros(1, np.int64)  # one tile stands for the picture
        else:
            strength = np.sqrt(np.sum(np.square(content.weights[0], dtype=np.float64), axis=0))
            inputs = np.argsort(-strength, kind="stable")[:n]
            if input_count == 2:
                inputs = np.arange(2)
        columns = [(inputs, input_count)]
        for index, name in enumerate(content.layers):
            units = np.asarray(content.picture["units"][name])[:n]
            columns.append((units, content.weights[index].shape[0]))
        return columns

    def _layout(self, content: NetworkContent) -> None:
        picture = content.picture
        specs = self._column_units(content)
        self._rows = self._rows_for_size(content)
        placed, _, height = arrange([len(units) for units, _ in specs], self._rows)
        names = ["input", *content.layers]
        self.columns = []
        for index, ((units, total), (xs, ys, rows)) in enumerate(zip(specs, placed, strict=True)):
            span = float(ys.max()) + 1.0 if len(ys) else 1.0
            column = Column(names[index], "", units, total, xs, ys + (height - span) / 2, rows)
            if column.name != "input":
                k = len(units)
                if "images" in picture:
                    column.values = np.asarray(picture["images"][column.name])[:k]
                column.dead = np.asarray(picture["dead"][column.name])[:k].astype(bool)
            column.title = self._title(content, index, column)
            self.columns.append(column)

    def _title(self, content: NetworkContent, index: int, column: Column) -> str:
        if column.name == "input":
            if content.image_side is not None:
                side = content.image_side
                return f"input\n{column.total} pixels ({side}×{side})"
            what = f"input\n{column.total} features"
        else:
            role = " (output)" if index == len(content.layers) else ""
            what = f"{column.name}{role}\n{column.total} units"
        hidden = column.total - len(column.units)
        if hidden > 0:
            what += f", {hidden} not shown"
        return what

    def _item(self, pool: list, index: int, make):
        while len(pool) <= index:
            item = make()
            item.csv_exclude = True
            self.plot_item.addItem(item)
            pool.append(item)
        pool[index].show()
        return pool[index]

    def _draw_columns(self, content: NetworkContent) -> None:
        palette = theme().palette
        lut = diverging_lut(palette.heat_negative, palette.background, palette.heat_positive)
        images = 0
        top = min(float(c.ys.min()) for c in self.columns)
        for index, column in enumerate(self.columns):
            tiles = self._tiles(content, index, column, lut)
            if tiles.shape[1] % 4:  # the gap between tiles must be whole pixels
                tiles = np.repeat(np.repeat(tiles, 4, axis=1), 4, axis=2)
            height = tiles.shape[1]
            for start in range(0, len(tiles), column.rows):
                part = tiles[start : start + column.rows]
                image = self._item(
                    self._images, images, lambda: pg.ImageItem(axisOrder="row-major")
                )
                image.setImage(atlas(part, round(height * ROW_GAP)), autoLevels=False)
                rows = len(part)
                x, y = column.xs[start], column.ys[start]
                image.setRect(QRectF(x, y, 1.0, rows + (rows - 1) * ROW_GAP))
                images += 1
            label = self._item(self._labels, index, lambda: pg.TextItem("", anchor=(0.5, 1.0)))
            label.setText(column.title, color=palette.text)
            label.setFont(theme().font(8))
            label.setPos((column.left + column.right) / 2, top - 0.15)
        for item in (*self._images[images:], *self._labels[len(self.columns) :]):
            item.hide()
        names, units, xs, ys = [], [], [], []
        for column in self.columns[1:]:
            names += [column.name] * len(column.units)
            units += [int(u) for u in column.units]
            xs += list(column.xs + 0.5)
            ys += list(column.ys + 0.5)
        self.units_item.setData(x=xs, y=ys)
        self.units_item.export_columns = {
            "layer": names,
            "unit": units,
            "bias": [self._bias(n, u) for n, u in zip(names, units, strict=True)],
            "dead": [self._is_dead(n, u) for n, u in zip(names, units, strict=True)],
        }

    def _bias(self, layer: str, unit: int) -> float:
        index = self.content.layers.index(layer)
        bias = self.content.biases[index]
        return float("nan") if bias is None else float(bias[unit])

    def _is_dead(self, layer: str, unit: int) -> bool:
        column = self.column(layer)
        rows = np.flatnonzero(column.units == unit)
        return bool(column.dead is not None and rows.size and column.dead[rows[0]])

    def _tiles(self, content: NetworkContent, index: int, column: Column, lut) -> np.ndarray:
        palette = theme().palette
        picture = content.picture
        if column.name == "input":
            if content.plane:
                xs, ys = np.asarray(picture["xs"]), np.asarray(picture["ys"])
                shape = (len(ys), len(xs))
                planes = np.stack([np.broadcast_to(xs, shape), np.broadcast_to(ys[:, None], shape)])
                limit = symmetric_limit(planes)
                tiles = colorize(planes[:, ::-1], -limit, limit, lut, palette.neutral)
                self._stamp(content, tiles)
                return tiles
            tiles = np.empty((len(column.units), BAR_TILE, BAR_TILE, 3), np.uint8)
            tiles[...] = np.asarray(palette.panel_border, np.uint8)
            return tiles
        layer = content.layers.index(column.name)
        last = layer == len(content.layers) - 1
        bounds = (None, None) if last else ACTIVATION_RANGES.get(content.activation, (None, None))
        if content.plane:
            # The plane's margins reach far from the data, where a ReLU network's outputs grow
            # without bound: colours saturate there rather than wash out the data's region.
            low, high = value_range(column.values, bounds, PLANE_PERCENTILE)
            if low == 0:
                low = -high  # ReLU's 0 is the background, as in the other layers
            tiles = colorize(column.values[:, ::-1], low, high, lut, palette.neutral)
            self._stamp(content, tiles)
            return tiles
        if layer == 0 and content.image_side is not None:
            side = content.image_side
            weights = content.weights[0][column.units]
            limit = symmetric_limit(content.weights[0])
            return colorize(weights.reshape(-1, side, side), -limit, limit, lut, palette.neutral)
        means = np.asarray(picture["class_means"][column.name])[: len(column.units)]
        low, high = value_range(means, bounds)
        colors = [class_color(c) for c in range(means.shape[1])]
        return bar_tiles(means, low, high, colors, palette.panel, BAR_TILE)

    def _stamp(self, content: NetworkContent, tiles: np.ndarray) -> None:
        if content.points is None or content.extent is None or not len(content.points):
            return
        x0, x1, y0, y1 = content.extent
        h, w = tiles.shape[1:3]
        cols = np.clip(np.round((content.points[:, 0] - x0) / (x1 - x0) * (w - 1)), 0, w - 1)
        rows = np.clip(np.round((y1 - content.points[:, 1]) / (y1 - y0) * (h - 1)), 0, h - 1)
        classes = np.asarray(content.point_classes, dtype=np.intp)
        palette = np.array([class_color(c) for c in range(int(classes.max()) + 1)], np.float32)
        colors = palette[classes]
        stamp_points(tiles, rows.astype(int), cols.astype(int), colors, POINT_STRENGTH)

    def _draw_edges(self, content: NetworkContent) -> None:
        xs: list[list[np.ndarray]] = [[] for _ in self._edges]
        ys: list[list[np.ndarray]] = [[] for _ in self._edges]
        for c in range(1, len(self.columns)):
            source, target = self.columns[c - 1], self.columns[c]
            if source.name == "input" and content.image_side is not None:
                continue  # the first layer's units are their weights' picture
            weight = content.weights[c - 1][np.ix_(target.units, source.units)]
            weight = np.where(np.isfinite(weight), weight, 0.0)
            peak = float(np.abs(weight).max()) if weight.size else 0.0
            if peak <= 0:
                continue
            level = np.minimum((np.abs(weight) / peak * len(EDGE_WIDTHS)).astype(int), 3)
            slot = level + np.where(weight > 0, 0, len(EDGE_WIDTHS))
            t, s = np.nonzero(weight)
            starts_x, starts_y = source.xs[s] + 1.0, source.ys[s] + 0.5
            ends_x, ends_y = target.xs[t], target.ys[t] + 0.5
            for index in range(len(self._edges)):
                chosen = slot[t, s] == index
                xs[index].append(np.column_stack([starts_x[chosen], ends_x[chosen]]).ravel())
                ys[index].append(np.column_stack([starts_y[chosen], ends_y[chosen]]).ravel())
        for item, x, y in zip(self._edges, xs, ys, strict=True):
            item.setData(np.concatenate(x) if x else [], np.concatenate(y) if y else [])

    def _draw_marks(self) -> None:
        xs, ys = [], []
        for column in self.columns:
            if column.dead is None:
                continue
            for row in np.flatnonzero(column.dead):
                x, top = float(column.xs[row]), float(column.ys[row])
                xs += [x, x + 1, x + 1, x]
                ys += [top, top + 1, top, top + 1]
        self._dead.setData(np.asarray(xs, float), np.asarray(ys, float))
        self._draw_selection()

    def select(self, selection: tuple[str, int] | None) -> None:
        """Outline the picked unit (None, or a unit not shown: no outline)."""
        self.selected = selection
        self._draw_selection()

    def _draw_selection(self) -> None:
        if self.selected is None or self.content is None:
            self._selection.setData([], [])
            return
        try:
            centre = self.unit_center(*self.selected)
        except (KeyError, StopIteration):
            self._selection.setData([], [])
            return
        pad = 0.5 + ROW_GAP / 2.5
        x0, x1 = centre.x() - pad, centre.x() + pad
        y0, y1 = centre.y() - pad, centre.y() + pad
        self._selection.setData([x0, x1, x1, x0, x0], [y0, y0, y1, y1, y0])

    def _fit(self) -> None:
        if not self.columns:
            return
        right = max(c.right for c in self.columns)
        bottom = max(float(c.ys.max()) + 1.0 for c in self.columns)
        header = self._header_room(right + 0.8, bottom + 0.2)
        self.plot_item.setRange(
            QRectF(-0.4, -header, right + 0.8, bottom + header + 0.2), padding=0
        )
        self._fit_labels()

    def _header_room(self, width: float, height: float) -> float:
        """The room above the columns, in tiles, that holds a line of the labels' text
        whole at this size: tiles shrink as a layer grows, the text does not."""
        rect = self.plot_item.vb.rect()
        if rect.width() <= 0 or rect.height() <= 0:
            return HEADER
        text = QFontMetricsF(theme().font(8)).height() + 8  # the TextItem's own margins
        header = HEADER
        for _ in range(8):  # a fixed point: more room, smaller tiles (aspect is locked)
            tile = min(rect.width() / width, rect.height() / (height + header))
            header = max(HEADER, text / tile + 0.3)
        return header

    def _fit_labels(self) -> None:
        """Labels too wide for their column at this size keep their first line, the layer's
        name and role (the counts are in the hover text)."""
        view = self.plot_item.vb
        (x0, x1), _ = view.viewRange()
        pixels = view.width() / max(x1 - x0, 1e-9)
        for index, column in enumerate(self.columns):
            label = self._labels[index]
            room = (column.right - column.left + COLUMN_GAP * 0.9) * pixels
            full = column.title
            label.setText(full, color=theme().palette.text)
            if label.textItem.boundingRect().width() > room:
                label.setText(full.split("\n")[0], color=theme().palette.text)
            # A label wider than the first or last column moves inward, never off the view.
            half = label.textItem.boundingRect().width() / 2 / pixels + 0.05
            centre = (column.left + column.right) / 2
            label.setPos(max(x0 + half, min(centre, x1 - half)), label.pos().y())

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt override)
        started = time.thread_time()
        super().paintEvent(event)
        PAINT_CLOCK.add("network", time.thread_time() - started)

    # -- theme ----------------------------------------------------------------------------
    def _on_theme_changed(self) -> None:
        palette = theme().palette
        self.setBackground(palette.background)
        for index, item in enumerate(self._edges):
            level = index % len(EDGE_WIDTHS)
            color = palette.heat_positive if index < len(EDGE_WIDTHS) else palette.heat_negative
            pen = pg.mkPen((*color[:3], EDGE_ALPHAS[level]), width=EDGE_WIDTHS[level])
            pen.setCosmetic(True)
            item.setPen(pen)
        self._dead.setPen(pg.mkPen(palette.error, width=1.6))
        self._selection.setPen(pg.mkPen(palette.text, width=2))
        style_plot(self.plot_item)
        if self.content is not None:
            self.show_content(self.content)

    # -- the mouse ------------------------------------------------------------------------
    def unit_at(self, point: QPointF) -> tuple[str, int] | None:
        """The unit drawn at ``point`` (view coordinates): ``(column name, unit)``."""
        x, y = point.x(), point.y()
        for column in self.columns:
            inside = (
                (column.xs <= x) & (x <= column.xs + 1) & (column.ys <= y) & (y <= column.ys + 1)
            )
            found = np.flatnonzero(inside)
            if found.size:
                return column.name, int(column.units[found[0]])
        return None

    def describe(self, layer: str, unit: int) -> str:
        """What hovering a unit says: its bias and incoming weights (or what an input is)."""
        content = self.content
        if layer == "input":
            if content.image_side is not None:
                return "The input image's pixels: the first layer's units show their weights"
            return f"Input {content.input_names[unit]}"
        index = content.layers.index(layer)
        weights = content.weights[index][unit]
        column = self.column(layer)
        shown = f" (of {column.total}, {column.total - len(column.units)} not shown)"
        parts = [
            f"<b>{layer} unit {unit}</b>{shown if column.total > len(column.units) else ''}: "
            f"bias {format_value(self._bias(layer, unit), 4)}"
        ]
        if len(weights) <= MAX_LISTED_WEIGHTS:
            names = (
                content.input_names
                if index == 0
                else [f"{content.layers[index - 1]}[{j}]" for j in range(len(weights))]
            )
            listed = ", ".join(f"{names[j]} {format_value(w, 3)}" for j, w in enumerate(weights))
            parts.append(f"incoming weights {listed}")
        else:
            norm, low, high = np.linalg.norm(weights), weights.min(), weights.max()
            parts.append(
                f"{len(weights)} incoming weights: ‖w‖ {format_value(float(norm), 3)}, "
                f"min {format_value(float(low), 3)}, max {format_value(float(high), 3)}"
            )
        if self._is_dead(layer, unit):
            parts.append("<span>dead: outputs 0 everywhere</span>")
        parts.append(f"click to select row {unit} of {layer}.weight in the Model tab")
        return " · ".join(parts)

    def _view_point(self, scene_pos) -> QPointF | None:
        if not self.plot_item.vb.sceneBoundingRect().contains(scene_pos):
            return None
        return self.plot_item.vb.mapSceneToView(scene_pos)

    def _on_scene_mouse_moved(self, scene_pos) -> None:
        point = self._view_point(scene_pos)
        found = None if point is None or self.content is None else self.unit_at(point)
        self.sigHovered.emit("" if found is None else self.describe(*found))

    def _on_scene_mouse_clicked(self, event) -> None:
        point = self._view_point(event.scenePos())
        found = None if point is None or self.content is None else self.unit_at(point)
        if found is not None and found[0] != "input":
            self.sigUnitClicked.emit(*found)
