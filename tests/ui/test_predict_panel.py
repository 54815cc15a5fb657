"""The Predict tab: a drawn digit and a CSV file predicted with the model training left."""

import numpy as np
import pandas as pd
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from prediction.helpers_prediction import colours_csv, trained_colours_project
from studio.ui import self_test


def loaded(panel):
    """The model the panel predicts with, loaded here as the window's child loads it."""
    from pathlib import Path

    from studio.core.project import project_from_dict
    from studio.prediction.model_source import TrainedModel
    from studio.training.model_files import load_model
    named = panel._source["model"]
    project = project_from_dict(panel._source["project"], "project")
    return TrainedModel(*load_model(named["path"]), Path(named["path"]), project)


def test_a_drawn_digit_gets_the_probabilities_of_the_model_trained_last(window, qtbot, tmp_path):
    report = self_test.build_mnist_mlp(window, hidden=(16,), optimizer="Adam", learning_rate=0.001)
    assert report.ok, report.errors
    panel = window.predict
    assert not panel.pad.isEnabled()  # nothing trained yet: the note says to train first
    with qtbot.waitSignal(window.training.trained, timeout=120_000):
        window.training.train_button.click()
    window.tabs.setCurrentWidget(panel)
    qtbot.waitUntil(panel.pad.isEnabled)
    assert panel.image_box.isVisible() and not panel.table_box.isVisible()
    assert panel.note.text() == "Predictions use the model trained last (1 epoch)."  # not a table's complaint
    pad = panel.pad
    with qtbot.waitSignal(panel.predicted, timeout=60_000) as shown:
        QTest.mousePress(pad, Qt.LeftButton, Qt.NoModifier, QPoint(pad.width() // 2, pad.height() // 5))
        for k in range(1, 9):
            QTest.mouseMove(pad, QPoint(pad.width() // 2, pad.height() // 5 + k * pad.height() // 14))
        QTest.mouseRelease(pad, Qt.LeftButton, Qt.NoModifier, QPoint(pad.width() // 2, pad.height() * 4 // 5))
    probabilities = shown.args[0]
    assert list(probabilities) == [str(d) for d in range(10)]
    assert abs(sum(probabilities.values()) - 1) < 1e-4
    from studio.prediction.images import drawing_probabilities
    same = drawing_probabilities(loaded(panel), pad.array())  # what the pad holds, predicted directly
    assert np.allclose(list(same.values()), list(probabilities.values()), atol=1e-6)
    best = max(probabilities, key=probabilities.get)
    assert panel.answer.text().startswith(best)
    assert len(panel.bars.opts["height"]) == 10

    # An image file: a dark digit on a light background, off-centre, as a scan or a photo would be
    from PySide6.QtGui import QColor, QImage, QPainter, QPen
    picture = QImage(120, 90, QImage.Format_Grayscale8)
    picture.fill(QColor("white"))
    painter = QPainter(picture)
    painter.setPen(QPen(QColor("black"), 6))
    painter.drawLine(20, 15, 50, 15)
    painter.drawLine(50, 15, 30, 70)
    painter.end()
    picture.save(str(tmp_path / "seven.png"))
    with qtbot.waitSignal(panel.predicted, timeout=60_000) as shown:
        panel.predict_image(str(tmp_path / "seven.png"))
    from studio.prediction.images import digit_from_image, read_image
    field = digit_from_image(read_image(tmp_path / "seven.png"))
    assert field[0].max() == 0 and field.max() > 0.5  # inverted to white on black, in the 20x20 box
    on_pad = pad.array()[::10, ::10]  # the pad shows the 28x28 digit the model was given
    assert np.abs(on_pad - field).max() < 0.02
    same = drawing_probabilities(loaded(panel), field, centre=False)
    assert np.allclose(list(same.values()), list(shown.args[0].values()), atol=1e-6)


def test_a_csv_is_predicted_row_by_row_and_bad_rows_are_listed(window, qtbot, tmp_path):
    project, _run = trained_colours_project(tmp_path)
    window.open_project(str(project.path), asked=True)
    panel = window.predict
    window.tabs.setCurrentWidget(panel)
    qtbot.waitUntil(panel.choose_csv.isEnabled, timeout=60_000)  # the saved model, opened safely
    assert panel.table_box.isVisible() and not panel.image_box.isVisible()
    new = colours_csv(tmp_path / "new.csv", n=6, seed=5).drop(columns=["label"])
    new["a"] = new["a"].astype(object)
    new.loc[2, "a"] = "abc"
    new.to_csv(tmp_path / "new.csv", index=False)
    with qtbot.waitSignal(panel.predicted, timeout=60_000) as shown:
        panel.predict_csv(str(tmp_path / "new.csv"))
    predictions = shown.args[0]
    assert (predictions.total, predictions.predicted) == (6, 5)
    assert panel.table.rowCount() == 5 and panel.table.columnCount() == len(predictions.columns)
    assert "line 4" in panel.problems.text() and "'a'" in panel.problems.text()
    with qtbot.waitSignal(panel.worker.done):
        panel.save(str(tmp_path / "out.csv"))
    assert len(pd.read_csv(tmp_path / "out.csv")) == 5


def test_file_export_model_writes_a_checked_tflite_file_once_trained(window, qtbot, tmp_path):
    report = self_test.build_mnist_mlp(window, hidden=(8,), optimizer="Adam", learning_rate=0.001)
    assert report.ok, report.errors
    assert not window.export_model_file(str(tmp_path / "untrained.tflite"))  # one line: train first
    assert "Train the model first" in window.statusBar().currentMessage()
    with qtbot.waitSignal(window.training.trained, timeout=120_000):
        window.training.train_button.click()
    with qtbot.waitSignal(window.job_ended, timeout=120_000) as ended:
        assert window.export_model_file(str(tmp_path / "digits.tflite"))
    assert ended.args == ["export", True]
    result = window.deploy_result
    assert result.format == "tflite" and (tmp_path / "digits.tflite").is_file()
    assert result.rows > 0 and result.max_abs_difference <= 1e-4
    assert "largest difference" in window.statusBar().currentMessage()
    assert "largest difference" in window.deploy_box.text() and window.deploy_box.isVisible()
    window.deploy_box.close()


def test_the_form_predicts_one_typed_row_as_a_files_row(window, qtbot, tmp_path):
    project, _run = trained_colours_project(tmp_path)
    window.open_project(str(project.path), asked=True)
    panel = window.predict
    window.tabs.setCurrentWidget(panel)
    with qtbot.waitSignal(panel.row_predicted, timeout=60_000):  # the fields are made, then their row predicted
        pass
    form = panel.form
    assert list(form.editors) == ["a", "b", "colour"]
    a = form.editors["a"]
    training = pd.read_csv(tmp_path / "colours.csv")
    assert a.minimum() < training["a"].min() and a.maximum() > training["a"].max()  # the training range, and room
    assert [form.editors["colour"].itemText(i) for i in range(3)] == sorted(["red", "green", "blue"])
    with qtbot.waitSignal(panel.row_predicted, timeout=60_000) as shown:
        a.setValue(1.5)
        form.editors["colour"].setCurrentText("blue")
    typed = shown.args[0]
    row = {"a": repr(1.5), "b": repr(form.editors["b"].value()), "colour": "blue"}
    pd.DataFrame([row]).to_csv(tmp_path / "one.csv", index=False)
    from studio.prediction.tabular import predict_csv
    same = predict_csv(loaded(panel), tmp_path / "one.csv")
    assert typed.rows[0][1:] == same.rows[0][1:]  # the form's row is predicted as the file's
    assert f"predicted: {same.rows[0][1]}" in panel.row_answer.text()
