"""Batches per call into TensorFlow: from the model's arithmetic, so that a call takes about a tenth of a second."""

import pytest
from helpers import mlp_project

from studio.core import registries
from studio.training import pace
from studio.training.engine import TrainingJob


@pytest.fixture
def rate(monkeypatch):
    """A device that multiplies matrices at 100 GFLOP/s, so the figures below do not depend on this machine."""
    monkeypatch.setattr(pace, "matmul_rate", lambda: 100e9)


def test_the_cost_of_a_batch_counts_each_kernel_once_per_position():
    keras = registries.keras()
    layers = keras.layers
    mlp = keras.Sequential([keras.Input((784,)), layers.Dense(300), layers.Dense(10)])
    assert pace.batch_cost(mlp, 32) == (6 * (784 * 300 + 300 * 10) * 32, (300 + 10) * 32, 0)  # no biases
    conv = keras.Sequential([keras.Input((28, 28, 1)), layers.Conv2D(8, 3), layers.MaxPooling2D(),
                             layers.BatchNormalization()])
    flops, values, _ = pace.batch_cost(conv, 2)
    assert flops == 6 * (3 * 3 * 1 * 8) * 26 * 26 * 2  # the kernel at each of 26 x 26 positions
    assert values == (26 * 26 * 8 + 13 * 13 * 8 * 2) * 2  # convolution, pooling and normalization outputs
    words = keras.Sequential([keras.Input((50,)), layers.Embedding(5000, 16), layers.LSTM(4)])
    flops, _, steps = pace.batch_cost(words, 1)
    assert steps == 50 and flops == 6 * (16 * 16 + 4 * 16) * 50  # the table is looked up, not multiplied


def test_heavier_batches_run_fewer_to_a_call(rate):
    keras = registries.keras()
    layers = keras.layers
    tiny = keras.Sequential([keras.Input((4,)), layers.Dense(8), layers.Dense(3)])
    assert pace.steps_per_execution(tiny, 16) == pace.MOST  # overhead, not arithmetic: as many as allowed
    conv = keras.Sequential([keras.Input((28, 28, 1)), layers.Conv2D(32, 3), layers.Conv2D(64, 3)])
    small, large = pace.steps_per_execution(conv, 32), pace.steps_per_execution(conv, 256)
    assert 1 <= large < small < pace.MOST
    seconds = pace.batch_seconds(conv, 32)
    assert small * seconds <= pace.TARGET_SECONDS < (small + 1) * seconds  # as many as fit in a call
    huge = keras.Sequential([keras.Input((512, 512, 3)), layers.Conv2D(64, 7)])
    assert pace.steps_per_execution(huge, 64) == 1  # never none at all
    unbuilt = keras.Sequential([layers.Dense(3)])  # no input: no shapes to count
    assert pace.batch_cost(unbuilt, 8) is None and pace.steps_per_execution(unbuilt, 8) == pace.UNKNOWN


def test_a_job_compiles_with_the_paced_steps_and_records_them(tmp_path, rate):
    job = TrainingJob(mlp_project(tmp_path))
    job.prepare()
    expected = pace.steps_per_execution(job.model, job.settings.batch_size)
    assert job.execution_steps == expected == job.model.steps_per_execution
    assert job.metadata()["steps_per_execution"] == expected
    fixed = TrainingJob(mlp_project(tmp_path), steps_per_execution=1)  # the learning-rate finder's
    fixed.prepare()
    assert fixed.execution_steps == 1 == fixed.model.steps_per_execution
