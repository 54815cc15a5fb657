"""Damaged copies of a model file, made the ways files really get damaged (shared by the test and benchmark)."""

import numpy as np

KINDS = ("flip", "zero_block", "truncate", "garbage_block", "shift", "header")


def corrupt(data: bytes, rng: np.random.Generator) -> tuple[bytes, str]:
    """One damaged copy of ``data`` and how it was damaged."""
    kind = KINDS[int(rng.integers(len(KINDS)))]
    buf = bytearray(data)
    n = len(buf)
    if kind == "flip":  # bit rot: a few random bytes changed
        for i in rng.integers(0, n, size=int(rng.integers(1, 64))):
            buf[i] ^= int(rng.integers(1, 256))
    elif kind == "zero_block":  # a sector lost
        start, size = int(rng.integers(0, n)), int(rng.integers(16, 4096))
        buf[start:start + size] = bytes(len(buf[start:start + size]))
    elif kind == "truncate":  # an interrupted copy or download
        buf = buf[:int(rng.integers(0, n))]
    elif kind == "garbage_block":
        start, size = int(rng.integers(0, n)), int(rng.integers(16, 4096))
        block = rng.integers(0, 256, size=len(buf[start:start + size]), dtype=np.uint8).tobytes()
        buf[start:start + len(block)] = block
    elif kind == "shift":  # bytes inserted in the middle
        at = int(rng.integers(0, n))
        buf = buf[:at] + rng.integers(0, 256, size=int(rng.integers(1, 512)), dtype=np.uint8).tobytes() + buf[at:]
    else:  # the first bytes: signature and superblock
        for i in rng.integers(0, min(n, 512), size=int(rng.integers(1, 16))):
            buf[i] ^= int(rng.integers(1, 256))
    return bytes(buf), kind
