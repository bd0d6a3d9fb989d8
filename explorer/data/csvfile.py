"""Read a classification table from CSV: numeric feature columns plus one label column.

Labels may be non-negative integers (used as class indices) or any other text (class names,
mapped to indices in sorted order). Every problem raises
:class:`~explorer.data.dataset.DataError` naming the file, and for a bad cell its row, column
and text.
"""

from __future__ import annotations

import csv
import math
import os
from pathlib import Path

import numpy as np

from explorer.data.dataset import DataError, Dataset

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


def load_csv(
    path: str | os.PathLike,
    label_column: int | str = -1,
    has_header: bool | None = None,
    delimiter: str = ",",
    name: str | None = None,
    feature_shape: tuple[int, ...] | None = None,
    max_bytes: int = MAX_CSV_BYTES,
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

    Returns
    -------
    Dataset

    Raises
    ------
    DataError
        For an empty file, a missing label column, ragged rows, a cell that is not a finite
        number (naming row, column and the text), or too many distinct labels.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as error:
        raise DataError(f"{path}: cannot open the file ({error.strerror or error})") from error
    if size > max_bytes:
        raise DataError(f"{path}: file is {size:,} bytes, more than the limit of {max_bytes:,}")
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            rows = [
                (reader_line, [cell.strip() for cell in row])
                for reader_line, row in _numbered_rows(csv.reader(handle, delimiter=delimiter))
            ]
    except UnicodeDecodeError as error:
        raise DataError(f"{path}: not a UTF-8 text file ({error.reason})") from error
    except csv.Error as error:
        raise DataError(f"{path}: not a readable CSV file ({error})") from error
    if not rows:
        raise DataError(f"{path}: the file is empty")
    width = len(rows[0][1])
    if width < 2:
        raise DataError(
            f"{path}: row 1 has {width} column; need at least one feature and a label "
            f"(is the delimiter {delimiter!r} right?)"
        )
    header: list[str] | None = None
    first_line, first = rows[0]
    if isinstance(label_column, str):
        header = first
        if label_column not in header:
            raise DataError(f"{path}: no column named {label_column!r} in the header")
        label_index = header.index(label_column)
    else:
        if not -width <= label_column < width:
            raise DataError(
                f"{path}: label column {label_column} does not exist (the file has {width} columns)"
            )
        label_index = label_column % width
        features_first = [c for i, c in enumerate(first) if i != label_index]
        if has_header or (has_header is None and not any(map(_is_number, features_first))):
            header = first
    data_rows = rows[1:] if header is not None else rows
    if not data_rows:
        raise DataError(f"{path}: the file has a header but no data rows")
    columns = header or [f"column {i + 1}" for i in range(width)]
    features = np.empty((len(data_rows), width - 1), dtype=np.float32)
    labels: list[str] = []
    for r, (line, row) in enumerate(data_rows):
        if len(row) != width:
            raise DataError(
                f"{path}: row {line} has {len(row)} columns but row {first_line} has {width}"
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
            values.append(value)
        features[r] = values
        label = row[label_index]
        if not label:
            raise DataError(f"{path}: row {line}, label column {label_index + 1} is empty")
        labels.append(label)
    y, class_names = _encode_labels(path, labels)
    return Dataset(
        x=features,
        y=y,
        num_classes=max(len(class_names), 2),
        name=name or path.name,
        feature_shape=feature_shape,
        class_names=class_names + ["(unused)"] * (2 - len(class_names)),
    )


def _numbered_rows(reader):
    """Yield (file line number, row) for non-blank rows."""
    for row in reader:
        if row and any(cell.strip() for cell in row):
            yield reader.line_num, row


def _encode_labels(path: Path, labels: list[str]) -> tuple[np.ndarray, list[str]]:
    """Class indices and names: integer labels are used as-is, text is mapped in sorted order."""
    integers = _integer_labels(labels)
    if integers is not None:
        count = max(integers) + 1
        if count > MAX_CSV_CLASSES:
            raise DataError(
                f"{path}: label {count - 1} implies more than {MAX_CSV_CLASSES} "
                "classes; is the label column right?"
            )
        return np.asarray(integers, dtype=np.int64), [str(i) for i in range(count)]
    names = sorted(set(labels))
    if len(names) > MAX_CSV_CLASSES:
        raise DataError(
            f"{path}: the label column has {len(names):,} distinct values, more "
            f"than {MAX_CSV_CLASSES}; is the label column right?"
        )
    index = {n: i for i, n in enumerate(names)}
    return np.asarray([index[v] for v in labels], dtype=np.int64), names
