"""The model canvas: layers as nodes with ports, edges as curves, all drawn from the graph model.

The view never holds model state: it subscribes to the graph's events and
turns user gestures (drop, double-click in the palette, drag a connection,
move, right-click menus, delete) into undoable commands on the document.
Chains run top to bottom (see studio.core.layout); the items are drawn by
studio.ui.canvas_items. A batch of edits (``Graph.batch``: a paste, an undo of
a replaced graph, a layout) arrives as one ``changed`` event: the node items
follow its edits in order and the edges are rebuilt once at its end.

Opening a project: a graph whose edges mostly do not run downwards (saved by
a version that laid chains out left to right) or whose nodes overlap at the
size they are drawn is laid out again when it is shown (not an undo step and
not an unsaved change: the file is only rewritten when the user saves).
"""

from __future__ import annotations

from types import SimpleNamespace

from PySide6.QtCore import QMimeData, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QGuiApplication, QPainter, QPen, QColor, QTransform
from PySide6.QtWidgets import QGraphicsPathItem, QGraphicsScene, QGraphicsView, QInputDialog, QMenu

from studio.core import fragment
from studio.core.catalog import CATALOG, CATEGORIES
from studio.core.graph import Graph, GraphError
from studio.core.layout import COLUMN_GAP, ROW_GAP, layered_positions, needs_relayout, place_below
from studio.core.validation import validate
from studio.ui import clipboard, commands
from studio.ui.canvas_items import (MIN_TEXT_PX, SMALL_TEXT_PX, EdgeItem, NodeItem, PortItem, curve, stroke)
from studio.ui.document import ProjectDocument
from studio.ui.language import translate

__all__ = ["LAYER_MIME", "CanvasScene", "CanvasView", "NodeItem", "PortItem", "EdgeItem"]

LAYER_MIME = "application/x-perceptron-studio-layer"
MIN_FIT_SCALE = MIN_TEXT_PX / SMALL_TEXT_PX  # Fit zooms out no further: the smallest text stays readable
MAX_FIT_SCALE = 1.25                          # nor blows a single layer up
ZOOM_RANGE = (0.2, 4.0)


