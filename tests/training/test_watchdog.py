"""A server child (TensorBoard) does not outlive the studio, even when the studio is killed."""

import signal
import subprocess
import sys
import textwrap
import time

from studio.training.watchdog import _alive


def test_a_child_ends_when_its_studio_is_killed():
    # a stand-in studio that starts a long-lived child in its own session and its watchdog, as TensorBoard is
    studio = subprocess.Popen([sys.executable, "-c", textwrap.dedent("""
        import subprocess, sys, time
        from studio.training.watchdog import start_watchdog
        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"], start_new_session=True)
        start_watchdog(child.pid)
        print(child.pid, flush=True)
        time.sleep(600)
    """)], stdout=subprocess.PIPE, text=True)
    child = int(studio.stdout.readline())
    assert _alive(child)
    studio.send_signal(signal.SIGKILL)  # killed: no shutdown code runs
    studio.wait(10)
    deadline = time.monotonic() + 10
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(child), "the child outlived the killed studio"
