"""A real desktop for the journeys: an X server, a window manager and a person's hands.

The journeys run the studio on Qt's ``xcb`` platform inside Xvfb with openbox
managing its windows, and drive it with xdotool, whose events go through the
X server exactly as a mouse and keyboard's do. Pauses inside an xdotool
gesture stand for the hand moving; the tests themselves wait on what a person
waits for (a node on the canvas, a label's text), never on the clock.
"""

from __future__ import annotations

import os
import shutil
import re
import subprocess
import sys
import time
from pathlib import Path

REQUIRED = ("Xvfb", "xdotool", "openbox", "xprop")


def missing_tools() -> list[str]:
    return [tool for tool in REQUIRED if shutil.which(tool) is None]


WATCHDOG = """
import os, signal, sys, time
parent, children = int(sys.argv[1]), [int(pid) for pid in sys.argv[2:]]
while True:
    try:
        os.kill(parent, 0)
    except ProcessLookupError:
        break
    time.sleep(0.5)
for pid in children:
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
"""


class XServer:
    """Xvfb on a free display (``-displayfd``) with openbox, ended once the test process has gone.

    The server must outlive the test process's Qt connection (Qt aborts on a lost
    display), so it is not stopped by a fixture: a small watchdog process ends
    Xvfb and openbox within a second of the test process's exit, however it exits.
    """

    def __init__(self, size: str = "1600x1000x24"):
        read, write = os.pipe()
        self.xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", size, "-nolisten", "tcp"],
                                     pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(write)
        with os.fdopen(read) as pipe:
            number = pipe.readline().strip()
        if not number:
            self.xvfb.kill()
            raise RuntimeError("Xvfb did not start (no display number came back)")
        self.display = f":{number}"
        env = {**os.environ, "DISPLAY": self.display}
        self.wm = subprocess.Popen(["openbox", "--sm-disable"], env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.watchdog = subprocess.Popen([sys.executable, "-c", WATCHDOG, str(os.getpid()), str(self.wm.pid),
                                          str(self.xvfb.pid)], start_new_session=True)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:  # openbox is up once it has announced itself on the root window
            probe = subprocess.run(["xprop", "-root", "_NET_SUPPORTING_WM_CHECK"], env=env, capture_output=True)
            if b"window id" in probe.stdout:
                break
            time.sleep(0.1)
        else:
            raise RuntimeError("openbox did not start on the X server")


class Hands:
    """Mouse and keyboard through the X server (xdotool), with screenshots of each step."""

    def __init__(self, qtbot, shots: Path):
        self.qtbot, self.shots, self.step = qtbot, shots, 0
        shots.mkdir(parents=True, exist_ok=True)

    # -- the X side ---------------------------------------------------------------------

    def _xdotool(self, *args: str, wait: bool = True) -> subprocess.Popen:
        process = subprocess.Popen(["xdotool", *args])
        if wait:
            while process.poll() is None:  # keep the application answering while xdotool types
                self.qtbot.wait(10)
        return process

    @staticmethod
    def global_point(widget, point=None):
        from PySide6.QtCore import QPoint
        point = widget.rect().center() if point is None else point
        return widget.mapToGlobal(point if isinstance(point, QPoint) else point.toPoint())

    def activate(self, window) -> None:
        window.raise_()
        window.activateWindow()
        self._xdotool("windowactivate", "--sync", str(int(window.winId())))
        self.qtbot.waitUntil(lambda: window.isActiveWindow(), timeout=5000)

    def click(self, widget, point=None, button: int = 1, double: bool = False) -> None:
        p = self.global_point(widget, point)
        self._xdotool("mousemove", "--sync", str(p.x()), str(p.y()),
                      "click", *(["--repeat", "2", "--delay", "80"] if double else []), str(button))

    def drag(self, start_widget, start, end_widget, end, steps: int = 8) -> None:
        """Press at ``start``, move in steps with a hand's pauses, release at ``end``.

        Runs while the application goes on processing events: a drag from the palette
        starts Qt's own drag loop, which must see the later moves and the release.
        """
        a, b = self.global_point(start_widget, start), self.global_point(end_widget, end)
        args = ["mousemove", "--sync", str(a.x()), str(a.y()), "mousedown", "1", "sleep", "0.15"]
        for i in range(1, steps + 1):
            x = a.x() + (b.x() - a.x()) * i // steps
            y = a.y() + (b.y() - a.y()) * i // steps
            args += ["mousemove", str(x), str(y), "sleep", "0.05"]
        args += ["sleep", "0.1", "mouseup", "1"]
        self._xdotool(*args)

    def stroke(self, widget, points) -> None:
        """Press at the first point, move through the others with a hand's pauses, release: a pen stroke."""
        first, *rest = [self.global_point(widget, p) for p in points]
        args = ["mousemove", "--sync", str(first.x()), str(first.y()), "mousedown", "1", "sleep", "0.1"]
        for p in rest:
            args += ["mousemove", str(p.x()), str(p.y()), "sleep", "0.03"]
        args += ["sleep", "0.1", "mouseup", "1"]
        self._xdotool(*args)

    def key(self, *keys: str) -> None:
        self._xdotool("key", "--delay", "40", *keys)

    def type(self, text: str) -> None:
        """Type ``text``; a run of characters outside ASCII is pasted (Ctrl+V), as a person with
        no Korean keyboard layout would.

        xdotool types such a character by remapping a spare keycode to it, and the application
        may read the key after the next remap: '붓꽃.csv' came out as '.csv', '붓.csv' or '꽃.csv'.
        """
        from PySide6.QtGui import QGuiApplication
        for run in re.findall(r"[\x00-\x7f]+|[^\x00-\x7f]+", text):
            if run.isascii():
                self._xdotool("type", "--delay", "20", run)
                continue
            QGuiApplication.clipboard().setText(run)
            self.qtbot.waitUntil(lambda: QGuiApplication.clipboard().text() == run, timeout=5000)
            self.key("ctrl+v")

    # -- what the person sees -----------------------------------------------------------

    def shot(self, name: str) -> Path:
        """Save what is on the X screen around the studio's windows (frames included) as the next step."""
        from PySide6.QtCore import QRect
        from PySide6.QtGui import QGuiApplication
        from PySide6.QtWidgets import QApplication
        for _ in range(3):  # the last change is painted before the picture is taken
            QApplication.processEvents()
        area = QRect()
        for widget in QApplication.topLevelWidgets():
            if widget.isVisible() and widget.isWindow():
                area = area.united(widget.frameGeometry())
        screen = QGuiApplication.primaryScreen()
        area = area.intersected(screen.geometry()) if not area.isEmpty() else screen.geometry()
        self.step += 1
        path = self.shots / f"{self.step:02d}-{name}.png"
        screen.grabWindow(0, area.x(), area.y(), area.width(), area.height()).save(str(path))
        return path
