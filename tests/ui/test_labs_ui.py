"""The Code and Lab tabs: live code in three styles, script export, labs opened, checked and explained."""

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from studio.classroom.labs import find_lab, work_folder
from studio.core.keras_bridge import build_model

ROOT = Path(__file__).resolve().parents[2]
MNIST = ROOT / "resources" / "examples" / "mnist_mlp.studio.json"
WIDE_DEEP = ROOT / "resources" / "examples" / "wide_deep.studio.json"


@pytest.fixture
def labs_home(tmp_path, monkeypatch):
    home = tmp_path / "labs"
    monkeypatch.setenv("STUDIO_LABS_HOME", str(home))
    return home


def open_lab(window, qtbot, number):
    """File > Labs… in a test: the copy is made in the background; wait for the job's end, never sleep."""
    with qtbot.waitSignal(window.job_ended, timeout=30000) as ended:
        assert window.open_lab(find_lab(number))
    assert ended.args == ["lab", True]


def choose_style(code, style):
    code.style.setCurrentIndex(code.style.findData(style))


def test_code_pane_follows_the_graph_and_offers_sequential_only_for_chains(window, qtbot):
    code = window.code
    window.document.open(MNIST)
    qtbot.waitUntil(lambda: "name='mnist_mlp'" in code.code.toPlainText())
    choose_style(code, "sequential")
    assert "keras.Sequential([" in code.code.toPlainText() and not code.note.isVisible()
    window.document.open(WIDE_DEEP)
    qtbot.waitUntil(lambda: "wide_input" in code.code.toPlainText())
    assert not code.style.model().item(code.style.findData("sequential")).isEnabled()
    assert "inputs=[wide_input, deep_input],\n        outputs=[main_output, aux_output]," in code.code.toPlainText()
    assert "Sequential needs one straight chain" in code.note.text()
    choose_style(code, "subclassing")
    assert "class WideDeepModel(keras.Model):" in code.code.toPlainText()


def test_code_pane_updates_after_an_edit_and_undo(window, qtbot):
    from studio.ui import commands
    window.document.open(MNIST)
    code = window.code
    qtbot.waitUntil(lambda: "units=300" in code.code.toPlainText())
    window.document.push(commands.SetParam(window.document.graph, "dense", "units", 64))
    qtbot.waitUntil(lambda: "units=64" in code.code.toPlainText())
    window.document.undo_stack.undo()
    qtbot.waitUntil(lambda: "units=300" in code.code.toPlainText())


def test_export_script_from_the_pane_is_written_by_the_child(window, qtbot, tmp_path):
    window.document.open(WIDE_DEEP)
    target = tmp_path / "wide_deep.py"
    choose_style(window.code, "functional")
    with qtbot.waitSignal(window.code.exported, timeout=60000) as exported:
        window.code.export(str(target))
    assert exported.args == [str(target)]
    text = target.read_text(encoding="utf-8")
    assert "def load_data(" in text and "if __name__ == \"__main__\":" in text
    assert window.code.export_button.isEnabled()


def test_export_script_refused_by_keras_says_why_in_one_line(window, qtbot, tmp_path):
    window.document.open(WIDE_DEEP)
    window.document.project.training["loss"]["main_output"] = "no_such_loss"  # only Keras knows it has none
    messages = []
    window.code.message.connect(messages.append)
    window.code.export(str(tmp_path / "wide_deep.py"))
    qtbot.waitUntil(lambda: not window.code.exporting, timeout=60000)
    assert not (tmp_path / "wide_deep.py").exists()
    assert messages and "no_such_loss" in messages[-1] and "\n" not in messages[-1]
    assert window.code.note.text() == messages[-1] and not window.code.note.isHidden()
    assert window.code.export_button.isEnabled()


def test_lab_2_opens_checks_and_hints(window, qtbot, labs_home):
    open_lab(window, qtbot, 2)
    folder = work_folder(find_lab(2))
    assert window.document.path == folder / "xor.studio.json"
    assert window.tabs.currentWidget() is window.lab
    assert "XOR" in window.lab.title.text() and "perceptron" in window.lab.lesson.toPlainText()
    assert window.lab.perceptron.isVisible()
    with qtbot.waitSignal(window.lab.checked, timeout=60000) as signal:
        window.lab.check_button.click()
    result = signal.args[0]
    assert not result.passed
    report = window.lab.report.toPlainText()
    assert "✘" in report and "Hint: Put a Dense layer" in report


def test_lab_1_perceptron_animates_and_passes_for_setosa(window, qtbot, labs_home):
    open_lab(window, qtbot, 1)
    view = window.lab.perceptron
    assert view.positive.currentText() == "versicolor"
    view.positive.setCurrentText("setosa")
    view.epochs.setValue(10)
    view.run()
    assert view.timer.isActive()
    qtbot.waitUntil(lambda: not view.timer.isActive(), timeout=20000)
    assert view.status.text().startswith("Converged after 2 epochs")
    assert len(view.boundary.getData()[0]) == 2  # the final line is drawn
    with qtbot.waitSignal(window.lab.checked, timeout=30000) as signal:
        window.lab.check_button.click()
    assert signal.args[0].passed


