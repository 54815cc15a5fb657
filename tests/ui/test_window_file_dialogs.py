"""File dialogs open in a sensible folder: the last one of that kind, the project's, else ~/Documents or home;
never the program's own working folder."""

from pathlib import Path

from PySide6.QtWidgets import QFileDialog

from studio.ui import file_actions


def _dialogs(monkeypatch, answer=""):
    starts = []

    def fake(parent, title, start="", filters="", *args, **kwargs):
        starts.append(start)
        return (answer, "") if answer is not None else ("", "")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", fake)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda parent, title, start="", *a, **k: starts.append(start) or "")
    return starts


def test_dialogs_start_at_home_or_documents_and_then_where_the_user_chose(window, tmp_path, monkeypatch):
    home = Path(tmp_path)  # the window fixture sets HOME
    starts = _dialogs(monkeypatch)
    window.open_project()
    window.import_model_file()
    window.data_panel._browse()
    assert starts == [str(home)] * 3 and Path.cwd() != home
    (home / "Documents").mkdir()
    window.export_model_file()
    assert starts[-1] == str(home / "Documents" / "model.h5")
    models = home / "models"
    models.mkdir()
    starts = _dialogs(monkeypatch, str(models / "net.h5"))
    window.import_model_file()  # the loader would start: it is given the chosen path, which does not exist
    window.cancel_job()
    starts = _dialogs(monkeypatch)
    window.export_model_file()
    assert starts == [str(models / "model.h5")]  # the folder of the last model chosen, remembered
    window.open_project()
    assert starts[-1] == str(home / "Documents")  # another kind: not the models folder


def test_a_saved_project_opens_its_dialogs_beside_it(window, tmp_path, monkeypatch):
    work = tmp_path / "work"
    work.mkdir()
    assert window.save_as(str(work / "p.studio.json"))
    starts = _dialogs(monkeypatch)
    window.data_panel.document.project.data["source"] = "csv"
    window.data_panel._browse()
    window.save_as()
    assert starts == [str(work), str(work / "p.studio.json")]


def test_start_folder_skips_what_is_gone(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    store = file_actions.settings()
    file_actions.remember_folder("csv", tmp_path / "gone" / "x.csv", store)
    assert file_actions.start_folder("csv", None, store) == tmp_path


def test_a_bundled_example_opened_from_its_folder_is_saved_elsewhere(tmp_path, monkeypatch):
    """Open an example by browsing to the program's examples folder, then Save As: not among the program's files."""
    from studio.resources import resource
    monkeypatch.setenv("HOME", str(tmp_path))
    store = file_actions.settings()
    example = resource("examples", "mnist_mlp.studio.json")
    file_actions.remember_folder("project", example, store)  # where the user found it
    assert file_actions.start_folder("project", example, store) == tmp_path
