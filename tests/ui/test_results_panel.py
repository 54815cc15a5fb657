"""The results panel shows what the worker computed: tabs by task, scatter, runs overlay."""

import numpy as np

from studio.training.results import Mistake, Results
from studio.ui.results_panel import ResultsPanel


def test_regression_shows_the_scatter_only(qtbot):
    panel = ResultsPanel()
    qtbot.addWidget(panel)
    truth = np.linspace(0, 10, 50)
    panel.show_results(Results("regression", {"loss": 0.5, "mean_absolute_error": 0.4},
                               predicted=truth + 0.1, truth=truth))
    assert [panel.tabs.isTabVisible(i) for i in range(4)] == [False, False, True, True]
    assert panel.tabs.currentIndex() == 2
    assert len(panel.scatter_points.data) == 50
    assert panel.scatter_line.getData()[0].tolist() == [0.0, 10.1]
    assert "mean_absolute_error" in panel.summary.text()


def test_classification_names_classes_and_mistakes(qtbot):
    panel = ResultsPanel()
    qtbot.addWidget(panel)
    confusion = np.array([[5, 1], [2, 7]])
    images = np.zeros((2, 28, 28), np.uint8)
    panel.show_results(Results("binary", {"loss": 0.3}, ["cat", "dog"], confusion,
                               [Mistake(3, 1, 0, 0.9), Mistake(8, 0, 1, 0.6)], images, 3))
    assert panel.matrix.verticalHeaderItem(1).text() == "dog" and panel.matrix.item(1, 0).text() == "2"
    assert panel.mistakes.item(0).text().startswith("dog → cat")
    assert "3 of 15 test rows misclassified" in panel.summary.text()


def test_runs_overlay_by_metric(qtbot):
    panel = ResultsPanel()
    qtbot.addWidget(panel)
    panel.add_run("a", {"loss": [3, 2], "val_loss": [3.5, 2.5]}, {})
    panel.add_run("b", {"loss": [2, 1, 0.5], "val_loss": [2.5, 1.5, 1]}, {"test": {"loss": 1.1}})
    runs = panel.runs_panel
    assert len(runs.curves) == 2 and runs.metric.currentText() == "val_loss"
    runs.metric.setCurrentText("loss")
    runs.draw()
    assert runs.curves[1].getData()[1].tolist() == [2, 1, 0.5]
    assert runs.list.item(1).text() == "b · val_loss 1"
    assert runs.list.item(1).toolTip() == "test: loss 1.1"


def test_runs_are_sorted_and_filtered_by_a_metric(qtbot):
    from studio.ui.runs_panel import RunsPanel
    panel = RunsPanel()
    qtbot.addWidget(panel)
    graph = {"layers": [{"class_name": "Dense", "config": {"units": 64}}, {"class_name": "Dense", "config": {"units": 10}}]}
    training = {"optimizer": {"class_name": "SGD", "config": {"learning_rate": 0.05}}, "batch_size": 32}
    panel.set_runs([
        {"label": "first", "history": {"val_accuracy": [0.5, 0.8]}, "metrics": {}, "dir": None},
        {"label": "second", "history": {"val_accuracy": [0.6, 0.9]}, "metrics": {}, "dir": None, "kind": "trial",
         "graph": graph, "training": training},
        {"label": "third", "history": {"val_accuracy": [0.7]}, "metrics": {}, "dir": None},
    ])
    texts = lambda: [panel.list.item(i).text().split(" · ")[0] for i in range(panel.list.count())]  # noqa: E731
    assert texts() == ["first", "second", "third"]
    assert panel.list.item(1).text() == "second · trial · hidden 64, SGD 0.05, batch 32 · val_accuracy 0.9"
    panel.sort.setCurrentIndex(panel.sort.findData("best"))
    panel.fill()
    assert texts() == ["second", "first", "third"]
    panel.filter.setText("val_accuracy >= 0.75")
    assert texts() == ["second", "first"] and not panel.note.isVisible()
    panel.filter.setText("val_accuracy is high")
    assert texts() == ["second", "first", "third"] and "METRIC >= VALUE" in panel.note.text()


