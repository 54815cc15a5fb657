"""Qt fixtures: a main window whose training thread is shut down after each test."""

import pytest
from PySide6.QtCore import QSettings

from studio.ui.main_window import MainWindow


@pytest.fixture(autouse=True)
def own_settings(tmp_path):
    """Each test its own settings store (recent files, window layout, language).

    Qt fixes the settings folder once per process from HOME, so a HOME set per test
    alone would let one test's remembered window layout reach the next.
    """
    folder = tmp_path / "settings"
    for scope in (QSettings.UserScope, QSettings.SystemScope):
        QSettings.setPath(QSettings.NativeFormat, scope, str(folder / scope.name))
        QSettings.setPath(QSettings.IniFormat, scope, str(folder / scope.name))
    return folder


@pytest.fixture(autouse=True)
def no_unexpected_dialogs(monkeypatch):
    """A modal message box nobody answers would hang the suite: fail the test at once instead.

    A test that expects a question patches the one it expects (its monkeypatch comes later and wins).
    """
    from PySide6.QtWidgets import QMessageBox

    def unexpected(kind):
        def fail(parent, title, text, *args, **kwargs):
            raise AssertionError(f"unexpected modal {kind}: {title}: {text}")
        return fail

    for kind in ("question", "warning", "information", "critical"):
        monkeypatch.setattr(QMessageBox, kind, staticmethod(unexpected(kind)))


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))  # recent files go to a fresh settings store
    from studio.training.runs import reset_scratch
    reset_scratch()  # as in a new process: an earlier test's untitled runs are not this window's
    win = MainWindow()
    win.show()
    qtbot.waitExposed(win)
    yield win
    # Not qtbot.addWidget: qtbot closes its widgets before fixtures end, and a dirty
    # document would then ask (modally) whether to save.
    # The window's own shutdown waits 1.5 s at most and leaves a step to end by itself; a test waits for
    # it, so that no training thread of one test is still inside TensorFlow while the next one runs.
    win.training.runner.shutdown()
    # Likewise every background task (file jobs, data reading, checks): a thread still emitting
    # signals while its window is destroyed is a deadlock in Qt bindings, not a test result.
    from studio.ui.background import Background
    for task in win.findChildren(Background):
        task.wait(60)
    win.document.undo_stack.setClean()
    win.unsaved_runs = lambda: False  # a test's scratch runs: closing must not ask (modally) about them
    win.close()
    win.deleteLater()
    _collect_now()


def _collect_now() -> None:
    """Free the closed window and its garbage now, while no thread of it runs.

    Left to chance, a collection ran during the next test's training and met a
    worker thread mid-call: segfaults and a hang (CI, 2026-12-01).
    """
    import gc

    from PySide6.QtCore import QCoreApplication, QEvent
    QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)
    gc.collect()
