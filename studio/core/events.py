"""A small event hub: the graph announces edits, views subscribe.

Kept Qt-free so the core can be used (and tested) without a GUI; the canvas
subscribes with plain callables and turns them into scene updates.
"""

from __future__ import annotations

from collections import defaultdict
from contextlib import contextmanager
from typing import Callable, Iterator

CHANGED = "changed"  # (events): what a batch held, as [(event name, args), ...] in the order they happened


class EventHub:
    """Named events with any number of subscribers, called in order.

    Every hub also knows ``CHANGED``, the event that ends a batch (see ``batch``).
    """

    def __init__(self, names: tuple[str, ...]):
        self._names = frozenset(names) | {CHANGED}
        self._subscribers: dict[str, list[Callable]] = defaultdict(list)
        self._depth = 0  # how many batches are open
        self._held: list[tuple[str, tuple]] = []

    def connect(self, name: str, callback: Callable) -> None:
        self._require(name)
        self._subscribers[name].append(callback)

    def disconnect(self, name: str, callback: Callable) -> None:
        self._require(name)
        self._subscribers[name].remove(callback)

    def emit(self, name: str, *args) -> None:
        self._require(name)
        if self._depth:
            self._held.append((name, args))
            return
        for callback in list(self._subscribers[name]):
            callback(*args)

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Hold the events of many edits in a row and announce them as one.

        Inside, ``emit`` only records: no subscriber is called. When the
        outermost batch ends (nested batches join it), and only if something
        was emitted, the hub emits ``CHANGED`` once with the held events in
        order, so a view that re-checks or redraws everything on each event
        does it once for a whole undo of a replaced graph, a paste or a layout.
        A subscriber that cares about single edits reads them from that list;
        the held events are not delivered one by one. An error inside still
        announces what was done before it.
        """
        self._depth += 1
        try:
            yield
        finally:
            self._depth -= 1
            if not self._depth and self._held:
                held, self._held = self._held, []
                self.emit(CHANGED, held)

    def _require(self, name: str) -> None:
        if name not in self._names:
            raise ValueError(f"unknown event {name!r}; known: {', '.join(sorted(self._names))}")
