"""Start the TensorBoard that comes with TensorFlow on the loopback address, and stop it again.

TensorBoard runs as a child process (``python -m tensorboard.main``) on a free
port of 127.0.0.1, reading a project's runs folder, where every run wrote its
logs. ``start()`` returns once the server answers; ``stop()`` ends it (the
application calls it when it closes); a watchdog process ends it when the
application has gone without closing (killed or crashed).
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from studio.children import module_command
from studio.core.errors import UserError
from studio.training.processes import kill_tree
from studio.training.watchdog import start_watchdog

START_TIMEOUT = 90.0  # seconds: TensorBoard imports TensorFlow before it listens


class TensorBoardError(UserError):
    """TensorBoard could not be started; the message says why."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class TensorBoard:
    def __init__(self, logdir: str | Path):
        self.logdir = Path(logdir)
        self.process: subprocess.Popen | None = None
        self.url: str | None = None

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self, timeout: float = START_TIMEOUT) -> str:
        """Start (or reuse) the server; returns its address."""
        if self.running:
            return self.url
        if not self.logdir.is_dir():
            raise TensorBoardError(f"{self.logdir} does not exist yet: train once to record a run")
        port = free_port()
        env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
        command = module_command("tensorboard.main", "--logdir", str(self.logdir), "--host", "127.0.0.1",
                                 "--port", str(port))
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
                                        start_new_session=True)  # its own group: stopped with its children
        start_watchdog(self.process.pid)  # and ended when the studio has gone, even if it was killed
        self.url = f"http://127.0.0.1:{port}/"
        process = self.process
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not process:  # stop() was called meanwhile (another folder, or quitting)
                raise TensorBoardError("TensorBoard was stopped before it answered")
            if process.poll() is not None:
                error = process.stderr.read().decode("utf-8", "replace").strip().splitlines()
                self.process = None
                raise TensorBoardError("TensorBoard stopped as it started" + (f": {error[-1]}" if error else ""))
            try:
                with urllib.request.urlopen(self.url, timeout=2) as response:
                    if response.status == 200:
                        return self.url
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.5)
        self.stop()
        raise TensorBoardError(f"TensorBoard did not answer within {timeout:.0f} s")

    def stop(self, grace: float = 0.5) -> None:
        """End the server and its children: asked politely, killed after ``grace`` seconds (never longer)."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        kill_tree(process, grace)
