"""The drawing pad: mouse strokes become white pixels where they were drawn, whatever the pad's size."""

import numpy as np
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from studio.ui.drawing_pad import SIDE, DrawingPad


def _pad(qtbot, side):
    pad = DrawingPad()
    qtbot.addWidget(pad)
    pad.setFixedSize(side, side)
    pad.show()
    qtbot.waitExposed(pad)
    return pad


def _stroke(pad, points):
    QTest.mousePress(pad, Qt.LeftButton, Qt.NoModifier, points[0])
    for point in points[1:]:
        QTest.mouseMove(pad, point)
    QTest.mouseRelease(pad, Qt.LeftButton, Qt.NoModifier, points[-1])


def test_a_stroke_is_white_along_its_path_and_black_elsewhere(qtbot):
    pad = _pad(qtbot, 140)  # half the picture's size: every widget pixel is two of the picture's
    assert pad.is_empty() and pad.array().max() == 0
    with qtbot.waitSignal(pad.drawn):
        _stroke(pad, [QPoint(20, 70), QPoint(70, 70), QPoint(120, 70)])  # a horizontal bar across the middle
    picture = pad.array()
    assert picture.shape == (SIDE, SIDE) and picture.dtype == np.float32
    rows = np.nonzero(picture.max(axis=1) > 0.5)[0]
    assert abs(rows.mean() - SIDE / 2) < 3 and np.ptp(rows) < 30  # the bar's row, a pen wide
    columns = np.nonzero(picture.max(axis=0) > 0.5)[0]
    assert columns.min() < 50 and columns.max() > SIDE - 50
    assert picture[:60].max() == 0 and picture[-60:].max() == 0


def test_right_click_clears(qtbot):
    pad = _pad(qtbot, SIDE)
    _stroke(pad, [QPoint(100, 100), QPoint(150, 180)])
    assert not pad.is_empty()
    with qtbot.waitSignal(pad.cleared):
        QTest.mouseClick(pad, Qt.RightButton, Qt.NoModifier, QPoint(10, 10))
    assert pad.is_empty() and pad.array().max() == 0
