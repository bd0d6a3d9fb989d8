"""Read a classification table from CSV: numeric feature columns plus one label column.

Labels may be non-negative integers (used as class indices) or any other text (class names,
mapped to indices in sorted order). Every problem raises
:class:`~explorer.data.dataset.DataError` naming the file, and for a bad cell its row, column
and text.

Well-formed files go through numpy's C parser (an MNIST-sized CSV loads in seconds); when it
refuses anything, a streamed row-by-row parser finds the first bad cell and names it (and reads
what numpy cannot, such as quoted numbers). Neither holds the file's text in memory at once,
and labels take memory in proportion to their text (one long label does not make every row's
label as long). Only a regular file is read, and never past ``max_bytes``
(:func:`explorer.io.bounded.open_bounded`).
"""

from __future__ import annotations

import csv
import math
import os
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from explorer.data.dataset import DataError, Dataset
from explorer.data.memory import check_memory_budget, working_set
from explorer.io.bounded import (
    FileRefusedError,
    check_regular,
    open_bounded,
    open_bounded_text,
)

MAX_CSV_BYTES = 512 << 20
MAX_CSV_CLASSES = 1000


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _integer_labels(cells: list[str]) -> list[int] | None:
    """Labels as non-negative ints when every cell is one (``"3"`` or ``"3.0"``), else None."""
    values = []
    for cell in cells:
        try:
            value = float(cell)
        except ValueError:
            return None
        if not (math.isfinite(value) and value >= 0 and value == int(value)):
            return None
        values.append(int(value))
    return values


_FLOAT32_MAX = float(np.finfo(np.float32).max)


def load_csv(
    path: str | os.PathLike,
    label_column: int | str = -1,
    has_header: bool | None = None,
    delimiter: str = ",",
    name: str | None = None,
    feature_shape: tuple[int, ...] | None = None,
    max_bytes: int = MAX_CSV_BYTES,
    memory_budget: int | None = None,
) -> Dataset:
    """Load a CSV file of numeric features and a class label column.

    Parameters
    ----------
    path : path-like
        The file (UTF-8 text).
    label_column : int or str, default -1
        Index of the label column (negative counts from the end), or its header name.
    has_header : bool or None, default None
        Whether the first row holds column names; None decides automatically: the first
        row is a header when none of its feature cells is a number.
    delimiter : str, default ","
    name : str, optional
        Dataset name; defaults to the file's name.
    feature_shape : tuple of int, optional
        Layout of one row's features (e.g. ``(28, 28)``); defaults to ``(features,)``.
    max_bytes : int
        Refuse larger files before reading them.
    memory_budget : int, optional
        Bytes of memory the data may take once loaded, split, standardized and trained on
        (:func:`~explorer.data.memory.working_set`), estimated from the file's size and its
        first row before the rest is read. Defaults to
        :func:`~explorer.data.memory.default_memory_budget` (a quarter of the RAM).

    Returns
    -------
    Dataset

    Raises
    ------
    DataError
        For a missing file or one that is not a regular file or is larger than
        ``max_bytes`` or the memory budget, an empty file, a missing label column, ragged
        rows, a cell that is not a finite number (naming row, column and the text), or too
        many distinct labels. No other exception escapes.
    """
    path = Path(path)
    try:
        size = check_regular(path, max_bytes)
        layout = _layout(path, label_column, has_header, delimiter, max_bytes)
        # A row takes at least two bytes a cell (the cell and a delimiter or line end).
        rows = size // (2 * layout.width) + 1
        check_memory_budget(
            f"{path}: {size:,} bytes of CSV in {layout.width} columns (up to {rows:,} rows)",
            working_set(rows, layout.width - 1),
            memory_budget,
        )
        parsed = _read_fast(path, layout, delimiter, max_bytes)
        if parsed is None:  # numpy refused something: find and name it, row by row
            parsed = _read_precise(path, layout, delimiter, max_bytes)
    except FileRefusedError as error:
        raise DataError(f"{path}: cannot open the file: {error.reason}") from None
    features, labels = parsed
    y, class_names = _encode_labels(path, labels)
    return Dataset(
        x=features,
        y=y,
        num_classes=max(len(class_names), 2),
        name=name or path.name,
        feature_shape=feature_shape,
        class_names=class_names + ["(unused)"] * (2 - len(class_names)),
    )


