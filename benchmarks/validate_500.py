"""Validation plus shape inference on 500-node graphs (target: <= 100 ms).

Two graphs: a chain of 500 Dense layers, and a wide graph of 166 parallel
three-layer branches joined by one Concatenate. Prints the median and the
worst of the repeats for each, in milliseconds.

    .venv/bin/python benchmarks/validate_500.py
"""

from __future__ import annotations

import os
import platform
import statistics
import time

from studio.core.graph import Graph
from studio.core.validation import validate


def chain(n: int) -> Graph:
    g = Graph("chain")
    prev = g.add_node("Input", {"shape": [32]})
    for _ in range(n - 1):
        name = g.add_node("Dense", {"units": 32, "activation": "relu"})
        g.connect(prev, name)
        prev = name
    g.set_output(prev)
    return g


def branches(n_branches: int) -> Graph:
    g = Graph("branches")
    source = g.add_node("Input", {"shape": [16]})
    ends = []
    for _ in range(n_branches):
        prev = source
        for class_name, config in (("Dense", {"units": 8}), ("BatchNormalization", {}),
                                   ("Dropout", {"rate": 0.1})):
            name = g.add_node(class_name, config)
            g.connect(prev, name)
            prev = name
        ends.append(prev)
    join = g.add_node("Concatenate")
    for end in ends:
        g.connect(end, join)
    g.set_output(join)
    return g


def measure(graph: Graph, repeats: int = 30) -> tuple[float, float]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        report = validate(graph)
        times.append((time.perf_counter() - start) * 1000)
        assert report.ok, report.errors[:3]
    return statistics.median(times), max(times)


def main() -> None:
    print(f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} cores")
    for graph in (chain(500), branches(166)):
        median, worst = measure(graph)
        print(f"{graph.name:9s} {len(graph):4d} nodes: median {median:6.1f} ms, worst {worst:6.1f} ms "
              f"(target <= 100 ms)")


if __name__ == "__main__":
    main()
