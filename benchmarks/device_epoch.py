"""One epoch of the MNIST MLP example with the studio's engine on whatever device TensorFlow finds.

Prints one JSON line: the device, the seconds of the timed epoch (after one
untimed epoch that traces and warms up), and the test accuracy. Run it with
``CUDA_VISIBLE_DEVICES=""`` for the CPU; benchmarks/gpu_check.sh runs it both
ways and prints the ratio.

    .venv/bin/python benchmarks/device_epoch.py [--batch-size 32]
"""

from __future__ import annotations

import argparse
import json
import time

from studio.core import registries
from studio.core.project import load_project
from studio.resources import resource
from studio.training.engine import TrainingJob


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch-size", type=int, default=32)
    args = parser.parse_args()
    registries.keras()
    import tensorflow as tf
    gpus = tf.config.list_physical_devices("GPU")
    project = load_project(resource("examples", "mnist_mlp.studio.json"))
    project.training.update(epochs=1, batch_size=args.batch_size, seed=1)
    job = TrainingJob(project)
    job.prepare()
    job.train(1)  # traces the step functions and warms the device
    start = time.perf_counter()
    result = job.train(1)
    seconds = time.perf_counter() - start
    details = tf.config.experimental.get_device_details(gpus[0]) if gpus else {}
    print(json.dumps({"device": details.get("device_name", "GPU") if gpus else "CPU", "gpus": len(gpus),
                      "batch_size": args.batch_size, "epoch_seconds": round(seconds, 3),
                      "reason": result.reason, "test_accuracy": round(job.evaluate()["accuracy"], 4)}))


if __name__ == "__main__":
    main()
