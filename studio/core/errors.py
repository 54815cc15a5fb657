"""The one base class for a user's mistake, raised by every layer.

A ``UserError`` is something the user can fix: a file that cannot be read, a
setting that cannot train, a graph with errors, a folder that cannot be
written. Its message is one line (or a short list) that says what and where;
the window shows it as it is, without a traceback, and the CLI prints it and
exits non-zero. Anything else that escapes is a bug and is shown with its
details. Each layer keeps its own subclass (``DataError``, ``ProjectError``,
``TrainingError``, …) so callers can still tell them apart, but nobody has to
re-wrap one error as another for it to count as the user's.

It derives from ``ValueError`` because most of these were ``ValueError``s
before, and callers outside the studio may catch that.
"""


class UserError(ValueError):
    """A problem the user can fix; the message is meant for them (see the module text)."""


def failure(exc: BaseException) -> tuple[str, str]:
    """The (message, details) a failed task is reported with: no details for a user's mistake, a bug's traceback."""
    import traceback
    if isinstance(exc, UserError):
        return str(exc), str(getattr(exc, "details", "") or "")  # a bug elsewhere (a child process) brings its own
    return str(exc) or type(exc).__name__, "".join(traceback.format_exception(exc))
