"""One epoch of the MNIST MLP example: plain ``model.fit`` against the studio's engine, in alternating rounds.

Both runs: batch 32, SGD (learning rate 0.01), the same seed, the same data
(54,000 training images after the engine's 10% validation split; no
validation during the timed epoch), a freshly built model each time. The plain
run uses Keras defaults; the engine runs with live reporting on (progress
callbacks at most 20 a second) and its own ``steps_per_execution``, which does
not change the mathematics. The two alternate for ``--rounds`` rounds (default
5) and the medians are reported, so a machine that gets busier or quieter
during the run slows both alike. Also measured: how long a stop request takes
to be honoured, and how far the epoch is from this machine's float32
matrix-multiply limit (measured in every round; the median is used).

    .venv/bin/python benchmarks/train_throughput.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import os
import platform
import threading
import time

import numpy as np

from studio.core import registries
from studio.core.keras_bridge import build_model
from studio.core.project import load_project
from studio.resources import resource
from studio.training.engine import Reporter, TrainingJob


def gemm_rate() -> float:
    """Measured float32 FLOP/s of a 1024x1024 matrix product on this machine."""
    import tensorflow as tf
    a = tf.random.normal((1024, 1024))
    tf.linalg.matmul(a, a).numpy()
    runs = 20
    start = time.perf_counter()
    for _ in range(runs):
        c = tf.linalg.matmul(a, a)
    c.numpy()
    return runs * 2 * 1024 ** 3 / (time.perf_counter() - start)


def project_for_benchmark():
    project = load_project(resource("examples", "mnist_mlp.studio.json"))
    project.training.update(epochs=1, batch_size=32, seed=1)
    project.data["validation"] = 0.1
    return project


def engine_job(project, data=None, reporter=None) -> TrainingJob:
    job = TrainingJob(project.copy(), reporter or Reporter(), data=data)
    job.prepare()
    job.data.x_val, job.data.y_val = job.data.x_val[:0], job.data.y_val[:0]  # time training only
    return job


def plain_round(keras, project, data) -> tuple[float, float]:
    keras.utils.set_random_seed(1)
    plain = build_model(project.graph)
    plain.compile(optimizer=keras.optimizers.SGD(0.01), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    start = time.perf_counter()
    plain.fit(data.x_train, data.y_train, batch_size=32, epochs=1, verbose=0)
    seconds = time.perf_counter() - start
    return seconds, plain.evaluate(data.x_test, data.y_test, verbose=0, return_dict=True)["accuracy"]


def engine_round(project, data) -> tuple[float, float, np.ndarray]:
    reports = []
    job = engine_job(project, data, Reporter(progress=lambda info: reports.append(time.perf_counter())))
    start = time.perf_counter()
    job.train(1)
    seconds = time.perf_counter() - start
    gaps = np.diff(reports)  # after the first report: the first includes tracing
    return seconds, job.evaluate()["accuracy"], gaps


def stop_delay(project, data) -> tuple[float | None, float, str]:
    """A stop requested from another thread half a second after the first progress report."""
    asked = []

    def first_progress(info):
        if not asked:
            asked.append(time.perf_counter() + 0.5)
            threading.Timer(0.5, job.stop).start()

    job = engine_job(project, data, Reporter(progress=first_progress))
    result = job.train(1)
    return result.stop_delay, time.perf_counter() - asked[0], result.reason


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    keras = registries.keras()
    project = project_for_benchmark()
    data = engine_job(project).data  # loaded once: every round trains on the same arrays
    plain, engine, rates, gaps = [], [], [], []
    for _ in range(args.rounds):
        plain.append(plain_round(keras, project, data))
        seconds, accuracy, round_gaps = engine_round(project, data)
        engine.append((seconds, accuracy))
        gaps.extend(round_gaps)
        rates.append(gemm_rate())
    noticed, returned, reason = stop_delay(project, data)

    plain_time = float(np.median([s for s, _ in plain]))
    engine_time = float(np.median([s for s, _ in engine]))
    ratios = [p / e for (p, _), (e, _) in zip(plain, engine)]
    plain_acc, engine_acc = plain[0][1], engine[0][1]
    params = build_model(project.graph).count_params()
    flops = 6 * params * data.train_size  # forward (2) + backward (4) multiply-adds per weight and sample
    rate = float(np.median(rates))
    gaps = np.array(gaps)
    print(f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} cores, "
          f"TensorFlow devices {registries.devices()}, {args.rounds} alternating rounds")
    print(f"plain model.fit : median {plain_time:6.2f} s {[round(s, 2) for s, _ in plain]}, "
          f"test accuracy {plain_acc:.4f}")
    print(f"studio engine   : median {engine_time:6.2f} s {[round(s, 2) for s, _ in engine]}, "
          f"test accuracy {engine_acc:.4f}; progress every {np.median(gaps) * 1000:.0f} ms "
          f"(median), longest gap {gaps.max() * 1000:.0f} ms")
    print(f"speed-up {plain_time / engine_time:.2f}x (per round {min(ratios):.2f}-{max(ratios):.2f}; target >= 2.5), "
          f"accuracy difference {abs(engine_acc - plain_acc) * 100:.2f} points (target 0)")
    print(f"stop: noticed {noticed * 1000 if noticed else float('nan'):.0f} ms after the request, train() returned "
          f"{returned * 1000:.0f} ms after it ({reason})")
    print(f"GEMM {rate / 1e9:.1f} GFLOP/s (median of {len(rates)}); the epoch needs {flops / 1e9:.0f} GFLOP -> "
          f"limit {flops / rate:.2f} s; engine at {flops / rate / engine_time * 100:.0f}% of it (target >= 40%)")


if __name__ == "__main__":
    main()
