"""The run list: tick runs to overlay them, rename in place, delete (button or Delete key)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from explorer.ui.training.runs import RunListModel


class RunsPanel(QWidget):
    """A list view over :class:`RunListModel` with Rename and Delete buttons."""

    sigDeleteRequested = Signal(int)  # row

    def __init__(self, model: RunListModel, parent=None):
        super().__init__(parent)
        self.model = model
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.view = QListView(objectName="runList")
        self.view.setModel(model)
        self.view.setToolTip(
            "This session's runs. Tick a run to overlay its curves; "
            "double-click (or F2) to rename; Delete removes it; hover for its configuration"
        )
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.view.setIconSize(QSize(10, 10))  # the run's color swatch, as in the legends
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout.addWidget(self.view, 1)
        buttons = QHBoxLayout()
        self.rename_button = QPushButton("Rename", objectName="renameRun")
        self.rename_button.setToolTip("Rename the selected run")
        self.rename_button.clicked.connect(self._on_rename_clicked)
        self.delete_button = QPushButton("Delete", objectName="deleteRun")
        self.delete_button.setToolTip("Remove the selected run from the session (Delete)")
        self.delete_button.clicked.connect(self._on_delete_clicked)
        buttons.addWidget(self.rename_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.view.installEventFilter(self)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        model.modelReset.connect(self._update_buttons)
        model.rowsRemoved.connect(self._update_buttons)
        self._update_buttons()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        # Delete or Backspace in the list (not in a name being edited) deletes, as the button.
        if (
            watched is self.view
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
            and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            and self.view.state() != QAbstractItemView.State.EditingState
            and self.selected_row() >= 0
        ):
            self._on_delete_clicked()
            return True
        return super().eventFilter(watched, event)

    def selected_row(self) -> int:
        rows = self.view.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    def select_row(self, row: int) -> None:
        self.view.setCurrentIndex(self.model.index(row))

    def _update_buttons(self, *_args) -> None:
        has = self.selected_row() >= 0
        self.rename_button.setEnabled(has)
        self.delete_button.setEnabled(has)

    def _on_rename_clicked(self) -> None:
        row = self.selected_row()
        if row >= 0:
            self.view.edit(self.model.index(row))

    def _on_delete_clicked(self) -> None:
        row = self.selected_row()
        if row >= 0:
            self.sigDeleteRequested.emit(row)
