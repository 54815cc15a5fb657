"""Asking the window's child for one kind of answer at a time (a prediction, a model's summary).

The window's TensorFlow work is a call to its child process (``TrainingRunner.call``; the child's tasks are
in ``studio.service``). A panel that asks again before the answer has come, as a drawing or an edit does,
wants the answer to its newest question, not a queue of old ones: ``Asker`` sends one call at a time and,
when it is answered, sends the newest question that waited instead of showing the stale answer.
"""

from __future__ import annotations


class Asker:
    """One kind of call to the window's child at a time: a newer ask while one is out waits, and only the
    newest of those waiting is sent (a drawing that changes faster than it is predicted); ``forget()`` drops
    the answers to what was asked before (another model)."""

    def __init__(self, runner, task: str, done, failed, convert=None):
        self.runner, self.task, self.done, self.failed, self.convert = runner, task, done, failed, convert
        self.busy = False
        self._waiting = None
        self._generation = 0

    def ask(self, args: dict) -> None:
        self._waiting = args
        if not self.busy:
            self._send()

    def forget(self) -> None:
        self._generation += 1
        self._waiting = None
        self.busy = False

    def _send(self) -> None:
        args, self._waiting, generation = self._waiting, None, self._generation
        self.busy = True
        self.runner.call(self.task, args, lambda value: self._answered(generation, self.done, value),
                         lambda text, details: self._answered(generation, self.failed, text, details),
                         self.convert)

    def _answered(self, generation: int, deliver, *answer) -> None:
        if generation != self._generation:
            return  # asked of a model no longer used
        self.busy = False
        if self._waiting is not None:
            return self._send()  # a newer question: its answer is the one shown
        deliver(*answer)
