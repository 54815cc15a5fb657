"""Start the application: the window first, TensorFlow in the window's training child."""

from __future__ import annotations

import os
import sys


def start_window(language: str | None = None):
    """Create the application's window as ``studio`` shows it, and show it.

    The window never loads TensorFlow: its training child does, at once, and
    says so when it is ready (``TrainingRunner.loaded``); a Train pressed before
    then starts as soon as it is. ``language`` overrides the chosen one (tests).
    """
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from studio.resources import resource
    from studio.ui import language as languages
    from studio.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Perceptron Studio")
    app.setWindowIcon(QIcon(str(resource("icons", "perceptron-studio.png"))))
    languages.install_fonts()
    languages.install(language)
    window = MainWindow()
    window.training.ready = window.training.runner.remote.ready.is_set()
    window.show()
    return window


def run_app(args=None) -> int:
    """``studio`` and ``studio FILE…``: the window, with the first of ``args.files`` open in it."""
    from PySide6.QtWidgets import QApplication

    window = start_window()
    app = QApplication.instance()
    app.aboutToQuit.connect(window.shutdown)  # also when the session ends without closeEvent
    open_at_start(window, list(getattr(args, "files", None) or ()))
    code = app.exec()
    quit_now(code)
    return code  # not reached


def open_at_start(window, files: list[str]) -> None:
    """After a crash, first offer the unsaved work left behind; then open the file the studio was started with
    (should the recovered project have unsaved changes, opening the file asks about them, as File > Open does)."""
    recovered = window.offer_recovery()
    if not files:
        return
    from studio.ui.window_open import open_files, same_path
    if recovered and window.document.path is not None and same_path(files[0], window.document.path):
        # the file asked for is the one whose unsaved changes were just recovered: they stay open, unsaved
        window.statusBar().showMessage(window.tr("Recovered the unsaved changes to {0}; save them to keep them")
                                       .format(window.document.path.name), 15000)
        return
    open_files(window, files)


def quit_now(code: int) -> None:
    """End the process at once: everything worth keeping is already written.

    The window has saved its settings, killed its children and told its jobs to
    stop; what is left are threads that may be inside TensorFlow (loading it,
    or a training step) and TensorFlow's own slow teardown, which can take tens
    of seconds. Nothing of the user's is lost by not waiting for them.
    """
    if "studio.training.remote" in sys.modules:  # the training children end with the window, folders removed
        sys.modules["studio.training.remote"].close_all(grace=0.2)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(code)


if __name__ == "__main__":
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    sys.exit(run_app())
