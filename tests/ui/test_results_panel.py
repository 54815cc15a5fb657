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
    assert len(panel.run_curves) == 2 and panel.runs_metric.currentText() == "val_loss"
    panel.runs_metric.setCurrentText("loss")
    panel.draw_runs()
    assert panel.run_curves[1].getData()[1].tolist() == [2, 1, 0.5]
    assert "test loss 1.1000" in panel.runs_list.item(1).text()