def measure(class_name: str) -> tuple[float, float]:
    """The size a new layer of ``class_name`` will be drawn at (to place it before it exists)."""
    graph = Graph()
    name = graph.add_node(class_name)
    canvas = SimpleNamespace(graph=graph, document=SimpleNamespace(report=validate(graph)),
                             update_edges=lambda name: None)
    item = NodeItem(canvas, name)
    return item.size()


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
        self._in_batch = False  # replaying a batch: edges are redrawn once at its end, not per moved node
        document.graph_replaced.connect(self._replaced)
        document.validated.connect(self._refresh_all)
        self._replaced()

    @property
    def graph(self):
        return self.document.graph

    def sizes(self) -> dict[str, tuple[float, float]]:
        return {name: item.size() for name, item in self.nodes.items()}

    def _refresh_all(self, report=None) -> None:
        # The document may validate before this scene has heard of a removal.
        for name, item in self.nodes.items():
            if name in self.graph:
                item.refresh()
        self._update_all_edges()

    # -- mirroring the model ------------------------------------------------------------

    def _replaced(self) -> None:
        self.rebuild()
        sizes = self.sizes()
        if needs_relayout(self.graph, sizes):
            with self.graph.batch():
                for name, pos in layered_positions(self.graph, sizes).items():
                    self.graph.move_node(name, pos)

    def rebuild(self) -> None:
        self.clear()
        self.nodes, self.edges = {}, []
        self._drag_line = self._drag_from = None
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
                              ("edge_removed", lambda *a: self._rebuild_edges()), ("changed", self._batch_done)):
            events.connect(name, handler)

    def _node_added(self, name: str) -> None:
        if name not in self.graph:  # added and removed again in the same batch
            return
        item = NodeItem(self, name)
        self.addItem(item)
        self.nodes[name] = item

    def _node_removed(self, name: str) -> None:
        self._drop_item(name)
        self._rebuild_edges()

    def _drop_item(self, name: str) -> None:
        item = self.nodes.pop(name, None)
        if item is not None:
            self.removeItem(item)

    def _batch_done(self, events: list[tuple[str, tuple]]) -> None:
        """A batch of edits: the node items follow each in order (as they would have one by one), then the
        edges are rebuilt once. A rename in it rebuilds everything, as a single rename does."""
        kinds = {name for name, _ in events}
        if "node_renamed" in kinds:
            self.rebuild()
            return
        self._in_batch = True
        try:
            for name, args in events:
                if name == "node_added":
                    self._node_added(*args)
                elif name == "node_removed":
                    self._drop_item(*args)
                elif name == "node_moved":
                    self._node_moved(*args)
        finally:
            self._in_batch = False
        if kinds & {"node_added", "node_removed", "edge_added", "edge_removed"}:
            self._rebuild_edges()
        elif "node_moved" in kinds:
            self._update_all_edges()

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
        self._update_all_edges()

    def _obstacles(self, edge: EdgeItem) -> list[QRectF]:
        """The nodes (other than its ends) near the edge's straight curve."""
        area = curve(edge.src.port_pos(False), edge.dst.port_pos(True)).boundingRect().adjusted(-8, -8, 8, 8)
        return [item.sceneBoundingRect() for item in self.items(area)
                if isinstance(item, NodeItem) and item is not edge.src and item is not edge.dst]

    def _update_all_edges(self) -> None:
        for edge in self.edges:
            edge.update_path(self._obstacles(edge))

    def update_edges(self, name: str) -> None:
        """A node moved: redraw its edges and those that may have to go around it now."""
        if self._in_batch:
            return
        item = self.nodes.get(name)
        near = item.sceneBoundingRect().adjusted(-300, -300, 300, 300) if item is not None else None
        for edge in self.edges:
            if name in (edge.src.name, edge.dst.name) or (near is not None
                                                          and edge.path().boundingRect().intersects(near)):
                edge.update_path(self._obstacles(edge))

    # -- gestures -------------------------------------------------------------------------

    def add_layer(self, class_name: str, pos: QPointF) -> str:
        """Add a layer centred on ``pos`` (a drop, or Add layer in the canvas' menu)."""
        width, height = measure(class_name)
        command = commands.AddNode(self.graph, class_name, (pos.x() - width / 2, pos.y() - height / 2))
        self.document.push(command)
        return command.name

    def edge_at(self, pos: QPointF) -> EdgeItem | None:
        """The edge drawn under ``pos`` (within a few pixels), if any."""
        probe = QRectF(pos.x() - 6, pos.y() - 6, 12, 12)
        for edge in self.edges:
            if stroke(edge.path(), 12).intersects(probe):
                return edge
        return None

    def drop_layer(self, class_name: str, pos: QPointF) -> str:
        """A layer dropped from the palette: on an edge it goes between its two layers (when the shapes
        allow), elsewhere it is added where it fell."""
        edge = self.edge_at(pos)
        if edge is None:
            return self.add_layer(class_name, pos)
        width, height = measure(class_name)
        graph, sizes = self.graph, self.sizes()
        src, dst = edge.src.name, edge.dst.name
        sx, sy = graph.node(src).pos
        below = (sx + (sizes[src][0] - width) / 2, sy + sizes[src][1] + ROW_GAP)  # under its source
        self.document.undo_stack.beginMacro(translate("Commands", "Insert {0}").format(class_name))
        command = commands.InsertOnEdge(graph, class_name, (pos.x() - width / 2, pos.y() - height / 2),
                                        src, dst, edge.index)
        self.document.push(command)
        if command.inserted:  # room for it: it goes under its source and what it feeds moves down
            moves = {command.name: (graph.node(command.name).pos, below)}
            shift = below[1] + height + ROW_GAP - graph.node(dst).pos[1]
            if shift > 0:
                for name in _downstream(graph, dst):
                    x, y = graph.node(name).pos
                    moves[name] = ((x, y), (x, y + shift))
            self.document.push(commands.MoveNodes(graph, moves))
        self.document.undo_stack.endMacro()
        if command.inserted:
            self.message.emit(translate("Canvas", "{0} inserted between {1} and {2}").format(
                command.name, command.src, command.dst))
        return command.name

    def add_layer_below(self, class_name: str, fallback: QPointF | None = None) -> str:
        """Add a layer below the selected one (or the last one), connected to it when that edge is valid;
        the end of the chain becomes its output (``chain_output``). One undo step; the new layer is selected."""
        selected = [item.name for item in self.selectedItems() if isinstance(item, NodeItem)]
        anchor = selected[-1] if selected else (self.graph.names[-1] if len(self.graph) else None)
        size = measure(class_name)
        centre = fallback or QPointF(0, 0)
        pos = place_below(self.graph, anchor, size, self.sizes(),
                          default=(centre.x() - size[0] / 2, centre.y() - size[1] / 2))
        command = commands.AddBelow(self.graph, class_name, pos, anchor)
        self.document.push(command)
        self.focus_node(command.name)
        return command.name

    def connect_nodes(self, src: str, dst: str) -> bool:
        """Push a Connect command (the end of the chain becomes its output), or say why the edge is refused."""
        try:
            self.document.push(commands.Connect(self.graph, src, dst, auto_output=True))
            return True
        except GraphError as exc:
            self.message.emit(translate("Canvas", "Cannot connect: {0}").format(exc))
            return False

    def focus_node(self, name: str) -> None:
        """Select only ``name`` and scroll every view to it."""
        item = self.nodes.get(name)
        if item is None:
            return
        self.clearSelection()
        item.setSelected(True)
        for view in self.views():
            view.ensureVisible(item, 40, 40)

    def set_output(self, name: str, on: bool) -> None:
        self.document.push(commands.SetOutput(self.graph, name, on))

    def rename_node(self, old: str, new: str) -> bool:
        try:
            self.document.push(commands.Rename(self.graph, old, new.strip()))
        except GraphError as exc:
            self.message.emit(translate("Canvas", "Cannot rename: {0}").format(exc))
            return False
        self.focus_node(new.strip())
        return True

    def ask_rename(self, name: str) -> None:
        parent = self.views()[0] if self.views() else None
        new, ok = QInputDialog.getText(parent, translate("Canvas", "Rename layer"),
                                       translate("Canvas", "New name for {0}:").format(name), text=name)
        if ok and new.strip() and new.strip() != name:
            self.rename_node(name, new)

    def _selected_names(self) -> list[str]:
        return [item.name for item in self.selectedItems() if isinstance(item, NodeItem)]

    def delete_selected(self) -> None:
        names = self._selected_names()
        edges = [item for item in self.selectedItems() if isinstance(item, EdgeItem)]
        if names:
            self.document.push(commands.RemoveNodes(self.graph, names))
        for edge in sorted(edges, key=lambda e: -e.index):
            if edge.src.name in self.graph and edge.dst.name in self.graph:
                self.document.push(commands.Disconnect(self.graph, edge.src.name, edge.dst.name, edge.index))

    def copy_selected(self) -> bool:
        """Put the selected layers (and the edges among them) on the clipboard."""
        names = self._selected_names()
        if not names:
            return False
        mime = QMimeData()
        text = fragment.dumps(fragment.extract(self.graph, names))
        mime.setData(fragment.MIME, text.encode())
        mime.setText(text)
        clipboard.put(mime)
        return True

    def cut_selected(self) -> None:
        if self.copy_selected():
            self.delete_selected()

    def paste(self, at: QPointF | None = None) -> list[str]:
        """Add the clipboard's layers with fresh names (shifted, or with their top-left at ``at``), selected;
        one undo step."""
        mime = QGuiApplication.clipboard().mimeData()
        text = bytes(mime.data(fragment.MIME)).decode() if mime.hasFormat(fragment.MIME) else mime.text()
        try:
            data = fragment.loads(text)
        except fragment.FragmentError as exc:
            self.message.emit(translate("Canvas", "Cannot paste: {0}").format(exc))
            return []
        return self._add_fragment(data, at)

    def duplicate(self, names: list[str]) -> list[str]:
        """Copies of ``names`` (and the edges among them) beside the originals, selected; one undo step."""
        names = [n for n in names if n in self.graph]
        if not names:
            return []
        rects = [self.nodes[n].sceneBoundingRect() for n in names if n in self.nodes]
        right = max(r.right() for r in rects)
        top = min(r.top() for r in rects)
        return self._add_fragment(fragment.extract(self.graph, names), QPointF(right + COLUMN_GAP, top))

    def _add_fragment(self, data: dict, at: QPointF | None) -> list[str]:
        offset = (40.0, 40.0)
        if at is not None and data["layers"]:
            left = min(float(layer.get("pos", (0, 0))[0]) for layer in data["layers"])
            top = min(float(layer.get("pos", (0, 0))[1]) for layer in data["layers"])
            offset = (at.x() - left, at.y() - top)
        layers, edges = fragment.plan(self.graph, data, offset)
        self.document.push(commands.AddLayers(self.graph, layers, edges))
        self.clearSelection()
        for layer in layers:
            self.nodes[layer["name"]].setSelected(True)
        return [layer["name"] for layer in layers]

    def auto_layout(self) -> None:
        moves = {name: (self.graph.node(name).pos, pos)
                 for name, pos in layered_positions(self.graph, self.sizes()).items()
                 if tuple(self.graph.node(name).pos) != pos}
        if moves:
            self.document.push(commands.MoveNodes(self.graph, moves))

    # -- right-click menus --------------------------------------------------------------------

    def node_menu(self, name: str) -> QMenu:
        """Set as output or unset, rename, duplicate, delete (the selection when it holds ``name``)."""
        menu = QMenu()
        if self.graph.node(name).class_name == "Input":
            pass  # data enters there: an Input is never the model's output
        elif name in self.graph.outputs:
            menu.addAction(translate("Canvas", "Unset as model output"), lambda: self.set_output(name, False))
        else:
            menu.addAction(translate("Canvas", "Set as model output"), lambda: self.set_output(name, True))
        menu.addAction(translate("Canvas", "Rename…"), lambda: self.ask_rename(name))
        selected = self._selected_names()
        names = selected if name in selected else [name]
        menu.addSeparator()
        menu.addAction(translate("Canvas", "Duplicate"), lambda: self.duplicate(names))
        menu.addAction(translate("Canvas", "Delete"),
                       lambda: self.document.push(commands.RemoveNodes(self.graph, names)))
        return menu

    def canvas_menu(self, at: QPointF) -> QMenu:
        """Add layer (by category, at ``at``), paste, automatic layout, fit."""
        menu = QMenu()
        add = menu.addMenu(translate("Canvas", "Add layer"))
        for category in CATEGORIES:
            sub = add.addMenu(translate("Catalog", category))
            for spec in CATALOG.values():
                if spec.category == category:
                    action = sub.addAction(spec.class_name, lambda c=spec.class_name: self.add_layer(c, at))
                    action.setToolTip(translate("Catalog", spec.help))
        paste = menu.addAction(translate("Canvas", "Paste"), lambda: self.paste(at))
        clip = QGuiApplication.clipboard().mimeData()
        paste.setEnabled(clip is not None and (clip.hasFormat(fragment.MIME) or clip.hasText()))
        menu.addSeparator()
        menu.addAction(translate("Canvas", "Automatic layout"), self.auto_layout)
        if self.views():
            menu.addAction(translate("Canvas", "Fit to window"), self.views()[0].fit)
        return menu

    def contextMenuEvent(self, event):
        node = self._node_at(event.scenePos())
        edge = next((i for i in self.items(event.scenePos()) if isinstance(i, EdgeItem)), None)
        if node is not None:
            if not node.isSelected():
                self.focus_node(node.name)
            menu = self.node_menu(node.name)
        elif edge is not None:
            menu = QMenu()
            menu.addAction(translate("Canvas", "Delete connection"),
                           lambda: self.document.push(commands.Disconnect(self.graph, edge.src.name,
                                                                          edge.dst.name, edge.index)))
        else:
            menu = self.canvas_menu(event.scenePos())
        menu.exec(event.screenPos())
        event.accept()

    # -- dragging a connection -----------------------------------------------------------------

    def _accepts(self, item: NodeItem) -> bool:
        node = self.graph.node(item.name)
        limit = node.spec.max_inputs
        return item is not self._drag_from and (limit is None or len(node.inputs) < limit)

    def mousePressEvent(self, event):
        item = self.itemAt(event.scenePos(), self.views()[0].transform() if self.views() else QTransform())
        if event.button() == Qt.LeftButton and isinstance(item, PortItem) and not item.is_input:
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
            self._drag_line.setPath(curve(self._drag_from.port_pos(False), event.scenePos()))
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


