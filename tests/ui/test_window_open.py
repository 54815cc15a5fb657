"""``studio FILE…`` and a file dropped from the file manager open it in the window, as the File menu would;
a file that cannot be opened is said in the window, which stays open."""

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from studio.classroom.packs import create_pack
from studio.ui.app import open_at_start
from studio.ui.window_open import file_kind, open_files
from training.helpers import classification_csv, mlp_project

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "resources" / "examples" / "mnist_mlp.studio.json"


@pytest.fixture
def warnings(monkeypatch):
    said = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda parent, title, text, *a: said.append((title, text))))
    return said


@pytest.fixture(autouse=True)
def own_places(tmp_path, monkeypatch):
    monkeypatch.setenv("STUDIO_LABS_HOME", str(tmp_path / "labs"))
    monkeypatch.setenv("STUDIO_RECOVERY_DIR", str(tmp_path / "recovery"))  # nothing to recover: no question


def test_file_kinds_by_name():
    assert [file_kind(n) for n in ("a.studio.json", "A.STUDIO-PACK", "m.h5", "m.keras", "d.csv", "d.tsv", "x.json",
                                   "x")] == ["project", "assignment", "model", "model", "csv", "csv", None, None]


def test_a_project_opens(window, tmp_path):
    open_at_start(window, [str(EXAMPLE)])  # what run_app does with `studio FILE`
    assert window.document.path == EXAMPLE and "mnist_mlp.studio.json" in window.windowTitle()


def test_an_assignment_pack_opens_as_file_open_assignment_does(window, qtbot, tmp_path):
    teacher = tmp_path / "teacher"
    teacher.mkdir()
    mlp_project(teacher)
    pack = create_pack(teacher / "points.studio.json", tmp_path / "points.studio-pack")
    with qtbot.waitSignal(window.job_ended, timeout=30_000) as ended:
        assert open_files(window, [pack])
    assert ended.args == ["assignment", True]
    assert window.document.path == tmp_path / "labs" / "assignments" / "points" / "points.studio.json"
    assert window.tabs.currentWidget() is window.lab
    said = window.statusBar().currentMessage()
    assert said.startswith("Opened the assignment") and str(tmp_path / "labs" / "assignments" / "points") in said


def test_a_model_is_imported_through_the_safe_load(window, qtbot, tmp_path):
    from studio.training.model_files import save_model
    from training.test_model_checksum import tiny
    path = save_model(tiny(), tmp_path / "tiny.h5")
    with qtbot.waitSignal(window.job_ended, timeout=60_000) as ended:
        assert open_files(window, [path, tmp_path / "other.csv"])
    assert ended.args == ["import", True]
    assert window.document.graph.name == "tiny" and window.training.runner.source is not None
    assert "Opened tiny.h5 only" in window.statusBar().currentMessage()  # after "Imported …", not under it


def test_a_csv_is_a_new_project_with_that_data_on_the_data_tab(window, qtbot, tmp_path):
    csv = classification_csv(tmp_path / "points.csv")
    open_files(window, [csv])
    assert window.document.path is None and window.document.project.data["source"] == "csv"
    assert Path(window.document.project.data["path"]) == csv.resolve()
    assert window.tabs.currentWidget() is window.data_panel
    qtbot.waitUntil(lambda: window.data_panel.table is not None, timeout=10_000)
    assert window.data_panel.target.count() == len(window.data_panel.infos) > 1


def test_several_files_open_the_first_and_say_so(window, tmp_path):
    open_files(window, [EXAMPLE, tmp_path / "b.studio.json", tmp_path / "c.h5"])
    assert window.document.path == EXAMPLE
    assert window.statusBar().currentMessage() == (
        "Opened mnist_mlp.studio.json only: the studio opens one file at a time (not opened: b.studio.json, c.h5).")


def test_when_the_first_file_fails_the_next_opens_and_the_note_says_so(window, tmp_path, warnings):
    broken = tmp_path / "bad.studio.json"
    broken.write_text("{not json", encoding="utf-8")
    assert open_files(window, [broken, EXAMPLE, tmp_path / "c.csv"])
    assert window.document.path == EXAMPLE and [title for title, _ in warnings] == ["Cannot open"]
    assert window.statusBar().currentMessage() == ("bad.studio.json could not be opened; opened mnist_mlp.studio.json "
                                                   "instead: the studio opens one file at a time (not opened: c.csv).")
    warnings.clear()
    assert not open_files(window, [broken, tmp_path / "missing.studio.json"])
    assert len(warnings) == 2 and window.statusBar().currentMessage() == "None of the 2 files could be opened."


def test_a_file_url_opens_the_file_it_names(window):
    open_files(window, [QUrl.fromLocalFile(str(EXAMPLE)).toString()])
    assert window.document.path == EXAMPLE


