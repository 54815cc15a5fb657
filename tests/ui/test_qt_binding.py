"""The installed Qt binding does not leak references on painting (PySide6 6.12.0 did).

On Python 3.11 None and True are ordinary objects: a binding that drops a
reference on every QPainter call makes their count reach zero after a few
thousand repaints, and the interpreter aborts ("deallocating None") while
the studio draws live training curves.
"""

import sys

from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor, QImage, QPainter, QPen


def test_painting_keeps_the_reference_counts_of_none_true_and_false(qapp):
    image = QImage(64, 64, QImage.Format_ARGB32)
    painter = QPainter(image)
    pen, a, b = QPen(QColor(20, 40, 60)), QPointF(0, 0), QPointF(30, 30)
    before = [sys.getrefcount(v) for v in (None, True, False)]
    for _ in range(100):
        painter.setPen(pen)
        painter.drawLine(a, b)
        painter.setRenderHint(QPainter.Antialiasing, False)
        painter.save()
        painter.restore()
    after = [sys.getrefcount(v) for v in (None, True, False)]
    painter.end()
    for name, old, new in zip(("None", "True", "False"), before, after):
        assert new - old > -100, f"{name} lost {old - new} references in 500 painter calls"
