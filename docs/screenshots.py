"""Render the window in its main states to docs/screenshots/*.png (``make screenshots``).

Runs offscreen (or on any QPA platform set in QT_QPA_PLATFORM) and grabs the
window itself, so the pictures are what a user sees at 1400x860.

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/screenshots.py [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QObject  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from studio.core import registries  # noqa: E402
from studio.resources import resource  # noqa: E402


def wait_for(signal, condition=lambda *args: True) -> None:
    loop = QEventLoop()
    connection = signal.connect(lambda *args: condition(*args) and loop.quit())
    loop.exec()
    QObject.disconnect(connection)


def settle(app) -> None:
    for _ in range(5):
        app.processEvents()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=str(Path(__file__).parent / "screenshots"))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    from studio.ui.main_window import MainWindow
    app = QApplication.instance() or QApplication([])
    app.setApplicationName("Perceptron Studio")
    window = MainWindow()
    window.resize(1400, 860)
    window.show()
    settle(app)

    def shot(name: str) -> None:
        settle(app)
        window.grab().save(str(out / f"{name}.png"))
        print(out / f"{name}.png")

    window.tabs.setCurrentWidget(window.training)
    shot("1-empty")
    registries.keras()
    window.tensorflow_loaded(registries.devices())
    window.open_project(str(resource("examples", "mnist_mlp.studio.json")))
    window.document.project.data["limit"] = 6000
    window.document.project.training.update(epochs=4, batch_size=64)
    window.training.load_settings()
    window.view.fit()
    window.scene.nodes["dense"].setSelected(True)
    window.tabs.setCurrentWidget(window.data_panel)
    wait_for(window.data_panel.loaded)
    shot("2-model-and-data")
    window.tabs.setCurrentWidget(window.training)
    window.training.train_button.click()
    wait_for(window.training.runner.epoch_ended, lambda epoch, logs: epoch == 2)
    window.training._redraw()
    shot("3-training")
    wait_for(window.training.trained)
    shot("4-results")
    window.results.tabs.setCurrentIndex(1)
    shot("5-mistakes")
    window.document.undo_stack.setClean()
    window.open_project(str(resource("examples", "wide_deep.studio.json")))
    window.view.fit()
    window.tabs.setCurrentWidget(window.code)
    window.code.refresh()
    shot("6-code")
    window.document.undo_stack.setClean()
    window.open_project(str(resource("examples", "mnist_mlp.studio.json")))
    window.document.project.data["limit"] = 12000
    window.tabs.setCurrentWidget(window.tune)
    window.tune.find_button.click()
    wait_for(window.tune.worker.done)
    shot("8-tune")
    window.document.undo_stack.setClean()
    window.training.runner.shutdown()
    window.close()

    # The same window in Korean, with lab 4 open (the students' copy goes to a temporary folder).
    import tempfile
    from studio.training.labs import find_lab
    from studio.ui import language
    os.environ["STUDIO_LABS_HOME"] = tempfile.mkdtemp(prefix="studio-labs-")
    language.install_fonts()
    language.install("ko")
    window = MainWindow()
    window.resize(1400, 860)
    window.show()
    window.tensorflow_loaded(registries.devices())
    window.open_lab(find_lab(4))
    window.view.fit()
    window.lab.check_button.click()
    wait_for(window.lab.checked)
    shot("7-korean-lab")
    window.training.runner.shutdown()
    window.close()


if __name__ == "__main__":
    main()
