"""Exporting a trained model for deployment: every format loads back in its own runtime and predicts as Keras does."""

import importlib.util
import json
import shutil
import sys
from pathlib import Path

import pytest

from studio.cli import main as studio
from studio.core.project import load_project, save_project
from studio.exports import deploy
from studio.data.errors import Cancelled
from studio.exports.deploy import (DeployError, FormatUnavailable, export_current_model, export_model, record_path,
                                   verification_rows)
from studio.training.current_model import model_file
from studio.training.safe_load import open_untrusted

EXAMPLES = Path(__file__).resolve().parents[2] / "resources" / "examples"
DATASETS = EXAMPLES.parent / "datasets"
NAMES = {"h5": "model.h5", "keras": "model.keras", "savedmodel": "model_savedmodel", "tflite": "model.tflite",
         "onnx": "model.onnx"}


def _trained(folder: Path, example: str, **data) -> Path:
    project = load_project(EXAMPLES / example)
    project = project.copy()
    project.data.update(data)
    project.training["epochs"] = 1
    project.training.pop("callbacks", None)
    path = folder / example
    save_project(project, path)
    assert studio(["train", str(path)]) == 0
    return path


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """The MNIST MLP (300 images) and the Wide & Deep example, each trained one epoch, with its model and rows."""
    folder = tmp_path_factory.mktemp("deploy")
    out = {}
    for key, example, data in (("mnist", "mnist_mlp.studio.json", {"limit": 300}),
                               ("wide_deep", "wide_deep.studio.json", {"path": str(DATASETS / "auto_mpg.csv")})):
        path = _trained(folder, example, **data)
        project = load_project(path)
        model, metadata = open_untrusted(model_file(project))
        rows, rows_from = verification_rows(model, project)
        out[key] = (path, model, metadata, rows, rows_from)
    return out


@pytest.mark.parametrize("fmt", deploy.FORMATS)
@pytest.mark.parametrize("which", ["mnist", "wide_deep"])
def test_every_format_predicts_as_keras_does(trained, tmp_path, which, fmt):
    _path, model, metadata, rows, rows_from = trained[which]
    target = tmp_path / NAMES[fmt]
    progress = []
    result = export_model(model, fmt, target, rows, rows_from=rows_from, metadata=metadata,
                          progress=lambda fraction, message: progress.append(fraction))
    print(f"{which} {fmt}: {result.max_abs_difference:.3g} ({result.runtime})")
    assert result.passed and result.max_abs_difference <= 1e-4
    assert result.rows == (50 if which == "mnist" else 59)  # MNIST keeps 300 // 6 test images; 15 % of 392 cars
    assert result.rows_from == "the project's test split"
    assert set(result.outputs) == ({"dense_2"} if which == "mnist" else {"main_output", "aux_output"})
    assert target.is_dir() if fmt == "savedmodel" else target.is_file()
    if fmt == "tflite" and importlib.util.find_spec("ai_edge_litert"):  # the [deploy] extra brings LiteRT
        assert result.runtime.startswith("LiteRT")
    record = json.loads(record_path(target).read_text())
    assert record["format"] == "perceptron-studio/deploy-verification" and record["check"] == result.to_dict()
    assert progress[-1] == 1.0 and progress == sorted(progress)
    assert [p.name for p in tmp_path.iterdir() if ".studio-" in p.name] == []  # no temporary name left


def test_random_rows_where_no_project_is_known(trained, tmp_path):
    _path, model, _metadata, _rows, _ = trained["wide_deep"]
    result = export_model(model, "tflite", tmp_path / "m.tflite")
    assert result.passed and result.rows == 100 and result.rows_from == "random inputs (seed 0)"
    assert result.inputs == ["wide_input", "deep_input"]


def test_the_command_writes_the_export_and_ends_with_json(trained, tmp_path, capsys):
    path = trained["wide_deep"][0]
    target = tmp_path / "wd.onnx"
    capsys.readouterr()
    assert studio(["export-model", str(path), "--format", "onnx", "-o", str(target)]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    summary = json.loads(lines[-1])
    assert summary["passed"] and summary["format"] == "onnx" and summary["path"] == str(target)
    assert summary["rows_from"] == "the project's test split" and target.is_file()
    # a model file is opened as an untrusted one, and checked on random rows
    model = model_file(load_project(path))
    code = studio(["export-model", str(model), "--format", "savedmodel", "-o", str(tmp_path / "sm")])
    assert code == 0, capsys.readouterr().err
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert summary["rows_from"] == "random inputs (seed 0)" and (tmp_path / "sm" / "saved_model.pb").is_file()


def test_an_untrained_project_is_one_line(tmp_path, capsys):
    path = tmp_path / "wide_deep.studio.json"
    shutil.copy(EXAMPLES / "wide_deep.studio.json", path)
    assert studio(["export-model", str(path), "--format", "tflite", "-o", str(tmp_path / "m.tflite")]) != 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("studio export-model:") and "no trained model" in err[0]
    assert not (tmp_path / "m.tflite").exists()


def test_onnx_without_its_packages_says_so_in_one_line(trained, tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "tf2onnx", None)  # import tf2onnx raises ImportError
    _path, model, *_ = trained["mnist"]
    with pytest.raises(FormatUnavailable, match=r"ONNX export needs onnx, onnxruntime and tf2onnx"):
        export_model(model, "onnx", tmp_path / "m.onnx")
    assert studio(["export-model", str(trained["mnist"][0]), "--format", "onnx", "-o", str(tmp_path / "m.onnx")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "pip install 'perceptron-studio[deploy]'" in err[0]
    assert not (tmp_path / "m.onnx").exists()


def test_an_export_that_fails_its_check_is_not_written(trained, tmp_path, monkeypatch):
    _path, model, *_ = trained["mnist"]
    (tmp_path / "m.tflite").write_bytes(b"the earlier export")
    monkeypatch.setattr(deploy, "TOLERANCE", -1.0)
    with pytest.raises(DeployError, match="differs from Keras by .* it was not written"):
        export_model(model, "tflite", tmp_path / "m.tflite")
    assert (tmp_path / "m.tflite").read_bytes() == b"the earlier export"
    with pytest.raises(DeployError, match="not written"):
        export_model(model, "savedmodel", tmp_path / "sm")
    assert not (tmp_path / "sm").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.tflite"]


def test_a_converter_failure_is_one_line(trained, tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("an op the converter does not know\nand a long traceback")
    monkeypatch.setattr(deploy, "_write_tflite", broken)
    _path, model, *_ = trained["mnist"]
    with pytest.raises(FormatUnavailable) as caught:
        export_model(model, "tflite", tmp_path / "m.tflite")
    assert "\n" not in str(caught.value) and "cannot be exported as tflite (an op the converter" in str(caught.value)
    with pytest.raises(DeployError, match="unknown export format"):
        export_model(model, "pb", tmp_path / "m.pb")


def test_the_call_for_a_background_task_reports_progress_and_can_be_cancelled(trained, tmp_path):
    project = load_project(trained["mnist"][0])
    seen = []
    result = export_current_model(project, "keras", tmp_path / "m.keras", progress=lambda f, m: seen.append(m))
    assert result.passed and result.rows_from == "the project's test split" and seen[0] == "opening the trained model"
    calls = []

    def cancelled():
        calls.append(1)
        return len(calls) > 3
    with pytest.raises(Cancelled):
        export_current_model(project, "tflite", tmp_path / "m.tflite", cancelled=cancelled)
    assert not (tmp_path / "m.tflite").exists()
