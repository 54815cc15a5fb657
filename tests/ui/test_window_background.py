"""File work runs off the GUI thread: the window repaints while a loader hangs, and Cancel kills the loader."""

import os
import time

from PySide6.QtCore import QObject, QEvent, Qt, QTimer

from studio.training import safe_load


class _PaintCounter(QObject):
    def __init__(self):
        super().__init__()
        self.paints = 0

    def eventFilter(self, obj, event):
        if event.type() == QEvent.Paint:
            self.paints += 1
        return False


def children_of(pid: int, running: str = "") -> list[int]:
    """The live processes whose parent is ``pid`` (and whose command line holds ``running``)."""
    found = []
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(") ", 1)[1].split()
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                command = f.read().decode(errors="replace")
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid and fields[0] != "Z" and running in command:
            found.append(int(entry))
    return found


HANGING_LOADER = "while True: time.sleep(1)"  # the command safe_load starts under STUDIO_TEST_LOADER_HANGS


def test_import_with_a_hanging_loader_keeps_the_window_live_and_cancel_kills_it(window, qtbot, tmp_path,
                                                                                 monkeypatch):
    # the loader child the window's child starts never answers (the setting goes with the call)
    monkeypatch.setenv("STUDIO_TEST_LOADER_HANGS", "1")
    model = tmp_path / "hangs.h5"
    model.write_bytes(b"\x89HDF\r\n\x1a\n" + b"\0" * 64)
    ticks = []
    timer = QTimer(window, interval=20)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start()
    counter = _PaintCounter()
    window.params_label.installEventFilter(counter)
    began = time.monotonic()
    assert window.import_model_file(str(model))
    assert time.monotonic() - began < 1.0  # returns at once, the loader works on its own thread
    service = window.training.runner.remote.process.pid  # the window's child imports the model
    # the child's own short-lived helpers (TensorFlow asks ldconfig about libraries) are not the loader
    qtbot.waitUntil(lambda: bool(children_of(service, HANGING_LOADER)), timeout=30_000)
    loader = children_of(service, HANGING_LOADER)[0]
    assert window.busy.isVisible() and window.busy.cancel_button.isVisible()
    assert "Importing" in window.busy.label.text()
    # the GUI thread keeps running: timers fire and the status bar repaints while the child hangs
    start_ticks, start_paints = len(ticks), counter.paints

    def repaint_and_check():
        window.params_label.setText(f"tick {len(ticks)}")
        return len(ticks) - start_ticks >= 10 and counter.paints - start_paints >= 3
    qtbot.waitUntil(repaint_and_check, timeout=5000)
    assert loader in children_of(service) and window.jobs.busy
    with qtbot.waitSignal(window.job_ended, timeout=5000) as ended:
        qtbot.mouseClick(window.busy.cancel_button, Qt.LeftButton)
    assert ended.args == ["import", False]
    qtbot.waitUntil(lambda: loader not in children_of(service), timeout=5000)  # Cancel really stopped it
    assert not window.busy.isVisible()
    assert window.document.graph.to_dict()["layers"] == []  # nothing half-imported
    timer.stop()


def test_a_loader_that_hangs_is_given_up_after_its_time_limit(tmp_path, monkeypatch):
    monkeypatch.setenv("STUDIO_TEST_LOADER_HANGS", "1")
    safe_load.stop_loader()
    model = tmp_path / "hangs.h5"
    model.write_bytes(b"\x89HDF\r\n\x1a\n")
    import pytest
    from studio.training.model_files import ModelFileError
    with pytest.raises(ModelFileError, match="did not finish within"):
        safe_load.open_untrusted(model, timeout=0.5)
    assert safe_load._loader.process is None
