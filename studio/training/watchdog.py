"""End a child's process group when the studio has gone, however it went (closed, crashed or killed).

``python -m studio.training.watchdog PARENT_PID CHILD_PID`` polls both
processes twice a second; when the parent has gone it ends the child's group
(TERM, then KILL after a moment) and exits; when the child has gone first it
just exits. The studio starts one beside each long-lived server child
(TensorBoard), so that nothing keeps listening after the studio was killed.
"""

from __future__ import annotations

import os
import signal
import sys
import time

POLL = 0.5  # seconds
GRACE = 2.0  # seconds between TERM and KILL


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie whose parent has not reaped it is gone for our purpose
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(") ", 1)[1][0] != "Z"
    except (OSError, IndexError):
        return True


def watch(parent: int, child: int) -> int:
    while _alive(child):
        if not _alive(parent):
            for sig in (signal.SIGTERM, signal.SIGKILL):
                try:
                    os.killpg(child, sig)
                except (ProcessLookupError, PermissionError):
                    return 0
                deadline = time.monotonic() + GRACE
                while _alive(child) and time.monotonic() < deadline:
                    time.sleep(0.05)
            return 0
        time.sleep(POLL)
    return 0


def start_watchdog(child_pid: int) -> None:
    """Watch ``child_pid`` (a leader of its own session) on behalf of this process; never waited for."""
    import subprocess

    from studio.children import module_command
    if not hasattr(os, "killpg"):
        return  # Windows: the child's job object is the system's business
    subprocess.Popen(module_command("studio.training.watchdog", str(os.getpid()), str(child_pid)),
                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                     start_new_session=True)


if __name__ == "__main__":
    sys.exit(watch(int(sys.argv[1]), int(sys.argv[2])))
