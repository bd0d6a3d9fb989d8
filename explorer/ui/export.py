"""Write a tab's plots as PNG, SVG and CSV: atomically, verified, never overwriting unasked.

One function serves the File menu, "Export all tabs" and the command line:
``export_items(items, folder, prefix, options)``. Images and SVG come from pyqtgraph's own
exporters; CSV from pyqtgraph's ``CSVExporter`` when a plot holds only curves, otherwise from
the items' data (bars as x/bottom/height/width, images as a matrix), because ``CSVExporter``
skips ``BarGraphItem`` and ``ImageItem``. Every file is written to a temporary name beside
its target, checked (PNG opens at the expected size, SVG parses as XML, CSV has a header),
then renamed into place.
"""

from __future__ import annotations

import csv
import io
import itertools
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from pyqtgraph.exporters import CSVExporter, ImageExporter, SVGExporter
from PySide6.QtGui import QImage

from explorer.io.atomic import WriteLocationError, atomic_path, check_writable_folder

FORMATS = ("png", "svg", "csv")
MAX_PNG_WIDTH = 16384


class ExportError(Exception):
    """An export that could not be completed; the message says which file and why."""


@dataclass(frozen=True)
class ExportOptions:
    """What to write: ``formats`` out of png/svg/csv; PNG ``width`` in pixels or ``scale``."""

    formats: tuple[str, ...] = FORMATS
    width: int | None = None
    scale: float | None = None

    def __post_init__(self):
        unknown = [f for f in self.formats if f not in FORMATS]
        if unknown or not self.formats:
            raise ValueError(f"formats must be some of {', '.join(FORMATS)}; got {self.formats}")
        if self.width is not None and not 1 <= self.width <= MAX_PNG_WIDTH:
            raise ValueError(f"PNG width must be 1 to {MAX_PNG_WIDTH} pixels; got {self.width}")
        if self.scale is not None and not 0.1 <= self.scale <= 16:
            raise ValueError(f"PNG scale must be 0.1 to 16; got {self.scale}")


def shown_items(tab) -> dict[str, pg.GraphicsObject]:
    """``tab.export_items()`` without plots on pages the tab hides (another mode's page).

    A tab that was never shown still counts its plots as shown: only plots hidden explicitly
    inside the tab (e.g. the non-current page of a QStackedWidget) are left out.
    """
    items = tab.export_items()
    shown = {}
    for name, item in items.items():
        scene = item.scene() if hasattr(item, "scene") else None
        views = scene.views() if scene is not None else []
        if not views or any(view is tab or view.isVisibleTo(tab) for view in views):
            shown[name] = item
    return shown or dict(items)


# -- what would be written ----------------------------------------------------------------
def file_stem(prefix: str, name: str) -> str:
    """``distributions`` + ``kl-contributions`` -> ``distributions-kl-contributions``."""
    return f"{prefix}-{name}" if prefix else name


def planned_files(
    items: Mapping[str, pg.GraphicsObject], folder: str | Path, prefix: str, options: ExportOptions
) -> list[Path]:
    """The files ``export_items`` would write, in order."""
    folder = Path(folder)
    paths = []
    for name, item in items.items():
        stem = file_stem(prefix, name)
        for fmt in options.formats:
            if fmt == "csv":
                paths.extend(folder / f"{stem}{suffix}.csv" for suffix, _, _ in csv_tables(item))
            else:
                paths.append(folder / f"{stem}.{fmt}")
    return paths


def existing_files(paths: Iterable[Path]) -> list[Path]:
    return [p for p in paths if p.exists()]


# -- writing ------------------------------------------------------------------------------
def export_items(
    items: Mapping[str, pg.GraphicsObject],
    folder: str | Path,
    prefix: str,
    options: ExportOptions = ExportOptions(),
    overwrite: bool = False,
    create: bool = False,
) -> list[Path]:
    """Write every item as ``<prefix>-<name>.<ext>`` into ``folder``; return the paths.

    Raises
    ------
    WriteLocationError
        ``folder`` is missing (unless ``create``), not a folder, or not writable.
    FileExistsError
        Some targets exist and ``overwrite`` is False; nothing has been written.
    ExportError
        A file could not be rendered or failed its check; it is not left behind.
    """
    folder = check_writable_folder(folder, create=create)
    planned = planned_files(items, folder, prefix, options)
    clash = existing_files(planned)
    if clash and not overwrite:
        names = ", ".join(p.name for p in clash)
        raise FileExistsError(f"would overwrite {len(clash)} file(s) in {str(folder)!r}: {names}")
    written: list[Path] = []
    for name, item in items.items():
        stem = file_stem(prefix, name)
        for fmt in options.formats:
            if fmt == "png":
                written.append(export_png(item, folder / f"{stem}.png", options))
            elif fmt == "svg":
                written.append(export_svg(item, folder / f"{stem}.svg"))
            else:
                written.extend(export_csv(item, folder / f"{stem}.csv"))
    return written


