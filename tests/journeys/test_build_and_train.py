"""Journey (a): the MNIST MLP built from an empty canvas with the mouse, trained, stopped, continued."""

from __future__ import annotations

from PySide6.QtCore import QPoint

from training.helpers import recorded_model
from steps import TRAIN_MS, Person


def test_build_mnist_mlp_by_hand_and_train(start_studio, hands, qtbot):
    window = start_studio()
    me = Person(window, hands, qtbot)
    me.shot("first-start")
    assert not window.document.graph.names, "a first start shows an empty canvas"

    # Layers dragged from the palette onto the canvas, one below the other.
    viewport = window.view.viewport()
    left = viewport.width() // 2
    names = []
    for row, class_name in enumerate(("Input", "Rescaling", "Flatten", "Dense", "Dense")):
        names.append(me.drag_layer(class_name, QPoint(left, 60 + row * 120)))
    me.shot("layers-dropped")
    for src, dst in zip(names, names[1:]):
        me.connect(src, dst)
    me.shot("layers-connected")
    inp, rescale, _, hidden, out = names

    # Parameters typed into the Inspector.
    me.select_node(inp)
    me.type_into(window.inspector.editors["shape"], "28, 28")
    me.wait(lambda: window.document.graph.node(inp).config["shape"] == [28, 28], why="input shape 28x28")
    me.select_node(rescale)
    me.type_into(window.inspector.editors["scale"], "1/255")
    me.select_node(hidden)
    me.type_into(window.inspector.editors["units"], "64")
    me.choose(window.inspector.editors["activation"], "relu")
    me.select_node(out)
    me.type_into(window.inspector.editors["units"], "10")
    me.choose(window.inspector.editors["activation"], "softmax")
    me.wait(lambda: window.document.report.ok, why="the model is valid")
    assert window.document.graph.outputs == [out], "the last layer of the chain is the model's output"
    me.shot("model-valid")

    # MNIST, 3,000 training images, in the Data tab.
    panel = window.data_panel
    me.tab(window.tabs, panel)
    me.choose(panel.source, panel.source.itemText(panel.source.findData("mnist")))
    me.type_into(panel.limit, "3000")
    me.wait(lambda: window.document.project.data.get("limit") == 3000, why="3,000 images in the project")
    assert window.document.project.data.get("source") == "mnist", "what the Data tab shows is what the project holds"
    me.shot("data-chosen")

    # Train three epochs, stop after the first, continue to the end.
    training = window.training
    me.tab(window.tabs, training)
    me.type_into(training.epochs, "10")  # enough that a person's Stop lands in the middle of the run
    me.wait(lambda: window.document.project.training.get("epochs") == 10, why="10 epochs in the project")
    loss_shown = training.outputs.rows[0][0].currentText()
    me.wait(lambda: window.training.ready, timeout=TRAIN_MS, why="TensorFlow loaded")
    me.click(training.train_button)
    me.wait(lambda: len(training.history.get("loss", [])) >= 1, timeout=TRAIN_MS, why="the first epoch")

    def plotted():  # what the person sees: the first epoch's point on the loss curve
        curve = training.plot.curves.get("loss")
        return curve is not None and curve.getData()[0] is not None and len(curve.getData()[0]) >= 1

    me.wait(plotted, timeout=TRAIN_MS, why="the first epoch plotted")
    assert "Epoch" in training.status.text() or "에포크" in training.status.text(), training.status.text()
    me.shot("training")
    me.click(training.stop_button)
    me.wait(lambda: training.train_button.isEnabled() and training.continue_button.isEnabled(),
            timeout=TRAIN_MS, why="training stopped")
    stopped_at = len(training.history["loss"])
    assert stopped_at < 10
    assert loss_shown in str(recorded_model(training.runner.job).loss), \
        "the loss shown is the loss used"
    me.shot("stopped")
    me.tab(window.tabs, training)
    me.click(training.continue_button)
    # Continue goes on from where it stopped to the Epochs box's 10 (Keras' initial_epoch), numbered on.
    me.wait(lambda: len(training.history.get("loss", [])) == 10 and training.train_button.isEnabled(),
            timeout=TRAIN_MS, why="continued to epoch 10")
    assert training.progress_bar.value() == training.progress_bar.maximum(), "a finished run's bar is full"
    me.shot("continued")

    # The Results tab: test accuracy and the confusion matrix.
    me.tab(window.tabs, window.results)
    text = window.results.summary.text()
    me.shot("results")
    assert "misclassified" in text or "accuracy" in text.lower(), text
    assert window.results.matrix.rowCount() == 10, "a 10-class confusion matrix"
    me.tab(window.results.tabs, window.results.tabs.widget(1))
    me.wait(lambda: window.results.mistakes.isVisible(), why="the mistakes shown")
    me.shot("mistakes")

    # The Code tab: the same model as Keras code.
    me.tab(window.tabs, window.code)
    me.wait(lambda: "Dense(" in window.code.code.toPlainText(), why="the code shown")
    me.shot("code")

    # The Tune tab: the learning-rate finder's sweep.
    tune = window.tune
    me.tab(window.tabs, tune)
    me.click(tune.find_button)
    me.wait(lambda: tune.finder is not None and tune.find_button.isEnabled(), timeout=TRAIN_MS, why="the finder")
    me.shot("tune")
