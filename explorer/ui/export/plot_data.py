"""The data behind a plot, as CSV tables a spreadsheet can read: curves, points, bars, images.

``csv_tables(item)`` reads what a PlotItem (or every PlotItem in a GraphicsLayout) shows.
Columns are named after the items, so tabs say what each one holds:

- ``name=`` on a PlotDataItem / ScatterPlotItem / BarGraphItem (or our ``Bars``) names its
  column(s). Curves that share their x values share one x column, headed by the plot's x-axis
  label; a bar chart's x column holds the axis' tick labels (``category``: ``arm 0``...) when
  it has them.
- ``item.csv_exclude = True`` leaves an item out (highlights, markers, decoration).
- ``item.export_columns = {"class": labels}`` (or a callable returning it) adds columns
  beside a scatter's coordinates, one value per point, e.g. what the colours mean.
- An ImageItem writes ``export_matrix`` (array or callable; default: the image) and, with
  ``export_axes = (x_values, y_values, x_label, y_label)``, a labelled matrix: one row per
  y value (the first column), one column per x value (the header). The matrix is
  ``[len(y_values), len(x_values)]``; pyqtgraph's ``[x, y]`` order is transposed.
"""

from __future__ import annotations

import csv
import io
import itertools
import re

import numpy as np
import pyqtgraph as pg

from explorer.ui.plots.native_items import Bars

Table = tuple[str, list[str], list[np.ndarray]]


def plot_items_of(item) -> list[pg.PlotItem]:
    """The PlotItems inside ``item``: itself, those laid out in a GraphicsLayout, or a list."""
    if isinstance(item, pg.PlotItem):
        return [item]
    if isinstance(item, list | tuple):
        return [plot for part in item for plot in plot_items_of(part)]
    if isinstance(item, pg.PlotWidget):
        return [item.getPlotItem()]
    found = []
    children = getattr(item, "items", None)
    if isinstance(children, dict):
        for child in children:
            found.extend(plot_items_of(child))
    return found


def csv_tables(item) -> list[Table]:
    """``[(file suffix, header, columns)]`` for ``item``.

    Always at least one table, so every export has a CSV with a header. A plot with an image
    writes the image to the main file and any curves/points/bars beside it (suffix ``-data``).
    """
    plots = plot_items_of(item)
    images: list[Table] = []
    table = _Columns()
    for plot_index, plot in enumerate(plots):
        prefix = _plot_label(plot, plot_index) if len(plots) > 1 else ""
        table.start_plot(plot, prefix)
        for index, child in enumerate(plot.items):
            if not child.isVisible() or getattr(child, "csv_exclude", False):
                continue
            if isinstance(child, pg.ImageItem):
                image = image_table(child)
                if image is not None:
                    images.append(image)
                continue
            table.add(child, index)
    header, columns = _unique(table.header), table.columns
    if images:
        tables = [images[0]]
        if columns:
            tables.append(("-data", header, columns))
        return tables
    return [("", header or ["empty"], columns)]


def has_plotted_data(item) -> bool:
    """Whether ``item`` shows any data (an empty plot, e.g. "no gradient yet", does not)."""
    return any(columns for _, _, columns in csv_tables(item))


def image_table(image: pg.ImageItem) -> Table | None:
    """The image's numbers as a table: labelled by ``export_axes`` or by row/column index."""
    matrix = image_matrix(image)
    if matrix is None:
        return None
    matrix = np.atleast_2d(matrix)
    axes = getattr(image, "export_axes", None)
    if axes is not None:
        x_values, y_values, x_label, y_label = axes
        x_values, y_values = np.asarray(x_values), np.asarray(y_values)
        shape = (len(y_values), len(x_values))
        if matrix.shape[:2] != shape and matrix.shape[:2] == shape[::-1]:
            matrix = np.swapaxes(matrix, 0, 1)
        if matrix.shape[:2] == shape:
            header = [f"{y_label} \\ {x_label}"] + [_format(v) for v in x_values]
            return ("", header, [y_values] + [matrix[:, j] for j in range(matrix.shape[1])])
    header = ["row"] + [f"col{j}" for j in range(matrix.shape[1])]
    return (
        "",
        header,
        [np.arange(matrix.shape[0])] + [matrix[:, j] for j in range(matrix.shape[1])],
    )


