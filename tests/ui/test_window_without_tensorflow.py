"""The window never loads TensorFlow: its training child does all the TensorFlow work (issue 19).

A fresh application process (the real ``start_window``) opens the wide-and-deep
example, waits for its child, shows every tab and the Summary tab's table,
trains one epoch, predicts the form's row, writes the run report, finds a
learning rate, writes the code export and the .h5 export, and imports it again;
a layer setting that Keras refuses is marked from the child's answer.
Afterwards neither ``tensorflow`` nor ``keras`` has been imported in the
window's process."""

import json
import os
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent("""
    import json, sys, time
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication
    from studio.resources import resource
    from studio.ui import commands
    from studio.ui.app import quit_now, start_window

    window = start_window(language="en")
    out = sys.argv[1]
    steps = []

    def wait(signal, seconds=120):
        loop, got = QEventLoop(), []
        signal.connect(lambda *args: (got.append(args), loop.quit()))
        QTimer.singleShot(int(seconds * 1000), loop.quit)
        loop.exec()
        if not got:
            raise TimeoutError(f"nothing within {seconds} s")
        return got[0]

    def until(done, seconds=120):
        deadline = time.monotonic() + seconds
        while not done():
            if time.monotonic() > deadline:
                raise TimeoutError(f"not done within {seconds} s")
            pump(50)

    def pump(ms):
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def main():
        window.open_project(str(resource("examples", "wide_deep.studio.json")))
        if not window.training.ready:
            wait(window.training.runner.loaded)
        steps.append("loaded: " + window.tf_label.text())
        doc, graph = window.document, window.document.graph
        dense = next(n.name for n in graph if n.class_name == "Dense")
        doc.push(commands.SetParam(graph, dense, "kernel_initializer", {"class_name": "NoSuchInitializer"}))
        until(lambda: any(dense in p.nodes for p in doc.report.errors))
        steps.append("refused: " + next(str(p) for p in doc.report.errors if dense in p.nodes))
        doc.undo_stack.undo()
        until(lambda: doc.report.ok)
        for i in range(window.tabs.count()):
            window.tabs.setCurrentIndex(i)
            pump(200)
        window.tabs.setCurrentWidget(window.summary_panel)
        until(lambda: window.summary_panel.summary is not None)
        steps.append("summary")
        doc.project.training["epochs"] = 1
        window.training.load_settings()
        window.training.train_button.click()
        wait(window.training.trained)
        steps.append("trained")
        if not window.save_report(out + "/report.html"):
            raise RuntimeError("no report")
        wait(window.job_ended)
        window.tabs.setCurrentWidget(window.predict)
        window.predict.refresh()
        wait(window.predict.row_predicted)  # the form's first row, as the tab predicts it once it has the model
        steps.append("predicted: " + window.predict.row_answer.text().splitlines()[0])
        window.tabs.setCurrentWidget(window.tune)
        window.tune.find_rate()
        wait(window.training.runner.finder_done, 120)
        steps.append("found a rate")
        window.code.export(out + "/script.py")
        wait(window.code.exported)
        window.export_model_file(out + "/model.h5")
        wait(window.job_ended)
        doc.undo_stack.setClean()
        window.unsaved_runs = lambda: False
        window.import_model_file(out + "/model.h5")
        wait(window.job_ended)
        steps.append("imported")
        loaded = [name for name in ("tensorflow", "keras", "keras_tuner") if name in sys.modules]
        with open("/proc/self/status") as f:
            rss = next(int(line.split()[1]) for line in f if line.startswith("VmRSS"))
        print("RESULT", json.dumps({"steps": steps, "loaded": loaded, "rss_mb": rss / 1024}), flush=True)
        window.training.runner.shutdown()
        doc.undo_stack.setClean()
        quit_now(0)

    def run():
        try:
            main()
        except BaseException as exc:
            import traceback
            traceback.print_exc()
            print("FAILED", steps, repr(exc), flush=True)
            quit_now(3)

    QTimer.singleShot(0, run)
    QApplication.instance().exec()
""")


def test_the_window_does_all_its_work_without_importing_tensorflow(tmp_path):
    env = dict(os.environ, HOME=str(tmp_path), QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
               TF_CPP_MIN_LOG_LEVEL="3")
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path)], env=env, capture_output=True, text=True,
                          timeout=600)
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    assert done.returncode == 0 and lines, done.stdout[-3000:] + done.stderr[-3000:]
    result = json.loads(lines[0][len("RESULT "):])
    print(f"the window's resident memory at the end: {result['rss_mb']:.0f} MB")
    assert result["loaded"] == [], result
    steps = result["steps"]
    assert steps[0] == "loaded: TensorFlow ready · training on CPU"
    assert "NoSuchInitializer" in steps[1] and "Keras offers" in steps[1], steps[1]  # the child judged it
    assert steps[2:4] == ["summary", "trained"] and steps[4].startswith("predicted: ")
    assert steps[5:] == ["found a rate", "imported"]
    assert (tmp_path / "script.py").read_text(encoding="utf-8").count("def build_model(") == 1
    assert (tmp_path / "report.html").stat().st_size > 0
