"""Dataset controls: the kind of data and its parameters, files for IDX and CSV, the split."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSignalBlocker, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QWidget,
)

from explorer.data import (
    SYNTHETIC_DATASETS,
    Dataset,
    load_csv,
    load_digits,
    load_idx,
    make_synthetic,
)
from explorer.ui.settings import last_folder, make_settings, remember_folder
from explorer.ui.widgets.spin_box import DoubleSpinBox, SpinBox

FILE_KINDS = {
    "digits": ("Digits 8×8 (1,797 images)", "The UCI handwritten digits shipped with the app"),
    "idx": ("MNIST IDX files…", "An images file and a labels file in MNIST's IDX format (.gz ok)"),
    "csv": ("CSV file…", "Numeric feature columns and one label column"),
}
# A file field's dialog: the kind of file (its folder is remembered per kind), title, filter.
FILE_DIALOGS = {
    "csvPath": ("csv", "Open a CSV file", "CSV files (*.csv *.txt);;All files (*)"),
    "idxImages": ("idx", "Open an IDX images file", "IDX images (*idx3*);;All files (*)"),
    "idxLabels": ("idx", "Open the IDX labels file", "IDX labels (*idx1*);;All files (*)"),
}
PROMPTS = {
    "csv": "Choose a CSV file (Open… beside File).",
    "idx": "Choose an IDX images file and its labels file (Open… beside each).",
}
DEFAULT_KIND = "spiral"
# Megabytes a data file may take once loaded, split and trained on; unset: a quarter of RAM.
MEMORY_BUDGET_KEY = "data/memory_budget_mb"


def ask_open_file(parent: QWidget, title: str, start: str, filters: str) -> str:
    """The file the person picks in an Open dialog ('' if they cancel)."""
    path, _ = QFileDialog.getOpenFileName(parent, title, start, filters)
    return path


def labels_beside(images: Path) -> Path:
    """Where an IDX images file's labels probably are: MNIST's name for them
    (``train-images-idx3-ubyte`` -> ``train-labels-idx1-ubyte``) if that file is there, else
    the images' folder."""
    guess = images.with_name(images.name.replace("images", "labels").replace("idx3", "idx1"))
    return guess if guess != images and guess.is_file() else images.parent


def load_memory_budget() -> int | None:
    """The memory budget for data files from the app's settings, in bytes (None: the
    default, a quarter of the machine's RAM)."""
    try:
        megabytes = float(make_settings().value(MEMORY_BUDGET_KEY, 0))
    except (TypeError, ValueError):
        return None
    return int(megabytes * (1 << 20)) if 0 < megabytes < 1 << 40 else None


