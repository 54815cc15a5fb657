"""Errors of the data layer: each message says what is wrong and where."""

from studio.core.errors import UserError


class DataError(UserError):
    """Data that cannot be used as it is; the message is meant for the user."""


class Cancelled(Exception):
    """The caller asked a long load to stop."""


def cell(value, limit: int = 40) -> str:
    """A value from a file, quoted for a message and cut to ``limit`` characters.

    Messages locate a problem (row, line, column) and show at most the one offending cell: the
    file may not be the user's own (a project can name any path), so no more of it is quoted.
    """
    return repr(cut(value, limit))


def cut(value, limit: int = 40) -> str:
    """``value`` as text of at most ``limit`` characters (a cell of a file may be megabytes long)."""
    text = str(value)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def column_list(names, limit: int = 8) -> str:
    """The first ``limit`` column names for a message, each cut short; empty for one column.

    A file that parsed into a single column is most likely not a table at all (or the delimiter
    is wrong), and its one "name" is its whole first line: that is not shown.
    """
    names = [str(n) for n in names]
    if len(names) < 2:
        return ""
    shown = ", ".join(cell(n, 30) for n in names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")
