"""Open model files from elsewhere without trusting them.

1. A first look, without TensorFlow and without building anything
   (``survey``): walk the file's structure once (an HDF5 group that links back
   to itself is refused, not followed), measure what it declares (arrays,
   archive members, configuration; ``studio.training.model_budget``) and
   refuse what is outside the studio's layer catalog: Lambda layers
   (arbitrary code), custom or registered objects, TFSMLayer, lookup layers
   with file paths, nested models, and HDF5 external links.
2. Count the parameters the configuration builds, with Keras' own classes in
   a stateless scope (nothing allocated), and refuse a model the machine
   cannot hold, with the estimate, before anything is built for real.
3. Both happen first in a child process with time limits: the first look
   within CHECK_TIMEOUT (10 s), then the trial load within CHILD_TIMEOUT, so
   a malformed file that crashes or hangs the HDF5 library costs an error
   message, not the application or two minutes. The parent does not open the
   file before the child has. The child stays running between files
   (TensorFlow is imported once); one that died or hung is replaced for the
   next file.
4. Only then load it here, always with ``safe_mode=True``.

Run as ``python -m studio.training.safe_load FILE`` it checks and loads one
file and prints one JSON line; with ``--serve`` it reads requests on stdin,
one JSON object per line (``{"id": 1, "path": "...", "stage": "check"}``),
and answers each with one JSON line carrying the same id, so that no file name
can shift the answers (a name may hold a newline).
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from studio.children import module_command
from studio.core.catalog import CATALOG
from studio.core.files import not_a_regular_file
from studio.data.errors import Cancelled
from studio.training.model_budget import (Declared, check_parameters, check_text, count_parameters, read_member,
                                          walk_archive, walk_h5)
from studio.training.model_files import METADATA_KEY, ModelFileError, load_model
from studio.training.processes import kill_tree
from studio.training.tf_keras_files import is_keras2_archive

ALLOWED_LAYERS = {spec.keras_class_name for spec in CATALOG.values()}
CONTAINERS = {"Sequential", "Functional", "Model"}
CHILD_TIMEOUT = 120.0  # the whole load, TensorFlow's start in the child included
CHECK_TIMEOUT = 10.0  # the first look (structure, sizes, configuration): no TensorFlow, milliseconds for a good file
MAX_LAYERS = 5_000
POLL = 0.05  # seconds between looks at the Cancel flag while the child works
READY = '{"id": 0, "ready": true}'  # the child's first line, once it can take a file (request ids start at 1)
_TIMED_OUT = object()  # what LoaderProcess._wait gives at its deadline
_WHY = {
    "Lambda": "it runs arbitrary Python code stored in the file",
    "TFSMLayer": "it loads a TensorFlow SavedModel from another path",
    "StringLookup": "lookup layers can read vocabulary files from paths",
    "IntegerLookup": "lookup layers can read vocabulary files from paths",
}


def _check_regular(path: Path) -> None:
    """A model file is a regular file: a folder, a pipe or a device (/dev/zero) is said as what it is."""
    problem = not_a_regular_file(path, "a model file")
    if problem is not None:
        raise ModelFileError(f"{path}: {problem}")


@dataclass
class Survey:
    """What a first look at a model file found, before anything is built or its weights read."""

    kind: str  # the loader it goes through: "h5", "keras" (Keras 3 archive) or "tf_keras" (tf-keras 2 archive)
    text: str | bytes  # the model configuration as stored
    config: dict
    layers: list[str]
    declared: Declared


def survey(path: str | os.PathLike) -> Survey:
    """Walk a model file's structure, measure what it declares and check its configuration; build nothing.

    Raises ModelFileError for anything refused, including files whose arrays
    would not fit in memory (``studio.training.model_budget``).
    """
    path = Path(path)
    where = str(path)
    _check_regular(path)
    with open(path, "rb") as f:
        head = f.read(8)
    declared = Declared()
    if head.startswith(b"\x89HDF\r\n\x1a\n"):
        import h5py
        try:
            with h5py.File(path, "r") as f:
                walk_h5(f, where, declared)
                declared.check(where)
                for name in ("training_config", METADATA_KEY):
                    check_text(f.attrs.get(name), name, where)
                text, kind = f.attrs.get("model_config"), "h5"
                check_text(text, "model configuration", where)
                if isinstance(text, bytes):
                    text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise ModelFileError(f"{path}: the model configuration is damaged (not UTF-8 text)") from None
        except (OSError, ValueError, TypeError, KeyError, RuntimeError) as exc:
            if isinstance(exc, ModelFileError):
                raise
            raise ModelFileError(f"{path}: not a readable HDF5 file ({exc})") from None
        if text is None:
            raise ModelFileError(f"{path}: holds weights only, no model configuration; it cannot be opened "
                                 "as a model")
    elif head.startswith(b"PK"):
        try:
            with zipfile.ZipFile(path) as archive:
                walk_archive(archive, where, declared)
                declared.check(where)
                text = read_member(archive, "config.json", where)
                kind = "tf_keras" if is_keras2_archive(archive) else "keras"
        except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, RuntimeError) as exc:
            if isinstance(exc, ModelFileError):
                raise
            raise ModelFileError(f"{path}: not a readable .keras archive ({exc})") from None
    else:
        raise ModelFileError(f"{path}: neither an HDF5 (.h5) nor a .keras model file")
    try:
        config = json.loads(text if isinstance(text, (str, bytes)) else bytes(text))
    except (ValueError, TypeError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        raise ModelFileError(f"{path}: the model configuration is damaged ({type(exc).__name__})") from None
    return Survey(kind, text, config, check_config(config, where), declared)


def check_budget(found: Survey, path: str | os.PathLike) -> int:
    """Count the parameters its configuration builds (allocating nothing) and refuse what would not fit."""
    params = count_parameters(found.text, found.kind, str(path))
    check_parameters(params, found.declared, str(path))
    return params


# The model entry of a .keras archive written by tf-keras 2.x: its module, and the only class it may name.
_TF_KERAS_CONTAINERS = {"tf_keras.src.engine.functional": "Functional",
                        "tf_keras.src.engine.sequential": "Sequential"}


def check_config(config: dict, where: str) -> list[str]:
    """Raise ModelFileError for anything outside the catalog; return the layer classes found."""
    try:
        return _check_config(config, where)
    except RecursionError:  # objects nested thousands deep
        raise ModelFileError(f"{where}: the model configuration is malformed (nested too deep)") from None


def _check_config(config, where: str) -> list[str]:
    if not isinstance(config, dict) or not isinstance(config.get("class_name"), str) \
            or not isinstance(config.get("config", {}), dict):
        raise ModelFileError(f"{where}: the model configuration is malformed")
    if _TF_KERAS_CONTAINERS.get(config.get("module")) == config["class_name"] == config.get("registered_name"):
        # a tf-keras 2 archive names its own module for the model itself; it is read as Keras' own class
        _check_custom({**config, "module": "keras"}, where, "the model")
    else:
        _check_custom(config, where, "the model")
    if config["class_name"] not in CONTAINERS:
        raise ModelFileError(f"{where}: the model is a {config['class_name']}, a custom or subclassed model; "
                             "only Sequential and Functional models can be opened")
    layers = config.get("config", {}).get("layers", [])
    if not isinstance(layers, list):
        raise ModelFileError(f"{where}: the model configuration is malformed (its layers are not a list)")
    if len(layers) > MAX_LAYERS:
        raise ModelFileError(f"{where}: the model has {len(layers):,} layers; the studio opens models of at most "
                             f"{MAX_LAYERS:,}")
    found = []
    for layer in layers:
        if not isinstance(layer, dict) or not isinstance(layer.get("config", {}), dict) \
                or not isinstance(layer.get("class_name"), str):
            raise ModelFileError(f"{where}: a layer entry is malformed")
        name = layer.get("config", {}).get("name", layer.get("name", "?"))
        cls = layer["class_name"]
        _check_custom(layer, where, f"layer {name!r}")
        if cls in CONTAINERS:
            raise ModelFileError(f"{where}: layer {name!r} is a nested model; the studio opens flat models only")
        if cls not in ALLOWED_LAYERS:
            why = _WHY.get(cls, "the studio does not offer it")
            raise ModelFileError(f"{where}: layer {name!r} is a {cls}, refused because {why}")
        found.append(cls)
    return found


def _check_custom(entry: dict, where: str, what: str) -> None:
    registered = entry.get("registered_name")
    module = entry.get("module")
    if (registered and registered != entry.get("class_name")) \
            or (module and not (isinstance(module, str) and module.startswith("keras"))):
        raise ModelFileError(f"{where}: {what} uses a custom object ({registered or module}); refused, "
                             "because loading it would run code from outside Keras")
    for value in entry.get("config", {}).values() if isinstance(entry.get("config"), dict) else []:
        if isinstance(value, dict) and "class_name" in value:
            _check_custom(value, where, what)


def inspect_file(path: str | os.PathLike) -> list[str]:
    """Check a file's structure, sizes and configuration (no model is built); returns its layer classes."""
    return survey(path).layers


