"""Progress and curves: batches clamped to the epoch, points where their epoch is, loss and metrics apart."""

import numpy as np

from studio.training.engine import TrainingResult
from studio.ui.document import ProjectDocument
from studio.ui.training_panel import TrainingPanel


def panel(qtbot) -> TrainingPanel:
    p = TrainingPanel(ProjectDocument())
    qtbot.addWidget(p)
    p.runner.running = True  # the signals below are what the worker sends during a run
    return p


def run_epochs(p, first, count, steps, keras_batches, logs):
    """Send what the engine reports for ``count`` epochs from ``first``, batches as Keras numbers them."""
    for epoch in range(first, first + count):
        for batch in keras_batches:
            p.runner.progress.emit({"epoch": epoch, "batch": batch, "steps": steps, "logs": {"loss": 2.0 / (epoch + 1)}})
        p.runner.epoch_ended.emit(epoch, logs(epoch))


def test_the_label_and_curve_never_pass_the_epoch(qtbot):
    p = panel(qtbot)
    p.runner.started.emit({"initial_epoch": 0, "epochs": 3, "steps_per_epoch": 18})
    # Keras reports the end of a 32-step execution as batch 31 even in an epoch of 18 batches
    run_epochs(p, 0, 3, 18, [31], lambda e: {"loss": 1.0 / (e + 1), "val_loss": 1.2 / (e + 1),
                                             "accuracy": 0.5 + e / 10, "val_accuracy": 0.4 + e / 10})
    p._tick()
    assert "batch 18/18" in p.status.text() and "Epoch 3/3" in p.status.text()
    x = p.plot.batch_curve.getData()[0]
    assert np.nanmax(x) <= 3.0
    assert p.curves["val_loss"].getData()[0].tolist() == [1, 2, 3]  # validation at the end of each epoch
    assert p.curves["loss"].getData()[0].tolist() == [1, 2, 3]
    p.plot.shift.setChecked(True)  # the training mean belongs to the middle of its epoch
    assert p.curves["loss"].getData()[0].tolist() == [0.5, 1.5, 2.5]
    assert p.curves["val_loss"].getData()[0].tolist() == [1, 2, 3]
    # loss and metrics on separate plots (and separate y axes)
    assert p.curves["loss"] in p.plot.loss_plot.listDataItems()
    assert p.curves["val_accuracy"] in p.plot.metric_plot.listDataItems()
    assert p.curves["accuracy"] not in p.plot.loss_plot.listDataItems()
    p.runner.running = False
    p.runner.finished.emit(TrainingResult("completed", 3), None)
    assert p.progress_bar.value() == p.progress_bar.maximum()  # 100 % on "Finished"


def test_continue_draws_from_where_the_run_stopped(qtbot):
    p = panel(qtbot)
    p.runner.started.emit({"initial_epoch": 0, "epochs": 2, "steps_per_epoch": 4})
    run_epochs(p, 0, 2, 4, [0, 1, 2, 3], lambda e: {"loss": 1.0})
    p.runner.finished.emit(TrainingResult("completed", 2), None)
    p.runner.running = True
    p.runner.started.emit({"initial_epoch": 2, "epochs": 4, "steps_per_epoch": 4})
    run_epochs(p, 2, 2, 4, [0, 1, 2, 3], lambda e: {"loss": 0.5})
    p._tick()
    x = p.plot.batch_curve.getData()[0]
    x = x[np.isfinite(x)]
    assert x.min() == 0.25 and x.max() == 4.0
    assert p.curves["loss"].getData()[0].tolist() == [1, 2, 3, 4]
    # the bar spans the whole run: after Continue from epoch 2 of 4 it starts at half and ends full
    assert p.progress_bar.maximum() == 16 and p.progress_bar.value() == 16


def test_a_stop_shows_the_true_share_done(qtbot):
    p = panel(qtbot)
    p.runner.started.emit({"initial_epoch": 0, "epochs": 10, "steps_per_epoch": 10})
    run_epochs(p, 0, 2, 10, range(10), lambda e: {"loss": 1.0})
    p.runner.progress.emit({"epoch": 2, "batch": 4, "steps": 10, "logs": {"loss": 1.0}})
    p.runner.epoch_ended.emit(2, {"loss": 1.0})
    p.runner.running = False
    p.runner.finished.emit(TrainingResult("stopped", 3), None)
    # 3 epochs of 10 (the stopped one counts, as Continue goes on after it) = 30 %, as "Stopped after 3 epochs" says
    assert p.progress_bar.value() == 30 and p.progress_bar.maximum() == 100
    assert "Stopped after 3 epochs" in p.status.text()


def test_continue_after_a_stop_counts_on_to_the_target(qtbot):
    p = panel(qtbot)
    p.runner.started.emit({"initial_epoch": 0, "epochs": 20, "steps_per_epoch": 10})
    run_epochs(p, 0, 6, 10, range(10), lambda e: {"loss": 1.0})
    p.runner.running = False
    p.runner.finished.emit(TrainingResult("stopped", 6), None)
    assert p.progress_bar.value() == 60 and p.progress_bar.maximum() == 200  # 6 of 20 epochs: 30 %
    p.runner.running = True
    p.runner.started.emit({"initial_epoch": 6, "epochs": 20, "steps_per_epoch": 10})
    assert p.progress_bar.value() == 60  # it goes on from where it stopped
    run_epochs(p, 6, 7, 10, range(10), lambda e: {"loss": 0.5})
    p.runner.progress.emit({"epoch": 12, "batch": 9, "steps": 10, "logs": {"loss": 0.5}})
    p._epoch_pending = True
    p._tick()
    assert "Epoch 13/20" in p.status.text()


def test_a_regression_loss_gets_rmse_on_its_own_axis(qtbot):
    p = panel(qtbot)
    p.document.graph.add_node("Input", {"shape": [2]}, "x")
    p.document.graph.add_node("Dense", {"units": 1}, "y")
    p.document.graph.connect("x", "y")
    p.document.graph.set_output("y")
    p.runner.started.emit({"initial_epoch": 0, "epochs": 2, "steps_per_epoch": 1})
    run_epochs(p, 0, 2, 1, [0], lambda e: {"loss": 400.0 / (e + 1) ** 2, "val_loss": 625.0 / (e + 1) ** 2})
    p._tick()
    assert p.plot.loss_plot.titleLabel.text.endswith("mean_squared_error")
    assert p.curves["rmse"].getData()[1].tolist() == [20.0, 10.0]
    assert p.curves["val_rmse"].getData()[1].tolist() == [25.0, 12.5]
    assert p.curves["rmse"] in p.plot.metric_plot.listDataItems()


def test_the_plots_get_the_room_in_a_small_window(qtbot):
    p = TrainingPanel(ProjectDocument())
    qtbot.addWidget(p)
    p.resize(370, 560)  # the Training tab of a 1024x680 window
    p.show()
    qtbot.waitUntil(lambda: p.splitter.sizes()[1] > 0)
    p.runner.started.emit({"initial_epoch": 0, "epochs": 2, "steps_per_epoch": 2})
    run_epochs(p, 0, 2, 2, [0, 1], lambda e: {"loss": 1.0, "val_loss": 1.1, "accuracy": 0.5, "val_accuracy": 0.4})
    p.plot.finish()
    qtbot.waitUntil(lambda: p.plot.metric_plot.vb.height() > 0)
    settings, run = p.splitter.sizes()
    assert settings <= 0.35 * (settings + run) + 1
    assert p.plot.view.height() >= 300
    assert p.plot.loss_plot.vb.height() >= 80 and p.plot.metric_plot.vb.height() >= 80
