"""A small event hub: the graph announces edits, views subscribe.

Kept Qt-free so the core can be used (and tested) without a GUI; the canvas
subscribes with plain callables and turns them into scene updates.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Callable


class EventHub:
    """Named events with any number of subscribers, called in order."""

    def __init__(self, names: tuple[str, ...]):
        self._names = frozenset(names)
        self._subscribers: dict[str, list[Callable]] = defaultdict(list)

    def connect(self, name: str, callback: Callable) -> None:
        self._require(name)
        self._subscribers[name].append(callback)

    def disconnect(self, name: str, callback: Callable) -> None:
        self._require(name)
        self._subscribers[name].remove(callback)

    def emit(self, name: str, *args) -> None:
        self._require(name)
        for callback in list(self._subscribers[name]):
            callback(*args)

    def _require(self, name: str) -> None:
        if name not in self._names:
            raise ValueError(f"unknown event {name!r}; known: {', '.join(sorted(self._names))}")