class _Columns:
    """Columns collected item by item; consecutive items with equal x share one x column."""

    def __init__(self):
        self.header: list[str] = []
        self.columns: list[np.ndarray] = []
        self._last_x: np.ndarray | None = None

    def start_plot(self, plot: pg.PlotItem, prefix: str) -> None:
        self.prefix = prefix
        self.x_label = _axis_label(plot, "bottom") or "x"
        self.y_label = _axis_label(plot, "left") or "y"
        self.ticks = _tick_labels(plot, "bottom")
        self._last_x = None
        self._plot_has_x = False
        self._plot_has_y = False

    def add(self, child, index: int) -> None:
        name = _name_of(child)
        if isinstance(child, pg.BarGraphItem | Bars):
            bars = _bar_data(child)
            if bars is None:
                return
            x, bottom, height = bars
            name = name or f"bars{index}"
            self._x_column(x, name, grouped=True)
            self._column(name, height)
            self._plot_has_y = True
            if np.any(bottom != 0):
                self._column(f"{name} bottom", bottom)
            return
        if isinstance(child, pg.ErrorBarItem):
            self._error_bars(child, name or f"errorbars{index}")
            return
        if not isinstance(child, pg.PlotDataItem | pg.PlotCurveItem | pg.ScatterPlotItem):
            return
        if isinstance(child, pg.PlotDataItem):
            x, y = child.getOriginalDataset()
        else:
            x, y = child.getData()
        if x is None or y is None or len(x) == 0:
            return
        x, y = np.asarray(x), np.asarray(y)
        kind = type(child).__name__.replace("Item", "").lower()
        if _is_points(child):
            # Points in a plane (x1, x2 per class): both coordinates are the data.
            name = name or f"{kind}{index}"
            self._column(f"{name}: {self.x_label}", x)
            self._column(f"{name}: {self.y_label}", y)
            self._extra_columns(child, name, len(x))
            self._last_x = None
            return
        self._x_column(x, name or f"{kind}{index}")
        self._column(name or (self.y_label if not self._plot_has_y else f"{kind}{index}"), y)
        self._plot_has_y = True

    def _x_column(self, x: np.ndarray, name: str, grouped: bool = False) -> None:
        # ``grouped``: bars drawn beside their category's tick (P left, Q right) take its label.
        x = self._labelled(np.asarray(x), grouped)
        if self._last_x is not None and _same(self._last_x, x):
            return
        self._last_x = x
        title = self.x_label if not self._plot_has_x else f"{self.x_label} ({name})"
        self._plot_has_x = True
        self._column(title, x)

    def _extra_columns(self, child, name: str, length: int) -> None:
        extra = getattr(child, "export_columns", None)
        if callable(extra):
            extra = extra()
        for title, values in (extra or {}).items():
            values = np.asarray(values)
            if values.shape[:1] == (length,):
                self._column(f"{name}: {title}", values)

    def _labelled(self, x: np.ndarray, grouped: bool = False) -> np.ndarray:
        if not self.ticks or x.dtype.kind not in "fiu":
            return x
        values = np.ravel(x).astype(float)
        ticks = np.array(sorted(self.ticks))
        if grouped and len(ticks) > 1:
            tolerance = float(np.min(np.diff(ticks))) / 2
        else:
            tolerance = 1e-9
        nearest = ticks[np.abs(values[:, None] - ticks[None, :]).argmin(axis=1)]
        if np.all(np.abs(nearest - values) <= tolerance):
            return np.array([self.ticks[float(v)] for v in nearest], dtype=object)
        return x

    def _column(self, title: str, values) -> None:
        self.header.append(f"{self.prefix}{title}")
        self.columns.append(np.asarray(values))

    def _error_bars(self, child, name: str) -> None:
        x, y = child.opts.get("x"), child.opts.get("y")
        if x is None or y is None:
            return
        self._x_column(np.asarray(x), name)
        self._column(name, np.asarray(y))
        for side in ("top", "bottom", "left", "right", "height", "width"):
            if child.opts.get(side) is not None:
                value = np.broadcast_to(np.asarray(child.opts[side]), np.shape(x))
                self._column(f"{name} {side}", value)


def _is_points(child) -> bool:
    if isinstance(child, pg.ScatterPlotItem):
        return True
    if isinstance(child, pg.PlotDataItem):
        return child.opts.get("pen") is None and child.opts.get("symbol") is not None
    return False


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    if a.shape != b.shape:
        return False
    if a.dtype.kind in "fiu" and b.dtype.kind in "fiu":
        return bool(np.array_equal(a, b, equal_nan=True))
    return bool(np.array_equal(a, b))


_TAG = re.compile(r"<[^>]*>")


