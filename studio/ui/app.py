"""Start the application: the window first, TensorFlow in the background."""

from __future__ import annotations

import os
import sys


def run_app(args=None) -> int:
    from PySide6.QtWidgets import QApplication

    from studio.ui.main_window import MainWindow
    from studio.ui.tf_loader import KerasLoader

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Perceptron Studio")
    from PySide6.QtGui import QIcon

    from studio.resources import resource
    app.setWindowIcon(QIcon(str(resource("icons", "perceptron-studio.png"))))
    from studio.ui import language
    language.install_fonts()
    language.install()
    window = MainWindow()
    window.training.ready = False
    window.show()
    loader = KerasLoader()
    loader.loaded.connect(window.tensorflow_loaded)
    loader.failed.connect(lambda message: window.tf_label.setText(
        language.translate("MainWindow", "TensorFlow failed to load: {0}").format(message)))
    loader.start()
    app.aboutToQuit.connect(window.training.runner.shutdown)
    project = getattr(args, "project", None)
    if not window.offer_recovery() and project:
        window.open_project(project)
    code = app.exec()
    loader.wait()
    return code


if __name__ == "__main__":
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    sys.exit(run_app())
