"""The autograd graph drawn in a pan-and-zoom plot: boxes for tensors and ops, arrows for the
edges, and the gradients the current backward step received and sent written on its edges.

Columns come from :func:`explorer.inspect.graph_layout.layers` (networkx); the boxes are
sized to their text, and text is drawn in the plot's coordinates, so zooming (the mouse
wheel) scales boxes and text together. Items are Qt's own path and text items: the PNG and
SVG exports draw them, and the node positions are a scatter the CSV export reads.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import QBrush, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsPathItem, QGraphicsRectItem, QGraphicsSimpleTextItem

from explorer.inspect.autograd_graph import AutogradGraph, GraphNode, array_lines, describe_array
from explorer.inspect.graph_layout import layers
from explorer.inspect.number_format import format_value
from explorer.ui.colors import mix
from explorer.ui.plots.minimum import ContentMinimum
from explorer.ui.theme import set_title, theme
from explorer.ui.theme import style_plot as style_in_theme

NODE_PAD = 6.0  # inside a box, around its text (at 100 %)
COLUMN_GAP = 64.0  # between the columns of boxes
ROW_GAP = 18.0  # between the boxes of a column
ARROW = 7.0  # the arrowhead's length
#: Room between the view's edge and the graph's first or last box, in pixels.
EDGE_MARGIN = 12.0
#: The smallest scale (screen pixels per unit of the graph) at which node text reads.
READABLE = 0.9
#: Framings: follow the walk at a readable size, the whole graph, what the user chose.
AUTO, WHOLE, MANUAL = "auto", "whole", "manual"
#: Each kind's data colour (an index into the palette's series).
KIND_COLORS = {"leaf": 2, "constant": 7, "tensor": 0, "op": 4}


def _pen(color, width: float = 1.2, style=Qt.PenStyle.SolidLine) -> QPen:
    pen = QPen(pg.mkColor(color))
    pen.setCosmetic(True)  # as wide on screen at any zoom
    pen.setWidthF(width)
    pen.setStyle(style)
    return pen


class _Box:
    """One node's box and its two texts (title, body)."""

    def __init__(self, node: GraphNode, title_font, body_font):
        self.node = node
        self.frame = QGraphicsPathItem()
        self.title = QGraphicsSimpleTextItem(self.frame)
        self.title.setFont(title_font)
        self.body = QGraphicsSimpleTextItem(self.frame)
        self.body.setFont(body_font)
        self.title.setText(node.name)
        self.width = self.height = 0.0

    def set_body(self, lines: list[str]) -> None:
        self.body.setText("\n".join(lines))
        self.body.setVisible(bool(lines))

    def fit(self, pad: float) -> None:
        """Size the box to its texts."""
        title = self.title.boundingRect()
        body = self.body.boundingRect() if self.body.isVisible() else QRectF()
        self.width = max(title.width(), body.width()) + 2 * pad
        self.height = title.height() + body.height() + 2 * pad
        self.title.setPos(pad, pad)
        self.body.setPos(pad, pad + title.height())

    def place(self, x: float, y: float) -> None:
        """Put the box's left edge at ``x`` and its vertical centre at ``y``."""
        path = QPainterPath()
        radius = 10.0 if self.node.kind == "op" else 4.0
        path.addRoundedRect(QRectF(0, 0, self.width, self.height), radius, radius)
        self.frame.setPath(path)
        self.frame.setPos(x, y - self.height / 2)

    def left(self) -> QPointF:
        pos = self.frame.pos()
        return QPointF(pos.x(), pos.y() + self.height / 2)

    def right(self) -> QPointF:
        pos = self.frame.pos()
        return QPointF(pos.x() + self.width, pos.y() + self.height / 2)


def _shape_of(graph: AutogradGraph | None) -> tuple:
    """What a graph looks like, whatever its numbers: its nodes' names and shapes."""
    return () if graph is None else tuple((n.name, n.shape) for n in graph.nodes)


