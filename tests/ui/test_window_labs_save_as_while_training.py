"""A run still training when an untitled project is saved follows the project: it is not lost at quit."""

from studio.training.runs import scratch_folder
from studio.ui import self_test


def test_a_run_training_during_save_as_is_moved_beside_the_saved_project(window, qtbot, tmp_path):
    report = self_test.build_mnist_mlp(window, hidden=(16,), optimizer="Adam", learning_rate=0.001)
    assert report.ok, report.errors
    window.document.project.data["limit"] = 600
    window.document.project.training["epochs"] = 3
    window.training.load_settings()
    panel = window.training
    with qtbot.waitSignal(panel.runner.progress, timeout=120_000):
        panel.train_button.click()
    assert panel.runner.running
    training_in = panel.runner.job.run_dir
    assert training_in.parent == scratch_folder()  # the untitled project's temporary runs folder
    path = tmp_path / "digits.studio.json"
    assert window.save_as(str(path))
    with qtbot.waitSignal(window.job_ended, timeout=120_000) as ended:  # trained, then moved off the GUI thread
        pass
    assert ended.args == ["move-runs", True]
    moved = tmp_path / "digits.runs" / training_in.name
    assert (moved / "run.json").is_file() and (moved / "model.h5").is_file() and not training_in.exists()
    assert [r["dir"] for r in window.results.runs] == [str(moved)]
    assert panel.runner.job.run_dir == moved  # Continue records beside the project too
    window.shutdown()  # quitting removes the temporary runs folders: the run is kept
    assert (moved / "run.json").is_file()