def test_recovered_changes_to_the_file_asked_for_stay_open_unsaved(window, tmp_path, monkeypatch):
    from studio.core.project import load_project, save_project
    project = mlp_project(tmp_path)
    path = save_project(project, tmp_path / "mine.studio.json")
    edited = load_project(path)
    edited.training["epochs"] = 77  # what the crashed session had not saved
    monkeypatch.setattr(type(window), "offer_recovery", lambda self: self.document.replace(edited) or True)
    open_at_start(window, [str(path)])
    assert window.document.project.training["epochs"] == 77 and window.document.path == path
    assert "Recovered the unsaved changes to mine.studio.json" in window.statusBar().currentMessage()


def test_saving_over_a_file_another_window_changed_asks_first(window, tmp_path, monkeypatch):
    import os

    from studio.core.project import load_project, save_project
    path = save_project(mlp_project(tmp_path), tmp_path / "shared.studio.json")
    assert window.open_project(str(path))
    other = load_project(path)
    other.training["epochs"] = 5
    save_project(other, path)  # a second window on the same project saves first
    os.utime(path, ns=(os.stat(path).st_atime_ns, os.stat(path).st_mtime_ns + 10_000_000))
    asked = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(
        lambda parent, title, text, *a: asked.append(text) or QMessageBox.Cancel))
    window.document.project.training["batch_size"] = 8
    assert not window.save()
    assert asked and "shared.studio.json was changed by another window or program" in asked[0]
    assert load_project(path).training["epochs"] == 5  # their change is still there
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda parent, title, text, *a: QMessageBox.Save))
    assert window.save() and load_project(path).training["batch_size"] == 8
    asked.clear()
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(
        lambda parent, title, text, *a: asked.append(text) or QMessageBox.Cancel))
    assert window.save() and asked == []  # saved by this window since: no question


def test_files_that_cannot_be_opened_are_said_in_the_open_window(window, qtbot, tmp_path, warnings):
    broken = tmp_path / "broken.studio.json"
    broken.write_text("{not json", encoding="utf-8")
    for path in (broken, tmp_path / "missing.studio.json", tmp_path / "photo.png", tmp_path / "missing.csv"):
        assert not open_files(window, [path])
    assert [title for title, _ in warnings] == ["Cannot open"] * 4
    assert str(broken) in warnings[0][1] and "not a file Perceptron Studio opens" in warnings[2][1]
    assert "no such file" in warnings[3][1]
    damaged = tmp_path / "damaged.h5"
    damaged.write_bytes(b"not an HDF5 file")
    with qtbot.waitSignal(window.job_ended, timeout=60_000) as ended:  # the import's own message, in the window
        assert open_files(window, [damaged])
    assert ended.args == ["import", False] and window.job_error.windowTitle() == "Cannot import"
    window.job_error.close()
    assert window.isVisible() and window.document.path is None


def _drop(target, paths):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    where = target.rect().center()
    enter = QDragEnterEvent(where, Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    QApplication.sendEvent(target, enter)
    drop = QDropEvent(QPointF(where), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    QApplication.sendEvent(target, drop)
    return enter.isAccepted(), drop.isAccepted()


def test_a_file_dropped_on_the_window_opens(window, qtbot):
    assert window.acceptDrops()
    assert _drop(window, [EXAMPLE]) == (True, True)
    qtbot.waitUntil(lambda: window.document.path == EXAMPLE, timeout=5_000)


def test_a_file_dropped_on_the_canvas_reaches_the_window(window, qtbot, tmp_path):
    csv = classification_csv(tmp_path / "points.csv")
    _drop(window.view.viewport(), [csv])
    qtbot.waitUntil(lambda: window.document.project.data.get("source") == "csv", timeout=5_000)


def test_a_drop_without_files_is_not_taken(window):
    mime = QMimeData()
    mime.setText("hello")
    enter = QDragEnterEvent(QPoint(5, 5), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    QApplication.sendEvent(window, enter)
    assert not enter.isAccepted()


def test_the_file_menu_opens_the_bundled_examples_and_saving_one_asks_where(window, tmp_path, monkeypatch):
    titles = [action.text() for action in window.examples_menu.actions()]
    assert titles == ["mnist_mlp.studio.json", "wide_deep.studio.json"]
    window.examples_menu.actions()[0].trigger()
    assert window.document.path == EXAMPLE
    asked = []
    monkeypatch.setattr(type(window), "_ask_path", lambda self, path, kind, *a, **k: asked.append(kind) or "")
    before = EXAMPLE.read_bytes()
    window.document.project.training["epochs"] = 3
    assert not window.save() and asked == ["project"]  # Save As: the bundled file is not written
    assert EXAMPLE.read_bytes() == before