@dataclass(frozen=True)
class _Layout:
    width: int
    label_index: int
    columns: list[str]  # header names, or "column N"
    first_line: int  # file line of the first row
    skip_rows: int  # non-blank rows before the data (0 or 1)


def _rows(path: Path, delimiter: str, max_bytes: int) -> Iterator[tuple[int, list[str]]]:
    """(file line number, stripped cells) of every non-blank row, streamed."""
    try:
        with open_bounded_text(path, max_bytes, encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle, delimiter=delimiter)
            for row in reader:
                if row and any(cell.strip() for cell in row):
                    yield reader.line_num, [cell.strip() for cell in row]
    except UnicodeDecodeError as error:
        raise DataError(f"{path}: not a UTF-8 text file ({error.reason})") from error
    except csv.Error as error:
        raise DataError(f"{path}: not a readable CSV file ({error})") from error


def _layout(
    path: Path, label_column: int | str, has_header: bool | None, delimiter: str, max_bytes: int
) -> _Layout:
    """Read the first row to find the width, the label column and whether it is a header."""
    rows = _rows(path, delimiter, max_bytes)
    first_line, first = next(rows, (0, []))
    second = next(rows, None)
    rows.close()
    if not first:
        raise DataError(f"{path}: the file is empty")
    width = len(first)
    if width < 2:
        raise DataError(
            f"{path}: row {first_line} has {width} column; need at least one feature and a "
            f"label (is the delimiter {delimiter!r} right?)"
        )
    if isinstance(label_column, str):
        if label_column not in first:
            raise DataError(f"{path}: no column named {label_column!r} in the header")
        label_index, header = first.index(label_column), True
    else:
        if not -width <= label_column < width:
            raise DataError(
                f"{path}: label column {label_column} does not exist (the file has {width} columns)"
            )
        label_index = label_column % width
        features_first = [c for i, c in enumerate(first) if i != label_index]
        header = bool(has_header) or (
            has_header is None and not any(map(_is_number, features_first))
        )
    if header and second is None:
        raise DataError(f"{path}: the file has a header but no data rows")
    columns = first if header else [f"column {i + 1}" for i in range(width)]
    return _Layout(width, label_index, columns, first_line, int(header))


def _read_fast(
    path: Path, layout: _Layout, delimiter: str, max_bytes: int
) -> tuple[np.ndarray, list[str]] | None:
    """numpy's C parser for well-formed files; None when it refuses anything."""
    if len(delimiter.encode("utf-8")) != 1:
        return None
    feature_columns = [i for i in range(layout.width) if i != layout.label_index]
    options = {
        "delimiter": delimiter,
        "skiprows": layout.skip_rows,
        "comments": None,
        "ndmin": 2,
    }

    def column(dtype, usecols: list[int]) -> np.ndarray:
        with (
            warnings.catch_warnings(),
            open_bounded_text(path, max_bytes, encoding="utf-8-sig", newline="") as handle,
        ):
            warnings.simplefilter("ignore")
            return np.loadtxt(handle, dtype=dtype, usecols=usecols, **options)

    try:
        features = column(np.float32, feature_columns)
        try:  # class indices are the common labels: one float per row, no text kept
            labels = column(np.float64, [layout.label_index])
        except ValueError:
            labels = None
        if labels is None or not _whole(labels):
            # One str object per row: memory follows each label's length, where dtype=str
            # would give every row the longest label's width.
            labels = column(object, [layout.label_index])
    except (ValueError, IndexError, UnicodeDecodeError):
        return None
    if not np.all(np.isfinite(features)) or len(features) != len(labels):
        return None
    # usecols ignores extra cells; rows with too few fail above, so a count settles it.
    expected = (len(features) + layout.skip_rows) * (layout.width - 1)
    if _count(path, delimiter, max_bytes) != expected:
        return None
    if labels.dtype == object:
        cells = [cell.strip() for cell in labels[:, 0].tolist()]
        if not all(cells):
            return None
        return features, cells
    return features, labels[:, 0]


