"""Write a tab's plots as PNG, SVG and CSV: atomically, verified, never overwriting unasked.

One function serves the File menu, "Export all tabs" and the command line:
``export_items(items, folder, prefix, options)``. Images and SVG come from pyqtgraph's own
exporters; CSV from the items' data (``explorer.ui.export.plot_data``: columns named after the
items, bars, labelled image matrices), because pyqtgraph's ``CSVExporter`` skips
``BarGraphItem`` and ``ImageItem`` and names columns ``x0000``. Every file is written to a
temporary name beside its target, checked (PNG opens at the expected size, SVG parses as
XML, CSV has a header), then renamed into place.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import pyqtgraph as pg
from pyqtgraph.exporters import Exporter, ImageExporter, SVGExporter
from pyqtgraph.parametertree import Parameter
from PySide6.QtGui import QImage

from explorer.io.atomic import WriteLocationError, atomic_path, check_writable_folder
from explorer.ui.export.documents import is_document, tab_documents
from explorer.ui.export.plot_data import csv_tables, csv_text, has_plotted_data
from explorer.ui.export.png_render import SharpImageExporter

FORMATS = ("png", "svg", "csv")
MAX_PNG_WIDTH = 16384


class ExportError(Exception):
    """An export that could not be completed; the message says which file and why."""


@dataclass(frozen=True)
class ExportOptions:
    """What to write: ``formats`` out of png/svg/csv; PNG ``width`` in pixels or ``scale``.

    For several plots of one tab, ``width`` is the widest plot's width; the others are written
    at the same scale (see ``tab_png_options``).
    """

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
    return {**(shown or dict(items)), **tab_documents(tab)}


def with_data(items: Mapping[str, pg.GraphicsObject]) -> tuple[dict, list[str]]:
    """``(items that show data, names of those that do not)``: empty plots are not exported."""
    kept, skipped = {}, []
    for name, item in items.items():
        if item.has_data() if is_document(item) else has_plotted_data(item):
            kept[name] = item
        else:
            skipped.append(name)
    return kept, skipped


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
        if is_document(item):
            paths.extend(folder / file for file in item.files(stem, options.formats))
            continue
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
    return [
        path
        for paths in iter_export(items, folder, prefix, options, overwrite, create)
        for path in paths
    ]


def iter_export(
    items: Mapping[str, pg.GraphicsObject],
    folder: str | Path,
    prefix: str,
    options: ExportOptions = ExportOptions(),
    overwrite: bool = False,
    create: bool = False,
) -> Iterator[list[Path]]:
    """``export_items`` one file at a time: yields the path(s) of each file as it is written.

    A caller can show progress, let the GUI paint, or stop between files. The folder and
    overwrite checks run before the first file (at the first ``next()``), as in
    ``export_items``.
    """
    folder = check_writable_folder(folder, create=create)
    planned = planned_files(items, folder, prefix, options)
    clash = existing_files(planned)
    if clash and not overwrite:
        names = ", ".join(p.name for p in clash)
        raise FileExistsError(f"would overwrite {len(clash)} file(s) in {str(folder)!r}: {names}")
    png_options = tab_png_options(items, options)
    for name, item in items.items():
        stem = file_stem(prefix, name)
        if is_document(item):
            for file in item.files(stem, options.formats):
                yield [write_document(item, folder / file)]
            continue
        for fmt in options.formats:
            if fmt == "png":
                yield [export_png(item, folder / f"{stem}.png", png_options[name])]
            elif fmt == "svg":
                yield [export_svg(item, folder / f"{stem}.svg")]
            else:
                yield export_csv(item, folder / f"{stem}.csv")


def export_steps(items: Mapping[str, pg.GraphicsObject], options: ExportOptions) -> int:
    """How many times ``iter_export`` yields for ``items`` (one step per file or CSV group)."""
    return sum(
        len(item.files("", options.formats)) if is_document(item) else len(options.formats)
        for item in items.values()
    )


def write_document(document, path: Path) -> Path:
    """Write a table or text document atomically; a failure names the file."""
    try:
        document.write(path)
    except OSError as exc:
        raise ExportError(f"could not write {str(path)!r}: {exc.strerror or exc}") from None
    return path


def tab_png_options(
    items: Mapping[str, pg.GraphicsObject], options: ExportOptions
) -> dict[str, ExportOptions]:
    """Per-plot options: a fixed ``width`` goes to the widest plot, the others get its scale.

    One scale per tab keeps the plots' relative sizes and gives them all the same text size.
    """
    if options.width is None:
        return {name: options for name in items}
    screen = {
        name: int(SharpImageExporter(item).params["width"])
        for name, item in items.items()
        if not is_document(item)
    }
    widest = max(screen.values(), default=0)
    if widest < 1:
        return {name: options for name in items}
    return {
        name: replace(options, width=max(1, round(options.width * screen[name] / widest)))
        if name in screen
        else options
        for name in items
    }


def png_size(item: pg.GraphicsObject, options: ExportOptions) -> tuple[int, int]:
    """The pixel size ``export_png`` gives ``item`` under ``options``."""
    exporter = _image_exporter(item, options)
    return int(exporter.params["width"]), int(exporter.params["height"])


def _image_exporter(item, options: ExportOptions) -> ImageExporter:
    exporter = SharpImageExporter(item)
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
                tmp.write_text(csv_text(header, columns), encoding="utf-8")
                with open(tmp, encoding="utf-8") as handle:
                    first = handle.readline().strip()
                if not first:
                    raise ExportError(f"CSV {str(target)!r} came out without a header")
        except OSError as exc:
            raise ExportError(f"could not write {str(target)!r}: {exc.strerror or exc}") from None
        written.append(target)
    return written


class PlotDataCSVExporter(Exporter):
    """pyqtgraph's right-click Export... gains the CSV this module writes (bars and images too).

    pyqtgraph's own ``CSVExporter`` stays in the list; this one also covers the bar charts,
    heatmaps and layouts it skips.
    """

    Name = "CSV of all plotted data (curves, bars, images)"

    def __init__(self, item):
        super().__init__(item)
        self.params = Parameter.create(name="params", type="group", children=[])

    def parameters(self):
        return self.params

    def export(self, fileName=None, toBytes=False, copy=False):  # noqa: N803 (pyqtgraph API)
        if fileName is None:
            self.fileSaveDialog(filter=["*.csv"])
            return None
        export_csv(self._plot_source(), Path(fileName))
        return None

    def _plot_source(self):
        item = self.item
        if isinstance(item, pg.ViewBox) and isinstance(item.parentItem(), pg.PlotItem):
            return item.parentItem()
        if isinstance(item, pg.GraphicsScene):
            plots = [i for i in item.items() if isinstance(i, pg.PlotItem)]
            return plots[0] if len(plots) == 1 else plots
        return item


if PlotDataCSVExporter not in Exporter.Exporters:
    PlotDataCSVExporter.register()


__all__ = [
    "FORMATS",
    "ExportError",
    "ExportOptions",
    "WriteLocationError",
    "csv_tables",
    "export_csv",
    "export_items",
    "export_steps",
    "iter_export",
    "export_png",
    "export_svg",
    "existing_files",
    "planned_files",
    "shown_items",
    "with_data",
    "png_size",
    "tab_png_options",
]
