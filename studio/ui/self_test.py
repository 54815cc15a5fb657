"""``studio --self-test``: the whole flow, headless, in the installed application.

Builds the MNIST MLP through the same commands the mouse gives, trains one
epoch on 2,000 images in the worker thread, checks that the curves have
points, exports the model as .h5, imports it again and compares the graph
and the weights. Prints one line per step and exits 0 only if every step
worked; the packaged installers run it after building.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import traceback
from pathlib import Path


def build_mnist_mlp(window, hidden=(300, 100), limit=2000, optimizer="SGD", learning_rate=0.01):
    """Build the MNIST MLP with the commands the mouse gives; returns the validation report."""
    from PySide6.QtCore import QPointF

    from studio.ui import commands

    scene, graph, doc = window.scene, window.document.graph, window.document
    layers = [("Input", {"shape": [28, 28], "dtype": "uint8"}), ("Rescaling", {}), ("Flatten", {})]
    layers += [("Dense", {"units": units, "activation": "relu"}) for units in hidden]
    layers += [("Dense", {"units": 10, "activation": "softmax"})]
    names = []
    for i, (class_name, config) in enumerate(layers):
        name = scene.add_layer(class_name, QPointF(i * 220, 0))
        for key, value in config.items():
            doc.push(commands.SetParam(graph, name, key, value))
        if names and not scene.connect_nodes(names[-1], name):
            raise RuntimeError(f"could not connect {names[-1]} to {name}")
        names.append(name)
    doc.push(commands.SetOutput(graph, names[-1], True))
    doc.project.data.update(source="mnist", limit=limit, validation=0.1)
    doc.project.training.update(loss="sparse_categorical_crossentropy", metrics=["accuracy"], epochs=1,
                                batch_size=32, optimizer={"class_name": optimizer,
                                                          "config": {"learning_rate": learning_rate}})
    window.training.load_settings()
    return doc.report


def run_self_test() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from studio.core import registries
    from studio.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = MainWindow()
    window.show()
    steps = []

    def step(name, check):
        start = time.perf_counter()
        try:
            detail = check()
            steps.append(True)
            print(f"ok    {name} ({time.perf_counter() - start:.1f} s){': ' + detail if detail else ''}", flush=True)
        except Exception as exc:
            steps.append(False)
            print(f"FAIL  {name}: {exc}", flush=True)
            traceback.print_exc()
        return steps[-1]

    def wait_for(signal, timeout_s, failure=None):
        loop, result, failed = QEventLoop(), [], []
        signal.connect(lambda *args: (result.append(args), loop.quit()))
        if failure is not None:  # e.g. the training runner's failed(message, details)
            failure.connect(lambda message, *rest: (failed.append(message), loop.quit()))
        QTimer.singleShot(int(timeout_s * 1000), loop.quit)
        loop.exec()
        if failed:
            raise RuntimeError(failed[0])
        if not result:
            raise TimeoutError(f"nothing after {timeout_s:.0f} s")
        return result[0]

    def load_tensorflow():  # in the window's training child, which says when it is ready
        runner = window.training.runner
        devices = wait_for(runner.loaded, 300)[0] if not runner.remote.ready.is_set() else \
            registries.known_devices()
        return ", ".join(devices)

    def build():
        report = build_mnist_mlp(window)
        if not report.ok or report.total_params != 266_610:
            raise RuntimeError(f"unexpected model: {report.total_params:,} parameters, "
                               f"{[str(p) for p in report.errors]}")
        return "266,610 parameters"

    def train():
        window.training.train_button.click()
        result, results = wait_for(window.training.trained, 300, window.training.runner.failed)
        points = len(window.training.curves["loss"].getData()[0])
        if result.reason != "completed" or points != 1:
            raise RuntimeError(f"training ended {result.reason} with {points} curve points")
        if results.confusion is None or results.confusion.sum() == 0:
            raise RuntimeError("no confusion matrix")
        return f"test accuracy {results.test['accuracy']:.3f}"

    folder = Path(tempfile.mkdtemp(prefix="studio-self-test-"))

    def save_and_reopen():
        import numpy as np
        path = folder / "mlp.h5"
        if not window.export_model_file(str(path)) or not wait_for(window.job_ended, 120)[1]:  # saved off the GUI thread
            raise RuntimeError("export failed")
        if "tensorflow" in sys.modules:
            raise RuntimeError("the window imported TensorFlow: its training child should do all that work")
        before = {layer["name"]: layer["class_name"] for layer in window.document.graph.to_dict()["layers"]}
        from studio.training.model_files import load_model
        trained = load_model(window.training.runner.job.model_path)[0].get_weights()  # as the child recorded it
        window.document.undo_stack.setClean()
        window.unsaved_runs = lambda: False  # the self-test's own scratch run: nothing to ask about
        if not window.import_model_file(str(path)) or not wait_for(window.job_ended, 300)[1]:
            raise RuntimeError("import failed")
        after = {layer["name"]: layer["class_name"] for layer in window.document.graph.to_dict()["layers"]}
        if after != before:
            raise RuntimeError(f"graph changed: {before} -> {after}")
        if not all(np.array_equal(a, b) for a, b in zip(trained, load_model(window.training.runner.source["path"])[0].get_weights())):
            raise RuntimeError("weights changed")
        return f"{path.stat().st_size / 1e6:.1f} MB"

    step("load TensorFlow", load_tensorflow)
    step("build the MNIST MLP", build) and step("train one epoch on 2,000 images", train) \
        and step("export .h5 and import it again", save_and_reopen)
    window.training.runner.shutdown()
    window.document.undo_stack.setClean()
    window.close()
    ok = all(steps) and len(steps) == 4
    print("self-test passed" if ok else "self-test FAILED", flush=True)
    # As the studio itself quits: at once. Python's own teardown of Qt and TensorFlow objects still
    # alive in other threads crashed the process now and then (exit -11 after "self-test passed").
    from studio.ui.app import quit_now
    quit_now(0 if ok else 1)
    return 0 if ok else 1  # not reached
