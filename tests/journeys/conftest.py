"""Journeys: the real application in a real X server, driven as a person drives it.

``make journeys`` (and ``make test``) run these in their own pytest process, on
Qt's xcb platform, in an Xvfb display this file starts with openbox. Each
journey saves a screenshot of every step under ``build/journeys/<journey>/``
(or ``$STUDIO_JOURNEY_SHOTS``) and prints the folder.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from desktop import Hands, XServer, missing_tools

ROOT = Path(__file__).resolve().parents[2]
SHOTS = Path(os.environ.get("STUDIO_JOURNEY_SHOTS", ROOT / "build" / "journeys"))


@pytest.fixture(scope="session")
def desktop():
    """One X server with a window manager for the whole session (before Qt starts)."""
    missing = missing_tools()
    if missing:
        message = f"the journeys need {', '.join(missing)} (Debian: apt-get install xvfb xdotool openbox)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    server = XServer()
    os.environ["DISPLAY"] = server.display
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    yield server  # ended by its watchdog once this process has gone (Qt must never see it die first)


@pytest.fixture(scope="session")
def qapp(desktop, qapp_args, qapp_cls):
    """The QApplication, created only once the X server runs (pytest-qt's own, made later)."""
    from PySide6.QtWidgets import QApplication
    app = QApplication.instance() or qapp_cls(qapp_args)
    assert app.platformName() == "xcb", f"journeys must run on a real X server, not {app.platformName()}"
    app.setApplicationName("Perceptron Studio")
    yield app


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A first start: a fresh HOME (no settings, recent files, recovery files) and labs folder."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("STUDIO_LABS_HOME", str(home / "PerceptronStudio" / "labs"))
    monkeypatch.setenv("STUDIO_RECOVERY_DIR", str(home / ".perceptron-studio" / "recovery"))
    from PySide6.QtCore import QSettings  # Qt fixes the settings folder once per process: point it here
    for scope in (QSettings.UserScope, QSettings.SystemScope):
        QSettings.setPath(QSettings.NativeFormat, scope, str(home / ".config" / scope.name))
    return home


@pytest.fixture
def hands(qtbot, request):
    folder = SHOTS / request.node.name
    for old in folder.glob("*.png"):
        old.unlink()
    print(f"\nscreenshots: {folder}")
    return Hands(qtbot, folder)


@pytest.fixture
def start_studio(qapp, qtbot, home, hands):
    """Start the studio as ``studio`` does (window first, TensorFlow in its training child)."""
    from studio.ui.app import start_window
    started = []

    def start(language: str | None = None):
        from studio.training.runs import reset_scratch
        reset_scratch()  # as in a new process: an earlier journey's untitled runs are not this window's
        window = start_window(language=language)
        started.append(window)
        qtbot.waitExposed(window)
        hands.activate(window)
        return window

    yield start
    for window in started:
        if window.isVisible():
            window.document.undo_stack.setClean()  # never a modal question at the end of a test
            window.unsaved_runs = lambda: False
            window.training.runner.shutdown()  # no training child outlives its journey
            from studio.ui.background import Background
            for task in window.findChildren(Background):  # nor a background task (checks, file jobs)
                task.wait(60)
            window.close()
        window.deleteLater()
    from studio.ui import language
    language.install("en")
