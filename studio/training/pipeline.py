"""The engine's input pipeline for data held in memory: Keras' own, kept off the cores that compute.

``model.fit(x, y)`` on arrays builds its batches with ``tf.data``: a shuffled
index per epoch, then a parallel ``map`` that gathers each batch, tuned by
tf.data's autotuner on threads of its own. When the model also runs on the
CPU, those threads compete with the compute for the same cores; on 2 cores a
batch-32 MNIST epoch took 1.33-1.45 s with them against 1.22-1.28 s with one
pipeline thread and no autotuning (benchmarks/train_throughput.py and
docs/benchmarks.md). Gathering a batch is a copy of a few kilobytes, so one
thread keeps ahead of the model.

The batches, their order (the same shuffle from the same seed) and the class
and sample weights are Keras' own: this is Keras' array adapter with options on
its dataset, passed to ``fit`` in place of the arrays, so the arithmetic is
exactly that of ``fit(x, y)``. With a GPU, the pipeline keeps Keras' defaults:
the compute is elsewhere and the input has to keep up with it.
"""

from __future__ import annotations

from studio.core import registries

PIPELINE_THREADS = 1  # threads that gather batches while the model trains on the CPU


def fit_arguments(x, y, batch_size: int, sample_weight=None, class_weight=None) -> dict:
    """The training data's arguments to ``fit``: with a GPU, the arrays as they are; otherwise Keras' array
    adapter for them (shuffled every epoch), whose dataset gathers on ``PIPELINE_THREADS`` threads."""
    if any(device.startswith("GPU") for device in registries.devices()):
        return {"x": x, "y": y, "batch_size": batch_size, "sample_weight": sample_weight,
                "class_weight": class_weight}
    import tensorflow as tf
    from keras.src.trainers.data_adapters.array_data_adapter import ArrayDataAdapter

    class OneThread(ArrayDataAdapter):
        def get_tf_dataset(self):
            options = tf.data.Options()
            options.threading.private_threadpool_size = PIPELINE_THREADS
            options.autotune.enabled = False
            return super().get_tf_dataset().with_options(options)

    # fit takes an adapter as it is; batch_size still sizes the validation batches, as with arrays
    return {"x": OneThread(x, y, sample_weight=sample_weight, class_weight=class_weight, shuffle=True,
                           batch_size=batch_size), "batch_size": batch_size}
