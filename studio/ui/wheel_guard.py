"""Scrolling a form never changes a setting by accident.

Qt gives a spin box or combo box the wheel event as soon as the pointer is
over it, so a student scrolling the Training form changed the seed from 42 to
55 without noticing. ``guard_wheel(form)`` makes such fields take the wheel
only once they have focus (clicked or tabbed into); otherwise the wheel
scrolls the form around them.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractScrollArea, QAbstractSpinBox, QComboBox, QWidget


class _WheelGuard(QObject):
    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt's name)
        if event.type() != QEvent.Wheel or not isinstance(watched, QWidget) or watched.hasFocus():
            return False
        area = watched.parentWidget()
        while area is not None and not isinstance(area, QAbstractScrollArea):
            area = area.parentWidget()
        if area is not None:  # the form scrolls, as if the field were not there
            QCoreApplication.sendEvent(area.verticalScrollBar(), event)
        return True


def guard_wheel(form: QWidget) -> None:
    """Every spin box and combo box inside ``form`` takes the wheel only when it has focus."""
    guard = getattr(form, "_wheel_guard", None) or _WheelGuard(form)
    form._wheel_guard = guard
    for field in form.findChildren(QAbstractSpinBox) + form.findChildren(QComboBox):
        field.setFocusPolicy(Qt.StrongFocus)  # a wheel over it no longer gives it focus
        field.installEventFilter(guard)
