"""What the training child and the window say to each other: one JSON object per line, numbers and lists only.

A run's TrainingResult and Results cross as plain values (arrays as nested
lists with their dtype); the model itself never does: the child writes it to a
file and says where. Never pickle: the other side may be a process that crashed
halfway through a line, and a line is only ever parsed as JSON.
"""

from __future__ import annotations

import json
import math

import numpy as np

MAX_LINE = 64 << 20  # a line longer than this is a broken child, not a message


PLACES = ("HOME", "TMPDIR", "TEMP", "TMP", "USERPROFILE", "APPDATA", "LOCALAPPDATA")


def carried(key: str) -> bool:
    """The environment the window passes on with each job: what says where files go."""
    return key in PLACES or key.startswith(("XDG_", "STUDIO_"))


def environment() -> dict:
    import os
    return {key: value for key, value in os.environ.items() if carried(key)}


def dumps(message: dict) -> bytes:
    return (json.dumps(message, default=_plain, allow_nan=True) + "\n").encode("utf-8")


def loads(line: bytes) -> dict:
    message = json.loads(line.decode("utf-8"))
    if not isinstance(message, dict):
        raise ValueError("a message is a JSON object")
    return message


def _plain(value):
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    return str(value)


def result_to_wire(result) -> dict:
    return {"reason": result.reason, "epochs_done": int(result.epochs_done), "history": result.history,
            "stop_delay": result.stop_delay}


def result_from_wire(data: dict):
    from studio.training.engine import TrainingResult
    history = {str(k): [float(v) for v in values] for k, values in (data.get("history") or {}).items()}
    return TrainingResult(str(data.get("reason", "completed")), int(data.get("epochs_done", 0)), history, None,
                          data.get("stop_delay"))


def _array(value):
    return {"dtype": str(value.dtype), "shape": list(value.shape), "values": value.reshape(-1).tolist()} \
        if value is not None else None


def _from_array(data):
    if not isinstance(data, dict):
        return None
    return np.asarray(data["values"], dtype=np.dtype(data["dtype"])).reshape(data["shape"])


def results_to_wire(results) -> dict:
    return {"task": results.task, "test": results.test, "class_names": results.class_names,
            "confusion": _array(results.confusion),
            "mistakes": [[m.index, m.truth, m.predicted, m.confidence] for m in results.mistakes],
            "mistake_images": _array(results.mistake_images), "mistakes_total": results.mistakes_total,
            "predicted": _array(results.predicted), "truth": _array(results.truth), "images": results.images,
            "test_total": results.test_total, "notes": results.notes}


def results_from_wire(data: dict):
    from studio.training.results import Mistake, Results
    test = {str(k): float(v) if isinstance(v, (int, float)) else math.nan for k, v in (data.get("test") or {}).items()}
    return Results(str(data.get("task", "")), test, [str(c) for c in data.get("class_names") or []],
                   confusion=_from_array(data.get("confusion")),
                   mistakes=[Mistake(int(i), int(t), int(p), float(c)) for i, t, p, c in data.get("mistakes") or []],
                   mistake_images=_from_array(data.get("mistake_images")),
                   mistakes_total=int(data.get("mistakes_total") or 0),
                   predicted=_from_array(data.get("predicted")), truth=_from_array(data.get("truth")),
                   images=bool(data.get("images")), test_total=data.get("test_total"),
                   notes=[str(n) for n in data.get("notes") or []])


def job_state(job) -> dict:
    """What the window shows and decides from about the child's job (the model stays in the child)."""
    loss = job.settings.loss if getattr(job, "settings", None) is not None else ""
    return {"run_dir": str(job.run_dir) if job.run_dir is not None else None, "epoch": int(job.epoch),
            "loss": loss, "kept": getattr(job, "kept", None), "reset": getattr(job, "reset", None),
            "optimizer_changes": getattr(job, "optimizer_changes", None),
            "source_run": str(job.source_run) if getattr(job, "source_run", None) is not None else None,
            "trained": job.model is not None}
