"""How many batches the engine runs per call into TensorFlow (Keras' ``steps_per_execution``).

Each call costs Python and TensorFlow overhead, so small models train faster
with many batches per call; but progress is reported and Stop is noticed only
between calls, so a call should take about ``TARGET_SECONDS`` whatever the
model. A fixed 32 gave the MNIST MLP (266,610 parameters, batch 32, 0.8 ms a
batch on 2 cores) calls of 25 ms, and the chapter's two-convolution MNIST
network (19 ms a batch) calls of 0.6 s: progress less than twice a second and
a Stop that waited as long.

The time of a batch is estimated before training from the model's arithmetic
(about 6 floating-point operations per weight and position for the forward
and backward passes of each layer with a kernel) at a share of the rate this
process measures for a matrix product on the device that trains, plus a cost
per value the layers output, per recurrent time step, and per batch. For the
seven models of ``benchmarks/execution_pace.py`` calls then take 20-230 ms
(docs/benchmarks.md).
"""

from __future__ import annotations

import functools
import math
import time

TARGET_SECONDS = 0.1  # how long one call into TensorFlow should take
MOST = 128   # batches per call at most (a tiny model: overhead, not arithmetic)
UNKNOWN = 32  # batches per call for a model whose shapes are not known (the engine's number before pacing)
STEP_OVERHEAD = 2e-4  # seconds a batch costs beyond its arithmetic (its optimizer update, metrics, input)
TIME_STEP = 1.5e-4  # seconds a recurrent layer costs per time step of a batch beyond its arithmetic
EFFICIENCY = 0.75  # the share of a large matrix product's rate that a model's layers reach
VALUE_SECONDS = 1e-9  # seconds per value a layer outputs (activations, pooling: written and read back)
_PASSES = 6  # forward (2 per multiply-add) and backward (twice the forward) operations per weight and position


def batch_cost(model, batch_size: int) -> tuple[float, float, int] | None:
    """(floating-point operations, output values, recurrent time steps) of one training batch, from the
    layers' kernels and shapes; None when a layer's shapes are not known (a model that is not built)."""
    flops, values, steps = 0.0, 0.0, 0
    for layer in _layers(model):
        try:
            output = layer.output.shape
            # a recurrent layer applies its kernels once per time step of its input
            recurrent = hasattr(layer, "cell")
            shape = layer.input.shape if recurrent else output
        except (AttributeError, ValueError):
            if type(layer).__name__ == "InputLayer":
                continue
            return None
        values += _size(output) * batch_size
        if type(layer).__name__ == "Embedding":
            continue  # a lookup: one row per position, not a product with the whole table
        weights = sum(math.prod(w.shape) for w in layer.weights if len(w.shape) >= 2)
        if not weights:
            continue
        shape = _first(shape)
        positions = math.prod(d or 1 for d in shape[1:-1]) if len(shape) > 2 else 1
        flops += _PASSES * weights * positions * batch_size
        steps += positions if recurrent else 0
    return flops, values, steps


def _first(shape):
    """A layer with several inputs or outputs: its first."""
    return shape[0] if isinstance(shape, (list, tuple)) and shape and isinstance(shape[0], (list, tuple)) else shape


def _size(shape) -> int:
    return math.prod(d or 1 for d in _first(shape)[1:])


def batch_seconds(model, batch_size: int) -> float | None:
    """The estimated time of one training batch on this process's device (None: not known)."""
    cost = batch_cost(model, batch_size)
    if cost is None:
        return None
    flops, values, steps = cost
    return flops / (matmul_rate() * EFFICIENCY) + VALUE_SECONDS * values + STEP_OVERHEAD + TIME_STEP * steps


def _layers(model):
    for layer in getattr(model, "layers", []):
        if hasattr(layer, "layers") and layer.layers:  # a nested model: its own layers
            yield from _layers(layer)
        else:
            yield layer


@functools.cache
def matmul_rate() -> float:
    """Measured float32 FLOP/s of a 512x512 matrix product on the device TensorFlow trains on (once per
    process, about 20 ms)."""
    import tensorflow as tf
    a = tf.random.normal((512, 512))
    tf.linalg.matmul(a, a).numpy()
    runs, start = 8, time.perf_counter()
    for _ in range(runs):
        c = tf.linalg.matmul(a, a)
    c.numpy()
    return runs * 2 * 512 ** 3 / max(time.perf_counter() - start, 1e-9)


def steps_per_execution(model, batch_size: int) -> int:
    """Batches per call so that a call takes about ``TARGET_SECONDS`` (1 to ``MOST``; ``UNKNOWN`` for a model
    whose shapes are not known)."""
    seconds = batch_seconds(model, batch_size)
    if seconds is None:
        return UNKNOWN
    return max(1, min(MOST, int(TARGET_SECONDS / seconds)))