def _whole(values: np.ndarray) -> bool:
    """Every value a non-negative whole number (a class index)."""
    return bool(np.all(np.isfinite(values) & (values >= 0) & (values == np.floor(values))))


def _count(path: Path, delimiter: str, max_bytes: int) -> int:
    """How many times the one-byte ``delimiter`` occurs in the file (read in 1 MiB chunks)."""
    token = delimiter.encode("utf-8")
    total = 0
    with open_bounded(path, max_bytes) as handle:
        while chunk := handle.read(1 << 20):
            total += chunk.count(token)
    return total


def _read_precise(
    path: Path, layout: _Layout, delimiter: str, max_bytes: int
) -> tuple[np.ndarray, list[str]]:
    """Parse row by row (streamed into float32 blocks) and name the first bad cell."""
    width, label_index, columns = layout.width, layout.label_index, layout.columns
    blocks: list[np.ndarray] = []
    block = np.empty((4096, width - 1), dtype=np.float32)
    filled = 0
    labels: list[str] = []
    rows = _rows(path, delimiter, max_bytes)
    for _ in range(layout.skip_rows):
        next(rows)
    for line, row in rows:
        if len(row) != width:
            raise DataError(
                f"{path}: row {line} has {len(row)} columns but row {layout.first_line} has {width}"
            )
        values = []
        for i, cell in enumerate(row):
            if i == label_index:
                continue
            try:
                value = float(cell)
            except ValueError:
                problem = "is empty" if not cell else f"is not a number: {cell!r}"
                raise DataError(
                    f"{path}: row {line}, column {i + 1} ({columns[i]!r}) {problem}"
                ) from None
            if not math.isfinite(value):
                raise DataError(
                    f"{path}: row {line}, column {i + 1} ({columns[i]!r}) is not a finite "
                    f"number: {cell!r}"
                )
            if abs(value) > _FLOAT32_MAX:
                raise DataError(
                    f"{path}: row {line}, column {i + 1} ({columns[i]!r}) is too large for "
                    f"float32 (at most {_FLOAT32_MAX:.4g}): {cell!r}"
                )
            values.append(value)
        if not row[label_index]:
            raise DataError(f"{path}: row {line}, label column {label_index + 1} is empty")
        labels.append(row[label_index])
        block[filled] = values
        filled += 1
        if filled == len(block):
            blocks.append(block)
            block = np.empty_like(block)
            filled = 0
    blocks.append(block[:filled])
    return np.concatenate(blocks), labels


def _encode_labels(path: Path, labels: list[str] | np.ndarray) -> tuple[np.ndarray, list[str]]:
    """Class indices and names: integer labels are used as-is, text is mapped in sorted order.

    ``labels`` is the label cells' text, or (from the fast path) their values when every
    one is a whole number.
    """
    if isinstance(labels, np.ndarray):
        integers, largest = labels, int(labels.max())
    else:
        integers = _integer_labels(labels)
        largest = max(integers) if integers is not None else 0
    if integers is not None:
        if largest >= MAX_CSV_CLASSES:
            raise DataError(
                f"{path}: label {largest} implies more than {MAX_CSV_CLASSES} "
                "classes; is the label column right?"
            )
        return np.asarray(integers, dtype=np.int64), [str(i) for i in range(largest + 1)]
    names = sorted(set(labels))
    if len(names) > MAX_CSV_CLASSES:
        raise DataError(
            f"{path}: the label column has {len(names):,} distinct values, more "
            f"than {MAX_CSV_CLASSES}; is the label column right?"
        )
    index = {n: i for i, n in enumerate(names)}
    return np.asarray([index[v] for v in labels], dtype=np.int64), names
