"""A pad to draw a digit on with the mouse: white strokes on black, read back as a grey-scale array.

The pad keeps its own square picture (``SIDE`` pixels, whatever its size on screen,
``SHOWN``) so that a digit reads the same however it is shown; the
stroke is as wide, relative to the pad, as an MNIST digit's pen is to its 28x28 field.
Turning the picture into a model's input (cropped, scaled to 20x20, centred by its
mass as MNIST digits are) is the prediction layer's, not the pad's.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import QWidget

SIDE = 280  # the pad's own picture: 10 pixels for each of MNIST's 28
PEN = 22.0  # an MNIST stroke is about 2-3 of the 28 pixels wide
SHOWN = 224  # the pad's size on screen: 8 pixels for each of MNIST's 28


class DrawingPad(QWidget):
    """Draw with the left button; ``drawn`` is emitted as the stroke grows, ``cleared`` after clear()."""

    drawn = Signal()
    cleared = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        # A square of a fixed size: in a tall panel a stretched pad would show its picture in a band whose
        # edges the pen leaves without a mark.
        self.setFixedSize(SHOWN, SHOWN)
        self.setCursor(Qt.CrossCursor)
        self.setToolTip(self.tr("Draw a digit with the mouse; right-click to clear"))
        self._picture = QImage(SIDE, SIDE, QImage.Format_Grayscale8)
        self._picture.fill(QColor("black"))
        self._last: QPointF | None = None
        self._empty = True

    # -- what it holds -----------------------------------------------------------------------

    def is_empty(self) -> bool:
        return self._empty

    def array(self) -> np.ndarray:
        """The picture as a (SIDE, SIDE) float32 array, 0 (black) to 1 (white)."""
        image = self._picture
        raw = np.frombuffer(image.constBits(), np.uint8, count=image.bytesPerLine() * SIDE)
        return raw.reshape(SIDE, image.bytesPerLine())[:, :SIDE].astype(np.float32) / 255.0

    def show_image(self, field: np.ndarray) -> None:
        """Show a small grey-scale picture (0..1, e.g. the 28x28 digit a model is given) filling the pad."""
        pixels = np.ascontiguousarray(np.clip(np.asarray(field, np.float32), 0, 1) * 255, dtype=np.uint8)
        small = QImage(pixels.data, pixels.shape[1], pixels.shape[0], pixels.strides[0], QImage.Format_Grayscale8)
        self._picture = small.scaled(SIDE, SIDE, Qt.IgnoreAspectRatio, Qt.FastTransformation).convertToFormat(
            QImage.Format_Grayscale8)
        self._empty, self._last = not pixels.any(), None
        self.update()

    def clear(self) -> None:
        self._picture.fill(QColor("black"))
        self._empty, self._last = True, None
        self.update()
        self.cleared.emit()

    # -- drawing -----------------------------------------------------------------------------

    def _square(self) -> QRectF:
        """Where the picture stands in the widget: the largest centred square."""
        side = min(self.width(), self.height())
        return QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)

    def _to_picture(self, point: QPointF) -> QPointF:
        square = self._square()
        scale = SIDE / square.width() if square.width() else 1.0
        return QPointF((point.x() - square.x()) * scale, (point.y() - square.y()) * scale)

    def _stroke_to(self, point: QPointF) -> None:
        painter = QPainter(self._picture)
        painter.setRenderHint(QPainter.Antialiasing)
        painter.setPen(QPen(QColor("white"), PEN, Qt.SolidLine, Qt.RoundCap, Qt.RoundJoin))
        if self._last is None:
            painter.drawPoint(point)
        else:
            painter.drawLine(self._last, point)
        painter.end()
        self._last, self._empty = point, False
        self.update()
        self.drawn.emit()

    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.RightButton:
            self.clear()
        elif event.button() == Qt.LeftButton:
            self._last = None
            self._stroke_to(self._to_picture(event.position()))

    def mouseMoveEvent(self, event) -> None:
        if event.buttons() & Qt.LeftButton:
            self._stroke_to(self._to_picture(event.position()))

    def mouseReleaseEvent(self, event) -> None:
        self._last = None

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().window())
        painter.drawImage(self._square(), self._picture)
        painter.setPen(QPen(self.palette().mid().color(), 1))
        painter.drawRect(self._square().adjusted(0, 0, -1, -1))
        painter.end()


if __name__ == "__main__":
    from PySide6.QtWidgets import QApplication
    app = QApplication([])
    pad = DrawingPad()
    pad.show()
    app.exec()