def png_size(item: pg.GraphicsObject, options: ExportOptions) -> tuple[int, int]:
    """The pixel size ``export_png`` gives ``item`` under ``options``."""
    exporter = _image_exporter(item, options)
    return int(exporter.params["width"]), int(exporter.params["height"])


def _image_exporter(item, options: ExportOptions) -> ImageExporter:
    exporter = ImageExporter(item)
    width = int(exporter.params["width"])
    if options.width is not None:
        width = options.width
    elif options.scale is not None:
        width = max(1, round(width * options.scale))
    # Setting the width also sets the height (pyqtgraph keeps the aspect ratio).
    exporter.params["width"] = min(width, MAX_PNG_WIDTH)
    if int(exporter.params["height"]) < 1:
        exporter.params.param("height").setValue(1, blockSignal=exporter.heightChanged)
    return exporter


def export_png(item, path: Path, options: ExportOptions = ExportOptions()) -> Path:
    """Render ``item`` to a PNG at ``path`` (width or scale from ``options``)."""
    path = Path(path)
    exporter = _image_exporter(item, options)
    expected = (int(exporter.params["width"]), int(exporter.params["height"]))
    try:
        with atomic_path(path) as tmp:
            if not exporter.export(fileName=str(tmp)):
                raise ExportError(f"could not write image {str(path)!r}")
            image = QImage(str(tmp))
            if image.isNull() or (image.width(), image.height()) != expected:
                raise ExportError(f"image {str(path)!r} did not come out at {expected}")
    except OSError as exc:
        raise ExportError(f"could not write {str(path)!r}: {exc.strerror or exc}") from None
    return path


def export_svg(item, path: Path) -> Path:
    """Write ``item`` as SVG at ``path`` and check that it parses as XML."""
    path = Path(path)
    try:
        with atomic_path(path) as tmp:
            SVGExporter(item).export(fileName=str(tmp))
            try:
                ET.parse(tmp)
            except ET.ParseError as exc:
                raise ExportError(f"SVG for {str(path)!r} is not valid XML: {exc}") from None
    except OSError as exc:
        raise ExportError(f"could not write {str(path)!r}: {exc.strerror or exc}") from None
    return path


def export_csv(item, path: Path) -> list[Path]:
    """Write the data plotted in ``item`` as CSV; returns the file(s) written.

    A plot that shows an image writes the image as a matrix to ``path`` and any other data
    beside it as ``<stem>-data.csv``.
    """
    path = Path(path)
    written = []
    for suffix, header, columns in csv_tables(item):
        target = path.with_name(f"{path.stem}{suffix}.csv")
        try:
            with atomic_path(target) as tmp:
                plot = item if isinstance(item, pg.PlotItem) else None
                if columns is None and plot is not None:
                    CSVExporter(plot).export(fileName=str(tmp))
                else:
                    tmp.write_text(_csv_text(header, columns), encoding="utf-8")
                with open(tmp, encoding="utf-8") as handle:
                    first = handle.readline().strip()
                if not first:
                    raise ExportError(f"CSV {str(target)!r} came out without a header")
        except OSError as exc:
            raise ExportError(f"could not write {str(target)!r}: {exc.strerror or exc}") from None
        written.append(target)
    return written


# -- the data behind a plot ---------------------------------------------------------------
def plot_items_of(item) -> list[pg.PlotItem]:
    """The PlotItems inside ``item`` (itself, or those laid out in a GraphicsLayout)."""
    if isinstance(item, pg.PlotItem):
        return [item]
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
                if child.image is not None:
                    images.append(np.asarray(child.image))
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
        matrix = images[0]
        if matrix.ndim == 3:  # RGB(A) images: keep the first channel's values
            matrix = matrix[..., 0]
        matrix = np.atleast_2d(matrix)
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


def _csv_text(header: list[str], columns: list[np.ndarray]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    flat = [np.ravel(c) for c in columns]
    for row in itertools.zip_longest(*flat, fillvalue=""):
        writer.writerow(_format(v) for v in row)
    return buffer.getvalue()


__all__ = [
    "FORMATS",
    "ExportError",
    "ExportOptions",
    "WriteLocationError",
    "csv_tables",
    "export_csv",
    "export_items",
    "export_png",
    "export_svg",
    "existing_files",
    "planned_files",
    "shown_items",
    "png_size",
]
