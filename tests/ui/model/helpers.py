"""Shared by the Model tab's GUI tests: build the tab, find its widgets, read its tree."""

from PySide6.QtCore import QEvent, QModelIndex, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QWidget

from explorer.ui.model.tab import ModelTab
from tests.ui.seen import tick_labels_drawn


def make_tab(qtbot) -> ModelTab:
    widget = ModelTab()
    qtbot.addWidget(widget)
    return widget


def child(tab, name):
    return tab.findChild(QWidget, name)


def configure(qtbot, tab, inputs, hidden, outputs, activation="relu"):
    child(tab, "inputFeatures").setValue(inputs)
    child(tab, "outputFeatures").setValue(outputs)
    field = child(tab, "hiddenSizes")
    field.clear()
    qtbot.keyClicks(field, hidden)
    child(tab, "activation").setCurrentText(activation)


def tree_rows(tab):
    """(qualified name, column texts) for every row the tree view's model offers."""
    model = tab.tree.model()
    rows = []

    def visit(parent, prefix):
        for row in range(model.rowCount(parent)):
            index = model.index(row, 0, parent)
            texts = [model.index(row, c, parent).data() for c in range(model.columnCount())]
            name = texts[0] if parent.isValid() else ""
            path = f"{prefix}.{name}" if prefix and name else name
            rows.append((path, texts))
            visit(index, path)

    visit(QModelIndex(), "")
    return rows


def drawn_labels(axis) -> list[str]:
    """The tick labels a pyqtgraph axis draws now (those that fit; after it has sized itself)."""
    return [text for _rect, text in tick_labels_drawn(axis)]


def view_point(plot, x: float, y: float):
    """Where the data point (x, y) of ``plot`` (a PlotItem) is on its view's viewport."""
    scene = plot.vb.mapViewToScene(QPointF(x, y))
    return plot.scene().views()[0].mapFromScene(scene)


def drag(view, start, end, steps: int = 8) -> None:
    """Press the left button at ``start`` on ``view``'s viewport, move to ``end``, release."""
    viewport = view.viewport()

    def send(kind, point, buttons):
        button = (
            Qt.MouseButton.LeftButton if kind != QEvent.Type.MouseMove else Qt.MouseButton.NoButton
        )
        event = QMouseEvent(
            kind,
            QPointF(point),
            QPointF(viewport.mapToGlobal(point)),
            button,
            buttons,
            Qt.KeyboardModifier.NoModifier,
        )
        QApplication.sendEvent(viewport, event)

    send(QEvent.Type.MouseButtonPress, start, Qt.MouseButton.LeftButton)
    for step in range(1, steps + 1):
        point = start + (end - start) * step / steps
        send(QEvent.Type.MouseMove, point, Qt.MouseButton.LeftButton)
    send(QEvent.Type.MouseButtonRelease, end, Qt.MouseButton.NoButton)


def hover(view, point) -> None:
    """Move the pointer (no button down) to ``point`` on ``view``'s viewport."""
    viewport = view.viewport()
    event = QMouseEvent(
        QEvent.Type.MouseMove,
        QPointF(point),
        QPointF(viewport.mapToGlobal(point)),
        Qt.MouseButton.NoButton,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(viewport, event)
