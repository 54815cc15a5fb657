"""Garbage holding Qt objects is collected on the GUI thread, never on the training thread (a deadlock)."""

import gc
import threading

from PySide6.QtCore import QObject


class Tracked(QObject):
    finalized_on: list = []

    def __del__(self):
        Tracked.finalized_on.append(threading.current_thread().name)


def test_a_window_turns_collection_over_to_the_gui_thread(window, qtbot):
    from studio.core import registries
    # The collector pauses while TensorFlow imports (the window starts that import): wait it out.
    qtbot.waitUntil(lambda: not registries.importing(), timeout=120_000)
    assert not gc.isenabled()  # the automatic collector would run on any thread that allocates
    Tracked.finalized_on.clear()
    cycle = [Tracked()]
    cycle.append(cycle)  # garbage only a collection frees
    del cycle

    kept = []

    def allocate():
        # Far past the threshold of an automatic collection, and kept until the timer has collected: freed at
        # once, they would bring the count of new objects back under the threshold the timer also uses.
        kept.append([[i] for i in range(200_000)])
    worker = threading.Thread(target=allocate, name="training-like")
    worker.start()
    worker.join()
    assert Tracked.finalized_on == []  # not freed on the worker
    qtbot.waitUntil(lambda: bool(Tracked.finalized_on), timeout=5000)  # the GUI thread's timer collects it
    kept.clear()
    assert Tracked.finalized_on == [threading.main_thread().name]


def test_a_training_runner_without_a_window_also_collects_on_the_gui_thread(qtbot, monkeypatch):
    """A bare runner (the tests', a panel run on its own) loads trained models on its reader thread."""
    from studio.ui import collection
    from studio.ui.worker import TrainingRunner
    monkeypatch.setattr(collection, "_collector", None)  # as in a process that has no window
    gc.enable()
    runner = TrainingRunner()
    try:
        assert collection._collector is not None and not gc.isenabled()
    finally:
        assert runner.shutdown()
