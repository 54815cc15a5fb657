"""One epoch of the MNIST MLP example: plain ``model.fit`` against the studio's engine.

Both runs: batch 32, SGD (learning rate 0.01), the same seed, the same data
(54,000 training images after the engine's 10% validation split; no
validation during the timed epoch). The plain run uses Keras defaults; the
engine runs with live reporting on (progress callbacks at most 20 a second)
and ``steps_per_execution`` = 32, which does not change the mathematics.
Also measured: how long a stop request takes to be honoured, and how far the
epoch is from this machine's float32 matrix-multiply limit.

    .venv/bin/python benchmarks/train_throughput.py
"""

from __future__ import annotations

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


def gemm_rate(keras) -> float:
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


def main() -> None:
    keras = registries.keras()
    project = load_project(resource("examples", "mnist_mlp.studio.json"))
    project.training.update(epochs=1, batch_size=32, seed=1)
    project.data["validation"] = 0.1
    reports = []
    job = TrainingJob(project, Reporter(progress=lambda info: reports.append(time.perf_counter())))
    job.prepare()
    data = job.data
    data.x_val, data.y_val = data.x_val[:0], data.y_val[:0]  # time training only

    keras.utils.set_random_seed(1)
    plain = build_model(project.graph)
    plain.compile(optimizer=keras.optimizers.SGD(0.01), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    start = time.perf_counter()
    plain.fit(data.x_train, data.y_train, batch_size=32, epochs=1, verbose=0)
    plain_time = time.perf_counter() - start
    plain_acc = plain.evaluate(data.x_test, data.y_test, verbose=0, return_dict=True)["accuracy"]

    start = time.perf_counter()
    job.train(1)
    engine_time = time.perf_counter() - start
    engine_acc = job.evaluate()["accuracy"]
    gaps = np.diff(reports) if len(reports) > 1 else np.array([engine_time])

    # Stop delay: once training runs (after the first, tracing step), ask to stop from another thread.
    asked = []

    def first_progress(info):
        if not asked:
            asked.append(time.perf_counter() + 0.5)
            threading.Timer(0.5, job2.stop).start()

    job2 = TrainingJob(project, Reporter(progress=first_progress))
    job2.prepare()
    job2.data.x_val, job2.data.y_val = job2.data.x_val[:0], job2.data.y_val[:0]
    result = job2.train(1)
    returned = time.perf_counter()

    params = plain.count_params()
    samples = len(data.y_train)
    flops = 6 * params * samples  # forward (2) + backward (4) multiply-adds per weight and sample
    rate = gemm_rate(keras)
    print(f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} cores, "
          f"TensorFlow devices {registries.devices()}")
    print(f"plain model.fit : {plain_time:6.2f} s, test accuracy {plain_acc:.4f}")
    print(f"studio engine   : {engine_time:6.2f} s, test accuracy {engine_acc:.4f}, "
          f"{len(reports)} progress reports (median gap {np.median(gaps) * 1000:.0f} ms, "
          f"longest {gaps.max() * 1000:.0f} ms)")
    print(f"speed-up {plain_time / engine_time:.2f}x (target >= 2.0), accuracy difference "
          f"{abs(engine_acc - plain_acc) * 100:.2f} points (target <= 0.5)")
    print(f"stop: noticed {result.stop_delay * 1000 if result.stop_delay else float('nan'):.0f} ms after "
          f"the request, train() returned {(returned - asked[0]) * 1000:.0f} ms after it ({result.reason})")
    print(f"GEMM {rate / 1e9:.1f} GFLOP/s; the epoch needs {flops / 1e9:.0f} GFLOP -> limit "
          f"{flops / rate:.2f} s; engine at {flops / rate / engine_time * 100:.0f}% of it")


if __name__ == "__main__":
    main()
