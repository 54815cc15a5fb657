"""The model canvas: layers as nodes with ports, edges as curves, all drawn from the graph model.

The view never holds model state: it subscribes to the graph's events and
turns user gestures (drop, drag a connection, move, delete) into undoable
commands on the document.
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (QBrush, QColor, QFont, QFontMetrics, QGuiApplication, QPainter, QPainterPath, QPen,
                           QTransform)
from PySide6.QtWidgets import (QGraphicsItem, QGraphicsPathItem, QGraphicsRectItem, QGraphicsScene,
                               QGraphicsSimpleTextItem, QGraphicsView)

from studio.core import fragment
from studio.core.catalog import spec_for
from studio.core.graph import GraphError
from studio.core.layout import layered_positions
from studio.core.shapes import fmt
from studio.ui import commands
from studio.ui.document import ProjectDocument
from studio.ui.language import translate

LAYER_MIME = "application/x-perceptron-studio-layer"
NODE_W, NODE_H, PORT_R = 170.0, 64.0, 7.0
COLORS = {"Core": "#4c78a8", "Reshaping": "#72b7b2", "Regularization": "#b279a2", "Normalization": "#9d755d",
          "Preprocessing": "#54a24b", "Merging": "#f58518", "Convolution": "#e45756", "Pooling": "#eeca3b"}


class PortItem(QGraphicsRectItem):
    def __init__(self, node: "NodeItem", is_input: bool):
        super().__init__(-PORT_R, -PORT_R, 2 * PORT_R, 2 * PORT_R, node)
        self.node, self.is_input = node, is_input
        self.setPos(0 if is_input else NODE_W, NODE_H / 2)
        self.setBrush(QBrush(QColor("#ffffff")))
        self.setPen(QPen(QColor("#333333"), 1.5))
        self.setToolTip(translate("Canvas", "Drag from here to an input port to connect") if not is_input
                        else translate("Canvas", "Input port"))
        self.setCursor(Qt.CrossCursor)

    def highlight(self, on: bool) -> None:
        self.setBrush(QBrush(QColor("#7bd389" if on else "#ffffff")))


class NodeItem(QGraphicsRectItem):
    def __init__(self, canvas: "CanvasScene", name: str):
        super().__init__(0, 0, NODE_W, NODE_H)
        self.canvas, self.name = canvas, name
        node = canvas.graph.node(name)
        spec = spec_for(node.class_name)
        self.setFlags(QGraphicsItem.ItemIsMovable | QGraphicsItem.ItemIsSelectable |
                      QGraphicsItem.ItemSendsGeometryChanges)
        self.setBrush(QBrush(QColor("#fbfbfb")))
        self.setPen(QPen(QColor(COLORS.get(spec.category, "#888888")), 2))
        self.title = QGraphicsSimpleTextItem(self)
        self.title.setFont(QFont("DejaVu Sans", 9, QFont.Bold))
        self.title.setPos(10, 6)
        self.detail = QGraphicsSimpleTextItem(self)
        self.detail.setFont(QFont("DejaVu Sans", 8))
        self.detail.setPos(10, 26)
        self.badge = QGraphicsSimpleTextItem("", self)
        self.badge.setFont(QFont("DejaVu Sans", 11, QFont.Bold))
        self.badge.setPos(NODE_W - 22, 4)
        self.input_port = PortItem(self, True) if spec.max_inputs != 0 else None
        self.output_port = PortItem(self, False)
        self.setPos(*node.pos)
        self.setToolTip(spec.help)
        self.refresh()

    def refresh(self) -> None:
        graph, report = self.canvas.graph, self.canvas.document.report
        node = graph.node(self.name)
        marker = "  [" + translate("Canvas", "output") + "]" if self.name in graph.outputs else ""
        full = f"{self.name} · {node.class_name}{marker}"
        self.title.setText(QFontMetrics(self.title.font()).elidedText(full, Qt.ElideMiddle, int(NODE_W - 36)))
        shape = report.shapes.get(self.name)
        params = "?" if shape is None or shape.params is None else f"{shape.params:,}"
        self.detail.setText(translate("Canvas", "{0}\n{1} params").format(fmt(shape.shape if shape else None), params))
        problems = report.for_node(self.name)
        errors = [p for p in problems if p.severity == "error"]
        if problems:
            self.badge.setText("!" if errors else "⚠")
            self.badge.setBrush(QBrush(QColor("#d62728" if errors else "#e0a800")))
            self.badge.setToolTip("\n".join(p.message for p in problems))
            self.setToolTip(f"{full}\n" + "\n".join(p.message for p in problems))
        else:
            self.badge.setText("")
            self.setToolTip(f"{full}\n{translate('Catalog', spec_for(node.class_name).help)}")

    def port_pos(self, is_input: bool) -> QPointF:
        return self.mapToScene(QPointF(0 if is_input else NODE_W, NODE_H / 2))

    def itemChange(self, change, value):
        if change == QGraphicsItem.ItemPositionHasChanged:
            self.canvas.update_edges(self.name)
        return super().itemChange(change, value)


class EdgeItem(QGraphicsPathItem):
    def __init__(self, src: NodeItem, dst: NodeItem, index: int):
        super().__init__()
        self.src, self.dst, self.index = src, dst, index
        self.setPen(QPen(QColor("#555555"), 2))
        self.setZValue(-1)
        self.setFlags(QGraphicsItem.ItemIsSelectable)
        self.setToolTip(translate("Canvas", "{0} → {1} (input {2}); select and press Delete to remove")
                        .format(src.name, dst.name, index + 1))
        self.update_path()

    def update_path(self) -> None:
        self.setPath(_curve(self.src.port_pos(False), self.dst.port_pos(True)))


def _curve(a: QPointF, b: QPointF) -> QPainterPath:
    path = QPainterPath(a)
    dx = max(abs(b.x() - a.x()) / 2, 40)
    path.cubicTo(QPointF(a.x() + dx, a.y()), QPointF(b.x() - dx, b.y()), b)
    return path


class CanvasScene(QGraphicsScene):
    """Mirrors the document's graph; emits ``message`` when a gesture is refused."""

    message = Signal(str)

    def __init__(self, document: ProjectDocument, parent=None):
        super().__init__(parent)
        self.document = document
        self.nodes: dict[str, NodeItem] = {}
        self.edges: list[EdgeItem] = []
        self._drag_line: QGraphicsPathItem | None = None
        self._drag_from: NodeItem | None = None
        self._press_positions: dict[str, tuple] = {}
        document.graph_replaced.connect(self.rebuild)
        document.validated.connect(self._refresh_all)
        self.rebuild()

    @property
    def graph(self):
        return self.document.graph

    def _refresh_all(self, report=None) -> None:
        # The document may validate before this scene has heard of a removal.
        for name, item in self.nodes.items():
            if name in self.graph:
                item.refresh()

    # -- mirroring the model ------------------------------------------------------------

    def rebuild(self) -> None:
        self.clear()
        self.nodes, self.edges = {}, []
        if getattr(self, "_subscribed", None) is not self.graph:
            self._subscribe()
        for name in self.graph.names:
            self._node_added(name)
        self._rebuild_edges()

    def _subscribe(self) -> None:
        self._subscribed = self.graph
        events = self.graph.events
        for name, handler in (("node_added", self._node_added), ("node_removed", self._node_removed),
                              ("node_moved", self._node_moved), ("node_renamed", lambda *a: self.rebuild()),
                              ("edge_added", lambda *a: self._rebuild_edges()),
                              ("edge_removed", lambda *a: self._rebuild_edges())):
            events.connect(name, handler)

    def _node_added(self, name: str) -> None:
        item = NodeItem(self, name)
        self.addItem(item)
        self.nodes[name] = item

    def _node_removed(self, name: str) -> None:
        item = self.nodes.pop(name, None)
        if item is not None:
            self.removeItem(item)
        self._rebuild_edges()

    def _node_moved(self, name: str, pos) -> None:
        item = self.nodes.get(name)
        if item is not None and (item.pos().x(), item.pos().y()) != tuple(pos):
            item.setPos(*pos)

    def _rebuild_edges(self) -> None:
        for edge in self.edges:
            self.removeItem(edge)
        self.edges = []
        for src, dst, index in self.graph.edges():
            if src in self.nodes and dst in self.nodes:
                edge = EdgeItem(self.nodes[src], self.nodes[dst], index)
                self.addItem(edge)
                self.edges.append(edge)

    def update_edges(self, name: str) -> None:
        for edge in self.edges:
            if name in (edge.src.name, edge.dst.name):
                edge.update_path()

    # -- gestures -------------------------------------------------------------------------

    def add_layer(self, class_name: str, pos: QPointF) -> str:
        command = commands.AddNode(self.graph, class_name, (pos.x() - NODE_W / 2, pos.y() - NODE_H / 2))
        self.document.push(command)
        return command.name

    def connect_nodes(self, src: str, dst: str) -> bool:
        """Push a Connect command, or say why the edge is refused."""
        try:
            self.document.push(commands.Connect(self.graph, src, dst))
            return True
        except GraphError as exc:
            self.message.emit(translate("Canvas", "Cannot connect: {0}").format(exc))
            return False

    def delete_selected(self) -> None:
        names = [item.name for item in self.selectedItems() if isinstance(item, NodeItem)]
        edges = [item for item in self.selectedItems() if isinstance(item, EdgeItem)]
        if names:
            self.document.push(commands.RemoveNodes(self.graph, names))
        for edge in sorted(edges, key=lambda e: -e.index):
            if edge.src.name in self.graph and edge.dst.name in self.graph:
                self.document.push(commands.Disconnect(self.graph, edge.src.name, edge.dst.name, edge.index))

    def copy_selected(self) -> bool:
        """Put the selected layers (and the edges among them) on the clipboard."""
        names = [item.name for item in self.selectedItems() if isinstance(item, NodeItem)]
        if not names:
            return False
        mime = QMimeData()
        text = fragment.dumps(fragment.extract(self.graph, names))
        mime.setData(fragment.MIME, text.encode())
        mime.setText(text)
        QGuiApplication.clipboard().setMimeData(mime)
        return True

    def cut_selected(self) -> None:
        if self.copy_selected():
            self.delete_selected()

    def paste(self) -> list[str]:
        """Add the clipboard's layers with fresh names, shifted, selected; one undo step."""
        mime = QGuiApplication.clipboard().mimeData()
        text = bytes(mime.data(fragment.MIME)).decode() if mime.hasFormat(fragment.MIME) else mime.text()
        try:
            layers, edges = fragment.plan(self.graph, fragment.loads(text), (40.0, 40.0))
        except fragment.FragmentError as exc:
            self.message.emit(translate("Canvas", "Cannot paste: {0}").format(exc))
            return []
        self.document.push(commands.AddLayers(self.graph, layers, edges))
        self.clearSelection()
        for layer in layers:
            self.nodes[layer["name"]].setSelected(True)
        return [layer["name"] for layer in layers]

    def auto_layout(self) -> None:
        moves = {name: (self.graph.node(name).pos, pos) for name, pos in layered_positions(self.graph).items()}
        self.document.push(commands.MoveNodes(self.graph, moves))

    def _accepts(self, item: NodeItem) -> bool:
        node = self.graph.node(item.name)
        limit = node.spec.max_inputs
        return item is not self._drag_from and (limit is None or len(node.inputs) < limit)

    def mousePressEvent(self, event):
        item = self.itemAt(event.scenePos(), self.views()[0].transform() if self.views() else QTransform())
        if isinstance(item, PortItem) and not item.is_input:
            self._drag_from = item.node
            self._drag_line = QGraphicsPathItem()
            self._drag_line.setPen(QPen(QColor("#2a7ae2"), 2, Qt.DashLine))
            self.addItem(self._drag_line)
            for node in self.nodes.values():
                if node.input_port is not None:
                    node.input_port.highlight(self._accepts(node))
            event.accept()
            return
        self._press_positions = {n: self.graph.node(n).pos for n in self.nodes}
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event):
        if self._drag_line is not None:
            self._drag_line.setPath(_curve(self._drag_from.port_pos(False), event.scenePos()))
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event):
        if self._drag_line is not None:
            self.removeItem(self._drag_line)
            self._drag_line = None
            source, self._drag_from = self._drag_from, None
            for node in self.nodes.values():
                if node.input_port is not None:
                    node.input_port.highlight(False)
            target = self._node_at(event.scenePos())
            if target is not None and target is not source:
                self.connect_nodes(source.name, target.name)
            return
        super().mouseReleaseEvent(event)
        moves = {}
        for name, item in self.nodes.items():
            old = self._press_positions.get(name)
            new = (item.pos().x(), item.pos().y())
            if old is not None and tuple(old) != new:
                moves[name] = (tuple(old), new)
        self._press_positions = {}
        if moves:
            self.document.push(commands.MoveNodes(self.graph, moves))

    def _node_at(self, pos: QPointF) -> NodeItem | None:
        for item in self.items(pos):
            while item is not None and not isinstance(item, NodeItem):
                item = item.parentItem()
            if item is not None:
                return item
        return None


