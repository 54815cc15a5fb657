"""Cyclic garbage is collected on the GUI thread only.

Python runs a collection on whichever thread happens to allocate. When that
was the training thread and the garbage held a Qt object with a Python
wrapper (a closed window's menus and actions, a replaced panel), the object's
C++ destructor ran there, took Qt's connection lock and waited for the GIL,
while the GUI thread held the GIL and waited for that lock: the window froze
for good at "Epoch 1/1, batch 29/29" (seen in a real-window journey; the CI
hang of 2026-12-01 had the same shape). pyqtgraph's GarbageCollector turns the
automatic collector off and collects on a GUI-thread timer instead, with the
same thresholds, except while TensorFlow imports on another thread (the window
itself never imports it; a test or a tool that shows a panel may).
"""

from __future__ import annotations

from pyqtgraph.util.garbage_collector import GarbageCollector

from studio.core import registries

_collector = None


class _Collector(GarbageCollector):
    def check(self):
        if registries.importing():  # a collection during TensorFlow's import segfaulted (studio.core.registries)
            return
        super().check()


def collect_on_gui_thread():
    """Start collecting on the GUI thread's timer (once per process; needs a QApplication)."""
    global _collector
    if _collector is None:
        _collector = _Collector(interval=1.0)
    return _collector