OWN_GROUP = True  # a loader leads its own process group; False in a child whose group is ended as a whole


class LoaderProcess:
    """A child process that checks and trial-loads files one at a time (thread-safe)."""

    def __init__(self):
        self.process: subprocess.Popen | None = None
        self.replies: queue.Queue | None = None
        self.lock = threading.Lock()
        self.asked = 0  # requests sent; each answer carries the number of the request it answers

    def _start(self) -> None:
        env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", PYTHONUNBUFFERED="1")
        if os.environ.get("STUDIO_TEST_LOADER_HANGS"):  # tests: a child that starts, then never answers
            command = [sys.executable, "-c", f"import time\nprint({READY!r}, flush=True)\nwhile True: time.sleep(1)"]
        else:
            command = module_command("studio.training.safe_load", "--serve")
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, text=True, env=env,
                                        start_new_session=OWN_GROUP)  # its own group: killed with its children
        self.replies = queue.Queue()
        threading.Thread(target=_pump, args=(self.process.stdout, self.replies), daemon=True,
                         name="studio-loader-pump").start()

    def stop(self) -> None:
        """Kill the child now (never waits more than a moment); the next file starts a fresh one."""
        process, self.process = self.process, None
        if process is not None:
            kill_tree(process)

    def check(self, path: Path, timeout: float, cancelled: Callable[[], bool] | None = None,
              stage: str = "load", start_timeout: float | None = None) -> dict:
        """The child's verdict on ``path``; raises ModelFileError when it hung or died on it.

        ``stage`` "check" asks for the first look only (``survey``: no
        TensorFlow, nothing built), "load" for the whole trial load.
        ``timeout`` counts from the request; a child started for it first has
        ``start_timeout`` (by default ``timeout``) to say it is ready, so a
        slow start is never taken for a file that hangs. ``cancelled()`` is
        polled while the child works; when it turns true the child is killed
        and Cancelled is raised.
        """
        with self.lock:
            if self.process is None or self.process.poll() is not None:
                self._start()
                line = self._wait(0, time.monotonic() + (start_timeout or timeout), cancelled)
                if line is None or line is _TIMED_OUT:
                    self.stop()
                    raise ModelFileError(f"{path}: the loader process did not start (within "
                                         f"{start_timeout or timeout:g} s); nothing was opened")
            process = self.process
            self.asked += 1
            request = self.asked
            try:
                # one JSON object per line: a newline (or anything else) in a file name cannot split a request,
                # and each answer names the request it answers
                process.stdin.write(json.dumps({"id": request, "path": str(path), "stage": stage}) + "\n")
                process.stdin.flush()
            except (BrokenPipeError, OSError, ValueError):  # ValueError: the pipe was closed by stop()
                pass  # the child is gone: its end of output says so below
            line = self._wait(request, time.monotonic() + timeout, cancelled)
            if line is _TIMED_OUT:
                self.stop()
                if stage == "check":
                    raise ModelFileError(f"{path}: a first look at its structure did not finish within "
                                         f"{timeout:g} s: the HDF5 library hangs on it, so the file is damaged "
                                         "or made to hang; refused")
                raise ModelFileError(f"{path}: loading did not finish within {timeout:g} s; the file is "
                                     "probably damaged")
            if line is None:  # the child died on this file
                code = process.wait(5) if process.poll() is None else process.returncode
                if self.process is process:
                    self.process = None
                raise ModelFileError(f"{path}: loading it crashed the loader (exit code {code}); the file is "
                                     "damaged")
            return json.loads(line)

    def _wait(self, request: int, deadline: float, cancelled: Callable[[], bool] | None):
        """The child's line answering ``request``; None when it exited, _TIMED_OUT at the deadline."""
        while True:
            if cancelled is not None and cancelled():
                self.stop()
                raise Cancelled()
            left = deadline - time.monotonic()
            if left <= 0:
                return _TIMED_OUT
            try:
                line = self.replies.get(timeout=min(POLL, left))
            except queue.Empty:
                continue
            if line is None or _reply_id(line) == request:
                return line  # an answer to an earlier request (given up on) is not this file's


