"""The training child: ``python -m studio.training.child FOLDER`` runs the window's training in its own process.

The window (``studio.training.remote``) starts it at launch, so that TensorFlow
has loaded before the first Train, and talks to it in JSON lines
(``studio.training.wire``): commands on its stdin, events on its stdout. The
child holds one ``TrainingSession`` (the job Continue goes on from) and runs the
same engine as ``studio train``. After every completed epoch it writes the
model with its optimizer state to ``FOLDER/last-epoch.h5`` (atomically), so that
a child that is killed or crashes leaves the weights of its last epoch behind.

Commands: ``train`` {project, path, epochs, fresh, edited_graph, run_dir},
``adopt`` {path, metadata} (go on from a model file), ``forget``, ``stop``,
``quit``, and ``call`` {id, task, args}: one of the host's ``tasks()``, answered on a thread of its own (so
a prediction does not wait for training) with ``answer`` {id, value} or {id, failed, message, details}. Events: ``ready`` {known} (``registries.snapshot``), ``refused`` {message}, ``unadopted`` {message}, ``accepted`` {job},
``started`` {info, job}, ``progress`` {info}, ``epoch_ended`` {epoch, logs},
``checkpoint`` {path, epoch}, ``finished`` {result, results, model, job},
``failed`` {message, details, job}.
"""

from __future__ import annotations

import importlib
import math
import os
import queue
import sys
import threading
from pathlib import Path

from studio.training import wire

CHECKPOINT = "last-epoch.h5"
NICE = 5  # a lower priority than the window's (benchmarks/ui_latency.py)


class Host:
    def __init__(self, out, folder: Path):
        from studio.training.session import TrainingSession
        self.out, self.folder = out, folder
        self.session = TrainingSession()
        self._lock = threading.Lock()
        self.commands: queue.Queue = queue.Queue()
        self.calls: queue.Queue = queue.Queue()
        self.cancelled_calls: set = set()  # ids of the calls the window no longer waits for
        self.stop_asked = False  # a Stop that came before its job started, honoured once it has

    def send(self, event: str, **values) -> None:
        line = wire.dumps({"event": event, **values})
        with self._lock:
            try:
                self.out.write(line)
                self.out.flush()
            except (BrokenPipeError, OSError):  # the window is gone: the job stops
                self.session.stop()
                self.commands.put(None)

    def read(self, stream) -> None:
        """The reader thread: Stop acts at once (the main thread is training); the rest waits its turn."""
        for line in stream:
            try:
                message = wire.loads(line)
            except ValueError:
                continue
            op = message.get("op")
            if op == "stop":  # the job running now, or the one about to start
                self.stop_requested()
            elif op == "quit":
                break
            elif op == "call":
                self.calls.put(message)
            elif op == "cancel":
                self.cancelled_calls.add(message.get("id"))
            else:
                self.queued(message)
                self.commands.put(message)
        self.session.stop()  # the window closed its end, or said quit
        self.commands.put(None)
        self.calls.put(None)

    def stop_requested(self) -> None:
        self.stop_asked = True
        self.session.stop()

    def queued(self, message: dict) -> None:
        """A command waits its turn (on the reader thread): what a host that serves more may prepare for."""

    def handle(self, op: str, message: dict) -> None:
        """A command this host does not know: nothing is done (a host that serves more overrides it)."""

    def tasks(self) -> dict:
        """The calls this host answers: name -> function(args dict, Call) -> plain values (a host that serves
        more adds its own)."""
        return {}

    def answer_calls(self) -> None:
        """The calls thread: one call at a time, each answered once, whatever happens in it."""
        from studio.core.errors import failure
        tasks = self.tasks()
        while (message := self.calls.get()) is not None:
            number, task = message.get("id"), tasks.get(str(message.get("task")))
            if number in self.cancelled_calls:  # cancelled before its turn
                self.cancelled_calls.discard(number)
                continue
            try:
                if task is None:
                    raise ValueError(f"no such call: {message.get('task')!r}")
                args = message.get("args")
                value = task(args if isinstance(args, dict) else {}, Call(self, number))
            except BaseException as exc:  # the window is told; this thread serves the next call
                text, details = failure(exc)
                self.send("answer", id=number, failed=True, message=text, details=details)
                continue
            finally:
                self.cancelled_calls.discard(number)
            self.send("answer", id=number, value=value)

    def use_places(self, message: dict) -> None:
        """The window's places (HOME, temporary and scratch folders) for the command that follows."""
        from studio.training.runs import use_scratch
        use_environment(message.get("environment") or {})
        if message.get("scratch"):  # untitled runs go where the window looks for them
            use_scratch(Path(message["scratch"]))

    def serve(self) -> None:
        from studio.core import registries
        registries.keras()  # TensorFlow loads now, before the first Train
        importlib.import_module("studio.training.current_model")  # and the engine, the data readers
        threading.Thread(target=self.answer_calls, name="calls", daemon=True).start()
        self.send("ready", known=registries.snapshot())  # what the window, which never loads Keras, lists
        while (message := self.commands.get()) is not None:
            op = message.get("op")
            if op == "train":
                self.train(message)
            elif op == "adopt":
                self.adopt(message)
            elif op == "forget":
                self.session.forget()
                from studio.core import registries
                registries.keras().backend.clear_session()
            else:
                self.handle(op, message)

    def adopt(self, message: dict) -> bool:
        from studio.core.errors import UserError
        from studio.training.model_files import load_model
        from studio.training.safe_load import open_untrusted
        try:  # the child's own last epoch, or a file from elsewhere (checked in a loader child first)
            model, metadata = (load_model if message.get("own") else open_untrusted)(message["path"])
        except (UserError, OSError) as exc:
            self.send("unadopted", message=f"the model to go on from cannot be loaded: {exc}")
            return False
        self.session.job = None
        self.session.source = (model, message.get("metadata") or metadata)
        return True

    def train(self, message: dict) -> None:
        from studio.core.errors import UserError
        from studio.training.engine import Reporter
        session = self.session
        self.use_places(message)
        if not message.get("has_job", True):  # the window forgot it (New, Open, Reset weights) or never had it
            session.job = None
        if not message.get("has_source", True):
            session.source = None
        elif session.source is None and isinstance(message.get("source"), dict):  # forgotten here meanwhile
            if not self.adopt(message["source"]):
                self.send("refused", message="the model to go on from cannot be loaded")
                return
        if message.get("run_dir") and session.job is not None:  # the window moved the run (Save As)
            session.job.run_dir = Path(message["run_dir"])
        try:
            project = project_of(message)
            job, epochs = session.prepare(project, int(message.get("epochs") or 0), bool(message.get("fresh", True)),
                                          message.get("edited_graph"))
        except UserError as exc:
            self.stop_asked = False
            self.send("refused", message=str(exc))
            return
        self.send("accepted", job=wire.job_state(job))
        def started(info):
            self.send("started", info=info, job=wire.job_state(job))
            if self.stop_asked:
                job.stop()
        reporter = Reporter(started=started,
                            progress=lambda info: self.send("progress", info=info),
                            epoch_ended=lambda epoch, logs: self.send("epoch_ended", epoch=epoch, logs=logs))
        try:
            result, results = session.run(job, epochs, reporter, [self._checkpoint(job)])
        except BaseException as exc:
            from studio.core.errors import failure
            message, details = failure(exc)
            self.send("failed", message=message, details=details, job=wire.job_state(job))
            return
        finally:
            self.stop_asked = False
        from studio.training.runs import MODEL_FILE
        model = job.run_dir / MODEL_FILE if job.run_dir is not None else None
        self.send("finished", result=wire.result_to_wire(result), results=wire.results_to_wire(results),
                  model=str(model) if model is not None and model.is_file() else None, job=wire.job_state(job))

    def _checkpoint(self, job):
        from studio.core import registries
        from studio.training.model_files import save_model
        keras, path, host = registries.keras(), self.folder / CHECKPOINT, self

        class Checkpoint(keras.callbacks.Callback):
            """The weights and optimizer state of each completed epoch, for a window whose child died."""

            def on_train_begin(self, logs=None):
                self.history = {key: list(values) for key, values in job.history.items()}

            def on_epoch_end(self, epoch, logs=None):
                logs = {key: float(value) for key, value in (logs or {}).items()}
                for key, value in logs.items():
                    self.history.setdefault(key, []).append(value)
                if not all(math.isfinite(v) for v in logs.values()):
                    return  # a NaN epoch: the last good one stays
                try:
                    save_model(self.model, path, {**job.metadata(), "epoch": epoch + 1, "history": self.history})
                except Exception:  # a full disk: training goes on, only the safety net is older
                    return
                host.send("checkpoint", path=str(path), epoch=epoch + 1)

        return Checkpoint()