def _downstream(graph, start: str) -> list[str]:
    """``start`` and every layer its result reaches."""
    seen, todo = [], [start]
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.append(name)
            todo += [consumer for consumer, _ in graph.consumers(name)]
    return seen


class CanvasView(QGraphicsView):
    """Scroll with the wheel, zoom with Ctrl+wheel, pan with the middle button, drop layers from the palette."""

    def __init__(self, scene: CanvasScene, parent=None):
        super().__init__(scene, parent)
        self.setRenderHint(QPainter.Antialiasing)
        self.setRenderHint(QPainter.TextAntialiasing)
        self.setAcceptDrops(True)
        self.setDragMode(QGraphicsView.RubberBandDrag)
        self.setTransformationAnchor(QGraphicsView.AnchorUnderMouse)
        self.setSceneRect(QRectF(-5000, -5000, 10000, 10000))
        self._pan_from = None

    def zoom_level(self) -> float:
        return self.transform().m11()

    def zoom(self, factor: float) -> None:
        """Zoom by ``factor``, within ZOOM_RANGE."""
        level = min(max(self.zoom_level() * factor, ZOOM_RANGE[0]), ZOOM_RANGE[1])
        self.scale(level / self.zoom_level(), level / self.zoom_level())

    def wheelEvent(self, event):
        if event.modifiers() & Qt.ControlModifier:
            self.zoom(1.15 if event.angleDelta().y() > 0 else 1 / 1.15)
        else:
            super().wheelEvent(event)

    def fit(self) -> None:
        """Show the whole graph, but never so small that text is unreadable: then show its top and scroll."""
        nodes = [item.sceneBoundingRect() for item in self.scene().nodes.values()]
        if not nodes:
            return
        rect = nodes[0]
        for other in nodes[1:]:
            rect = rect.united(other)
        rect = rect.adjusted(-30, -30, 30, 30)
        viewport = self.viewport().rect()
        scale = min(viewport.width() / rect.width(), viewport.height() / rect.height())
        scale = min(max(scale, MIN_FIT_SCALE), MAX_FIT_SCALE)
        self.setTransform(QTransform.fromScale(scale, scale))
        visible_w, visible_h = viewport.width() / scale, viewport.height() / scale
        x = rect.center().x() if rect.width() <= visible_w else rect.left() + visible_w / 2
        y = rect.center().y() if rect.height() <= visible_h else rect.top() + visible_h / 2
        self.centerOn(QPointF(x, y))

    def mousePressEvent(self, event):
        if event.button() == Qt.MiddleButton:
            self._pan_from = event.position()
            self.setCursor(Qt.ClosedHandCursor)
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event):
        if self._pan_from is not None:
            delta = event.position() - self._pan_from
            self._pan_from = event.position()
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - int(delta.x()))
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() - int(delta.y()))
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event):
        if self._pan_from is not None and event.button() == Qt.MiddleButton:
            self._pan_from = None
            self.unsetCursor()
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def dragEnterEvent(self, event):
        if event.mimeData().hasFormat(LAYER_MIME):
            event.acceptProposedAction()
        elif event.mimeData().hasUrls():
            event.ignore()  # a file from the file manager: the window opens it (window_open)
        else:
            super().dragEnterEvent(event)

    dragMoveEvent = dragEnterEvent

    def dropEvent(self, event):
        if event.mimeData().hasFormat(LAYER_MIME):
            class_name = bytes(event.mimeData().data(LAYER_MIME)).decode()
            self.scene().drop_layer(class_name, self.mapToScene(event.position().toPoint()))
            event.acceptProposedAction()
        elif event.mimeData().hasUrls():
            event.ignore()
        else:
            super().dropEvent(event)

    def keyPressEvent(self, event):
        if event.key() in (Qt.Key_Delete, Qt.Key_Backspace):
            self.scene().delete_selected()
        elif event.key() == Qt.Key_F2:
            names = self.scene()._selected_names()
            if len(names) == 1:
                self.scene().ask_rename(names[0])
        else:
            super().keyPressEvent(event)
