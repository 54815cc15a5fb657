"""Nothing trained is lost without a question: an imported model is unsaved, and so is a run of an untitled
project (it lives in a temporary folder until the project is saved)."""

import json

from PySide6.QtWidgets import QMessageBox

from studio.core.graph import Graph
from studio.training import runs


def _asked(monkeypatch, answer=QMessageBox.Cancel):
    questions = []

    def question(*args, **kwargs):
        questions.append(args[2] if len(args) > 2 else "")
        return answer
    monkeypatch.setattr(QMessageBox, "question", question)
    return questions


def _small_graph():
    g = Graph("imported")
    g.add_node("Input", {"shape": [3]}, "x")
    g.add_node("Dense", {"units": 1}, "y")
    g.connect("x", "y")
    g.set_outputs(["y"])
    return g


def test_an_imported_model_is_unsaved_until_saved(window, qtbot, tmp_path, monkeypatch):
    from studio.core.keras_bridge import build_model
    model = tmp_path / "m.h5"
    build_model(_small_graph()).save(model)  # a Keras file from elsewhere: the window's child imports it
    with qtbot.waitSignal(window.job_ended, timeout=60_000) as ended:
        assert window.import_model_file(str(model))
    assert ended.args == ["import", True]
    assert window.document.graph.name == "imported"
    assert window.document.dirty and window.windowTitle().startswith("Untitled *")
    questions = _asked(monkeypatch)
    window.new_project()  # asks, and Cancel keeps the imported model
    assert len(questions) == 1 and window.document.graph.name == "imported"
    assert window.save_as(str(tmp_path / "kept.studio.json"))
    assert not window.document.dirty and "*" not in window.windowTitle()


def test_a_run_of_an_untitled_project_is_unsaved_and_replacing_the_project_asks(window, monkeypatch):
    assert not window.document.dirty and not window.unsaved_runs()
    folder = runs.new_run_dir(window.document.project)  # as training records it, in the scratch folder
    (folder / "run.json").write_text(json.dumps({"kind": "training"}), encoding="utf-8")
    window._update_title()  # what the window does when training ends (trained is connected to it)
    assert window.unsaved_runs() and window.windowTitle().startswith("Untitled *")
    questions = _asked(monkeypatch)
    window.new_project()
    assert questions and folder.exists()  # asked; Cancel keeps the project and its run
    assert window.windowTitle().startswith("Untitled *")
    questions = _asked(monkeypatch, QMessageBox.Discard)
    window.new_project()
    assert questions and not window.unsaved_runs()  # discarded: a fresh untitled project
    assert "*" not in window.windowTitle()
