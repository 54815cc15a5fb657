"""Before Train the window shows what Train would refuse: an Input that does not fit the data, with its fix;
and the advisor's findings count in the status bar's problems button and badge their layer."""

from studio.core.advisor import DataFacts


def three_feature_csv(tmp_path):
    path = tmp_path / "boxes.csv"
    path.write_text("breite,hoehe,gewicht,preis\n" + "".join(f"{i},{i + 1},{2 * i},{3 * i + 1}\n" for i in range(30)))
    return path


def input_and_output(window):
    scene = window.scene
    scene.add_layer("Input", window.view.mapToScene(window.view.viewport().rect().center()))
    name = scene.add_layer_below("Dense")
    window.document.push(__import__("studio.ui.commands", fromlist=["SetParam"]).SetParam(
        window.document.graph, name, "units", 1))
    return window.document.graph.inputs[0], name


def test_an_input_that_does_not_fit_the_loaded_data_is_a_problem_with_a_one_click_fix(window, qtbot, tmp_path):
    inp, _ = input_and_output(window)
    graph = window.document.graph
    assert graph.node(inp).config["shape"] == [4]  # the catalog's default
    assert window.document.report.ok
    window.tabs.setCurrentWidget(window.data_panel)
    with qtbot.waitSignal(window.data_panel.loaded, timeout=30_000):
        window.data_panel.choose_file(three_feature_csv(tmp_path))
    problems = window.problems
    assert problems.isVisible() and problems.text() == "1 problem"
    (error,) = window.document.report.errors
    assert error.nodes == (inp,) and "takes 4 features but the data gives 3" in error.message
    assert window.scene.nodes[inp].badge.text() == "!"  # the layer shows it too
    fix = next(a for a in problems.menu().actions() if "(the data's features)" in a.text())
    assert fix.text() == f"{inp}: Set {inp}'s shape to 3 (the data's features)"
    advisor_fix = [b.text() for b in window.advisor.buttons]
    assert f"Set {inp}'s shape to 3 (the data's features)" in advisor_fix
    fix.trigger()
    assert graph.node(inp).config["shape"] == [3]
    assert window.document.report.ok and not problems.isVisible()
    window.document.undo_stack.undo()  # one undoable step
    assert graph.node(inp).config["shape"] == [4] and problems.text() == "1 problem"


def test_unticking_a_feature_is_checked_again(window, qtbot, tmp_path):
    from PySide6.QtCore import Qt
    inp, _ = input_and_output(window)
    window.document.push(__import__("studio.ui.commands", fromlist=["SetParam"]).SetParam(
        window.document.graph, inp, "shape", [3]))
    window.tabs.setCurrentWidget(window.data_panel)
    with qtbot.waitSignal(window.data_panel.loaded, timeout=30_000):
        window.data_panel.choose_file(three_feature_csv(tmp_path))
    assert window.document.report.ok
    window.data_panel.features.item(0).setCheckState(Qt.Unchecked)
    assert "takes 3 features but the data gives 2" in window.document.report.errors[0].message


def test_advisor_findings_count_as_warnings_with_their_fix_and_badge_their_layer(window):
    g = window.document.graph
    g.add_node("Input", {"shape": [3]}, "x")
    g.add_node("Dense", {"units": 8}, "hidden")  # no activation: stacked linear layers
    g.add_node("Dense", {"units": 1}, "out")
    g.connect("x", "hidden"), g.connect("hidden", "out")
    g.set_outputs(["out"])
    window.document.project.training["loss"] = "mean_squared_error"
    window.advisor.set_facts(DataFacts("regression", feature_names=("a", "b", "c")))
    problems = window.problems
    assert window.document.report.ok  # a warning does not block training
    assert problems.isVisible() and problems.text() == "1 warning"
    assert window.scene.nodes["hidden"].badge.text() == "⚠"
    fix = next(a for a in problems.menu().actions() if a.text() == "hidden: Use ReLU")
    fix.trigger()
    assert g.node("hidden").config["activation"] == "relu"
    assert not problems.isVisible() and not window.advisor.findings
