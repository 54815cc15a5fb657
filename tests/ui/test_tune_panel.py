"""The Tune tab: the finder's suggestion applied, a search run with a live table, the best applied as one edit."""

from pathlib import Path

from studio.core.project import load_project, save_project

ROOT = Path(__file__).resolve().parents[2]
MNIST = ROOT / "resources" / "examples" / "mnist_mlp.studio.json"


def open_small_mnist(window, tmp_path, limit):
    project = load_project(MNIST)
    project.data["limit"] = limit
    project.path = None
    save_project(project, tmp_path / "mnist.studio.json")
    assert window.open_project(str(tmp_path / "mnist.studio.json"))


def test_the_finder_suggests_and_applies_a_rate(window, qtbot, tmp_path):
    open_small_mnist(window, tmp_path, 12000)
    tune = window.tune
    with qtbot.waitSignal(tune.runner.finder_done, timeout=180_000):
        tune.find_button.click()  # in the window's training child: no TensorFlow work in the window
    assert tune.running is None
    assert tune.finder.suggestion is not None and tune.apply_rate_button.isEnabled()
    assert len(tune.finder_curve.getData()[0]) == len(tune.finder.rates)
    assert "Suggested learning rate" in tune.finder_note.text()
    tune.apply_rate_button.click()
    rate = window.document.project.training["optimizer"]["config"]["learning_rate"]
    assert rate == float(f"{tune.finder.suggestion:.3g}")
    window.document.undo_stack.undo()
    assert window.document.project.training["optimizer"]["config"]["learning_rate"] == 0.01


def test_a_finder_whose_process_is_killed_says_so_and_train_is_free_again(window, qtbot, tmp_path):
    import signal
    open_small_mnist(window, tmp_path, 12000)
    tune, training = window.tune, window.training
    with qtbot.waitSignal(tune.runner.finder_progress, timeout=180_000):
        tune.find_button.click()
    assert training.blocked()  # the Training tab waits for the finder
    with qtbot.waitSignal(tune.runner.finder_failed, timeout=60_000) as failed:
        tune.runner.remote.process.send_signal(signal.SIGKILL)
    assert failed.args[0].startswith("The training process was killed (SIGKILL")
    assert tune.finder_note.text() == failed.args[0] and tune.find_button.isEnabled() and tune.running is None
    assert not training.blocked() and getattr(training, "error_box", None) is None  # no training crash box


def test_a_search_fills_the_table_and_its_best_is_applied_as_one_edit(window, qtbot, tmp_path):
    open_small_mnist(window, tmp_path, 1200)
    tune = window.tune
    tune.trials_box.setValue(3)
    tune.epochs_box.setValue(1)
    tune.units_min.setValue(8)
    tune.units_max.setValue(32)
    tune.units_step.setValue(8)
    before = window.document.graph.to_dict()
    with qtbot.waitSignal(tune.runner.search_done, timeout=180_000):
        tune.start_button.click()
    assert tune.table.rowCount() == 3 and tune.apply_best_button.isEnabled()
    assert window.document.project.tuning["max_trials"] == 3  # the space is kept with the project
    assert window.results.runs_panel.list.count() == 3  # each trial is a recorded run
    assert f"the best is trial {tune.search.best.number}" in tune.search_note.text()
    best = tune.search.best
    tune.apply_best_button.click()
    graph = window.document.graph
    hidden = [n for n in graph if n.name.startswith("hidden")]
    assert len(hidden) == best.hyperparameters["layers"]
    assert all(n.config["units"] == best.hyperparameters["units"] for n in hidden)
    assert window.document.project.training["batch_size"] == best.hyperparameters["batch_size"]
    assert window.document.report.ok
    window.document.undo_stack.undo()  # one step takes the whole change back
    assert window.document.graph.to_dict() == before


def test_the_training_tab_waits_while_a_search_runs(window, qtbot, tmp_path):
    open_small_mnist(window, tmp_path, 1200)
    messages = []
    window.training.message.connect(messages.append)
    tune = window.tune
    tune.trials_box.setValue(1)
    tune.epochs_box.setValue(1)
    with qtbot.waitSignal(tune.runner.search_done, timeout=180_000):
        tune.start_button.click()
        window.training.start()
    assert messages and "stop it first" in messages[0]
    assert not window.training.runner.running


def test_stop_ends_the_search_in_the_child_after_the_running_trial(window, qtbot, tmp_path):
    open_small_mnist(window, tmp_path, 1200)
    tune = window.tune
    tune.trials_box.setValue(4)
    tune.epochs_box.setValue(50)
    with qtbot.waitSignal(tune.runner.trial_epoch, timeout=180_000):
        tune.start_button.click()
    with qtbot.waitSignal(tune.runner.search_done, timeout=60_000):
        tune.stop_button.click()
    assert tune.table.rowCount() == 1 and tune.running is None and tune.start_button.isEnabled()
    assert window.training.runner.remote.alive()  # it stopped when asked: not ended for being late
    objective = tune.table.item(0, tune.table.columnCount() - 1)
    assert objective.text().startswith("stopped (") and "not compared" in objective.toolTip()
    assert tune.search_note.text() == "No trial finished." and not tune.apply_best_button.isEnabled()


def test_a_search_whose_process_is_killed_says_so_and_its_ended_trials_stay(window, qtbot, tmp_path):
    import signal
    open_small_mnist(window, tmp_path, 1200)
    tune, training = window.tune, window.training
    tune.trials_box.setValue(5)
    tune.epochs_box.setValue(1)
    with qtbot.waitSignal(tune.runner.trial_ended, timeout=180_000):
        tune.start_button.click()
    with qtbot.waitSignal(tune.runner.search_failed, timeout=60_000) as failed:
        tune.runner.remote.process.send_signal(signal.SIGKILL)
    assert failed.args[0].startswith("The training process was killed (SIGKILL")
    best = tune.search.best
    assert best is not None  # a trial had ended: the best of those is said and can be applied
    assert tune.search_note.text().startswith(failed.args[0].rstrip(".") + ". The best of the trials that finished "
                                              f"is trial {best.number} with val_accuracy")
    assert tune.apply_best_button.isEnabled() and tune.start_button.isEnabled() and tune.running is None
    assert tune.table.rowCount() >= 1  # the trials that ended are shown, and recorded as runs
    assert not training.blocked() and getattr(training, "error_box", None) is None


def test_the_finder_axis_names_its_decades(qtbot):
    import numpy as np
    from studio.ui.tune_panel import DecadeAxis, rate_label
    assert [rate_label(e) for e in (-5, -4, -1, 0)] == ["1e-5", "1e-4", "0.1", "1"]
    axis = DecadeAxis("bottom")
    axis.setLogMode(True)
    axis.setRange(-6, 0)
    ticks = [-5.0, float(np.log10(2e-5)), float(np.log10(9e-5)), -4.0]
    assert axis.tickStrings(ticks, 1, 1) == ["1e-5", "", "", "1e-4"]
    axis.setRange(-4, -3)  # less than two decades: 2 and 5 times named too
    assert axis.tickStrings([-4.0, float(np.log10(2e-4)), float(np.log10(3e-4))], 1, 1) == ["1e-4", "2e-4", ""]