class CanvasView(QGraphicsView):
    """Zoom with the wheel, pan with the middle button, drop layers from the palette."""

    def __init__(self, scene: CanvasScene, parent=None):
        super().__init__(scene, parent)
        self.setRenderHint(QPainter.Antialiasing)
        self.setAcceptDrops(True)
        self.setDragMode(QGraphicsView.RubberBandDrag)
        self.setTransformationAnchor(QGraphicsView.AnchorUnderMouse)
        self.setSceneRect(QRectF(-5000, -5000, 10000, 10000))

    def wheelEvent(self, event):
        factor = 1.15 if event.angleDelta().y() > 0 else 1 / 1.15
        self.scale(factor, factor)

    def fit(self) -> None:
        items = self.scene().itemsBoundingRect()
        if not items.isEmpty():
            self.fitInView(items.adjusted(-40, -40, 40, 40), Qt.KeepAspectRatio)

    def dragEnterEvent(self, event):
        if event.mimeData().hasFormat(LAYER_MIME):
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    dragMoveEvent = dragEnterEvent

    def dropEvent(self, event):
        if event.mimeData().hasFormat(LAYER_MIME):
            class_name = bytes(event.mimeData().data(LAYER_MIME)).decode()
            self.scene().add_layer(class_name, self.mapToScene(event.position().toPoint()))
            event.acceptProposedAction()
        else:
            super().dropEvent(event)

    def keyPressEvent(self, event):
        if event.key() in (Qt.Key_Delete, Qt.Key_Backspace):
            self.scene().delete_selected()
        else:
            super().keyPressEvent(event)