class GraphCanvas(ContentMinimum, pg.PlotWidget):
    """Draws an :class:`AutogradGraph` and a step of its backward walk."""

    def __init__(self, parent=None):
        super().__init__(parent, background=theme().palette.background)
        self.plot_item = plot = self.getPlotItem()
        set_title(plot, "The graph backward() walks")
        style_in_theme(plot)
        for side in ("left", "bottom"):
            plot.hideAxis(side)
        plot.setAspectLocked(True)
        plot.invertY(True)
        self.nodes = pg.ScatterPlotItem(size=1, pen=None, brush=None, name="node")
        plot.addItem(self.nodes)
        self.graph: AutogradGraph | None = None
        self.step = 0
        self._framing = AUTO
        plot.vb.sigRangeChangedManually.connect(self._on_range_changed_manually)
        plot.vb.sigResized.connect(self._on_view_resized)
        self._boxes: dict[str, _Box] = {}
        self._edges: dict[tuple[str, str], QGraphicsPathItem] = {}
        self._labels: list = []
        theme().watch(self, self._redraw)

    # -- drawing ------------------------------------------------------------------------------
    def show_graph(self, graph: AutogradGraph | None, step: int = 0) -> None:
        """Draw ``graph`` (None: nothing) after ``step`` steps of its walk. A graph of
        another shape is framed afresh; new values of the same keep the framing."""
        if _shape_of(graph) != _shape_of(self.graph):
            self._framing = AUTO
        self.graph = graph
        self.step = step
        self._redraw()
        self._frame()

    def show_step(self, step: int) -> None:
        """Show the walk after ``step`` steps (0: before backward)."""
        self.step = step
        self._redraw()
        self._frame()

    def fit(self) -> None:
        """Show the whole graph, and keep showing it (through resizes and steps)."""
        self._framing = WHOLE
        self._frame()

    def framing(self) -> str:
        """How the view is framed: "auto", "whole" or "manual" (the user panned or zoomed)."""
        return self._framing

    def _frame(self) -> None:
        """The whole graph before backward, when it reads at that size, or when Fit asked
        for it; else, as the walk moves, the current op at a size that reads."""
        if self.graph is None or not self._boxes or self._framing == MANUAL:
            return
        view = self.plot_item.vb
        bounds = QRectF()
        for box in self._boxes.values():
            bounds = bounds.united(QRectF(box.frame.pos(), QSizeF(box.width, box.height)))
        width, height = view.width(), view.height()
        fits = width < 2 or min(width / bounds.width(), height / bounds.height()) >= READABLE
        step = self._current(self.graph)
        if self._framing == WHOLE or fits or step is None:
            self.plot_item.autoRange(padding=0.03)
            return
        focus = self._boxes[step.op]
        half_width, half_height = width / READABLE / 2, height / READABLE / 2
        margin = EDGE_MARGIN / READABLE  # the graph's first and last boxes clear the edges
        bounds = bounds.adjusted(-margin, 0, margin, 0)
        centre = focus.frame.pos().x() + focus.width / 2
        centre = min(max(centre, bounds.left() + half_width), bounds.right() - half_width)
        middle = bounds.center().y()
        view.setRange(
            xRange=(centre - half_width, centre + half_width),
            yRange=(middle - half_height, middle + half_height),
            padding=0,
        )

    def _on_view_resized(self, *_args) -> None:
        self._frame()

    def _on_range_changed_manually(self, *_args) -> None:
        self._framing = MANUAL

    def _clear(self) -> None:
        view = self.plot_item.vb
        for item in [*(box.frame for box in self._boxes.values()), *self._edges.values(),
                     *self._labels]:  # fmt: skip
            view.removeItem(item)
        self._boxes, self._edges, self._labels = {}, {}, []

    def _redraw(self) -> None:
        self._clear()
        graph = self.graph
        if graph is None:
            self.nodes.setData([], [])
            return
        current = theme()
        pad = NODE_PAD
        title_font = current.font(8.5, bold=True)
        body_font = current.font(7.5, monospace=True)
        grads = graph.grads_after(self.step)
        for node in graph.nodes:
            box = _Box(node, title_font, body_font)
            box.set_body(self._body_lines(node, grads))
            box.fit(pad)
            self._boxes[node.key] = box
        self._place(graph)
        self._style_boxes(graph)
        self._draw_edges(graph)
        self._draw_step_labels(graph, body_font)
        keys = [node.key for node in graph.nodes]
        positions = np.array(
            [[self._boxes[k].frame.pos().x() + self._boxes[k].width / 2,
              self._boxes[k].frame.pos().y() + self._boxes[k].height / 2] for k in keys]
        )  # fmt: skip
        self.nodes.setData(positions[:, 0], positions[:, 1])
        self.nodes.export_columns = lambda: {
            "name": [node.name for node in graph.nodes],
            "kind": [node.kind for node in graph.nodes],
            "op": [node.op for node in graph.nodes],
        }

    def _body_lines(self, node: GraphNode, grads: dict[str, np.ndarray]) -> list[str]:
        if node.kind == "op":
            return []
        shape = "scalar" if not node.shape else " × ".join(str(n) for n in node.shape)
        lines = [shape]
        values = array_lines(node.value)
        lines += [("value " if i == 0 else "      ") + line for i, line in enumerate(values)]
        if node.kind == "constant":
            lines.append("no gradient (requires_grad=False)")
            return lines
        grad = grads.get(node.key)
        label = ".grad" if node.kind == "leaf" else "grad "
        if grad is None:
            lines.append(f"{label} —")
        else:
            lines += [(f"{label} " if i == 0 else "      ") + line
                      for i, line in enumerate(array_lines(grad))]  # fmt: skip
        return lines

    def _place(self, graph: AutogradGraph) -> None:
        x = 0.0
        for column in layers(graph):
            boxes = [self._boxes[key] for key in column]
            width = max(box.width for box in boxes)
            total = sum(box.height for box in boxes) + ROW_GAP * (len(boxes) - 1)
            y = -total / 2
            for box in boxes:
                box.place(x + (width - box.width) / 2, y + box.height / 2)
                y += box.height + ROW_GAP
                self.plot_item.vb.addItem(box.frame, ignoreBounds=False)
            x += width + COLUMN_GAP

    def _current(self, graph: AutogradGraph):
        return graph.steps[self.step - 1] if 0 < self.step <= len(graph.steps) else None

    def _style_boxes(self, graph: AutogradGraph) -> None:
        palette = theme().palette
        step = self._current(graph)
        done = {s.op for s in graph.steps[: self.step]}
        for key, box in self._boxes.items():
            node = box.node
            color = palette.color(KIND_COLORS[node.kind])
            if node.key == graph.root.key:
                color = palette.color(3)
            fill = mix(color, palette.background, 0.82)
            width = 1.2
            if step is not None and key == step.op:
                fill, width = mix(palette.color(1), palette.background, 0.55), 3.0
                color = palette.color(1)
            elif key in done:
                fill = mix(color, palette.background, 0.65)
            box.frame.setPen(_pen(color, width))
            box.frame.setBrush(QBrush(pg.mkColor(fill)))
            for text in (box.title, box.body):
                text.setBrush(QBrush(pg.mkColor(palette.text)))
            box.frame.setToolTip(self._tooltip(node))

    @staticmethod
    def _tooltip(node: GraphNode) -> str:
        if node.kind == "op":
            return f"{node.name}: the op backward() calls to pass the gradient to its inputs"
        parts = [f"{node.name}  {node.shape}", f"value: {describe_array(node.value, 64)}"]
        if node.grad is not None:
            parts.append(f"gradient after backward: {describe_array(node.grad, 64)}")
        return "\n".join(parts)

    def _draw_edges(self, graph: AutogradGraph) -> None:
        palette = theme().palette
        step = self._current(graph)
        active = set()
        if step is not None:
            active.add((step.op, step.output))
            active.update((key, step.op) for key, _ in step.sent)
        for edge in graph.edges:
            start = self._boxes[edge.source].right()
            end = self._boxes[edge.target].left()
            path = QPainterPath(start)
            bend = max(20.0, (end.x() - start.x()) / 2)
            path.cubicTo(start + QPointF(bend, 0), end - QPointF(bend, 0), end - QPointF(ARROW, 0))
            item = QGraphicsPathItem(path)
            head = QPainterPath(end)
            head.lineTo(end - QPointF(ARROW, ARROW / 2))
            head.lineTo(end - QPointF(ARROW, -ARROW / 2))
            head.closeSubpath()
            arrow = QGraphicsPathItem(head, item)
            lit = (edge.source, edge.target) in active
            color = palette.color(1) if lit else palette.axis
            item.setPen(_pen(color, 2.4 if lit else 1.1))
            arrow.setPen(_pen(color, 1.0))
            arrow.setBrush(QBrush(pg.mkColor(color)))
            item.setZValue(-1)
            self.plot_item.vb.addItem(item, ignoreBounds=True)
            self._edges[(edge.source, edge.target)] = item

    def _draw_step_labels(self, graph: AutogradGraph, font) -> None:
        """The current step's numbers: what the op received, above its edge to its result;
        what each input receives from it, above that input, where its edge leaves."""
        step = self._current(graph)
        if step is None:
            return
        palette = theme().palette
        color = palette.text_color(palette.color(1))
        received = self._boxes[step.output].node.name
        op, result = self._boxes[step.op], self._boxes[step.output]
        start, end = op.right(), result.left()
        top = min(op.frame.pos().y(), result.frame.pos().y())  # above both boxes' titles
        anchor = QPointF((start.x() + end.x()) / 2, top - 2)
        labels = [(f"∂loss/∂{received} {edge_text(step.grad)}", anchor, "centre")]
        for key, sent in step.sent:
            # In the gap above the input's box, at the end its edge leaves from.
            box = self._boxes[key]
            corner = QPointF(box.right().x(), box.frame.pos().y() - 2)
            text = "receives no gradient" if sent is None else f"receives {edge_text(sent)}"
            labels.append((text, corner, "right"))
        for text, point, align in labels:
            label = QGraphicsSimpleTextItem(text)
            label.setFont(font)
            label.setBrush(QBrush(pg.mkColor(color)))
            rect = label.boundingRect()
            back = QGraphicsRectItem(QRectF(-3, -2, rect.width() + 6, rect.height() + 4))
            back.setBrush(QBrush(pg.mkColor((*palette.background, 235))))
            back.setPen(_pen(palette.color(1), 1.0))
            label.setParentItem(back)
            left = point.x() - (rect.width() / 2 if align == "centre" else rect.width() + 3)
            back.setPos(left, point.y() - rect.height() - 2)
            back.setZValue(5)
            self.plot_item.vb.addItem(back, ignoreBounds=True)
            self._labels.append(back)


def edge_text(grad: np.ndarray) -> str:
    """A gradient short enough for an edge: its values when there are at most four, else its
    norm (the step text beside the graph has the rest)."""
    values = np.asarray(grad, dtype=np.float64)
    if values.size <= 4:
        return describe_array(values)
    return f"‖grad‖ = {format_value(float(np.linalg.norm(values)), 3)}"
