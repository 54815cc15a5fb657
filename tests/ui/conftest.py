"""Qt fixtures: a main window whose training thread is shut down after each test."""

import pytest

from studio.ui.main_window import MainWindow


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))  # recent files go to a fresh settings store
    win = MainWindow()
    win.show()
    qtbot.waitExposed(win)
    yield win
    # Not qtbot.addWidget: qtbot closes its widgets before fixtures end, and a dirty
    # document would then ask (modally) whether to save.
    win.training.runner.shutdown()
    win.document.undo_stack.setClean()
    win.close()
    win.deleteLater()
