"""The engine's in-memory input pipeline trains exactly as ``model.fit(x, y)`` does: same batches, same shuffle,
same class weights, on fewer threads."""

import numpy as np
from helpers import mlp_project

from studio.core import registries
from studio.core.keras_bridge import build_model
from studio.training import pipeline
from studio.training.engine import TrainingJob


def _plain_fit(job, epochs):
    """The job's own model, rebuilt from the same seed and trained by a plain ``fit`` on the same arrays."""
    keras = registries.keras()
    keras.utils.set_random_seed(job.settings.seed)
    model = build_model(job.project.graph)  # the job's graph, with the input scaling learned from the data
    model.compile(optimizer=job.settings.build_optimizer(), steps_per_execution=job.execution_steps,
                  **job.settings.compile_arguments(job.project.graph.outputs))
    data = job.data
    keras.utils.set_random_seed(job.settings.seed)
    model.fit(data.x_train, data.y_train, batch_size=job.settings.batch_size, epochs=epochs,
              class_weight=data.class_weight, verbose=0)
    return model


def test_the_engine_trains_as_a_plain_fit_does_with_class_weights(tmp_path):
    project = mlp_project(tmp_path, epochs=3)
    project.data.update(validation=0.0, class_weight="balanced")
    job = TrainingJob(project)
    assert job.train().reason == "completed"
    assert job.data.class_weight and len(set(job.data.class_weight.values())) > 1  # the weights differ
    from keras.src.trainers.data_adapters.array_data_adapter import ArrayDataAdapter
    assert isinstance(pipeline.fit_arguments(job.data.x_train, job.data.y_train, 16)["x"],
                      ArrayDataAdapter)  # no GPU here: the one-thread adapter was used
    plain = _plain_fit(job, 3)
    for ours, theirs in zip(job.model.get_weights(), plain.get_weights()):
        np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)


def test_the_batches_are_keras_own_and_gathered_on_one_thread():
    x = np.arange(20, dtype=np.float32).reshape(10, 2)
    y = np.arange(10)
    arguments = pipeline.fit_arguments(x, y, 4, sample_weight=np.ones(10, np.float32))
    assert arguments["batch_size"] == 4
    dataset = arguments["x"].get_tf_dataset()
    assert dataset.options().threading.private_threadpool_size == pipeline.PIPELINE_THREADS
    assert dataset.options().autotune.enabled is False
    batches = list(dataset.as_numpy_iterator())
    assert [len(b[1]) for b in batches] == [4, 4, 2]
    seen = np.concatenate([b[1] for b in batches])
    assert sorted(seen) == list(range(10)) and list(seen) != list(range(10))  # every row once, shuffled
    for features, labels, weights in batches:
        np.testing.assert_array_equal(features[:, 0], labels * 2)  # rows stay whole
        np.testing.assert_array_equal(weights, 1.0)
