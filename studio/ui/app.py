"""Start the application: the window first, TensorFlow in the background."""

from __future__ import annotations

import os
import sys


def load_keras(progress=None, cancelled=None) -> list:
    """Import TensorFlow and Keras and fill the registries the inspector lists; returns the devices.

    A Background task (``start_window`` runs it): the devices are e.g. ``["CPU"]`` or
    ``["CPU", "GPU:0"]``. A failure is never the user's: its message names the
    exception's type ("ImportError: …"), which is what the status bar shows.
    """
    from studio.core import registries
    try:
        registries.keras()
        for registry in ("activations", "initializers", "regularizers"):
            registries.names(registry)
        return registries.devices()
    except Exception as exc:  # reported in the status bar; the editor keeps working
        raise RuntimeError(f"{type(exc).__name__}: {exc}") from exc


def start_window(language: str | None = None):
    """Create the application's window as ``studio`` shows it; returns (window, TensorFlow loader).

    The window is shown at once; TensorFlow loads as a Background task (the
    loader, ``load_keras``) and the window is told when it is ready.
    ``language`` overrides the chosen one (tests).
    """
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from studio.resources import resource
    from studio.ui import language as languages
    from studio.ui.main_window import MainWindow
    from studio.ui.background import Background

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Perceptron Studio")
    app.setWindowIcon(QIcon(str(resource("icons", "perceptron-studio.png"))))
    languages.install_fonts()
    languages.install(language)
    window = MainWindow()
    window.training.ready = False
    window.show()
    loader = Background(name="tensorflow-loader")
    loader.done.connect(window.tensorflow_loaded)
    loader.failed.connect(lambda message, _details: window.tf_label.setText(
        languages.translate("MainWindow", "TensorFlow failed to load: {0}").format(message)))
    loader.start(load_keras)
    return window, loader


def run_app(args=None) -> int:
    """``studio`` and ``studio FILE…``: the window, with the first of ``args.files`` open in it."""
    from PySide6.QtWidgets import QApplication

    window, loader = start_window()
    app = QApplication.instance()
    app.aboutToQuit.connect(window.shutdown)  # also when the session ends without closeEvent
    open_at_start(window, list(getattr(args, "files", None) or ()))
    code = app.exec()
    quit_now(code)  # the TensorFlow loader's thread is not waited for either
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
