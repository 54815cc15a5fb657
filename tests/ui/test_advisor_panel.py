"""The advisor tab: findings for the chosen data, a fix as one undoable step."""

from studio.core.advisor import DataFacts, facts_for_images


def digits_without_preprocessing(window):
    g = window.document.graph
    g.add_node("Input", {"shape": [28, 28]}, "pixels")
    g.add_node("Dense", {"units": 32, "activation": "relu"}, "hidden")
    g.add_node("Dense", {"units": 8, "activation": "linear"}, "out")
    g.connect("pixels", "hidden"), g.connect("hidden", "out")
    g.set_outputs(["out"])


def test_fixes_are_undoable_and_clear_their_finding(window):
    digits_without_preprocessing(window)
    window.document.project.training["loss"] = "sparse_categorical_crossentropy"
    advisor = window.advisor
    advisor.set_facts(facts_for_images(10))
    assert sorted(f.code for f in advisor.findings) == ["activation", "flatten", "units", "unscaled"]
    assert len(advisor.buttons) == 4
    flatten = next(i for i, f in enumerate(advisor.findings) if f.code == "flatten")
    advisor.buttons[flatten].click()
    graph = window.document.graph
    assert graph.node("hidden").inputs == ["flatten"] and graph.node("flatten").inputs == ["pixels"]
    assert "flatten" not in [f.code for f in advisor.findings]
    window.document.undo_stack.undo()  # the whole fix in one step
    assert graph.node("hidden").inputs == ["pixels"] and "flatten" not in graph
    while advisor.findings:
        advisor.buttons[0].click()
    assert window.document.report.ok
    out = graph.node("out").config
    assert out["units"] == 10 and out["activation"] == "softmax"


def test_a_loss_fix_changes_the_training_settings(window):
    digits_without_preprocessing(window)
    window.document.project.training["loss"] = "mean_squared_error"
    window.advisor.set_facts(DataFacts("multiclass", 8))
    finding = next(f for f in window.advisor.findings if f.code == "loss")
    assert "sparse_categorical_crossentropy" in finding.en and finding.ko
    window.advisor.apply(finding)
    assert window.document.project.training["loss"] == "sparse_categorical_crossentropy"
    assert window.training.outputs.rows[0][0].currentText() == "sparse_categorical_crossentropy"


def test_a_csv_file_tells_the_advisor_its_task(window, qtbot):
    from studio.resources import resource
    window.tabs.setCurrentWidget(window.data_panel)
    with qtbot.waitSignal(window.data_panel.loaded, timeout=30_000):
        window.data_panel.choose_file(resource("datasets", "iris.csv"))
    facts = window.advisor.facts
    assert (facts.task, facts.classes) == ("multiclass", 3)


def test_an_inserted_layer_goes_a_row_below_and_the_layers_under_it_move_down(window):
    from studio.core.layout import DEFAULT_SIZE
    digits_without_preprocessing(window)
    g = window.document.graph
    g.move_node("pixels", (0, 0)), g.move_node("hidden", (0, 170)), g.move_node("out", (0, 340))
    window.advisor.set_facts(facts_for_images(10))
    scale = next(i for i, f in enumerate(window.advisor.findings) if f.code == "unscaled")
    window.advisor.buttons[scale].click()
    ys = [g.node(name).pos[1] for name in ("pixels", "rescaling", "hidden", "out")]
    assert all(lower - upper >= DEFAULT_SIZE[1] for upper, lower in zip(ys, ys[1:]))  # none on top of another
    assert g.node("rescaling").pos[0] == 0.0 and g.node("hidden").inputs == ["rescaling"]
    window.document.undo_stack.undo()  # one step: the layer and the moves
    assert "rescaling" not in g and [g.node(n).pos[1] for n in ("pixels", "hidden", "out")] == [0, 170, 340]
