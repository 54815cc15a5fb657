"""How long one call into TensorFlow takes, with the batches per call that ``studio.training.pace`` chooses.

Progress is reported and Stop is noticed between calls, so a call should take
about a tenth of a second for any model. For each of a few models (the
chapter's MLP with SGD and with Adam, a two-convolution MNIST network, an
LSTM over 28 time steps, an embedding bag, a tiny MLP and a convolution at
batch 256) this trains one epoch on random data, once with the fixed 32
batches per call the engine used before and once with the paced number, and
prints the median and longest time between the ends of two calls.

    .venv/bin/python benchmarks/execution_pace.py
"""

from __future__ import annotations

import os
import platform
import time

import numpy as np

from studio.core import registries
from studio.training import pace


def models(keras):
    layers = keras.layers
    image = (28, 28, 1)

    def mlp(name):
        return keras.Sequential([keras.Input(image), layers.Flatten(), layers.Dense(300, activation="relu"),
                                 layers.Dense(100, activation="relu"), layers.Dense(10, activation="softmax")],
                                name=name)
    cnn = keras.Sequential([keras.Input(image), layers.Conv2D(32, 3, activation="relu"),
                            layers.Conv2D(64, 3, activation="relu"), layers.MaxPooling2D(), layers.Flatten(),
                            layers.Dense(128, activation="relu"), layers.Dense(10, activation="softmax")], name="cnn")
    lstm = keras.Sequential([keras.Input((28, 28)), layers.LSTM(64), layers.Dense(10, activation="softmax")],
                            name="lstm")
    bag = keras.Sequential([keras.Input((50,)), layers.Embedding(5000, 32), layers.GlobalAveragePooling1D(),
                            layers.Dense(10, activation="softmax")], name="embedding")
    tiny = keras.Sequential([keras.Input((4,)), layers.Dense(8, activation="relu"),
                             layers.Dense(3, activation="softmax")], name="tiny")
    wide = keras.Sequential([keras.Input(image), layers.Conv2D(32, 3, activation="relu"), layers.Flatten(),
                             layers.Dense(10, activation="softmax")], name="conv-b256")
    rng = np.random.default_rng(0)
    images = rng.random((49_152, 28, 28, 1), dtype=np.float32)
    labels = rng.integers(0, 10, len(images))
    # (model, optimizer, x, y, batch size): about 20 paced calls each
    return [(mlp("mlp-sgd"), "sgd", images, labels, 32), (mlp("mlp-adam"), "adam", images, labels, 32),
            (cnn, "adam", images[:3072], labels[:3072], 32),
            (lstm, "adam", images[:6144, :, :, 0], labels[:6144], 32),
            (bag, "adam", rng.integers(0, 5000, (65_536, 50)), rng.integers(0, 10, 65_536), 32),
            (tiny, "adam", rng.random((49_152, 4), dtype=np.float32), rng.integers(0, 3, 49_152), 16),
            (wide, "adam", images[:16_384], labels[:16_384], 256)]


def call_gaps(keras, model, optimizer, x, y, batch, steps) -> np.ndarray:
    ends = []
    model.compile(optimizer, "sparse_categorical_crossentropy", steps_per_execution=steps)
    record = keras.callbacks.LambdaCallback(on_train_batch_end=lambda batch, logs=None: ends.append(time.perf_counter()))
    model.fit(x, y, batch_size=batch, epochs=1, verbose=0, callbacks=[record])
    return np.diff(ends)  # after the first call, which includes tracing


def main() -> None:
    keras = registries.keras()
    print(f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} cores, devices "
          f"{registries.devices()}, matrix product {pace.matmul_rate() / 1e9:.0f} GFLOP/s")
    print(f"{'model':10s} {'est. batch':>10s} | {'fixed 32: median':>16s} {'max':>6s} | "
          f"{'paced':>5s} {'median':>7s} {'max':>6s}")
    for model, optimizer, x, y, batch in models(keras):
        steps = pace.steps_per_execution(model, batch)
        fixed = call_gaps(keras, keras.models.clone_model(model), optimizer, x, y, batch, 32)
        paced = call_gaps(keras, model, optimizer, x, y, batch, steps)
        print(f"{model.name:10s} {pace.batch_seconds(model, batch) * 1000:8.2f} ms | "
              f"{np.median(fixed) * 1000:13.0f} ms {fixed.max() * 1000:4.0f} ms | "
              f"{steps:5d} {np.median(paced) * 1000:4.0f} ms {paced.max() * 1000:4.0f} ms", flush=True)


if __name__ == "__main__":
    main()
