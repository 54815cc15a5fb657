"""Atomic file writes: an interrupted save never destroys the previous file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Callable


def atomic_write(path: str | os.PathLike, write: Callable[[str], None]) -> None:
    """Call ``write(temp_path)``, then rename the temporary file over ``path``.

    The temporary file lives in the target's folder so that the rename is
    atomic; it is flushed to disk first and removed if ``write`` fails. The
    file keeps its permissions (a new one gets the user's umask).
    """
    path = Path(path)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        write(temp)
        with open(temp, "rb+") as f:
            os.fsync(f.fileno())
        os.chmod(temp, _mode_for(path))  # mkstemp makes it private (600); a save keeps the file's own mode
        os.replace(temp, path)
    except BaseException:
        try:
            os.unlink(temp)
        except FileNotFoundError:
            pass
        raise


def _mode_for(path: Path) -> int:
    """The existing file's permissions, or what the user's umask gives a new file (644 for umask 022)."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        return 0o666 & ~_umask()


def _umask() -> int:
    try:  # Linux says it without changing it (os.umask would, for a moment, for every thread)
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def atomic_write_text(path: str | os.PathLike, text: str) -> None:
    """Write UTF-8 text atomically."""
    def write(temp: str) -> None:
        with open(temp, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
    atomic_write(path, write)
