"""The studio command: check prints the layer table and exits 0, 1 or 2."""

import json
import re
import subprocess
import sys

import pytest
from conftest import ROOT

import studio
from studio.cli import main

MNIST = ROOT / "resources" / "examples" / "mnist_mlp.studio.json"
WIDE_DEEP = ROOT / "resources" / "examples" / "wide_deep.studio.json"


def test_check_mnist_mlp(capsys):
    assert main(["check", str(MNIST)]) == 0
    out = capsys.readouterr().out
    assert "Total params: 266,610" in out
    assert re.search(r"^dense\s+Dense\s+\(None, 300\)\s+235,500$", out, re.M)
    assert re.search(r"^input_layer\s+Input\s+\(None, 28, 28\)\s+0$", out, re.M)


def test_check_wide_deep(capsys):
    assert main(["check", str(WIDE_DEEP)]) == 0
    out = capsys.readouterr().out
    assert "Total params: 1,207" in out
    assert "concat" in out and "(None, 35)" in out


def test_check_names_the_nodes_of_a_cycle(tmp_path, capsys):
    data = json.loads(MNIST.read_text(encoding="utf-8"))
    layers = {layer["name"]: layer for layer in data["graph"]["layers"]}
    layers["flatten"]["inbound"] = ["dense_1"]  # dense_1 now feeds back into flatten
    broken = tmp_path / "broken.studio.json"
    broken.write_text(json.dumps(data), encoding="utf-8")
    assert main(["check", str(broken)]) == 1
    err = capsys.readouterr().err
    assert "cycle: dense -> dense_1 -> flatten -> dense" in err
    assert "rescaling: its result reaches no model output" in err
    assert "Traceback" not in err


def test_check_unreadable_file_is_one_line(tmp_path, capsys):
    bad = tmp_path / "bad.studio.json"
    bad.write_text("{not json", encoding="utf-8")
    assert main(["check", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not valid JSON" in err


def test_version(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.strip() == f"Perceptron Studio {studio.__version__}"


def test_console_command_runs_without_traceback(tmp_path):
    """The installed `studio` entry point and `python -m studio` both work end to end."""
    missing = tmp_path / "missing.studio.json"
    result = subprocess.run([sys.executable, "-m", "studio", "check", str(missing)],
                            capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr.strip() == f"studio check: {missing}: there is no such file"
    result = subprocess.run([sys.executable, "-m", "studio", "check", str(MNIST)], capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr
    assert "Total params: 266,610" in result.stdout
    assert result.stderr == ""  # TensorFlow's start-up notes are filtered out


def test_export_writes_a_script_and_refuses_sequential_for_a_branching_model(tmp_path, capsys):
    wide_deep = WIDE_DEEP
    out = tmp_path / "wide_deep.py"
    assert main(["export", str(wide_deep), "--style", "functional", "-o", str(out)]) == 0
    assert "def build_model():" in out.read_text(encoding="utf-8")
    assert f"wrote {out}" in capsys.readouterr().out
    refused = tmp_path / "refused.py"
    assert main(["export", str(wide_deep), "--style", "sequential", "-o", str(refused)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("studio export: Sequential needs a straight chain") and "Traceback" not in err
    assert not refused.exists()
    assert main(["export", str(tmp_path / "missing.studio.json"), "-o", str(refused)]) == 2


def test_labs_are_listed_started_and_checked(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("STUDIO_LABS_HOME", str(tmp_path))
    assert main(["labs", "--lang", "ko"]) == 0
    listing = capsys.readouterr().out
    assert " 1  01-perceptron" in listing and "퍼셉트론 학습 규칙" in listing and str(tmp_path) in listing
    assert main(["lab", "check", "2"]) == 2
    assert "run 'studio lab start 2' first" in capsys.readouterr().err
    assert main(["lab", "start", "2"]) == 0
    assert f"project: {tmp_path / '02-xor' / 'xor.studio.json'}" in capsys.readouterr().out
    assert main(["lab", "check", "2"]) == 1
    report = capsys.readouterr().out
    assert "FAIL  At least 1 hidden layer" in report and "Hint: Put a Dense layer" in report
    assert report.rstrip().endswith("lab 2: not passed yet")
    assert main(["lab", "lesson", "2", "--lang", "ko"]) == 0
    assert capsys.readouterr().out.startswith("# 실습 2")