def _reply_id(line: str):
    try:
        reply = json.loads(line)
    except ValueError:
        return None
    return reply.get("id") if isinstance(reply, dict) else None


def _pump(stream, replies: queue.Queue) -> None:
    for line in stream:
        if line.startswith("{"):
            replies.put(line)
    replies.put(None)  # end of output: the child has exited


_loader = LoaderProcess()


def stop_loader() -> None:
    """Kill the shared loader child (the application calls it when it quits)."""
    _loader.stop()


def open_untrusted(path: str | os.PathLike, timeout: float = CHILD_TIMEOUT, cancelled: Callable[[], bool] | None = None):
    """Look at, then trial-load in the child process, then load here. Returns (model, metadata).

    The child first only walks the file and measures it (``survey``) within
    CHECK_TIMEOUT, so a file that hangs the HDF5 library costs seconds, not
    the whole ``timeout`` the full load may take. ``cancelled()`` (polled
    while the child works) kills the child and raises Cancelled.
    """
    path = Path(path)
    _check_regular(path)
    for stage, limit in (("check", min(CHECK_TIMEOUT, timeout)), ("load", timeout)):
        verdict = _loader.check(path.resolve(), limit, cancelled, stage=stage, start_timeout=timeout)
        if cancelled is not None and cancelled():
            raise Cancelled()
        if not verdict.get("ok"):
            raise ModelFileError(verdict.get("error") or f"{path}: cannot be loaded")
    check_budget(survey(path), path)  # the file may have changed since the child saw it
    return load_model(path)


