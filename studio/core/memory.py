"""How much memory a new allocation may take now: the one figure that the data loaders and the engine plan by."""

from __future__ import annotations

import os

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
