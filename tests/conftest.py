"""Test set-up shared by every test folder."""

import os
import sys
from pathlib import Path

# Qt tests run without a screen; TensorFlow keeps its start-up notes short.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "resources" / "examples").glob("*.studio.json"))

sys.path.insert(0, str(Path(__file__).resolve().parent))

# The journeys need a real X server and their own Qt platform (xcb), so they run in
# their own pytest process: `make journeys` (which `make test` runs after the rest).
collect_ignore = [] if os.environ.get("STUDIO_JOURNEYS") else ["journeys"]


@__import__("pytest").fixture(autouse=True)
def _last_resort_watchdog():
    """A test that hangs while a thread holds the GIL cannot be stopped by pytest-timeout (its timer needs the
    GIL): faulthandler's C watchdog prints every thread's stack and ends the run after 420 s instead."""
    import faulthandler
    faulthandler.dump_traceback_later(420, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()
