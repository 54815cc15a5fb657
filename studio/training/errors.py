"""The training layer's errors for the user, in a module light enough for any caller to import.

Each message is one line that says what and where; the window shows it as it
is, and the CLI prints it and exits non-zero, without a traceback.
"""

from __future__ import annotations

from pathlib import Path

from studio.core.errors import UserError


class TrainingError(UserError):
    """A problem found before training starts; the message is for the user."""


class OutputError(TrainingError, OSError):
    """The run's folder cannot take the trained model and its record: said before training starts."""


class RunSaveError(TrainingError, OSError):
    """A trained run could not be saved where it belongs; ``rescued`` is where its model was kept instead
    (None when it could not be kept anywhere on disk)."""

    def __init__(self, message: str, rescued: Path | None = None):
        super().__init__(message)
        self.rescued = rescued
