"""`studio train --distribute multi-worker`: two worker processes on 127.0.0.1 train the MNIST example."""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import h5py
import numpy as np
import pytest

from studio.cli import main
from studio.core.project import load_project, save_project
from studio.resources import resource
from studio.training.distribute import DistributeError, cluster_from
from studio.training.runs import list_runs

WORKER_LIMIT = 240  # seconds: TensorFlow's import, the cluster's start and one epoch of 300 images


def free_ports(n):
    sockets = [socket.socket() for _ in range(n)]
    for s in sockets:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


def small_mnist(folder):
    """320 images: 290 to train on, in 5 global batches of 58, 29 per worker (tf.distribute splits a last
    partial batch unevenly between the replicas, so its step is not one process's; docs/scale-out.md)."""
    project = load_project(resource("examples", "mnist_mlp.studio.json"))
    project.data = {**project.data, "limit": 320}
    project.training.update(epochs=1, batch_size=58, seed=5)
    save_project(project, folder / "mnist.studio.json")
    return project


def weights(path):
    found = {}
    with h5py.File(path, "r") as f:
        f["model_weights"].visititems(lambda name, item: found.__setitem__(name, item[()])
                                      if isinstance(item, h5py.Dataset) else None)
    return found


def start_workers(project_path, n, extra=()):
    cluster = {"worker": [f"127.0.0.1:{port}" for port in free_ports(n)]}
    processes = []
    for index in range(n):
        env = {**os.environ, "TF_CONFIG": json.dumps({"cluster": cluster, "task": {"type": "worker", "index": index}}),
               "TF_CPP_MIN_LOG_LEVEL": "3", "CUDA_VISIBLE_DEVICES": ""}
        processes.append(subprocess.Popen(
            [sys.executable, "-m", "studio", "train", str(project_path), "--distribute", "multi-worker", *extra],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    return processes


def finish(processes):
    outputs = []
    for process in processes:
        try:
            out, err = process.communicate(timeout=WORKER_LIMIT)
        except subprocess.TimeoutExpired:
            for p in processes:
                p.kill()
            pytest.fail("a worker did not end in time")
        outputs.append((process.returncode, out, err))
    return outputs


def test_two_loopback_workers_train_what_one_process_computes(tmp_path, capsys):
    alone = tmp_path / "alone"
    alone.mkdir()
    small_mnist(alone)
    shared = tmp_path / "shared"
    shared.mkdir()
    project = small_mnist(shared)
    (chief_code, chief_out, chief_err), (worker_code, worker_out, worker_err) = finish(
        start_workers(project.path, 2))
    assert chief_code == 0, chief_err[-3000:]
    assert worker_code == 0, worker_err[-3000:]
    assert "2 replicas on 2 workers; this process is the chief" in chief_out
    assert "worker 1: trained 1 epochs; the chief records the run" in worker_out
    assert chief_out.count("epoch 1:") == 1 and worker_out.count("epoch 1:") == 1
    assert "model:" not in worker_out  # only the chief writes

    runs = list_runs(project)
    assert len(runs) == 1 and runs[0]["reason"] == "completed" and runs[0]["epochs"] == 1
    assert sorted(p.name for p in shared.iterdir()) == ["mnist.runs", "mnist.studio.json"]

    assert main(["train", str(alone / "mnist.studio.json"), "--out", str(tmp_path / "one")]) == 0
    alone_line = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    distributed, one = weights(Path(runs[0]["dir"]) / "model.h5"), weights(tmp_path / "one" / "model.h5")
    assert distributed.keys() == one.keys() and len(one) == 6  # three Dense layers' kernels and biases
    for name in one:
        np.testing.assert_allclose(distributed[name], one[name], rtol=1e-4, atol=1e-6, err_msg=name)
    chief = json.loads(chief_out.strip().splitlines()[-1])  # evaluated as one process evaluates
    assert chief["test"] == pytest.approx(alone_line["test"], rel=1e-4)


def test_a_worker_that_dies_ends_the_job_with_a_message(tmp_path):
    project = small_mnist(tmp_path)
    project.training["epochs"] = 50
    save_project(project, project.path)
    chief, worker = start_workers(project.path, 2)
    for line in chief.stdout:  # the chief trains: the cluster is up
        if line.startswith("epoch 1:"):
            break
    worker.kill()
    worker.wait()
    code, _, err = finish([chief])[0]
    assert code != 0
    assert "the job ended because" in err and "stopped or could not be reached" in err
    assert "Traceback" not in err
    assert list_runs(project) == []


def test_a_tf_config_that_is_not_a_cluster_is_said_in_one_line():
    assert cluster_from({}) is None
    good = {"cluster": {"worker": ["a:1", "b:2"]}, "task": {"type": "worker", "index": 1}}
    assert cluster_from({"TF_CONFIG": json.dumps(good)}) == ({"worker": ["a:1", "b:2"]}, "worker", 1)
    for config, said in (("{", "not JSON"), ({"cluster": {"worker": []}}, '"cluster"'),
                         ({"cluster": {"ps": ["a:1"]}, "task": {"type": "ps", "index": 0}}, "'ps'"),
                         ({"cluster": {"worker": ["a:1"]}}, '"task"'),
                         ({"cluster": {"worker": ["a:1"]}, "task": {"type": "worker", "index": 3}}, "not in its")):
        with pytest.raises(DistributeError, match=said):
            cluster_from({"TF_CONFIG": config if isinstance(config, str) else json.dumps(config)})


def test_multi_worker_without_a_cluster_is_refused(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("TF_CONFIG", raising=False)
    monkeypatch.delenv("SLURM_JOB_ID", raising=False)
    project = small_mnist(tmp_path)
    assert main(["train", str(project.path), "--distribute", "multi-worker"]) == 1
    err = capsys.readouterr().err
    assert "multi-worker training needs TF_CONFIG" in err and list_runs(project) == []


def streamed_project(folder):
    """A CSV project whose file is streamed (STUDIO_DATA_MEMORY is below its size), with a batch size that
    divides its training rows (see small_mnist)."""
    from helpers import classification_csv, mlp_project

    from studio.training.data_source import load_training_data
    project = mlp_project(folder, epochs=2)
    for rows in range(240, 400):  # the hashed split decides the training rows: find a size that divides well
        classification_csv(folder / "points.csv", n=rows)
        train = load_training_data(project, memory_limit=1000).stream.counts["train"]
        batch = next((b for b in range(16, 81, 2) if train % b == 0), None)
        if batch:
            break
    project.training["batch_size"] = batch
    save_project(project, project.path)
    return project


def test_a_streamed_file_trains_on_two_workers_as_in_one_process(tmp_path, capsys, monkeypatch):
    (tmp_path / "alone").mkdir()
    (tmp_path / "shared").mkdir()
    alone, project = streamed_project(tmp_path / "alone"), streamed_project(tmp_path / "shared")
    monkeypatch.setenv("STUDIO_DATA_MEMORY", "1000")  # bytes: the file is larger, so every process streams it
    results = finish(start_workers(project.path, 2))
    for code, out, err in results:
        assert code == 0, err[-3000:]
    assert all(out.count("epoch 2:") == 1 for _, out, _ in results)
    runs = list_runs(project)
    assert len(runs) == 1 and runs[0]["epochs"] == 2

    assert main(["train", str(alone.path), "--out", str(tmp_path / "one")]) == 0
    assert "streamed" in capsys.readouterr().out.lower()
    distributed, one = weights(Path(runs[0]["dir"]) / "model.h5"), weights(tmp_path / "one" / "model.h5")
    assert distributed.keys() == one.keys() and one
    for name in one:
        np.testing.assert_allclose(distributed[name], one[name], rtol=1e-4, atol=1e-6, err_msg=name)


def test_the_lost_worker_is_named_from_tensorflows_error():
    import tensorflow as tf

    from studio.training.distribute import lost_worker
    reset = ("{{function_node __wrapped__CollectiveReduceV2_device_/job:worker/replica:0/task:0/device:CPU:0}} "
             "Collective ops is aborted by: recvmsg:Connection reset by peer\nAdditional GRPC error information "
             "from remote target /job:worker/replica:0/task:1 while calling /tensorflow.WorkerService/RecvBuf:")
    assert "because worker 1 stopped" in str(lost_worker(tf.errors.UnavailableError(None, None, reset)))
    assert "because another worker stopped" in str(lost_worker(tf.errors.CancelledError(None, None, "gone")))
    assert lost_worker(ValueError("a bug")) is None
