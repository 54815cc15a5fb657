"""How much memory a new allocation may take now: the one figure that the data loaders and the engine plan by."""

from __future__ import annotations

import os

from studio.core.errors import UserError

BYTES_PER_PARAMETER = 16  # to train: weights, gradients and two optimizer moments in float32


def available_memory() -> int:
    """Bytes of memory available to a new allocation (Linux, macOS, Windows)."""
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return 8 * 1024 ** 3  # unknown: assume a common desktop


#: Where a user sets the memory a data set may take (a container's or a shared node's share, which the
#: machine's free memory does not show): bytes, or a number with K, M, G or T (powers of 1024).
DATA_MEMORY_VARIABLE = "STUDIO_DATA_MEMORY"
_UNITS = {"": 1, "K": 1024, "M": 1024 ** 2, "G": 1024 ** 3, "T": 1024 ** 4}


class MemorySettingError(UserError):
    """The data-memory variable is not a size."""


def data_memory_limit(share: float, environ=None) -> int:
    """Bytes a data set may take in memory: ``STUDIO_DATA_MEMORY`` when set, else ``share`` of what is
    available now. A larger file is streamed from disk (studio.data.streaming)."""
    environ = os.environ if environ is None else environ
    text = environ.get(DATA_MEMORY_VARIABLE, "").strip().upper().removesuffix("B").removesuffix("I")
    if not text:
        return int(available_memory() * share)
    number, unit = (text[:-1], text[-1]) if text[-1:] in _UNITS else (text, "")
    try:
        value = float(number) * _UNITS[unit]
    except ValueError:
        value = -1.0
    if not value >= 0 or value != value or value == float("inf"):
        raise MemorySettingError(f"{DATA_MEMORY_VARIABLE}={environ[DATA_MEMORY_VARIABLE][:40]!r} is not a size; "
                                 f"give bytes or a number with K, M or G (for example 2G)")
    return int(value)
