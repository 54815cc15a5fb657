"""A continuation from an earlier epoch than was drawn (a killed training process kept its last completed
epoch) draws on from that epoch: nothing of the discarded epoch stays on the curves."""

import math

from studio.ui.training_plot import TrainingPlot


def test_a_continuation_from_an_earlier_epoch_drops_what_was_drawn_after_it(qtbot):
    plot = TrainingPlot()
    qtbot.addWidget(plot)
    plot.start(0, 20)
    for epoch in range(6):
        for step in range(1, 5):
            plot.add_batch(epoch + step / 4, 1.0 / (epoch + 1))
        plot.add_epoch({"loss": 1.0 / (epoch + 1), "val_loss": 1.1 / (epoch + 1)})
    plot.start(5, 20)  # the process died after epoch 6 had been drawn, but only epoch 5's weights were kept
    assert [len(v) for v in plot.history.values()] == [5, 5]
    assert max(x for x in plot.batch_x if not math.isnan(x)) == 5.0
    plot.add_epoch({"loss": 0.1, "val_loss": 0.2})
    assert plot.history["loss"][-1] == 0.1 and len(plot.history["loss"]) == 6
    plot.start(6, 20)  # an ordinary Continue: nothing is dropped
    assert len(plot.history["loss"]) == 6
