"""Journey (g): the MNIST MLP trained, then a 7 drawn with the mouse on the Predict tab: the top class is 7."""

from __future__ import annotations

from PySide6.QtCore import QPoint

from steps import TRAIN_MS, Person
from test_save_and_reopen import use_mnist

MLP = [("Input", {"shape": "28, 28"}), ("Rescaling", {"scale": "1/255"}), ("Flatten", {}),
       ("Dense", {"units": "64", "activation": "relu"}), ("Dense", {"units": "10", "activation": "softmax"})]

# A seven as a person draws it: a bar across the top, then down and to the left (shares of the pad's side).
SEVEN = [(0.28, 0.24), (0.72, 0.24), (0.62, 0.45), (0.52, 0.65), (0.45, 0.80)]


def _along(points, side: int, steps: int = 8) -> list[QPoint]:
    """The stroke through ``points`` as the pointer moves it: ``steps`` moves per segment."""
    path = [QPoint(int(points[0][0] * side), int(points[0][1] * side))]
    for (ax, ay), (bx, by) in zip(points, points[1:]):
        for k in range(1, steps + 1):
            path.append(QPoint(int((ax + (bx - ax) * k / steps) * side), int((ay + (by - ay) * k / steps) * side)))
    return path


def test_draw_a_seven(start_studio, hands, qtbot):
    window = start_studio()
    me = Person(window, hands, qtbot)
    me.build_chain(MLP)
    use_mnist(me, images=3000)
    training = window.training
    me.tab(window.tabs, training)
    me.choose(training.optimizer, "Adam")
    me.train(epochs=3)
    panel = window.predict
    me.tab(window.tabs, panel)
    me.wait(panel.pad.isEnabled, timeout=TRAIN_MS, why="the trained model in the Predict tab")
    me.settled(panel.pad)
    me.shot("predict-tab")
    with qtbot.waitSignal(panel.predicted, timeout=60_000):  # the chart follows the pen
        hands.stroke(panel.pad, _along(SEVEN, panel.pad.width()))
    me.wait(lambda: not panel.timer.isActive() and not panel.busy and panel.probabilities,
            timeout=60_000, why="the probabilities of the whole stroke")
    me.shot("seven-drawn")
    probabilities = panel.probabilities
    assert list(probabilities) == [str(d) for d in range(10)]
    assert panel.answer.text().startswith("7"), f"the top class of a drawn 7: {panel.answer.text()}"
