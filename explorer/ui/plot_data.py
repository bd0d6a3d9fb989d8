"""The data behind a plot, as CSV tables: curves, scatter points, bars and images.

``csv_tables(item)`` reads what a PlotItem (or every PlotItem in a GraphicsLayout) shows:
curves and points as ``<name>_x, <name>_y`` columns, bars as ``x, bottom, height, width``,
an image as a matrix. It says when pyqtgraph's own ``CSVExporter`` can write the file (a
single plot of curves only), which ``explorer.ui.export`` then uses.
"""

from __future__ import annotations

import csv
import io
import itertools

import numpy as np
import pyqtgraph as pg


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


def csv_tables(item) -> list[tuple[str, list[str], list[np.ndarray] | None]]:
    """``[(file suffix, header, columns)]`` for ``item``; columns None means "use CSVExporter".

    Always at least one table, so every export has a CSV with a header.
    """
    plots = plot_items_of(item)
    images: list[np.ndarray] = []
    header: list[str] = []
    columns: list[np.ndarray] = []
    only_curves = len(plots) == 1
    for plot_index, plot in enumerate(plots):
        label = _plot_label(plot, plot_index) if len(plots) > 1 else ""
        for index, child in enumerate(plot.items):
            if not child.isVisible():
                continue
            if isinstance(child, pg.ImageItem):
                only_curves = False
                matrix = image_matrix(child)
                if matrix is not None:
                    images.append(matrix)
                continue
            if isinstance(child, pg.BarGraphItem):
                only_curves = False
            named = _item_columns(child, index)
            if named is None:
                continue
            if not isinstance(child, pg.PlotDataItem | pg.ErrorBarItem):
                only_curves = False
            for column_name, values in named:
                header.append(f"{label}{column_name}")
                columns.append(values)
    header = _unique(header)
    tables: list[tuple[str, list[str], list[np.ndarray] | None]] = []
    if images:
        matrix = np.atleast_2d(images[0])
        image_header = ["row"] + [f"col{j}" for j in range(matrix.shape[1])]
        image_columns = [np.arange(matrix.shape[0])] + [
            matrix[:, j] for j in range(matrix.shape[1])
        ]
        tables.append(("", image_header, image_columns))
        if columns:
            tables.append(("-data", header, columns))
        return tables
    if only_curves and columns:
        return [("", header, None)]
    return [("", header or ["empty"], columns)]


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


def _item_columns(child, index: int) -> list[tuple[str, np.ndarray]] | None:
    """Named columns for one plotted item, or None for items that hold no data."""
    if isinstance(child, pg.BarGraphItem):
        return _bar_columns(child, index)
    if isinstance(child, pg.PlotDataItem | pg.PlotCurveItem | pg.ScatterPlotItem):
        if isinstance(child, pg.PlotDataItem):
            x, y = child.getOriginalDataset()
        else:
            x, y = child.getData()
        if x is None or y is None or len(x) == 0:
            return None
        name = _name_of(child) or f"{type(child).__name__.replace('Item', '').lower()}{index}"
        return [(f"{name}_x", np.asarray(x)), (f"{name}_y", np.asarray(y))]
    if isinstance(child, pg.ErrorBarItem):
        x, y = child.opts.get("x"), child.opts.get("y")
        if x is None or y is None:
            return None
        cols = [(f"errorbars{index}_x", np.asarray(x)), (f"errorbars{index}_y", np.asarray(y))]
        for side in ("top", "bottom", "left", "right", "height", "width"):
            if child.opts.get(side) is not None:
                value = np.broadcast_to(np.asarray(child.opts[side]), np.shape(x))
                cols.append((f"errorbars{index}_{side}", value))
        return cols
    return None


def _bar_columns(bars: pg.BarGraphItem, index: int) -> list[tuple[str, np.ndarray]] | None:
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
    x, y0, height, width = np.broadcast_arrays(x, y0, height, width)
    name = _name_of(bars) or f"bars{index}"
    if not name.startswith("bars"):
        name = f"bars_{name}"
    return [
        (f"{name}_x", x),
        (f"{name}_bottom", y0),
        (f"{name}_height", height),
        (f"{name}_width", width),
    ]


def _name_of(child) -> str:
    name = child.name() if callable(getattr(child, "name", None)) else None
    if name is None and hasattr(child, "opts") and isinstance(child.opts, dict):
        name = child.opts.get("name")
    if not name:
        return ""
    return "".join(c if c.isalnum() or c in "()|,." else "_" for c in str(name)).strip("_")


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
