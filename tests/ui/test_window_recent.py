"""File > Open Recent and the remembered window layout, read from a real settings file in a fresh HOME."""

from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray, QSettings, Qt

from studio.ui import file_actions
from studio.ui.main_window import MainWindow


@pytest.fixture(autouse=True)
def settings_home(tmp_path, monkeypatch):
    """Qt computes the settings folder once per process, so HOME alone does not give each test its own."""
    monkeypatch.setenv("HOME", str(tmp_path))
    QSettings.setPath(QSettings.NativeFormat, QSettings.UserScope, str(tmp_path / ".config"))
    QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, str(tmp_path / ".config"))


def _conf(tmp_path) -> Path:
    return tmp_path / ".config" / "PerceptronStudio" / "studio.conf"


def _write_conf(tmp_path, text: str) -> None:
    conf = _conf(tmp_path)
    conf.parent.mkdir(parents=True, exist_ok=True)
    conf.write_text(text, encoding="utf-8")


def _entries(window) -> list[str]:
    return [a.text() for a in window.recent_menu.actions() if not a.isSeparator()]


def test_one_recent_file_is_one_entry_and_opens(window, qtbot, tmp_path):
    project = tmp_path / "one.studio.json"
    window.save_as(str(project))
    # the settings file now holds a list of one, which QSettings reads back as a plain string next time
    assert f"recent={project}\n" in _conf(tmp_path).read_text(encoding="utf-8")
    fresh = MainWindow()
    qtbot.addWidget(fresh)
    assert _entries(fresh) == [str(project), "Clear Recent"]
    fresh.recent_menu.actions()[0].trigger()
    assert fresh.document.path == project
    assert file_actions.read_recent() == [str(project)]  # no junk written back


def test_two_recent_files_newest_first(window, tmp_path, qtbot):
    a, b = tmp_path / "a.studio.json", tmp_path / "b.studio.json"
    window.save_as(str(a))
    window.save_as(str(b))
    qtbot.waitUntil(lambda: _entries(window)[:2] == [str(b), str(a)])  # the menu is refilled after the event
    assert file_actions.read_recent() == [str(b), str(a)]


def test_junk_in_the_settings_is_dropped_and_a_missing_file_greyed(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    kept = tmp_path / "kept.studio.json"
    kept.write_text("{}", encoding="utf-8")
    gone = tmp_path / "gone.studio.json"
    # what the old version wrote back: one entry per character, plus a folder and a missing file
    _write_conf(tmp_path, f"[General]\nrecent=/, t, m, p, {tmp_path}, {gone}, {kept}, {kept}\n")
    window = MainWindow()
    qtbot.addWidget(window)
    actions = [a for a in window.recent_menu.actions() if not a.isSeparator()]
    assert [a.text() for a in actions] == [str(gone), str(kept), "Clear Recent"]
    assert not actions[0].isEnabled() and "no longer exists" in actions[0].toolTip()
    assert actions[1].isEnabled()
    file_actions.remember_recent(str(kept))
    assert file_actions.read_recent() == [str(kept), str(gone)]


def test_a_value_that_is_not_a_list_of_paths_gives_no_entries(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    _write_conf(tmp_path, "[General]\nrecent=@Variant(\\0\\0\\0\\x2\\0\\0\\0\\x5)\n")
    assert file_actions.read_recent() == []
    window = MainWindow()
    qtbot.addWidget(window)
    assert _entries(window) == ["(none yet)"]


def test_size_docks_and_maximised_state_are_remembered(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    first = MainWindow()
    qtbot.addWidget(first)
    first.show()
    qtbot.waitExposed(first)
    first.resize(701, 555)
    dock = first.findChildren(type(first.palette.parentWidget()))[0]
    first.removeDockWidget(dock)
    first.addDockWidget(Qt.RightDockWidgetArea, dock)
    dock.show()
    qtbot.wait(50)
    before = first.size()
    assert (before.width(), before.height()) != (1400, 860)  # not the default size
    first.close()
    second = MainWindow()
    qtbot.addWidget(second)
    assert second.size() == before
    moved = second.findChild(type(dock), dock.objectName())
    assert second.dockWidgetArea(moved) == Qt.RightDockWidgetArea
    second.show()
    qtbot.waitExposed(second)
    second.showMaximized()
    qtbot.waitUntil(second.isMaximized)
    second.close()
    third = MainWindow()
    qtbot.addWidget(third)
    assert third.windowState() & Qt.WindowMaximized


def test_a_damaged_saved_layout_leaves_the_default_one(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    store = QSettings("PerceptronStudio", "studio")
    store.setValue(file_actions.GEOMETRY_KEY, QByteArray(b"\x01\x02garbage" * 10))
    store.setValue(file_actions.STATE_KEY, "not bytes at all")
    store.sync()
    window = MainWindow()
    qtbot.addWidget(window)
    assert window.size().width() == 1400 and window.size().height() == 860
