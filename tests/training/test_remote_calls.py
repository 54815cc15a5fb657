"""The window's calls to its child (``studio.service``), seen without Qt: answered while training runs, a
failure in one line, and a child that dies answers what it was asked."""

import os
import queue
import signal

import pandas as pd
from training.helpers import mlp_project
from training.test_remote import _next

from studio.prediction.model_source import TrainedModel
from studio.prediction.table import Predictions
from studio.prediction.tabular import predict_csv
from studio.training import remote
from studio.training.model_files import load_model
from studio.training.runs import scratch_folder


def _asked(trainer, task, args):
    answers = queue.Queue()
    trainer.call(task, args, lambda value, failure: answers.put((value, failure)))
    return answers


def test_a_prediction_is_answered_while_the_child_trains_and_equals_one_made_here(tmp_path):
    project = mlp_project(tmp_path, epochs=2)
    events = queue.Queue()
    trainer = remote.RemoteTrainer(lambda name, values: events.put((name, values)), "studio.service")
    try:
        trainer.train(project, 0, True, project.graph.to_dict(), None, scratch_folder(), has_job=False,
                      has_source=False)
        model_file = _next(events, "finished")["model"]
        trainer.train(project, 500, True, project.graph.to_dict(), None, scratch_folder(), has_job=False,
                      has_source=False)
        _next(events, "started")
        rows = pd.read_csv(tmp_path / "points.csv").drop(columns=["label"]).head(7)
        rows.to_csv(tmp_path / "new.csv", index=False)
        args = {"model": {"path": model_file, "own": True}, "project": project.to_dict(), "path": str(project.path)}
        value, failure = _asked(trainer, "predict_csv", {**args, "csv": str(tmp_path / "new.csv")}).get(timeout=60)
        assert failure is None and trainer.running  # answered on the child's calls thread, training goes on
        answered = Predictions.from_dict(value)
        here = predict_csv(TrainedModel(*load_model(model_file), model_file, project), tmp_path / "new.csv")
        assert answered.columns == here.columns and answered.total == 7 and answered.predicted == 7
        assert answered.rows == here.rows

        value, failure = _asked(trainer, "predict_csv", {**args, "csv": str(tmp_path / "none.csv")}).get(timeout=60)
        assert value is None and "none.csv" in failure[0] and failure[1] == ""  # the user's mistake, one line
        value, failure = _asked(trainer, "no_such_task", {}).get(timeout=60)
        assert failure[0] == "no such call: 'no_such_task'" and failure[1]  # a bug: with its traceback
        trainer.stop()
        assert _next(events, "finished")["result"]["reason"] == "stopped"
    finally:
        trainer.close()


def test_a_call_to_a_child_that_dies_is_answered_with_how_it_died(tmp_path):
    events = queue.Queue()
    trainer = remote.RemoteTrainer(lambda name, values: events.put((name, values)), "studio.service")
    try:
        _next(events, "ready")
        first = trainer.process
        os.kill(first.pid, signal.SIGSTOP)  # it cannot answer
        answers = _asked(trainer, "predict_describe", {"model": {"path": str(tmp_path / "m.h5"), "own": True}})
        os.kill(first.pid, signal.SIGKILL)
        value, failure = answers.get(timeout=30)
        assert value is None and failure[0].startswith("the training process was killed (SIGKILL")
        assert _next(events, "ended")["kind"] == "killed" and trainer.process is not first
        _next(events, "ready")  # the next child answers the next call
        value, failure = _asked(trainer, "predict_describe", {"model": {"path": str(tmp_path / "m.h5")}}).get(30)
        assert value is None and "m.h5: the model file cannot be read" in failure[0] and failure[1] == ""
    finally:
        trainer.close()


def test_an_export_in_the_child_reports_progress_and_a_cancelled_one_is_not_waited_for(tmp_path):
    import pytest

    from studio.data.errors import Cancelled
    from studio.exports.deploy import DeployResult
    project = mlp_project(tmp_path, epochs=1)
    events = queue.Queue()
    trainer = remote.RemoteTrainer(lambda name, values: events.put((name, values)), "studio.service")
    try:
        trainer.train(project, 0, True, project.graph.to_dict(), None, scratch_folder(), has_job=False,
                      has_source=False)
        model_file = _next(events, "finished")["model"]
        args = {"model": {"path": model_file, "own": True}, "project": project.to_dict(), "path": str(project.path),
                "fmt": "tflite", "out": str(tmp_path / "points.tflite")}
        fractions = []
        result = DeployResult(**trainer.ask("export_deploy", args, progress=fractions.append))
        assert result.passed and result.rows > 0 and (tmp_path / "points.tflite").is_file()
        assert fractions and fractions == sorted(fractions) and fractions[-1] <= 1
        with pytest.raises(Cancelled):
            trainer.ask("export_deploy", {**args, "out": str(tmp_path / "again.tflite")}, cancelled=lambda: True)
        assert trainer.ask("export_model", {"model": args["model"], "out": str(tmp_path / "copy.h5")})
        assert load_model(tmp_path / "copy.h5")[1]["graph"] == load_model(model_file)[1]["graph"]
    finally:
        trainer.close()
