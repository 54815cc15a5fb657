"""Journey (c): an untitled project trained, Save As, quit, start again, Open Recent: the runs are back, and
Continue goes on from the trained model."""

from __future__ import annotations

from steps import Person

MINI_MNIST = [("Input", {"shape": "28, 28"}), ("Rescaling", {"scale": "1/255"}), ("Flatten", {}),
              ("Dense", {"units": "10", "activation": "softmax"})]


def use_mnist(me, images: int = 1000) -> None:
    panel = me.window.data_panel
    me.tab(me.window.tabs, panel)
    me.choose(panel.source, panel.source.itemText(panel.source.findData("mnist")))
    me.type_into(panel.limit, str(images))
    me.wait(lambda: me.window.document.project.data.get("limit") == images, why=f"{images} images")


def test_save_as_quit_and_open_recent(start_studio, hands, qtbot, tmp_path):
    window = start_studio()
    me = Person(window, hands, qtbot)
    me.build_chain(MINI_MNIST)
    use_mnist(me)
    me.train(epochs=1)
    assert len(window.results.runs) == 1
    me.shot("trained-untitled")

    project = tmp_path / "work" / "digits.studio.json"
    project.parent.mkdir()
    dialog = me.file_dialog(project)
    hands.key("ctrl+shift+s")
    me.done(dialog)
    me.wait(lambda: window.document.path is not None and not window.document.dirty, why="saved")
    assert project.is_file()
    me.wait(lambda: len(window.results.runs) == 1, why="the untitled run kept")
    me.wait(lambda: list((tmp_path / "work" / "digits.runs").glob("*/run.json")),
            why="the untitled project's run moved beside the saved project")
    me.shot("saved")
    hands.key("ctrl+q")
    me.wait(lambda: not window.isVisible(), why="the window closes")

    window = start_studio()
    me = Person(window, hands, qtbot)
    me.shot("started-again")
    recent = [a.text() for a in window.recent_menu.actions() if a.isVisible() and not a.isSeparator()]
    assert any(str(project) in text for text in recent), recent
    me.menu("File", "Open Recent", next(t for t in recent if str(project) in t))
    me.wait(lambda: window.document.path is not None, why="the project opened")
    me.wait(lambda: len(window.results.runs) == 1, why="its run listed")
    assert window.results.results is not None or "accuracy" in window.results.summary.text().lower(), \
        "reopening shows the newest run's results"
    me.shot("reopened")

    # The trained model came back too: Continue goes on from it (epoch 2 of 2, its optimizer's steps going on).
    training = window.training
    me.tab(window.tabs, training)
    me.wait(lambda: training.continue_button.isEnabled(), why="Continue offered after reopening")
    me.train(continuing=True)
    job = training.runner.job
    assert job.source_run is not None and job.epoch == 2 and len(job.history["loss"]) == 2
    import json
    record = json.loads((job.run_dir / "run.json").read_text(encoding="utf-8"))
    assert record["epochs"] == 2 and len(record["training"]) > 0
    me.wait(lambda: len(window.results.runs) == 2, why="the continued run listed")
    me.shot("continued")
