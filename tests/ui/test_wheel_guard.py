"""Scrolling the Training form with the wheel scrolls it; a field changes only once the student has clicked it."""

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from studio.ui.document import ProjectDocument
from studio.ui.training_panel import TrainingPanel


def _wheel(widget, steps=-3):
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(centre, QPointF(widget.mapToGlobal(centre.toPoint())), QPoint(0, 0), QPoint(0, 120 * steps),
                        Qt.NoButton, Qt.NoModifier, Qt.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def test_the_wheel_over_an_unfocused_field_scrolls_the_form_and_leaves_the_seed(qtbot):
    panel = TrainingPanel(ProjectDocument())
    qtbot.addWidget(panel)
    panel.resize(500, 420)
    panel.show()
    qtbot.waitExposed(panel)
    panel.settings_scroll.setMaximumHeight(120)  # the form scrolls
    qtbot.waitUntil(lambda: panel.settings_scroll.verticalScrollBar().maximum() > 0)
    seed, scrollbar = panel.seed.value(), panel.settings_scroll.verticalScrollBar()
    _wheel(panel.seed)
    assert panel.seed.value() == seed and scrollbar.value() > 0
    panel.seed.setFocus()
    qtbot.waitUntil(panel.seed.hasFocus)
    _wheel(panel.seed, steps=1)
    assert panel.seed.value() == seed + 1  # clicked into: the wheel is the field's
