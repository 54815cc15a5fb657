"""The training child seen from the window's side, without Qt: events, Stop, and a child that will not stop."""

import os
import queue
import signal

from training.helpers import classification_csv, mlp_project

from studio.training import remote
from studio.training.model_files import load_model
from studio.training.runs import scratch_folder


def _next(events, wanted, timeout=120):
    while True:
        name, values = events.get(timeout=timeout)
        if name == wanted:
            return values
        assert name not in ("failed", "refused", "ended") or wanted == name, (name, values)


def test_a_child_that_does_not_stop_in_time_is_ended_and_leaves_its_last_epoch(tmp_path, monkeypatch):
    monkeypatch.setattr(remote, "STOP_GRACE", 1.0)
    project = mlp_project(tmp_path, epochs=500)
    classification_csv(tmp_path / "points.csv", n=240)
    events = queue.Queue()
    trainer = remote.RemoteTrainer(lambda name, values: events.put((name, values)))
    try:
        trainer.train(project, 0, True, project.graph.to_dict(), None, scratch_folder(), has_job=False,
                      has_source=False)
        steps = _next(events, "started")["info"]["steps_per_epoch"]
        _next(events, "checkpoint")
        first = trainer.process
        os.kill(first.pid, signal.SIGSTOP)  # frozen mid-epoch: it cannot notice Stop
        trainer.stop()
        ended = _next(events, "ended", timeout=30)
        assert ended["message"] == "training did not stop within 1 s, so its process was ended" and ended["kind"] == "stop_overdue"
        assert ended["running"] and first.poll() is not None and trainer.process is not first  # a new child
        path, epoch = ended["checkpoint"]
        model, metadata = load_model(path)  # written atomically after each epoch, with its optimizer state
        assert metadata["epoch"] == epoch >= 1 and len(metadata["history"]["loss"]) == epoch
        assert int(model.optimizer.iterations.numpy()) == epoch * steps
        assert not trainer.running
        _next(events, "ready")  # the next child has loaded TensorFlow
    finally:
        trainer.close()
    assert not trainer.folder.exists()


def test_a_child_that_cannot_start_is_said_once_and_not_restarted(tmp_path, monkeypatch):
    monkeypatch.setattr(remote, "module_command", lambda module, *args: ["/bin/sh", "-c", "echo 'no TensorFlow here' >&2; exit 3"])
    events = queue.Queue()
    trainer = remote.RemoteTrainer(lambda name, values: events.put((name, values)))
    try:
        ended = _next(events, "ended", timeout=30)
        assert ended["message"] == "the training process could not start: no TensorFlow here"
        assert trainer.process is None and events.empty()
    finally:
        trainer.close()


def test_a_child_killed_while_it_loads_is_started_again(tmp_path):
    events = queue.Queue()
    trainer = remote.RemoteTrainer(lambda name, values: events.put((name, values)))
    try:
        first = trainer.process
        first.send_signal(signal.SIGKILL)  # long before TensorFlow has loaded
        ended = _next(events, "ended", timeout=30)
        assert ended["kind"] == "killed" and not ended["running"] and trainer.process is not first
        _next(events, "ready")
    finally:
        trainer.close()
