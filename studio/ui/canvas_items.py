"""What the canvas draws: a layer as a node sized to its text, its ports, and the edges between them.

Chains run top to bottom: a node's input port is on its top edge and its
output port on its bottom edge, and an edge is a vertical curve between them
that goes around the nodes in its way. Text sizes are in scene pixels, so at
the canvas' scale s a node's smallest text is SMALL_TEXT_PX * s pixels high
on screen; Fit never zooms out below MIN_TEXT_PX of it.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainterPath, QPainterPathStroker, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPathItem, QGraphicsRectItem, QGraphicsSimpleTextItem

from studio.core.catalog import spec_for
from studio.core.shapes import fmt
from studio.ui.language import translate

PORT_R = 7.0
MIN_W, MAX_W = 180.0, 340.0       # a node is as wide as its text, within these bounds
PAD_X, PAD_Y, LINE_GAP = 12.0, 8.0, 3.0
TITLE_PX, SMALL_TEXT_PX = 14, 12  # pixel sizes of the name and of every other line
MIN_TEXT_PX = 9                   # Fit keeps the smallest text at least this high on screen
BADGE_W = 22.0
OUTPUT_COLOR = "#2ca02c"
COLORS = {"Core": "#4c78a8", "Reshaping": "#72b7b2", "Regularization": "#b279a2", "Normalization": "#9d755d",
          "Preprocessing": "#54a24b", "Merging": "#f58518", "Convolution": "#e45756", "Pooling": "#eeca3b"}
# Parameters worth reading on the node itself, beyond the ones Keras requires.
_ALWAYS_SHOWN = ("activation", "pool_size")
_SHOWN_WHEN_CHANGED = ("strides", "padding", "dilation_rate", "axis", "offset", "dtype")


def _font(px: int, bold: bool = False) -> QFont:
    font = QFont("DejaVu Sans")
    font.setPixelSize(px)
    font.setBold(bold)
    return font


def _value(value) -> str:
    if isinstance(value, list):
        return "×".join(str(v) for v in value)
    if isinstance(value, float):
        if 0 < value <= 0.1 and abs(1 / value - round(1 / value)) < 1e-6 * (1 / value):
            return f"1/{round(1 / value)}"  # a scale of 1/255 reads as such
        return f"{value:.4g}"
    return str(value)


def key_settings(node) -> list[str]:
    """The settings a node shows: those Keras requires, the activation and pool size, and a few
    others when they differ from their default (``units 128``, ``activation relu``)."""
    shown = []
    for param in node.spec.params:
        value = node.config.get(param.name)
        if param.keras_required or param.name in _ALWAYS_SHOWN or (
                param.name in _SHOWN_WHEN_CHANGED and value != param.default):
            if value is not None:
                shown.append(f"{param.name} {_value(value)}")
    return shown


def _break_name(name: str, metrics: QFontMetricsF, width: float, max_lines: int = 2) -> list[str]:
    """A name too wide for one line, broken after '_', '.' or '-' where possible; the last line is
    elided at its end only if the name needs more than ``max_lines``."""
    lines, rest = [], name
    while rest and len(lines) < max_lines - 1 and metrics.horizontalAdvance(rest) > width:
        cut = len(rest)
        while cut > 1 and metrics.horizontalAdvance(rest[:cut]) > width:
            cut -= 1
        soft = max(rest.rfind(c, 0, cut) for c in "_.-")
        cut = soft + 1 if soft > 0 else cut
        lines.append(rest[:cut])
        rest = rest[cut:]
    lines.append(metrics.elidedText(rest, Qt.ElideRight, width))
    return lines


def _wrap(parts: list[str], metrics: QFontMetricsF, width: float, sep: str = " · ") -> list[str]:
    """Join ``parts`` into lines no wider than ``width``, breaking only between parts."""
    lines: list[str] = []
    for part in parts:
        if lines and metrics.horizontalAdvance(lines[-1] + sep + part) <= width:
            lines[-1] += sep + part
        else:
            lines.append(part)
    return lines


class PortItem(QGraphicsRectItem):
    def __init__(self, node: "NodeItem", is_input: bool):
        super().__init__(-PORT_R, -PORT_R, 2 * PORT_R, 2 * PORT_R, node)
        self.node, self.is_input = node, is_input
        self.setBrush(QBrush(QColor("#ffffff")))
        self.setPen(QPen(QColor("#333333"), 1.5))
        self.setToolTip(translate("Canvas", "Drag from here to an input port to connect") if not is_input
                        else translate("Canvas", "Input port"))
        self.setCursor(Qt.CrossCursor)

    def highlight(self, on: bool) -> None:
        self.setBrush(QBrush(QColor("#7bd389" if on else "#ffffff")))


class NodeItem(QGraphicsRectItem):
    """A layer: its name, class, key settings, output shape and parameter count, never cut in the middle."""

    def __init__(self, canvas, name: str):
        super().__init__(0, 0, MIN_W, 60)
        self.canvas, self.name = canvas, name
        node = canvas.graph.node(name)
        spec = spec_for(node.class_name)
        self.setFlags(QGraphicsItem.ItemIsMovable | QGraphicsItem.ItemIsSelectable |
                      QGraphicsItem.ItemSendsGeometryChanges)
        self.setBrush(QBrush(QColor("#fbfbfb")))
        self.color = QColor(COLORS.get(spec.category, "#888888"))
        self.title = QGraphicsSimpleTextItem(self)
        self.title.setFont(_font(TITLE_PX, True))
        self.kind = QGraphicsSimpleTextItem(self)
        self.kind.setFont(_font(SMALL_TEXT_PX))
        self.kind.setBrush(QBrush(QColor("#444444")))
        self.marker = QGraphicsSimpleTextItem(self)
        self.marker.setFont(_font(SMALL_TEXT_PX, True))
        self.marker.setBrush(QBrush(QColor(OUTPUT_COLOR)))
        self.settings = QGraphicsSimpleTextItem(self)
        self.settings.setFont(_font(SMALL_TEXT_PX))
        self.detail = QGraphicsSimpleTextItem(self)
        self.detail.setFont(_font(SMALL_TEXT_PX))
        self.detail.setBrush(QBrush(QColor("#555555")))
        self.badge = QGraphicsSimpleTextItem("", self)
        self.badge.setFont(_font(15, True))
        self.input_port = PortItem(self, True) if spec.max_inputs != 0 else None
        self.output_port = PortItem(self, False)
        self.setPos(*node.pos)
        self.refresh()

    def refresh(self) -> None:
        """Re-read the node and its validation; resize to the text and move the ports."""
        graph, report = self.canvas.graph, self.canvas.document.report
        node = graph.node(self.name)
        is_output = self.name in graph.outputs
        small = QFontMetricsF(_font(SMALL_TEXT_PX))
        title_metrics = QFontMetricsF(self.title.font())
        marker = "[" + translate("Canvas", "output") + "]" if is_output else ""
        shape = report.shapes.get(self.name)
        params = "?" if shape is None or shape.params is None else f"{shape.params:,}"
        shape_text = fmt(shape.shape if shape else None)
        params_text = translate("Canvas", "{0} params").format(params)
        settings = key_settings(node)
        text_max = MAX_W - 2 * PAD_X
        # The node's width: enough for every line, within MIN_W..MAX_W.
        wanted = max([title_metrics.horizontalAdvance(self.name) + BADGE_W,
                      small.horizontalAdvance(node.class_name + "  ")
                      + QFontMetricsF(self.marker.font()).horizontalAdvance(marker) + 2,
                      small.horizontalAdvance(shape_text + " · " + params_text),
                      small.horizontalAdvance(" · ".join(settings))])
        width = min(max(wanted + 2 * PAD_X, MIN_W), MAX_W)
        inner = width - 2 * PAD_X
        # Elide at the end only when a single part is wider than the widest node; the tooltip has it all.
        title_lines = _break_name(self.name, title_metrics, inner - BADGE_W)
        self.title.setText("\n".join(title_lines))
        self.kind.setText(node.class_name)
        self.marker.setText(marker)
        lines = _wrap(settings, small, inner)
        self.settings.setText("\n".join(small.elidedText(line, Qt.ElideRight, inner) for line in lines))
        detail = _wrap([shape_text, params_text], small, inner)
        self.detail.setText("\n".join(small.elidedText(line, Qt.ElideRight, text_max) for line in detail))
        y = PAD_Y
        self.title.setPos(PAD_X, y)
        y += title_metrics.height() * len(title_lines) + LINE_GAP
        self.kind.setPos(PAD_X, y)
        self.marker.setPos(PAD_X + small.horizontalAdvance(node.class_name + "  "), y)
        y += small.height() + LINE_GAP
        self.settings.setPos(PAD_X, y)
        self.settings.setVisible(bool(lines))
        y += (small.height() * len(lines) + LINE_GAP) if lines else 0
        self.detail.setPos(PAD_X, y)
        y += small.height() * len(detail) + PAD_Y
        self.prepareGeometryChange()
        self.setRect(0, 0, width, y)
        self.setPen(QPen(QColor(OUTPUT_COLOR) if is_output else self.color, 3.5 if is_output else 2))
        self.badge.setPos(width - BADGE_W + 2, PAD_Y - 3)
        if self.input_port is not None:
            self.input_port.setPos(width / 2, 0)
        self.output_port.setPos(width / 2, y)
        full = f"{self.name} · {node.class_name}" + (f"  {marker}" if marker else "")
        lines_all = [full, *settings, f"{shape_text} · {params_text}"]
        problems = report.for_node(self.name)
        errors = [p for p in problems if p.severity == "error"]
        if problems:
            self.badge.setText("!" if errors else "⚠")
            self.badge.setBrush(QBrush(QColor("#d62728" if errors else "#e0a800")))
            self.badge.setToolTip("\n".join(p.message for p in problems))
            self.setToolTip("\n".join(lines_all + [p.message for p in problems]))
        else:
            self.badge.setText("")
            self.setToolTip("\n".join(lines_all + [translate("Catalog", spec_for(node.class_name).help)]))

    def size(self) -> tuple[float, float]:
        return self.rect().width(), self.rect().height()

    def port_pos(self, is_input: bool) -> QPointF:
        rect = self.rect()
        return self.mapToScene(QPointF(rect.width() / 2, 0 if is_input else rect.height()))

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

    def update_path(self, obstacles: list[QRectF] = ()) -> None:
        ends = (self.src.sceneBoundingRect(), self.dst.sceneBoundingRect())
        self.setPath(route(self.src.port_pos(False), self.dst.port_pos(True), obstacles, ends))


def curve(a: QPointF, b: QPointF) -> QPainterPath:
    """A vertical S-curve from an output port (a) down to an input port (b)."""
    path = QPainterPath(a)
    dy = max(abs(b.y() - a.y()) / 2, 40) if b.y() >= a.y() else 60  # an edge back up: a tight S
    path.cubicTo(QPointF(a.x(), a.y() + dy), QPointF(b.x(), b.y() - dy), b)
    return path


def stroke(path: QPainterPath, width: float = 2.0) -> QPainterPath:
    """The area a drawn path covers (``QPainterPath.intersects`` alone would test the area it encloses)."""
    stroker = QPainterPathStroker()
    stroker.setWidth(width)
    return stroker.createStroke(path)


def route(a: QPointF, b: QPointF, obstacles=(), ends=()) -> QPainterPath:
    """``curve`` from a to b, or, when that would cross a node, a path that goes down beside those nodes;
    an edge back up (to a layer above its source) leaves below its source, runs up beside every node in
    the way, its own two ends included, and enters its layer from above."""
    if b.y() < a.y() + 20:
        rects = [*obstacles, *ends]
        side = max([r.right() for r in rects] + [a.x(), b.x()]) + 30
        low, high = a.y() + 24, b.y() - 24
        path = QPainterPath(a)
        for corner in ((a.x(), low), (side, low), (side, high), (b.x(), high)):
            path.lineTo(QPointF(*corner))
        path.lineTo(b)
        return path
    path = curve(a, b)
    line = stroke(path)
    blocking = [r for r in obstacles if line.intersects(r.adjusted(-4, -4, 4, 4))]
    if not blocking:
        return path
    side = max(r.right() for r in blocking) + 30
    top, bottom = a.y() + 40, b.y() - 40
    path = QPainterPath(a)
    path.cubicTo(QPointF(a.x(), a.y() + 30), QPointF(side, a.y() + 10), QPointF(side, top))
    if bottom > top:
        path.lineTo(QPointF(side, bottom))
    path.cubicTo(QPointF(side, max(bottom, top) + 30), QPointF(b.x(), b.y() - 30), b)
    return path