def _axis_label(plot: pg.PlotItem, side: str) -> str:
    try:
        axis = plot.getAxis(side)
    except Exception:  # noqa: BLE001 (a plot without that axis)
        return ""
    if not axis.isVisible() and not axis.labelText:
        return ""
    text = _TAG.sub("", axis.labelText or "").replace("&nbsp;", " ").strip()
    if text and axis.labelUnits:
        text = f"{text} ({axis.labelUnits})"
    return text


def _tick_labels(plot: pg.PlotItem, side: str) -> dict[float, str]:
    try:
        levels = plot.getAxis(side)._tickLevels
    except Exception:  # noqa: BLE001
        return {}
    labels: dict[float, str] = {}
    for level in levels or []:
        for value, label in level:
            labels.setdefault(round(float(value), 9), _TAG.sub("", str(label)))
    return labels


def image_matrix(image: pg.ImageItem) -> np.ndarray | None:
    """The numbers an image shows, for CSV.

    A tab can say what its image means by giving the item an ``export_matrix`` attribute (an
    array, or a callable returning one): the counts behind a normalized confusion matrix, the
    predicted class behind blended decision-region colours. Otherwise the image's own values;
    colour (RGB) images become ``#rrggbb`` strings, which is what they hold.
    """
    override = getattr(image, "export_matrix", None)
    if callable(override):
        override = override()
    matrix = override if override is not None else image.image
    if matrix is None:
        return None
    matrix = np.asarray(matrix)
    if matrix.ndim == 3 and matrix.shape[2] in (3, 4):
        rgb = matrix[..., :3]
        if rgb.dtype.kind == "f":
            rgb = np.clip(rgb * (255 if rgb.max(initial=0) <= 1 else 1), 0, 255)
        rgb = rgb.astype(np.int64)
        packed = (rgb[..., 0] << 16) | (rgb[..., 1] << 8) | rgb[..., 2]
        matrix = np.vectorize(lambda v: f"#{v:06x}", otypes=[object])(packed)
    return matrix


def _plot_label(plot: pg.PlotItem, index: int) -> str:
    title = plot.titleLabel.text if plot.titleLabel is not None else ""
    title = "".join(c if c.isalnum() else "_" for c in (title or "")).strip("_").lower()
    return f"{title or f'plot{index}'}_"


def _bar_data(bars: pg.BarGraphItem | Bars):
    """``(x centres, bottoms, heights)`` of bars, or None when there are none."""
    opts = bars.opts

    def arr(key):
        value = opts.get(key)
        return None if value is None else np.asarray(value, dtype=float)

    x, x0, x1, width = arr("x"), arr("x0"), arr("x1"), arr("width")
    y0, y1, height = arr("y0"), arr("y1"), arr("height")
    if x is None and x0 is None and x1 is None:
        return None
    if width is None:
        width = (x1 - x0) if (x0 is not None and x1 is not None) else np.asarray(0.8)
    if x is None:
        x = x0 + width / 2 if x0 is not None else x1 - width / 2
    if y0 is None:
        y0 = np.asarray(0.0) if y1 is None or height is None else y1 - height
    if height is None:
        height = (y1 - y0) if y1 is not None else np.asarray(np.nan)
    x, y0, height = np.broadcast_arrays(x, y0, height)
    return np.ascontiguousarray(x), np.ascontiguousarray(y0), np.ascontiguousarray(height)


def _name_of(child) -> str:
    name = child.name() if callable(getattr(child, "name", None)) else None
    if name is None and hasattr(child, "opts") and isinstance(child.opts, dict):
        name = child.opts.get("name")
    if not name:
        return ""
    # The legend's text, as the user reads it (the csv module quotes commas).
    return " ".join(_TAG.sub("", str(name)).replace("&nbsp;", " ").split())


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    result = []
    for name in names:
        count = seen.get(name, 0)
        seen[name] = count + 1
        result.append(name if count == 0 else f"{name}_{count + 1}")
    return result


def _format(value) -> str:
    if isinstance(value, str):
        return value
    value = float(value)
    if np.isnan(value):
        return "nan"
    if np.isinf(value):
        return "inf" if value > 0 else "-inf"
    return format(value, ".10g")


def csv_text(header: list[str], columns: list[np.ndarray]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    flat = [np.ravel(c) for c in columns]
    for row in itertools.zip_longest(*flat, fillvalue=""):
        writer.writerow(_format(v) for v in row)
    return buffer.getvalue()
