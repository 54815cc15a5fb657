"""Atomic file writes: an interrupted save never destroys the previous file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Callable


def atomic_write(path: str | os.PathLike, write: Callable[[str], None]) -> None:
    """Call ``write(temp_path)``, then rename the temporary file over ``path``.

    The temporary file lives in the target's folder so that the rename is
    atomic; it is flushed to disk first and removed if ``write`` fails.
    """
    path = Path(path)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        write(temp)
        with open(temp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(temp, path)
    except BaseException:
        try:
            os.unlink(temp)
        except FileNotFoundError:
            pass
        raise


def atomic_write_text(path: str | os.PathLike, text: str) -> None:
    """Write UTF-8 text atomically."""
    def write(temp: str) -> None:
        with open(temp, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
    atomic_write(path, write)
