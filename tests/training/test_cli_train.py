"""`studio train` and `studio inspect` end to end."""

import json

import keras
from helpers import mlp_project

from studio.cli import main
from studio.resources import resource
from studio.training.runs import list_runs


def last_json(out):
    return json.loads(out.strip().splitlines()[-1])


def test_train_mnist_example_one_epoch(tmp_path, capsys):
    assert main(["train", str(resource("examples", "mnist_mlp.studio.json")), "--epochs", "1",
                 "--out", str(tmp_path / "run")]) == 0
    out = capsys.readouterr().out
    assert out.count("epoch 1:") == 1
    result = last_json(out)
    assert result["test"]["accuracy"] >= 0.88 and result["reason"] == "completed"
    assert set(result) >= {"train", "validation", "test"}
    assert (tmp_path / "run" / "model.h5").is_file() and (tmp_path / "run" / "run.json").is_file()
    assert main(["inspect", str(tmp_path / "run" / "model.h5")]) == 0
    inspected = capsys.readouterr().out
    assert "Total params: 266,610" in inspected and "Optimizer: SGD" in inspected


def test_train_records_runs_beside_the_project(tmp_path, capsys):
    project = mlp_project(tmp_path, epochs=2)
    assert main(["train", str(project.path)]) == 0
    result = last_json(capsys.readouterr().out)
    runs = list_runs(project)
    assert len(runs) == 1 and runs[0]["reason"] == "completed" and runs[0]["epochs"] == 2
    assert runs[0]["metrics"]["test"] == result["test"]
    assert "normalization" in [layer["name"] for layer in runs[0]["graph"]["layers"]]


def test_train_refuses_bad_settings_with_a_message(tmp_path, capsys):
    project = mlp_project(tmp_path)
    path = project.path
    data = json.loads(path.read_text())
    data["training"]["batch_size"] = 0
    path.write_text(json.dumps(data))
    assert main(["train", str(path)]) == 2  # refused as the file is read, as every user's mistake on the CLI
    err = capsys.readouterr().err
    assert "batch size must be a whole number >= 1" in err and "Traceback" not in err


def test_inspect_refuses_unsafe_and_unreadable_files(tmp_path, capsys):
    inputs = keras.Input((2,))
    keras.Model(inputs, keras.layers.Lambda(lambda t: t, name="code")(inputs)).save(tmp_path / "l.keras")
    assert main(["inspect", str(tmp_path / "l.keras")]) == 2
    assert "Lambda" in capsys.readouterr().err
    (tmp_path / "junk.h5").write_bytes(b"junk")
    assert main(["inspect", str(tmp_path / "junk.h5")]) == 2


def test_a_run_whose_loss_diverged_is_written_as_json_not_with_nan(tmp_path, capsys):
    def strict(text):
        def refuse(constant):
            raise ValueError(f"{constant} is not JSON")
        return json.loads(text, parse_constant=refuse)
    project = mlp_project(tmp_path, epochs=3, optimizer={"class_name": "SGD", "config": {"learning_rate": 1e30}})
    assert main(["train", str(project.path)]) == 0
    line = strict(capsys.readouterr().out.strip().splitlines()[-1])
    assert line["reason"] == "nan" and "non_finite" in line
    run = list_runs(project)[-1]
    record = strict((tmp_path / run["dir"] / "run.json").read_text())
    history = strict((tmp_path / run["dir"] / "history.json").read_text())
    assert "non_finite" in record and None in history["loss"]


def test_ctrl_c_stops_cleanly_and_keeps_what_was_trained(tmp_path):
    import signal
    import subprocess
    import sys
    project = mlp_project(tmp_path, epochs=10_000)
    process = subprocess.Popen([sys.executable, "-m", "studio", "train", str(project.path)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env={**__import__("os").environ,
                                                                       "TF_CPP_MIN_LOG_LEVEL": "3"})
    for line in process.stdout:
        if line.startswith("epoch 2:"):
            break
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    assert "Traceback" not in err and "stopped by Ctrl-C after" in err
    runs = list_runs(project)
    assert len(runs) == 1 and runs[0]["reason"] == "stopped" and runs[0]["epochs"] >= 2


def test_a_failed_run_leaves_no_empty_folder(tmp_path, capsys, monkeypatch):
    from studio.training import engine
    project = mlp_project(tmp_path, epochs=1)
    monkeypatch.setattr(engine.TrainingJob, "_keras_callbacks", lambda self, keras: [_Boom()])
    assert main(["train", str(project.path)]) == 1
    assert "disk on fire" in capsys.readouterr().err
    folder = tmp_path / "points.runs"
    assert not folder.exists() or not [p for p in folder.iterdir() if p.is_dir()]


class _Boom:
    """A Keras callback that fails as the run starts."""

    def __getattr__(self, name):
        def call(*args, **kwargs):
            if name == "on_train_begin":
                raise RuntimeError("disk on fire")
        return call
