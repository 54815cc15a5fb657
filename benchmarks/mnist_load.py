"""Time to load the bundled MNIST (four gzip IDX files, 70,000 images) into uint8 arrays.

    .venv/bin/python benchmarks/mnist_load.py
"""

import os
import platform
import statistics
import time

from studio.data.images import load_mnist


def main() -> None:
    times = []
    for _ in range(5):
        start = time.perf_counter()
        data = load_mnist()
        times.append(time.perf_counter() - start)
    size = sum(a.nbytes for a in (data.x_train, data.y_train, data.x_test, data.y_test))
    print(f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} cores")
    print(f"MNIST load: median {statistics.median(times) * 1000:.0f} ms, best {min(times) * 1000:.0f} ms "
          f"for {size / 1e6:.1f} MB of arrays")


if __name__ == "__main__":
    main()
