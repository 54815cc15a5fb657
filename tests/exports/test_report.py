"""The HTML run report: everything a student hands in, from the run folder alone."""

import json
import re

import pytest

from studio.cli import main as studio
from studio.core.project import load_project
from studio.exports.report import ReportError, write_report
from studio.training.runs import list_runs
from training.helpers import mlp_project


def test_a_trained_run_reports_model_curves_metrics_confusion_and_environment(tmp_path, capsys):
    mlp_project(tmp_path, epochs=3)
    project_path = tmp_path / "points.studio.json"
    assert studio(["train", str(project_path)]) == 0
    run = list_runs(load_project(project_path))[-1]
    record = json.loads((tmp_path / run["dir"] / "run.json").read_text())
    assert record["class_names"] == ["high", "low", "mid"]
    assert sum(map(sum, record["confusion"])) == 36  # the test split: 15 % of 240 rows
    assert record["environment"]["keras"].startswith("3.") and record["environment"]["devices"][0] == "CPU"
    capsys.readouterr()
    assert studio(["report", run["dir"]]) == 0
    path = tmp_path / run["dir"] / "report.html"
    assert f"wrote {path}" in capsys.readouterr().out
    page = path.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<script" not in page and "http" not in page.split("<svg")[0]
    assert "completed after 3 epochs" in page
    assert page.count("<svg") == 2  # loss and accuracy, each with its validation curve
    assert len(re.findall(r"<polyline", page)) == 4
    assert "Total parameters: <b>76</b>" in page  # Normalization 4+4+1 (as Keras counts it), 4*8+8, 8*3+3
    assert "<th>true ↓ / predicted →</th><th>high</th><th>low</th><th>mid</th>" in page
    assert f"{record['environment']['tensorflow']}" in page and "<th>seed</th><td>3</td>" in page
    test_accuracy = record["metrics"]["test"]["accuracy"]
    assert f"{test_accuracy:.4g}" in page


def test_a_folder_that_is_not_a_run_is_refused(tmp_path, capsys):
    with pytest.raises(ReportError, match="is this a run folder"):
        write_report(tmp_path)
    (tmp_path / "run.json").write_text("{broken")
    with pytest.raises(ReportError, match="damaged"):
        write_report(tmp_path)
    assert studio(["report", str(tmp_path)]) == 2
    assert "studio report:" in capsys.readouterr().err
    assert not (tmp_path / "report.html").exists()
    for text in ("[]", "5", '"a run"', "null", "[" * 100_000 + "]" * 100_000):  # a list once gave AttributeError
        (tmp_path / "run.json").write_text(text)
        with pytest.raises(ReportError, match="not a Perceptron Studio run record|damaged"):
            write_report(tmp_path)


MARKUP = "<script>alert(1)</script>"


def _hostile_values():
    """Every kind of value a hand-edited record could hold in place of the right one."""
    return [MARKUP, 7, None, [MARKUP], {"x": MARKUP}, True, 1e308, "NaN"]


@pytest.mark.parametrize("field", ["created", "reason", "epochs", "error", "project", "metrics", "graph", "data",
                                   "training", "environment", "class_names", "confusion"])
def test_every_field_of_a_record_is_shown_as_text_or_left_out_never_markup_or_a_crash(tmp_path, field):
    record = {"format": "perceptron-studio/run", "version": 1, "created": "2026-12-02T10:00:00",
              "reason": "completed", "epochs": 2, "metrics": {"test": {"loss": 0.5}},
              "training": {"optimizer": {"class_name": "Adam", "config": {}}}, "data": {"source": "csv"},
              "graph": {"layers": []}, "environment": {"python": "3.11"}, "class_names": ["a", "b"],
              "confusion": [[1, 0], [0, 1]]}
    history = {"loss": [0.9, 0.5], MARKUP: [1, 2], "val_loss": [MARKUP, 0.7]}
    (tmp_path / "history.json").write_text(json.dumps(history))
    for value in _hostile_values():
        record[field] = value
        nested = {"training": {"optimizer": MARKUP, "loss": MARKUP, "callbacks": [MARKUP]},
                  "metrics": {"test": {MARKUP: MARKUP}, "train": [MARKUP]},
                  "environment": {MARKUP: MARKUP}, "data": {"source": MARKUP, "path": 5, "target": MARKUP}}
        if field in nested and isinstance(value, dict):
            record[field] = nested[field]
        (tmp_path / "run.json").write_text(json.dumps(record))
        page = write_report(tmp_path).read_text(encoding="utf-8")
        assert "<script" not in page, (field, value)
