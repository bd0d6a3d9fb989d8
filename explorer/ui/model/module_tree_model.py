"""A Qt item model over the engine's live module tree (no copies, no per-refresh rebuild).

Nodes come from :func:`explorer.inspect.module_info.build_tree`; ``set_model`` resets the
model once per built MLP, and ``refresh_statistics`` only announces that the mean, std and
gradient-norm columns changed, so the view re-reads just the rows it paints.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from explorer.inspect.module_info import COLUMNS, STAT_COLUMNS, TreeNode, build_tree, node_values

NUMERIC_COLUMNS = {3, 6, 7, 8}
TOOLTIPS = {
    0: "Attribute name in the owner's registry; hover a row for its full Python path",
    1: "type(obj).__name__",
    2: "tuple(param.shape)",
    3: "param.numel(); for a module, sum over parameters(recurse=True)",
    4: "param.dtype",
    5: "param.requires_grad (a module shows its parameters' common flag)",
    6: "param.data.mean()",
    7: "param.data.std() (population, unbiased=False)",
    8: "‖param.grad‖₂ ('—' before the first backward); for a module, over all its parameters",
}


class ModuleTreeModel(QAbstractItemModel):
    """Rows are modules, parameters and buffers; columns are :data:`COLUMNS`."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._root: TreeNode | None = None
        # Column text per node, filled lazily and dropped when statistics are refreshed.
        self._cache: dict[int, tuple[str, ...]] = {}
        self._bold = QFont()
        self._bold.setBold(True)

    # -- content --------------------------------------------------------------------------
    def set_model(self, model) -> None:
        """Show ``model`` (an ``nn.Module``); None empties the view."""
        self.beginResetModel()
        self._root = build_tree(model) if model is not None else None
        self._cache.clear()
        self.endResetModel()

    def root_node(self) -> TreeNode | None:
        return self._root

    def refresh_statistics(self, visible: Callable[[QModelIndex], bool] | None = None) -> None:
        """Parameter values changed in place: re-read mean, std and grad norm.

        Rows for which ``visible(index)`` is true are read now (while the caller holds the
        model, e.g. between training steps); the others when they are next painted.
        """
        if self._root is None:
            return
        self._cache.clear()
        if visible is not None:
            for node in self._root.walk():
                if visible(self.createIndex(node.row, 0, node)):
                    self.values(node)
        first, last = min(STAT_COLUMNS), max(STAT_COLUMNS)
        for node in self._root.walk():
            if node.children:
                top = self.createIndex(0, first, node.children[0])
                bottom = self.createIndex(len(node.children) - 1, last, node.children[-1])
                self.dataChanged.emit(top, bottom, [Qt.ItemDataRole.DisplayRole])
        root = self.createIndex(0, first, self._root)
        self.dataChanged.emit(root, self.createIndex(0, last, self._root))

    def node(self, index: QModelIndex | QPersistentModelIndex) -> TreeNode | None:
        return index.internalPointer() if index.isValid() else None

    def index_of(self, path: str) -> QModelIndex:
        """Index (column 0) of the node with qualified name ``path``; invalid if none."""
        node = self._root.find(path) if self._root is not None else None
        return self.createIndex(node.row, 0, node) if node is not None else QModelIndex()

    def values(self, node: TreeNode) -> tuple[str, ...]:
        key = id(node)
        if key not in self._cache:
            self._cache[key] = node_values(node)
        return self._cache[key]

    # -- QAbstractItemModel ---------------------------------------------------------------
    def index(self, row: int, column: int, parent=QModelIndex()) -> QModelIndex:  # noqa: B008
        if self._root is None or not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, self._root)
        return self.createIndex(row, column, parent.internalPointer().children[row])

    def parent(self, index=QModelIndex()) -> QModelIndex:  # noqa: B008
        if not index.isValid():
            return QModelIndex()
        node = index.internalPointer()
        if node.parent is None:
            return QModelIndex()
        return self.createIndex(node.parent.row, 0, node.parent)

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008, N802
        if self._root is None or parent.column() > 0:
            return 0
        if not parent.isValid():
            return 1
        return len(parent.internalPointer().children)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008, N802
        return len(COLUMNS)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        node: TreeNode = index.internalPointer()
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.values(node)[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == 0:
                return f"{node.code}  ({node.kind})"
            return TOOLTIPS.get(column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in NUMERIC_COLUMNS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and node.is_module and column in (0, 1):
            return self._bold
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return TOOLTIPS.get(section)
        return None