def chain_of(model):
    """What the window's child answers for ``model`` (studio.service: linear_chain)."""
    from studio.classroom.activations import linear_chain
    return linear_chain([{"name": layer.name, "activation": layer.get_config()["activation"],
                          "kernel": layer.kernel.numpy(), "bias": layer.bias.numpy()} for layer in model.layers
                         if type(layer).__name__ == "Dense"])


def test_lab_3_collapses_a_linear_stack_but_not_a_relu_one(window, qtbot, labs_home):
    open_lab(window, qtbot, 3)
    view = window.lab.activations
    assert view is not None and view.isVisible()
    view.collapse(chain_of(build_model(window.document.graph)))
    text = view.result.text()
    assert ("hidden1 (2, 8) → hidden2 (8, 8) → output (8, 1) collapse into one layer with weights of shape (2, 1) "
            "and a bias of length 1") in text
    difference = float(text.rsplit("at most ", 1)[1].rstrip("."))
    assert difference < 1e-4
    for name in ("hidden1", "hidden2"):
        window.document.graph.set_param(name, "activation", "relu")
    view.collapse(chain_of(build_model(window.document.graph)))
    assert "cannot be collapsed" in view.result.text()


def test_lab_3_collapses_the_trained_model_in_the_window_child(window, qtbot, labs_home):
    open_lab(window, qtbot, 3)
    with qtbot.waitSignal(window.training.trained, timeout=120_000):
        window.training.train_button.click()
    view = window.lab.activations
    view.collapse_button.click()  # the layers are read from the trained model file by the window's child
    qtbot.waitUntil(lambda: "collapse into one layer" in view.result.text(), timeout=60_000)
    with qtbot.waitSignal(window.training.runner.started, timeout=120_000):
        window.training.train_button.click()
    assert view.result.text() == ""  # it described the model trained before


def test_lab_browser_lists_every_lab_and_marks_started_ones(qtbot, labs_home):
    from studio.classroom.labs import start_lab
    from studio.ui.lab_browser import LabBrowser
    start_lab(find_lab(4))
    browser = LabBrowser()
    qtbot.addWidget(browser)
    items = [browser.list.item(i).text() for i in range(browser.list.count())]
    assert len(items) == 10 and items[0].startswith("1. The perceptron learning rule")
    assert "(started)" in items[3] and "(started)" not in items[0]
    assert not browser.restart_button.isEnabled()
    browser.list.setCurrentRow(3)
    assert browser.restart_button.isEnabled()
    browser.restart_button.click()
    assert browser.chosen.number == 4 and browser.restart
    assert browser.list.item(0).data(Qt.UserRole) == "01-perceptron"


def test_an_assignment_is_exported_opened_and_checked_in_the_app(window, qtbot, labs_home, tmp_path,
                                                                  monkeypatch):
    from PySide6.QtWidgets import QMessageBox
    messages = []
    monkeypatch.setattr(QMessageBox, "information", lambda *args: messages.append(args[2]))
    open_lab(window, qtbot, 5)
    pack = tmp_path / "regression.studio-pack"
    with qtbot.waitSignal(window.job_ended, timeout=30000) as ended:  # hashed and zipped off the GUI thread
        assert window.export_assignment(str(pack))
    assert ended.args == ["export-assignment", True] and pack.is_file()
    with qtbot.waitSignal(window.job_ended, timeout=30000) as ended:  # unzipped and checked off the GUI thread
        assert window.open_assignment(str(pack))
    assert ended.args == ["assignment", True]
    assert window.document.path == labs_home / "assignments" / "regression" / "auto_mpg.studio.json"
    assert window.tabs.currentWidget() is window.lab and "A regression MLP" in window.lab.title.text()
    assert window.lab.title.text().startswith("<b>Assignment: ")  # not "Lab 0"
    with qtbot.waitSignal(window.lab.checked, timeout=60000) as signal:
        window.lab.check_button.click()
    texts = [item.en for item in signal.args[0].items]
    assert texts[-1] == "The settings the assignment fixes are unchanged"
    assert not window.save_report(str(tmp_path / "report.html"))
    assert "no recorded run yet" in messages[-1]


def test_opening_a_lab_over_unsaved_runs_asks_once(window, qtbot, labs_home, monkeypatch):
    from PySide6.QtWidgets import QMessageBox
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.Discard)
    monkeypatch.setattr(type(window), "unsaved_runs", lambda self: True)  # an untitled project's trained runs
    open_lab(window, qtbot, 2)
    assert asked == ["Save the changes to this project first? Its trained runs are kept only if it is saved; "
                     "Discard deletes them."]
