"""File > Export... and File > Export all tabs: the dialog and the flow around it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pyqtgraph as pg
from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from explorer.io.atomic import WriteLocationError
from explorer.ui.export.files import (
    FORMATS,
    MAX_PNG_WIDTH,
    ExportError,
    ExportOptions,
    existing_files,
    export_steps,
    iter_export,
    planned_files,
    shown_items,
    with_data,
)
from explorer.ui.export.progress import ExportProgress
from explorer.ui.theme import theme
from explorer.ui.widgets.spin_box import DoubleSpinBox, SpinBox

ItemsByTab = Mapping[str, Mapping[str, pg.GraphicsObject]]
MAX_LISTED_FILES = 30


class ExportDialog(QDialog):
    """Choose a folder, the formats and the PNG size; shows the files that will be written."""

    def __init__(self, what: str, items: ItemsByTab, settings=None, parent=None):
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle("Export plots")
        self._items = items
        self._settings = settings
        intro = QLabel(f"Export {what} as files named <i>&lt;tab&gt;-&lt;plot&gt;.&lt;ext&gt;</i>.")
        intro.setWordWrap(True)

        self.folder_edit = QLineEdit(self)
        self.folder_edit.setObjectName("exportFolder")
        self.folder_edit.setToolTip("The folder the files are written into")
        browse = QPushButton("Browse...", self)
        browse.setObjectName("exportBrowse")
        browse.setToolTip("Pick the folder in a file dialog")
        browse.clicked.connect(self._on_browse_clicked)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(browse)

        self.format_boxes: dict[str, QCheckBox] = {}
        format_row = QHBoxLayout()
        tips = {
            "png": "A bitmap image, for slides and documents",
            "svg": "A vector image, sharp at any size, editable in Inkscape or Illustrator",
            "csv": "The plotted numbers, for a spreadsheet",
        }
        for fmt in FORMATS:
            box = QCheckBox(fmt.upper(), self)
            box.setObjectName(f"export{fmt.title()}")
            box.setToolTip(tips[fmt])
            box.setChecked(True)
            box.toggled.connect(self._update_preview)
            self.format_boxes[fmt] = box
            format_row.addWidget(box)
        format_row.addStretch(1)

        self.width_radio = QRadioButton("Width", self)
        self.width_radio.setToolTip("Give the widest plot's PNG width; the others get its scale")
        self.scale_radio = QRadioButton("Scale", self)
        self.scale_radio.setToolTip("Scale the PNG relative to the plot's size on screen")
        group = QButtonGroup(self)
        group.addButton(self.width_radio)
        group.addButton(self.scale_radio)
        self.width_spin = SpinBox("PNG width", self)
        self.width_spin.setObjectName("exportWidth")
        self.width_spin.setRange(16, MAX_PNG_WIDTH)
        self.width_spin.setSuffix(" px")
        self.width_spin.setValue(1600)
        self.width_spin.setToolTip("PNG width in pixels of a tab's widest plot")
        self.scale_spin = DoubleSpinBox("scale", self)
        self.scale_spin.setObjectName("exportScale")
        self.scale_spin.setRange(0.1, 16.0)
        self.scale_spin.setSingleStep(0.5)
        self.scale_spin.setValue(2.0)
        self.scale_spin.setSuffix(" x")
        self.scale_spin.setToolTip("PNG size as a multiple of the plot's size on screen")
        # Beside the width, not only in its tooltip: "800 px" is the widest plot's width.
        self.width_note = QLabel("for a tab's widest plot; the others in proportion", self)
        self.width_note.setObjectName("exportWidthNote")
        self.width_note.setToolTip(
            "The plots of a tab keep their sizes relative to one another (and one text size): "
            "the widest gets this width, a plot half as wide on screen half of it"
        )
        self.width_radio.setChecked(True)
        self.width_radio.toggled.connect(self._update_size_controls)
        size_row = QHBoxLayout()
        for widget in (self.width_radio, self.width_spin, self.width_note):
            size_row.addWidget(widget)
        size_row.addSpacing(12)
        for widget in (self.scale_radio, self.scale_spin):
            size_row.addWidget(widget)
        size_row.setStretch(2, 1)

        self.preview = QListWidget(self)
        self.preview.setObjectName("exportPreview")
        self.preview.setToolTip("The files that will be written; existing ones are marked")
        self.preview.setMinimumHeight(160)
        self.summary = QLabel(self)
        self.summary.setObjectName("exportSummary")
        for spin in (self.width_spin, self.scale_spin):
            spin.sigRefused.connect(self.summary.setText)  # a dialog has no status bar
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow("Folder", folder_row)
        form.addRow("Formats", format_row)
        form.addRow("PNG size", size_row)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(QLabel("Files:"))
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        self.resize(620, 460)
        self._load_settings()
        self.folder_edit.textChanged.connect(self._update_preview)
        self._update_size_controls()
        self._update_preview()

    # -- values ---------------------------------------------------------------------------
    def folder(self) -> Path:
        return Path(self.folder_edit.text().strip()).expanduser()

    def options(self) -> ExportOptions:
        formats = tuple(f for f, box in self.format_boxes.items() if box.isChecked())
        if self.width_radio.isChecked():
            return ExportOptions(formats=formats, width=self.width_spin.value())
        return ExportOptions(formats=formats, scale=self.scale_spin.value())

    def planned(self) -> list[Path]:
        if not any(box.isChecked() for box in self.format_boxes.values()):
            return []
        options = self.options()
        return [
            path
            for prefix, items in self._items.items()
            for path in planned_files(items, self.folder(), prefix, options)
        ]

    # -- slots ----------------------------------------------------------------------------
    def _on_browse_clicked(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Export into folder", str(self.folder()))
        if chosen:
            self.folder_edit.setText(chosen)

    def _update_size_controls(self) -> None:
        self.width_spin.setEnabled(self.width_radio.isChecked())
        self.width_note.setEnabled(self.width_radio.isChecked())
        self.scale_spin.setEnabled(not self.width_radio.isChecked())

    def _update_preview(self) -> None:
        planned = self.planned()
        self.preview.clear()
        existing = 0
        for path in planned:
            if path.exists():
                existing += 1
                item = QListWidgetItem(
                    f"{path.name}  (exists: you will be asked before it is replaced)"
                )
                palette = theme().palette
                item.setForeground(QColor(*palette.text_color(palette.warning)))
            else:
                item = QListWidgetItem(path.name)
            self.preview.addItem(item)
        summary = f"{len(planned)} file(s)"
        if existing:
            summary += f", {existing} already there"
        self.summary.setText(summary)
        ok = bool(planned) and bool(self.folder_edit.text().strip())
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    def accept(self) -> None:
        self._save_settings()
        super().accept()

    # -- settings -------------------------------------------------------------------------
    def _load_settings(self) -> None:
        default = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.PicturesLocation
        ) or str(Path.home())
        folder, formats, width, scale, by_width = default, list(FORMATS), 1600, 2.0, True
        if self._settings is not None:
            folder = str(self._settings.value("export/folder", default) or default)
            stored = self._settings.value("export/formats", ",".join(FORMATS))
            formats = [f for f in str(stored).split(",") if f in FORMATS] or list(FORMATS)
            width = _int(self._settings.value("export/width", 1600), 1600)
            scale = _float(self._settings.value("export/scale", 2.0), 2.0)
            by_width = str(self._settings.value("export/by", "width")) != "scale"
        self.folder_edit.setText(folder)
        for fmt, box in self.format_boxes.items():
            box.setChecked(fmt in formats)
        self.width_spin.setValue(width)
        self.scale_spin.setValue(scale)
        (self.width_radio if by_width else self.scale_radio).setChecked(True)

    def _save_settings(self) -> None:
        if self._settings is None:
            return
        s = self._settings
        s.setValue("export/folder", str(self.folder()))
        s.setValue("export/formats", ",".join(self.options().formats))
        s.setValue("export/width", self.width_spin.value())
        s.setValue("export/scale", self.scale_spin.value())
        s.setValue("export/by", "width" if self.width_radio.isChecked() else "scale")


def _int(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _float(value, default: float) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return default


class ExportController:
    """Runs an export for the main window: dialog, one overwrite question, errors as messages.

    The interactions are attributes so that tests can answer them without modal dialogs:
    ``choose(what, items) -> (folder, options) | None``, ``confirm_overwrite(paths) -> bool``,
    ``confirm_create(folder) -> bool``, ``report_error(text)`` and ``make_progress(steps)``
    (an object with ``step(file_name)``, ``cancelled()`` and ``close()``).
    """

    def __init__(self, window: QWidget, settings_factory: Callable, status: Callable[[str], None]):
        self._window = window
        self._settings_factory = settings_factory
        self._status = status
        self.choose = self._choose_with_dialog
        self.confirm_overwrite = self._confirm_with_dialog
        self.confirm_create = self._confirm_create_with_dialog
        self.report_error = self._error_dialog
        self.make_progress = self._progress_dialog

    def export(self, what: str, tabs: list) -> list[Path]:
        """Export ``tabs`` (ExplorerTab widgets); returns the files written (empty if none)."""
        items = {tab.export_name: with_data(shown_items(tab))[0] for tab in tabs}
        items = {name: plots for name, plots in items.items() if plots}
        if not items:
            self._status(f"Nothing to export: {what} has no plots with data yet")
            return []
        chosen = self.choose(what, items)
        if chosen is None:
            return []
        folder, options = chosen
        return self.write(items, folder, options, tabs)

    def write(self, items: ItemsByTab, folder: Path, options: ExportOptions, tabs=()) -> list:
        folder = Path(folder).expanduser()
        create = False
        if not folder.exists():
            if not self.confirm_create(folder):
                self._status(f"Export cancelled: folder {folder} does not exist")
                return []
            create = True
        planned = [
            p for prefix, its in items.items() for p in planned_files(its, folder, prefix, options)
        ]
        clash = existing_files(planned)
        if clash and not self.confirm_overwrite(clash):
            self._status("Export cancelled: nothing was overwritten")
            return []
        steps = sum(export_steps(plots, options) for plots in items.values())
        progress = self.make_progress(steps)
        written: list[Path] = []
        try:
            for tab in tabs:
                if tab.export_name in items:
                    _lay_out(tab)
            for prefix, plots in items.items():
                for paths in iter_export(
                    plots, folder, prefix, options, overwrite=True, create=create
                ):
                    written += paths
                    # Between files: the window repaints and Cancel is looked at.
                    progress.step(paths[-1].name)
                    if progress.cancelled():
                        message = (
                            f"Export cancelled: {len(written)} of {len(planned)} file(s) "
                            f"were written to {folder}"
                        )
                        self._status(message)
                        return written
        except (WriteLocationError, ExportError, OSError) as exc:
            message = f"Export failed: {exc}"
            if written:
                message += f" ({len(written)} file(s) were written before the error)"
            self._status(message)
            self.report_error(message)
            return written
        finally:
            progress.close()
        self._status(f"Exported {len(written)} file(s) to {folder}")
        return written

    # -- default interactions ---------------------------------------------------------------
    def _choose_with_dialog(self, what: str, items: ItemsByTab):
        dialog = ExportDialog(what, items, self._settings_factory(), self._window)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            return dialog.folder(), dialog.options()
        finally:
            dialog.deleteLater()

    def _confirm_with_dialog(self, paths: list[Path]) -> bool:
        names = "\n".join(p.name for p in paths[:MAX_LISTED_FILES])
        if len(paths) > MAX_LISTED_FILES:
            names += f"\n... and {len(paths) - MAX_LISTED_FILES} more"
        answer = QMessageBox.question(
            self._window,
            "Overwrite files?",
            f"{len(paths)} file(s) already exist in {paths[0].parent}:\n\n{names}\n\n"
            "Overwrite them?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _confirm_create_with_dialog(self, folder: Path) -> bool:
        answer = QMessageBox.question(
            self._window,
            "Create folder?",
            f"The folder {folder} does not exist.\n\nCreate it and export there?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Yes,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _progress_dialog(self, steps: int) -> ExportProgress:
        return ExportProgress(steps, self._window)

    def _error_dialog(self, text: str) -> None:
        QMessageBox.warning(self._window, "Export failed", text)


def _lay_out(tab: QWidget) -> None:
    """Give a tab that has never been shown its geometry, so its plots render at their size."""
    if tab.isVisible():
        return
    stack = tab.parentWidget()
    if isinstance(stack, QStackedWidget):
        current = stack.currentWidget()
        stack.setCurrentWidget(tab)
        QApplication.processEvents()
        stack.setCurrentWidget(current)
        return
    tab.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
    tab.show()
    QApplication.processEvents()
