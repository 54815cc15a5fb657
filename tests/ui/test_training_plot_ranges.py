"""While a run trains, the y ranges fit the values at each epoch's end (accuracy near 1 is not drawn on the
border of a 0-1 axis) and change between epochs only when a value falls outside them."""

from studio.ui.training_plot import TrainingPlot


def _y_range(plot):
    return plot.getViewBox().viewRange()[1]


def test_the_ranges_fit_the_values_once_an_epoch_and_grow_only_when_a_value_leaves_them(qtbot):
    plot = TrainingPlot()
    qtbot.addWidget(plot)
    plot.start(0, 10)
    for epoch, accuracy in enumerate([0.93, 0.96, 0.99]):
        plot.add_epoch({"loss": 0.3 - 0.1 * epoch, "accuracy": accuracy, "val_accuracy": accuracy - 0.01})
        plot.redraw()
    low, high = _y_range(plot.metric_plot)
    assert 0.85 < low < 0.92 and 0.99 < high <= 1.03  # 0.92-0.99 with a margin, not 0-1
    assert _y_range(plot.loss_plot)[1] < 0.4
    plot.add_batch(3.5, 0.2)  # inside: the axis stays as it is
    plot.redraw()
    assert _y_range(plot.metric_plot) == [low, high]
    plot.add_batch(3.6, 0.9)  # outside: it grows, with room for the next values
    plot.redraw()
    assert _y_range(plot.loss_plot)[1] > 0.9
