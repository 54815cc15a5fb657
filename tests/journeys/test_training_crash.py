"""Journey (h): training's process is killed mid-run, as the system's out-of-memory killer would; the window
stays, says what happened in one line, and its Continue training button goes on from the last epoch."""

from __future__ import annotations

import signal

from steps import TRAIN_MS, Person
from test_save_and_reopen import MINI_MNIST, use_mnist


def test_a_killed_training_process_leaves_the_window_and_continue_goes_on(start_studio, hands, qtbot):
    window = start_studio()
    me = Person(window, hands, qtbot)
    me.build_chain(MINI_MNIST)
    use_mnist(me, images=3000)
    training = window.training
    me.tab(window.tabs, training)
    me.type_into(training.epochs, "20")
    me.wait(lambda: window.document.project.training.get("epochs") == 20, why="20 epochs in the project")
    me.wait(lambda: training.ready, timeout=TRAIN_MS, why="TensorFlow loaded")
    me.click(training.train_button)
    me.wait(lambda: len(training.history.get("loss", [])) >= 2, timeout=TRAIN_MS, why="two epochs")
    me.wait(lambda: training.runner.remote.checkpoint is not None, timeout=TRAIN_MS, why="an epoch kept")
    me.shot("training")
    before = window.document.project.to_dict()
    training.runner.remote.process.send_signal(signal.SIGKILL)
    me.wait(lambda: getattr(training, "error_box", None) is not None and training.error_box.isVisible(),
            timeout=TRAIN_MS, why="the window says the training process ended")
    box = training.error_box
    kept = int(box.text().split("the weights of epoch ")[1].split(" ")[0])
    assert box.text().startswith("The training process was killed (SIGKILL"), box.text()
    assert window.isVisible() and window.document.project.to_dict() == before, "nothing of the project is lost"
    me.shot("process-killed")
    runs = len(window.results.runs)
    starts = []
    training.runner.started.connect(lambda info: starts.append(info["initial_epoch"]))
    go_on = next(b for b in box.buttons() if b.text() == "Continue training")
    me.click(go_on)
    me.wait(lambda: not training.runner.running and len(window.results.runs) > runs, timeout=TRAIN_MS,
            why="the continued run finished")
    assert starts == [kept], "Continue goes on from the last completed epoch, not from new weights"
    assert len(training.history["loss"]) == 20 and training.runner.job.epoch == 20, "the curves go on to 20"
    me.shot("continued")
