"""Journey (d): a trained model exported as .h5, File > New, Import Model: graph and weights back, nothing old."""

from __future__ import annotations

import numpy as np

from training.helpers import recorded_model

from studio.training.model_files import load_model
from steps import Person
from test_save_and_reopen import MINI_MNIST, use_mnist


def test_export_new_import(start_studio, hands, qtbot, tmp_path):
    window = start_studio()
    me = Person(window, hands, qtbot)
    names = me.build_chain(MINI_MNIST)
    use_mnist(me)
    me.train(epochs=1)
    trained = [w.copy() for w in recorded_model(window.training.runner.job).get_weights()]
    model_file = tmp_path / "digits.h5"
    dialog = me.file_dialog(model_file)
    me.menu("File", "Export Model…")
    me.done(dialog)
    me.wait(lambda: model_file.is_file(), why="the model file written")
    me.shot("exported")

    question = me.answer("Discard")
    hands.key("ctrl+n")
    me.done(question)
    me.wait(lambda: not window.document.graph.names, why="an empty project")
    training = window.training
    me.tab(window.tabs, training)
    assert not training.continue_button.isEnabled(), "nothing to continue in a new project"
    assert not any(len(c.getData()[0] or []) for c in training.curves.values()), "no old curves"
    assert window.results.results is None and not window.results.runs, "no old results"
    me.shot("new")

    dialog = me.file_dialog(model_file)
    me.menu("File", "Import Model…")
    me.done(dialog)
    me.wait(lambda: set(window.document.graph.names) == set(names), timeout=60_000, why="the imported graph")
    me.shot("imported")
    imported = load_model(training.runner.source["path"])[0].get_weights()  # the project's first run
    assert len(imported) == len(trained) and all(np.allclose(a, b) for a, b in zip(imported, trained))
    me.wait(lambda: training.continue_button.isEnabled(), why="Continue offered: it goes on from the file's weights")
    assert training.runner.source["own"] and training.runner.source["path"].endswith("model.h5")
    assert window.results.results is None, "no results of the previous project"