def _verdict(path: str, stage: str = "load") -> dict:
    try:
        found = survey(path)
        if stage == "check":
            return {"ok": True, "layers": found.layers}
        check_budget(found, path)
        model, _ = load_model(path)
        return {"ok": True, "layers": found.layers, "params": int(model.count_params())}
    except Exception as exc:  # reported to the parent as a message
        message = str(exc) if isinstance(exc, ModelFileError) else \
            f"{path}: cannot be loaded ({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''})"
        return {"ok": False, "error": message}


def _serve() -> int:
    """Answer requests ``{"id": N, "path": "...", "stage": "check" | "load"}``, one JSON object per line, with
    ``{"id": N, "ok": ...}``; the first line, READY, says it is ready."""
    import h5py  # noqa: F401  what the first look needs, so that its time limit is the file's alone

    import studio.data.csv_file  # noqa: F401
    print(READY, flush=True)
    for line in sys.stdin:
        try:
            request = json.loads(line)
            path, request_id, stage = request["path"], request["id"], request.get("stage", "load")
            if not isinstance(path, str) or not isinstance(request_id, int) or stage not in ("check", "load"):
                raise TypeError
        except (ValueError, KeyError, TypeError, AttributeError):
            if line.strip():
                print(json.dumps({"id": None, "ok": False, "error": "the request is malformed"}), flush=True)
            continue
        print(json.dumps({**_verdict(path, stage), "id": request_id}), flush=True)
        if stage == "check":
            continue  # nothing of Keras was made
        try:  # a long session of loads must not grow the child without bound
            from studio.core import registries
            registries.keras().backend.clear_session()
        except Exception:
            pass
    return 0


if __name__ == "__main__":
    if sys.argv[1:] == ["--serve"]:
        sys.exit(_serve())
    verdict = _verdict(sys.argv[1])
    print(json.dumps(verdict))
    sys.exit(0 if verdict["ok"] else 1)
