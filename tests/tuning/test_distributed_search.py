"""`studio tune --distributed`: a chief oracle and two tuner workers on 127.0.0.1 share one search."""

import json
import os
import socket
import subprocess
import sys

import pytest

from studio.cli import main as studio
from studio.core.project import load_project
from studio.training.runs import list_runs
from studio.tuning.distributed import TuningClusterError, role_from
from training.helpers import mlp_project

LIMIT = 240  # seconds for the whole search: TensorFlow's import in three processes and six small trials
TRIALS = 6


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tuner(project_path, tuner_id, port):
    env = {**os.environ, "KERASTUNER_TUNER_ID": tuner_id, "KERASTUNER_ORACLE_IP": "127.0.0.1",
           "KERASTUNER_ORACLE_PORT": str(port), "TF_CPP_MIN_LOG_LEVEL": "3", "CUDA_VISIBLE_DEVICES": ""}
    return subprocess.Popen([sys.executable, "-m", "studio", "tune", str(project_path), "--distributed",
                             "--trials", str(TRIALS), "--max-epochs", "2", "--algorithm", "random"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_a_chief_and_two_workers_share_the_trials_and_report_one_best(tmp_path):
    project = mlp_project(tmp_path)
    port = free_port()
    processes = [tuner(project.path, "chief", port), tuner(project.path, "tuner0", port),
                 tuner(project.path, "tuner1", port)]
    outputs = []
    for process in processes:
        try:
            out, err = process.communicate(timeout=LIMIT)
        except subprocess.TimeoutExpired:
            for p in processes:
                p.kill()
            pytest.fail("the distributed search did not end in time")
        outputs.append((process.returncode, out, err))
    for code, out, err in outputs:
        assert code == 0, err[-3000:]
    chief, *workers = [json.loads(out.strip().splitlines()[-1]) for _, out, _ in outputs]

    mine = [set(w["trials"]) for w in workers]
    assert all(mine), f"a worker got no trial: {workers}"  # the oracle shared them out
    assert not mine[0] & mine[1] and len(mine[0] | mine[1]) == TRIALS  # each trial ran once, on one worker
    assert "trial " not in outputs[0][1]  # the chief trains nothing

    runs = list_runs(load_project(project.path))
    assert sorted(r["tuner_trial"] for r in runs) == sorted(mine[0] | mine[1])
    assert {r["tuner"] for r in runs} == {"tuner0", "tuner1"}
    assert chief["trials"] == TRIALS and chief["best_trial"] in mine[0] | mine[1]
    best = next(r for r in runs if r["dir"] == chief["best_run"])
    assert best["hyperparameters"] == chief["best_hyperparameters"]
    printed = [float(line.rsplit(" ", 1)[1]) for _, out, _ in outputs[1:] for line in out.splitlines()
               if line.startswith("trial ")]  # "trial N: ... -> val_accuracy 0.8125", one line per trial
    assert len(printed) == TRIALS and max(printed) == pytest.approx(chief["best_objective"], abs=1e-4)


def test_the_variables_are_checked_before_anything_starts(tmp_path, capsys, monkeypatch):
    good = {"KERASTUNER_TUNER_ID": "tuner0", "KERASTUNER_ORACLE_IP": "10.0.0.1", "KERASTUNER_ORACLE_PORT": "8000"}
    assert role_from(good).address == "10.0.0.1:8000" and not role_from(good).chief
    assert role_from({**good, "KERASTUNER_TUNER_ID": "chief"}).chief
    for change, said in (({"KERASTUNER_ORACLE_PORT": ""}, "KERASTUNER_ORACLE_PORT set"),
                         ({"KERASTUNER_ORACLE_PORT": "80000"}, "not a port"),
                         ({"KERASTUNER_TUNER_ID": "a b;rm"}, "not a name")):
        with pytest.raises(TuningClusterError, match=said):
            role_from({**good, **change})
    for name in good:
        monkeypatch.delenv(name, raising=False)
    project = mlp_project(tmp_path)
    assert studio(["tune", str(project.path), "--distributed"]) == 1
    assert "a distributed search needs KERASTUNER_TUNER_ID" in capsys.readouterr().err