class Call:
    """What a task may do besides answering: report its progress, see whether the window cancelled it."""

    def __init__(self, host: Host, number):
        self.host, self.number = host, number
        self._last = 0.0

    def progress(self, fraction: float) -> None:
        import time
        now = time.monotonic()
        if now - self._last >= 0.1 or fraction >= 1:  # at most ten reports a second
            self._last = now
            self.host.send("call_progress", id=self.number, fraction=float(fraction))

    def cancelled(self) -> bool:
        return self.number in self.host.cancelled_calls


def project_of(message: dict):
    """The project a command carries (checked as any project file is), with the path it was saved at."""
    from studio.core.project import project_from_dict
    return project_from_dict(message["project"], "project", Path(message["path"]) if message.get("path") else None)


def use_environment(values: dict) -> None:
    """The window's settings that name places (HOME, XDG_*, TMPDIR, STUDIO_*), as they are now in the window."""
    import tempfile
    for key in [k for k in os.environ if wire.carried(k)]:
        if key not in values:
            del os.environ[key]
    os.environ.update({str(k): str(v) for k, v in values.items() if wire.carried(str(k))})
    tempfile.tempdir = None  # found again from TMPDIR


def main(argv: list[str] | None = None, host=Host) -> int:
    argv = sys.argv[1:] if argv is None else argv
    folder = Path(argv[0])
    if hasattr(os, "nice"):  # the window wins the processor when it has work (a repaint, a click): it stays
        os.nice(NICE)        # responsive, and training has every cycle the window leaves
    out = os.fdopen(os.dup(1), "wb", buffering=0)
    os.dup2(2, 1)  # print() and TensorFlow's own output go to the log, never into the messages
    from studio.training import safe_load
    safe_load.OWN_GROUP = False  # the loader children this one starts end when the window ends its group
    host = host(out, folder)
    threading.Thread(target=host.read, args=(sys.stdin.buffer,), name="commands", daemon=True).start()
    try:
        host.serve()
    except BaseException:  # TensorFlow cannot load, say: its last line is what the window shows
        import traceback
        traceback.print_exc()
        sys.stderr.flush()
        os._exit(1)  # not Python's teardown: the commands thread is inside a read of stdin
    safe_load.stop_loader()
    import shutil
    shutil.rmtree(folder, ignore_errors=True)  # the window closed (or is gone): nothing of this child stays
    return 0


if __name__ == "__main__":
    sys.exit(main())