def test_an_image_set_counts_images_and_says_the_test_set_was_cut(qtbot):
    panel = ResultsPanel()
    qtbot.addWidget(panel)
    confusion = np.array([[250, 20], [38, 192]])
    results = Results("binary", {"accuracy": 0.884}, ["a", "b"], confusion, mistakes_total=58,
                      images=True, test_total=10_000)
    panel.show_results(results)
    text = panel.summary.text()
    assert "58 of 500 test images misclassified" in text and "rows" not in text
    assert "500 of the 10,000 test images" in text


def test_a_streamed_csv_says_its_figures_come_from_a_sample(qtbot):
    panel = ResultsPanel()
    qtbot.addWidget(panel)
    confusion = np.array([[900, 100], [50, 950]])
    results = Results("binary", {"accuracy": 0.925}, ["no", "yes"], confusion, mistakes_total=150,
                      test_total=1_250_000, notes=["streamed"])
    panel.show_results(results)
    text = panel.summary.text()
    assert "150 of 2,000 test rows misclassified" in text
    assert "a sample of 2,000 of its 1,250,000 rows" in text
    plain = Results("binary", {"accuracy": 0.925}, ["no", "yes"], confusion, mistakes_total=150)
    panel.show_results(plain)
    assert "sample" not in panel.summary.text()


def test_results_of_a_model_changed_since_are_marked(qtbot):
    from studio.ui.document import ProjectDocument
    document = ProjectDocument()
    document.graph.add_node("Input", {"shape": [2]}, "x")
    document.graph.add_node("Dense", {"units": 1}, "y")
    document.graph.connect("x", "y")
    panel = ResultsPanel(document)
    qtbot.addWidget(panel)
    panel.show()
    panel.add_run("run 1", {"loss": [0.5]}, {}, None, {"graph": document.graph.to_dict()})
    panel.show_results(Results("regression", {"loss": 0.5}))
    assert not panel.stale.isVisible()
    document.graph.move_node("y", (300, 300)) if hasattr(document.graph, "move_node") else None
    document.edited.emit()
    assert not panel.stale.isVisible()  # moving a node changes no model
    document.graph.add_node("Dense", {"units": 4}, "hidden")
    document.edited.emit()
    assert panel.stale.isVisible() and "before your last changes" in panel.stale.text()
    document.new()
    assert not panel.stale.isVisible()


def test_the_runs_overlay_has_no_legend_over_the_curves_and_resets_its_axes(qtbot):
    from PySide6.QtCore import Qt
    panel = ResultsPanel()
    qtbot.addWidget(panel)
    panel.add_run("a", {"loss": [30, 20], "val_loss": [35, 25]}, {})
    runs = panel.runs_panel
    assert runs.plot.getPlotItem().legend is None  # the list is the legend: a swatch of each curve's colour
    assert not runs.list.item(0).icon().isNull()
    assert runs.plot.getViewBox().viewRange()[1][1] >= 25
    runs.list.item(0).setCheckState(Qt.Unchecked)  # as after Save: nothing ticked
    assert runs.plot.getViewBox().viewRange()[1][1] <= 1.1 and runs.list.item(0).icon().isNull()
    runs.list.item(0).setCheckState(Qt.Checked)
    panel.load_runs([])  # File > New: the new project has no runs
    assert runs.plot.getViewBox().viewRange()[0][1] <= 1.1 and runs.plot.getViewBox().viewRange()[1][1] <= 1.1


def test_fresh_results_are_not_marked_old(window, qtbot, tmp_path):
    """Preparing the data writes into the job's copy of the graph (lab 5: the scaling's statistics);
    that is no edit of the user's model."""
    from studio.resources import resource
    lab5 = next(resource("labs").glob("05*"))
    project = next(lab5.glob("*.studio.json"))
    assert window.open_project(str(project))
    window.document.project.training["epochs"] = 1
    window.tensorflow_loaded(["CPU"])
    with qtbot.waitSignal(window.training.trained, timeout=120_000):
        window.training.start(fresh=True)
    assert window.results.results is not None
    assert not window.results.stale.isVisibleTo(window.results), "results just trained are not old"
