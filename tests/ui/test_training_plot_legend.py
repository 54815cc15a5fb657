"""The live curves' legends fit the panel: long metric names take more rows, never more width."""

from PySide6.QtCore import Qt

from studio.ui.training_plot import TrainingPlot

WIDE_DEEP = ["loss", "aux_output_loss", "main_output_loss", "val_loss", "val_aux_output_loss",
             "val_main_output_loss", "aux_output_root_mean_squared_error", "main_output_root_mean_squared_error",
             "val_aux_output_root_mean_squared_error", "val_main_output_root_mean_squared_error"]


def plot_of(qtbot, width, keys):
    plot = TrainingPlot()
    qtbot.addWidget(plot)
    plot.resize(width, 420)
    plot.show()
    plot.start(0, 3)
    for epoch in range(3):
        plot.add_epoch({key: 1.0 / (epoch + 1) for key in keys})
    plot.redraw()
    return plot


def needed_width(plot) -> float:
    return plot.view.ci.effectiveSizeHint(Qt.MinimumSize).width()


def test_long_names_of_a_two_output_model_do_not_widen_the_plots(qtbot):
    plot = plot_of(qtbot, 420, WIDE_DEEP)
    assert needed_width(plot) <= plot.view.width()  # every epoch stays in view: nothing is cut off on the right
    assert plot.loss_legend.columnCount < 4 and plot.metric_legend.columnCount == 1
    plot.resize(900, 420)
    assert plot.loss_legend.columnCount == 4  # room again: side by side


def test_a_one_output_model_keeps_its_legend_on_one_row(qtbot):
    plot = plot_of(qtbot, 420, ["loss", "val_loss", "accuracy", "val_accuracy"])
    assert plot.loss_legend.columnCount == 3 and plot.metric_legend.columnCount == 2  # each legend: one row
