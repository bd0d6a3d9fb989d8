"""Text views of the selected node: what parameters() yields, the registries, print(model)."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from explorer.inspect.listing import internals_listing, parameter_listing
from explorer.inspect.module_info import TreeNode
from explorer.ui.widgets.zoom import follow_font


def _text_view(name: str, tip: str) -> QPlainTextEdit:
    view = QPlainTextEdit()
    view.setObjectName(name)
    view.setReadOnly(True)
    view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
    follow_font(view, monospace=True)
    view.setToolTip(tip)
    return view


class IntrospectionPanel(QTabWidget):
    """Three pages: ``parameters()`` (with the ``recurse`` box), Internals and print(model)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("introspectionTabs")
        self._node: TreeNode | None = None
        self._root = None

        self.recurse = QCheckBox("recurse")
        self.recurse.setObjectName("recurse")
        self.recurse.setChecked(True)
        self.recurse.setToolTip(
            "parameters(recurse=True) yields this module's parameters and all its "
            "descendants'; recurse=False only those registered on the module itself"
        )
        self.recurse.toggled.connect(self._on_recurse_toggled)
        self.listing_title = QLabel("Select a module in the tree")
        self.listing_title.setObjectName("listingTitle")
        self.listing_title.setToolTip("The node whose iterators are listed below")
        self.listing = _text_view(
            "parameterListing",
            "What the selected module's parameters() and named_parameters() yield under the "
            "current recurse setting, and its state_dict() keys",
        )
        page = QWidget()
        row = QHBoxLayout()
        row.addWidget(self.listing_title, 1)
        row.addWidget(self.recurse)
        column = QVBoxLayout(page)
        column.setContentsMargins(4, 4, 4, 4)
        column.addLayout(row)
        column.addWidget(self.listing)
        self.addTab(page, "parameters()")
        self.setTabToolTip(0, "Module.parameters(recurse=...) and named_parameters(), live")

        self.internals = _text_view(
            "moduleInternals",
            "The selected module's training flag, _parameters, _buffers, _modules and hook "
            "dicts, as the OrderedDicts nn.Module.__init__ created",
        )
        self.addTab(self.internals, "Internals")
        self.setTabToolTip(1, "The registries nn.Module keeps (the lecture notes' __init__ slide)")

        self.repr_view = _text_view("modelRepr", "print(model): exactly repr(model)")
        self.copy_button = QPushButton("Copy")
        self.copy_button.setObjectName("copyRepr")
        self.copy_button.setToolTip("Copy print(model) to the clipboard")
        self.copy_button.clicked.connect(self._on_copy_button_clicked)
        repr_page = QWidget()
        repr_column = QVBoxLayout(repr_page)
        repr_column.setContentsMargins(4, 4, 4, 4)
        repr_row = QHBoxLayout()
        repr_row.addWidget(QLabel(">>> print(model)"), 1)
        repr_row.addWidget(self.copy_button)
        repr_column.addLayout(repr_row)
        repr_column.addWidget(self.repr_view)
        self.addTab(repr_page, "print(model)")
        self.setTabToolTip(2, "repr(model), as PyTorch prints the same model")

    def set_model(self, model) -> None:
        self._root = model
        self.repr_view.setPlainText(repr(model) if model is not None else "")

    def show_node(self, node: TreeNode | None) -> None:
        self._node = node
        self._update_listing()
        self.internals.setPlainText(internals_listing(node) if node is not None else "")

    def refresh_internals(self) -> None:
        """Hooks come and go (the forward inspector adds and removes them): re-read."""
        if self._node is not None:
            self.internals.setPlainText(internals_listing(self._node))

    def _update_listing(self) -> None:
        node = self._node
        if node is None or self._root is None:
            self.listing_title.setText("Select a module in the tree")
            self.listing.setPlainText("")
            return
        kind = type(node.obj).__name__
        self.listing_title.setText(f"<b>{node.code}</b> ({kind})")
        self.listing.setPlainText(parameter_listing(node, self._root, self.recurse.isChecked()))

    def _on_recurse_toggled(self, _checked: bool) -> None:
        self._update_listing()

    def _on_copy_button_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self.repr_view.toPlainText())
