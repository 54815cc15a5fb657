"""What Keras refuses in a layer's settings, asked of the window's training child.

The window never loads Keras (its training child has it), yet the canvas marks
a layer whose settings Keras would refuse (an argument it does not take, an
initializer of the wrong form) before Train. ``validate`` asks ``problem(node)``
for each layer; a layer's settings not seen before are answered None for now
and sent to the child in one call after the check (``ask``); when the answer
comes, ``answered`` is emitted and the document checks again, this time with
what the child said. Answers are kept by class and settings, as the in-process
check caches them (``keras_bridge.layer_problem``).
"""

from __future__ import annotations

import json
from collections import OrderedDict

from PySide6.QtCore import QObject, Signal

KEPT = 4096  # the answers kept, the oldest forgotten first


class LayerChecks(QObject):
    answered = Signal()  # new answers: check the graph again

    def __init__(self, runner, parent=None):
        super().__init__(parent)
        self.runner = runner
        self._known: OrderedDict = OrderedDict()  # (class name, settings as JSON) -> (setting, message) or None
        self._wanted: set = set()  # met in the last check, not known yet
        self._asked: set = set()  # sent to the child, not answered yet

    def problem(self, node):
        """What the child said of ``node``'s class and settings, or None (also while it has not said yet)."""
        try:
            key = (node.class_name, json.dumps(node.config, sort_keys=True))
        except (TypeError, ValueError, RecursionError):
            return None, "its settings are not plain JSON values"
        if key in self._known:
            self._known.move_to_end(key)
            return self._known[key]
        if key not in self._asked:
            self._wanted.add(key)
        return None

    def ask(self) -> None:
        """Send what the last check met and the child has not answered (once its TensorFlow is loaded)."""
        if not self._wanted or not self.runner.remote.ready.is_set():
            return
        keys, self._wanted = list(self._wanted), set()
        layers = [[class_name, json.loads(config)] for class_name, config in keys]
        self._asked.update(keys)
        self.runner.call("layer_problems", {"layers": layers}, lambda problems: self._done(keys, problems),
                         lambda *_failure: self._asked.difference_update(keys))  # asked again at the next check

    def _done(self, keys: list, problems) -> None:
        self._asked.difference_update(keys)
        if not isinstance(problems, list) or len(problems) != len(keys):
            return
        for key, problem in zip(keys, problems):
            answered = isinstance(problem, list) and len(problem) == 2
            self._known[key] = ((problem[0] if isinstance(problem[0], str) else None), str(problem[1])) \
                if answered else None
        while len(self._known) > KEPT:
            self._known.popitem(last=False)
        self.answered.emit()
