"""A small tensor shown and edited in a QTableView, optionally coloured as a heat map.

One model (:class:`TensorTableModel`) serves the editable input/target tables and the
read-only output/gradient heat tables. A 1-D tensor (class indices, per-sample losses) is one
column. A cell whose text is not a finite number keeps that text, turns red and is reported
by :meth:`TensorTableModel.bad_cells`, while :meth:`values` keeps the last good numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QGuiApplication, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QTableView,
)

from explorer.lossbench.tensors import cell_name, cell_text, format_number, parse_cell
from explorer.ui.colors import Palette
from explorer.ui.theme import theme
from explorer.ui.widgets.zoom import follow_font

_ROLES = frozenset(
    {
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.EditRole,
        Qt.ItemDataRole.BackgroundRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.TextAlignmentRole,
    }
)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
CELL_LEFT, CELL_RIGHT = 3, 5  # pixels between a cell's edges and its text
# Qt asks for flags and header data per cell and section on every paint; PySide converts
# each enum argument and result through Python's enum machinery, so answer from constants.
_READ_ONLY = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_EDITABLE = _READ_ONLY | Qt.ItemFlag.ItemIsEditable
# headerData's role arrives as a plain int (C++ declares it int): compare with ==, not is.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_HORIZONTAL = Qt.Orientation.Horizontal


HEAT_LEVELS = 64
#: Column width before a fit, narrowest column and lowest row at 100 %, in pixels.
COLUMN_WIDTH, MIN_COLUMN_WIDTH, MIN_ROW_HEIGHT = 58, 24, 12

_HEAT: dict[Palette, list[QColor]] = {}


def _heat_palette(palette: Palette) -> list[QColor]:
    """2 * HEAT_LEVELS + 1 colours from deep blue through the background to deep red."""
    if palette not in _HEAT:
        t = np.linspace(-1, 1, 2 * HEAT_LEVELS + 1)
        positive = np.array(palette.heat_positive, dtype=float)
        negative = np.array(palette.heat_negative, dtype=float)
        middle = np.array(palette.background, dtype=float)
        ends = np.where((t >= 0)[:, None], positive, negative)
        rgb = middle + (ends - middle) * (np.abs(t)[:, None] * 0.62)
        _HEAT[palette] = [QColor(*(int(c) for c in row)) for row in rgb]
    return _HEAT[palette]


def heat_colors(values: np.ndarray) -> list[list[QColor]]:
    """The background at 0, deepening to red (positive) or blue (negative) with
    |value| / max|value| over the finite values; grey for inf and nan (they have no place
    on the scale). Colours of the current theme."""
    palette = theme().palette
    heat = _heat_palette(palette)
    non_finite = QColor(*palette.neutral)
    grid = np.atleast_2d(values.reshape(values.shape[0], -1) if values.ndim else values)
    grid = np.asarray(grid, dtype=np.float64)
    finite = np.isfinite(grid)
    scale = float(np.max(np.abs(grid[finite]))) if finite.any() else 0.0
    with np.errstate(over="ignore", invalid="ignore"):
        t = np.zeros_like(grid) if scale == 0 else np.where(finite, grid, 0.0) / scale
    levels = np.clip(np.rint(t * HEAT_LEVELS), -HEAT_LEVELS, HEAT_LEVELS).astype(int) + HEAT_LEVELS
    if finite.all():
        return [[heat[i] for i in row] for row in levels.tolist()]
    return [
        [heat[i] if ok else non_finite for i, ok in zip(row, oks, strict=True)]
        for row, oks in zip(levels.tolist(), finite.tolist(), strict=True)
    ]


class TensorTableModel(QAbstractTableModel):
    """An (N, C) or (N,) numpy tensor as a table model.

    Parameters
    ----------
    name
        The tensor's name in messages and tooltips ("input", "target", ...).
    editable
        Whether cells can be edited.
    """

    sigCellEdited = Signal(int, int)

    def __init__(self, name: str, editable: bool = False, parent=None):
        super().__init__(parent)
        self.name = name
        self.editable = editable
        self.integer = False
        self.heat = False
        self._values = np.zeros((0, 0), dtype=np.float64)
        self._bad: dict[tuple[int, int], tuple[str, str]] = {}
        self._colors: list[list[QColor]] | None = None
        self._text: list[list[str]] = []
        self.column_header = ""
        self._refresh_colors()
        theme().sigChanged.connect(self._on_theme_changed)

    def _on_theme_changed(self) -> None:
        if self.heat or self._bad:
            self._refresh_colors()
            if self.rowCount() and self.columnCount():
                last = self.index(self.rowCount() - 1, self.columnCount() - 1)
                self.dataChanged.emit(self.index(0, 0), last)

    # -- the tensor -------------------------------------------------------------------------
    def set_values(self, values: np.ndarray, integer: bool | None = None) -> None:
        """Show ``values`` (1-D or 2-D); clears bad cells. ``integer``: class indices."""
        values = np.asarray(values)
        if integer is not None:
            self.integer = integer
        old_shape = self._grid_shape(self._values)
        self._values = values.copy()
        self._bad.clear()
        self._refresh_cache()
        if self._grid_shape(values) != old_shape:
            self.beginResetModel()
            self.endResetModel()
        elif self.rowCount() and self.columnCount():
            last = self.index(self.rowCount() - 1, self.columnCount() - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    def values(self) -> np.ndarray:
        """The last good numbers (a copy)."""
        return self._values.copy()

    def bad_cells(self) -> list[str]:
        """Messages naming each cell whose text is not an accepted number, in order."""
        return [message for _, (_, message) in sorted(self._bad.items())]

    def set_heat(self, heat: bool) -> None:
        self.heat = heat
        self._refresh_cache()

    @staticmethod
    def _grid_shape(values: np.ndarray) -> tuple[int, int]:
        if values.ndim == 0:
            return (1, 1)
        if values.ndim == 1:
            return (values.shape[0], 1)
        return values.shape[:2]

    def _element(self, row: int, column: int) -> tuple[int, ...]:
        return (row,) if self._values.ndim == 1 else (row, column)

    def _refresh_cache(self) -> None:
        grid = self._values.reshape(self._grid_shape(self._values))
        if self.integer or grid.dtype.kind in "iu":
            self._text = [[str(int(v)) for v in row] for row in grid.tolist()]
        else:
            magnitude = np.abs(grid)
            plain = (magnitude == 0) | ((magnitude >= 1e-4) & (magnitude < 1e5))
            # The common 4-decimal case inline; cell_text only where a number needs it.
            if plain.all():
                self._text = [[f"{v:.4f}" for v in row] for row in grid.tolist()]
            else:
                self._text = [
                    [f"{v:.4f}" if ok else cell_text(v) for v, ok in zip(row, oks, strict=True)]
                    for row, oks in zip(grid.tolist(), plain.tolist(), strict=True)
                ]
        self._refresh_colors()

    def _refresh_colors(self) -> None:
        grid = self._values.reshape(self._grid_shape(self._values))
        self._colors = heat_colors(grid.astype(float)) if self.heat and grid.size else None
        self._bad_color = QColor(*theme().palette.bad_background)

    # -- QAbstractTableModel ------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008, N802 (Qt override)
        return 0 if parent.isValid() else self._grid_shape(self._values)[0]

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008, N802 (Qt override)
        return 0 if parent.isValid() else self._grid_shape(self._values)[1]

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role not in _ROLES or not index.isValid():
            return None
        row, column = index.row(), index.column()
        bad = self._bad.get((row, column))
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if bad is not None:
                return bad[0]
            if role == Qt.ItemDataRole.EditRole:
                return self._full_text(row, column)
            return self._text[row][column]
        if role == Qt.ItemDataRole.BackgroundRole:
            return self.background(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if bad is not None:
                return bad[1]
            where = cell_name(self.name, self._element(row, column))
            hint = "\nDouble-click or type to edit." if self.editable else ""
            return f"{where} = {self._full_text(row, column)}{hint}"
        return _RIGHT  # TextAlignmentRole

    def longest_texts(self) -> list[str]:
        """Per column, the longest text its cells show (what its width must hold)."""
        columns = self.columnCount()
        longest = [""] * columns
        for row in self._text:
            for column, text in enumerate(row):
                if len(text) > len(longest[column]):
                    longest[column] = text
        for (_, column), (text, _) in self._bad.items():
            if len(text) > len(longest[column]):
                longest[column] = text
        return longest

    def text(self, row: int, column: int) -> str:
        """The text a cell shows (a bad cell's own text)."""
        bad = self._bad.get((row, column))
        return bad[0] if bad is not None else self._text[row][column]

    def background(self, row: int, column: int) -> QColor | None:
        """Red for a bad cell, the heat colour, or None (the view's own background)."""
        if (row, column) in self._bad:
            return self._bad_color
        return self._colors[row][column] if self._colors is not None else None

    def _full_text(self, row: int, column: int) -> str:
        value = self._values.reshape(self._grid_shape(self._values))[row, column]
        if self.integer or self._values.dtype.kind in "iu":
            return str(int(value))
        return format_number(value)

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid() or role != Qt.ItemDataRole.EditRole or not self.editable:
            return False
        self._store(index.row(), index.column(), str(value))
        self.dataChanged.emit(index, index)
        self.sigCellEdited.emit(index.row(), index.column())
        return True

    def set_texts(self, row: int, column: int, rows: list[list[str]]) -> int:
        """Type a block of texts (a paste) with its top-left at (row, column); one signal.

        Texts falling outside the table are dropped; returns how many cells were set.
        """
        count = 0
        for r, texts in enumerate(rows, start=row):
            for c, text in enumerate(texts, start=column):
                if r < self.rowCount() and c < self.columnCount():
                    self._store(r, c, text)
                    count += 1
        if count:
            last = self.index(min(row + len(rows), self.rowCount()) - 1, self.columnCount() - 1)
            self.dataChanged.emit(self.index(row, column), last)
            self.sigCellEdited.emit(row, column)
        return count

    def _store(self, row: int, column: int, text: str) -> None:
        """Parse and keep one cell's text; a bad text is kept and marked instead."""
        try:
            number = parse_cell(self.name, self._element(row, column), text, self.integer)
        except ValueError as error:
            self._bad[(row, column)] = (text, str(error))
            return
        self._bad.pop((row, column), None)
        self._values[self._element(row, column)] = number
        stored = self._values[self._element(row, column)]
        self._text[row][column] = str(int(stored)) if self.integer else cell_text(stored)

    def flags(self, index):
        return _EDITABLE if self.editable else _READ_ONLY

    def headerData(self, section, orientation, role=_DISPLAY):  # noqa: N802
        if role == _DISPLAY:
            if orientation == _HORIZONTAL and self.column_header:
                return self.column_header
            return str(section)
        if role == _TOOLTIP:
            if orientation == _HORIZONTAL:
                return self.column_header or f"class / column {section} (dim 1)"
            return f"sample / row {section} (dim 0)"
        return None


class CellDelegate(QStyledItemDelegate):
    """Paints a cell straight from the model's cached text and colour.

    The default delegate asks the model for eight roles per cell through Python and draws
    through the style; for 16 x 16 heat tables repainted on every change this is several
    times faster. Editing is the default delegate's.
    """

    def paint(self, painter, option, index) -> None:
        model = index.model()
        row, column = index.row(), index.column()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        background = model.background(row, column)
        if selected:
            painter.fillRect(option.rect, option.palette.highlight())
        elif background is not None:
            painter.fillRect(option.rect, background)
        painter.setPen(
            option.palette.color(
                QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
            )
        )
        painter.drawText(
            option.rect.adjusted(CELL_LEFT, 0, -CELL_RIGHT, 0), _RIGHT, model.text(row, column)
        )


@dataclass(frozen=True)
class PastedBlock:
    """What a paste did: a ``size`` (rows, columns) block put at ``start`` into a table of
    ``before`` (rows, columns) that is ``after`` now; ``cells`` were set."""

    name: str
    size: tuple[int, int]
    start: tuple[int, int]
    before: tuple[int, int]
    after: tuple[int, int]
    cells: int

    def left_out(self) -> str:
        """'rows 16–19 and column 16', the part of the block outside the table, or ''."""
        parts = []
        for what, first, end, limit in (
            ("row", self.start[0], self.start[0] + self.size[0], self.after[0]),
            ("column", self.start[1], self.start[1] + self.size[1], self.after[1]),
        ):
            if end > limit:
                first_out, last_out = max(first, limit), end - 1
                parts.append(
                    f"{what} {first_out}"
                    if first_out == last_out
                    else f"{what}s {first_out}–{last_out}"
                )
        return " and ".join(parts)


class TensorTable(QTableView):
    """A compact view of a :class:`TensorTableModel` with fixed-width numeric columns.

    ``grow``: None, or ``grow(rows, columns)``, called before a paste that needs a larger
    table; it may enlarge the model (within its owner's limits).
    """

    sigPasted = Signal(object)  # PastedBlock

    def __init__(self, model: TensorTableModel, object_name: str, tooltip: str, parent=None):
        super().__init__(parent)
        self.grow = None
        self.setObjectName(object_name)
        self.setModel(model)
        self.setToolTip(tooltip)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        # Each column as wide as its widest text: "-11.5075" keeps its sign, "-9.85e-05"
        # its first digit. Texts change with every edit: widths follow.
        model.modelReset.connect(self.fit_columns)
        model.dataChanged.connect(self.fit_columns)
        follow_font(self, -1, monospace=True, after=self._fit_sections)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ContiguousSelection)
        self._delegate = CellDelegate(self)
        self.setItemDelegate(self._delegate)
        if model.editable:
            self.setEditTriggers(
                QAbstractItemView.EditTrigger.DoubleClicked
                | QAbstractItemView.EditTrigger.EditKeyPressed
                | QAbstractItemView.EditTrigger.AnyKeyPressed
            )
        else:
            self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)

    def _fit_sections(self) -> None:
        current = theme()
        self.horizontalHeader().setMinimumSectionSize(current.px(MIN_COLUMN_WIDTH))
        self.horizontalHeader().setDefaultSectionSize(current.px(COLUMN_WIDTH))
        vertical = self.verticalHeader()
        vertical.setMinimumSectionSize(current.px(MIN_ROW_HEIGHT))
        # Rows as tall as the (zoomed) text needs: a 16-row tensor shows as many rows as it can.
        vertical.setDefaultSectionSize(QFontMetrics(self.font()).height() + 5)
        self.fit_columns()

    def table_model(self) -> TensorTableModel:
        return self.model()

    def fit_columns(self, *_args) -> None:
        """Size every column to its widest text (cells and header)."""
        model, header = self.model(), self.horizontalHeader()
        metrics = QFontMetrics(self.font())
        header_metrics = QFontMetrics(header.font())
        for column, text in enumerate(model.longest_texts()):
            title = str(model.headerData(column, Qt.Orientation.Horizontal, _DISPLAY))
            width = max(
                metrics.horizontalAdvance(text) + CELL_LEFT + CELL_RIGHT + 2,
                header_metrics.horizontalAdvance(title) + 12,
            )
            if header.sectionSize(column) != width:
                header.resizeSection(column, width)

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy_selection()
        elif event.matches(QKeySequence.StandardKey.Paste) and self.model().editable:
            self.paste()
        else:
            super().keyPressEvent(event)

    def copy_selection(self) -> str:
        """Copy the selected block as tab-separated text (full precision), as spreadsheets do."""
        indexes = self.selectedIndexes() or [self.currentIndex()]
        rows = sorted({i.row() for i in indexes if i.isValid()})
        columns = sorted({i.column() for i in indexes if i.isValid()})
        model = self.model()
        text = "\n".join(
            "\t".join(model.data(model.index(r, c), Qt.ItemDataRole.EditRole) for c in columns)
            for r in rows
        )
        QGuiApplication.clipboard().setText(text)
        return text

    def paste(self) -> int:
        """Paste a block (tabs, commas or spaces between cells) at the current cell.

        A block larger than the table first asks :attr:`grow` (when set) for the rows and
        columns it needs; what still falls outside is left out and named in the
        :class:`PastedBlock` that ``sigPasted`` carries. Returns how many cells were set.
        """
        start = self.currentIndex()
        row, column = (start.row(), start.column()) if start.isValid() else (0, 0)
        lines = QGuiApplication.clipboard().text().strip("\n").splitlines()
        rows = [line.replace(",", " ").replace("\t", " ").split() for line in lines]
        rows = [r for r in rows if r]
        if not rows:
            return 0
        model = self.model()
        height, width = row + len(rows), column + max(len(r) for r in rows)
        before = (model.rowCount(), model.columnCount())
        if self.grow is not None and (height > before[0] or width > before[1]):
            self.grow(height, width)
        block = PastedBlock(
            model.name,
            (len(rows), width - column),
            (row, column),
            before,
            (model.rowCount(), model.columnCount()),
            model.set_texts(row, column, rows),
        )
        self.sigPasted.emit(block)
        return block.cells

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(300, 110)
