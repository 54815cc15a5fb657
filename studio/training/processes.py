"""Ending child processes without waiting on them: the window never hangs on a child that will not stop.

Children are started with ``start_new_session=True`` so that each one leads
its own process group; ``kill_tree`` ends the group, grandchildren included.
"""

from __future__ import annotations

import os
import signal
import subprocess


def kill_tree(process: subprocess.Popen, grace: float = 0.0) -> None:
    """End a child started in its own session and everything it started; waits at most ``grace`` + 1 s."""
    group = hasattr(os, "killpg")  # POSIX; on Windows the child alone is ended
    if process.poll() is None and grace > 0:
        try:
            os.killpg(process.pid, signal.SIGTERM) if group else process.terminate()
        except (ProcessLookupError, PermissionError):
            process.terminate()
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            pass
    if group:
        try:
            os.killpg(process.pid, signal.SIGKILL)  # also any grandchild left in the group
        except (ProcessLookupError, PermissionError):
            pass
    if process.poll() is None:
        process.kill()
    try:
        process.wait(1)
    except subprocess.TimeoutExpired:
        pass
    try:  # stdout is left to the thread reading it, which sees its end now
        if process.stdin is not None:
            process.stdin.close()
    except OSError:
        pass