class DatasetPanel(QWidget):
    """Chooses the dataset (``source()`` says what to load); ``sigChanged`` fires when any
    choice changes.

    Choosing a kind of data kept in files (CSV, IDX) opens the file dialog at once when no
    file is chosen yet; each dialog opens where the last file of its kind was found (the
    labels' beside the images).
    """

    sigChanged = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        # ``ask_open_path(title, start, filters)``; replaced in tests (a dialog would block).
        self.ask_open_path: Callable[[str, str, str], str] = lambda title, start, filters: (
            ask_open_file(self, title, start, filters)
        )
        form = QFormLayout(self)
        form.setVerticalSpacing(3)
        form.setContentsMargins(0, 0, 0, 0)
        self.kind = QComboBox(objectName="datasetKind")
        self.kind.setToolTip("Which data to train on: a 2-D toy set, the digits, or your files")
        for name, spec in SYNTHETIC_DATASETS.items():
            self.kind.addItem(spec.title, name)
            self.kind.setItemData(self.kind.count() - 1, spec.description, 3)
        for name, (title, tip) in FILE_KINDS.items():
            self.kind.addItem(title, name)
            self.kind.setItemData(self.kind.count() - 1, tip, 3)
        form.addRow("Dataset", self.kind)

        self.pages = QStackedWidget()
        self.params: dict[str, dict[str, SpinBox | DoubleSpinBox]] = {}
        for name, spec in SYNTHETIC_DATASETS.items():
            self.pages.addWidget(self._synthetic_page(name, spec))
        self.pages.addWidget(QWidget())  # digits need no parameters
        self.pages.addWidget(self._idx_page())
        self.pages.addWidget(self._csv_page())
        form.addRow(self.pages)

        self.val_fraction = DoubleSpinBox("validation share", objectName="valFraction")
        self.val_fraction.setRange(0.05, 0.5)
        self.val_fraction.setSingleStep(0.05)
        self.val_fraction.setValue(0.2)
        self.val_fraction.setToolTip("Share of the samples held out for validation")
        self.standardize = QCheckBox("Standardize features", objectName="standardize")
        self.standardize.setToolTip(
            "Shift and scale every feature to mean 0, std 1 (fitted on the training part)"
        )
        form.addRow("Validation", self.val_fraction)
        form.addRow(self.standardize)

        self.kind.currentIndexChanged.connect(self._on_kind_current_index_changed)
        self.kind.activated.connect(self._on_kind_activated)  # the person's choice only
        self.val_fraction.valueChanged.connect(self.sigChanged)
        self.standardize.toggled.connect(self.sigChanged)
        self._on_kind_current_index_changed(self.kind.currentIndex())

    # -- pages ----------------------------------------------------------------------------
    def _synthetic_page(self, name: str, spec) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        form.setVerticalSpacing(3)
        form.setContentsMargins(0, 0, 0, 0)
        widgets = {}
        labels = {
            "n_samples": "Samples",
            "noise": "Noise",
            "num_classes": "Classes",
            "seed": "Data seed",
            "factor": "Inner radius",
        }
        for param in spec.params:
            what = labels.get(param.name, param.name.replace("_", " ")).lower()
            if param.kind is int:
                box = SpinBox(what)
                box.setRange(int(param.minimum), int(param.maximum))
                box.setValue(int(param.default))
            else:
                box = DoubleSpinBox(what)
                box.setDecimals(3)
                box.setSingleStep(0.01)
                box.setRange(float(param.minimum), float(param.maximum))
                box.setValue(float(param.default))
            box.setObjectName(f"{name}_{param.name}")
            box.setToolTip(param.help)
            box.setKeyboardTracking(False)
            box.valueChanged.connect(self.sigChanged)
            widgets[param.name] = box
            form.addRow(labels.get(param.name, param.name.replace("_", " ").capitalize()), box)
        self.params[name] = widgets
        return page

    def _file_row(self, name: str, tip: str) -> tuple[QWidget, QLineEdit]:
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        edit = QLineEdit(objectName=name)
        edit.setPlaceholderText("no file chosen")
        edit.setToolTip(tip)
        edit.editingFinished.connect(self.sigChanged)
        button = QPushButton("Open…", objectName=f"{name}Open")
        button.setToolTip(tip)
        button.clicked.connect(lambda: self._choose_file(edit) and self.sigChanged.emit())
        layout.addWidget(edit, 1)
        layout.addWidget(button)
        return row, edit

    def _idx_page(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        form.setVerticalSpacing(3)
        form.setContentsMargins(0, 0, 0, 0)
        row, self.idx_images = self._file_row("idxImages", "The IDX images file (idx3-ubyte)")
        form.addRow("Images", row)
        row, self.idx_labels = self._file_row("idxLabels", "The IDX labels file (idx1-ubyte)")
        form.addRow("Labels", row)
        return page

    def _csv_page(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        form.setVerticalSpacing(3)
        form.setContentsMargins(0, 0, 0, 0)
        row, self.csv_path = self._file_row("csvPath", "A CSV file: numeric features, a label")
        form.addRow("File", row)
        self.csv_label_column = SpinBox("label column", objectName="csvLabelColumn")
        self.csv_label_column.setRange(-1000, 1000)
        self.csv_label_column.setValue(-1)
        self.csv_label_column.setToolTip("Index of the label column; -1 is the last column")
        self.csv_label_column.valueChanged.connect(self.sigChanged)
        form.addRow("Label column", self.csv_label_column)
        return page

    def _choose_file(self, edit: QLineEdit) -> bool:
        """Ask for ``edit``'s file; True if the person chose one."""
        kind, title, filters = FILE_DIALOGS[edit.objectName()]
        start = edit.text().strip()
        images = self.idx_images.text().strip()
        if not start and edit is self.idx_labels and images:
            start = str(labels_beside(Path(images)))
        path = self.ask_open_path(title, start or last_folder(kind), filters)
        if not path:
            return False
        edit.setText(path)
        remember_folder(kind, path)
        return True

    def _on_kind_activated(self, _index: int) -> None:
        """Data kept in files: ask for the files not chosen yet, at once."""
        kind = self.kind_name()
        edits = {"csv": (self.csv_path,), "idx": (self.idx_images, self.idx_labels)}
        chosen = False
        for edit in edits.get(kind, ()):
            if edit.text().strip():
                continue
            if not self._choose_file(edit):
                break  # cancelled: the panel says what is still to choose
            chosen = True
        if chosen:
            self.sigChanged.emit()

    def _on_kind_current_index_changed(self, index: int) -> None:
        self.pages.setCurrentIndex(index)
        # A stacked widget is as tall as its tallest page; let only the shown page count.
        for i in range(self.pages.count()):
            policy = QSizePolicy.Policy.Preferred if i == index else QSizePolicy.Policy.Ignored
            self.pages.widget(i).setSizePolicy(policy, policy)
        self.pages.adjustSize()
        kind = self.kind_name()
        with QSignalBlocker(self.standardize):
            self.standardize.setChecked(kind not in SYNTHETIC_DATASETS)
        self.sigChanged.emit()

    # -- reading --------------------------------------------------------------------------
    def kind_name(self) -> str:
        return self.kind.currentData()

    def description(self) -> dict[str, Any]:
        """The choices as a JSON-serializable dict (also the panel's state)."""
        kind = self.kind_name()
        out: dict[str, Any] = {"kind": kind}
        if kind in SYNTHETIC_DATASETS:
            out.update({k: box.value() for k, box in self.params[kind].items()})
        elif kind == "idx":
            out.update(images=self.idx_images.text(), labels=self.idx_labels.text())
        elif kind == "csv":
            out.update(path=self.csv_path.text(), label_column=self.csv_label_column.value())
        out.update(
            val_fraction=round(self.val_fraction.value(), 4),
            standardize=self.standardize.isChecked(),
        )
        return out

    def prompt(self) -> str:
        """What is still to choose before the data can load ('' when nothing is)."""
        kind = self.kind_name()
        missing = {
            "csv": not self.csv_path.text().strip(),
            "idx": not (self.idx_images.text().strip() and self.idx_labels.text().strip()),
        }
        return PROMPTS[kind] if missing.get(kind) else ""

    def source(self) -> DataSource | None:
        """What the chosen dataset is, without reading it; None while a file is still to be
        chosen (:meth:`prompt` says which)."""
        if self.prompt():
            return None
        kind = self.kind_name()
        if kind in SYNTHETIC_DATASETS:
            params = {k: b.value() for k, b in self.params[kind].items()}
            key = (kind, tuple(sorted(params.items())))
            return DataSource(key, lambda: make_synthetic(kind, **params))
        if kind == "digits":
            return DataSource((kind,), load_digits)
        if kind == "idx":
            images, labels = self.idx_images.text().strip(), self.idx_labels.text().strip()
            key = (kind, _file_key(images), _file_key(labels))
            budget = load_memory_budget()
            return DataSource(
                key,
                lambda: load_idx(Path(images), Path(labels), memory_budget=budget),
                Path(images),
            )
        path = self.csv_path.text().strip()
        column = self.csv_label_column.value()
        key = (kind, _file_key(path), column)
        budget = load_memory_budget()
        return DataSource(
            key,
            lambda: load_csv(Path(path), label_column=column, memory_budget=budget),
            Path(path),
        )

    # -- state ----------------------------------------------------------------------------
    def state(self) -> dict[str, Any]:
        return self.description()

    def restore_state(self, state: dict[str, Any]) -> None:
        kind = state.get("kind", DEFAULT_KIND)
        index = self.kind.findData(kind)
        if index < 0:
            raise ValueError(f"dataset kind must be one of {self.kinds()}; got {kind!r}")
        with QSignalBlocker(self):
            self.kind.setCurrentIndex(index)
            if kind in SYNTHETIC_DATASETS:
                for key, box in self.params[kind].items():
                    if key in state:
                        _set_number(box, state[key], f"dataset {key}")
            elif kind == "idx":
                self.idx_images.setText(_text(state.get("images", ""), "dataset images"))
                self.idx_labels.setText(_text(state.get("labels", ""), "dataset labels"))
            elif kind == "csv":
                self.csv_path.setText(_text(state.get("path", ""), "dataset path"))
                _set_number(
                    self.csv_label_column, state.get("label_column", -1), "dataset label_column"
                )
            if "val_fraction" in state:
                _set_number(self.val_fraction, state["val_fraction"], "dataset val_fraction")
            if "standardize" in state:
                self.standardize.setChecked(bool(state["standardize"]))
        self.sigChanged.emit()

    def kinds(self) -> list[str]:
        return [self.kind.itemData(i) for i in range(self.kind.count())]


@dataclass(frozen=True)
class DataSource:
    """A dataset as chosen, not yet read: ``load()`` builds or reads it and needs no widget
    (it may run in another thread). ``key`` is equal for the same data (a file's includes its
    size and modification time, so a changed file is read again); ``path`` is the file read,
    None for a built-in dataset."""

    key: tuple[Any, ...]
    load: Callable[[], Dataset]
    path: Path | None = None


def _file_key(path: str) -> tuple[Any, ...]:
    """A file as it is now: its path, size and modification time (None if unreadable)."""
    try:
        stat = os.stat(path)
    except OSError:
        return (path, None)
    return (path, stat.st_size, stat.st_mtime_ns)


def _set_number(box, value: Any, what: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{what} must be a number; got {value!r}")
    if not box.minimum() <= value <= box.maximum():
        raise ValueError(
            f"{what} must be between {box.minimum()} and {box.maximum()}; got {value!r}"
        )
    box.setValue(value)


def _text(value: Any, what: str) -> str:
    if not isinstance(value, str) or len(value) > 4096:
        raise ValueError(f"{what} must be a path string; got {value!r}")
    return value
