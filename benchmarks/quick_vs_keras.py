"""`studio quick` against a hand-written two-layer Keras MLP (Adam, early stopping).

Both see the same train/validation/test split of each shipped data set; the
hand-written model adapts a Normalization layer on the training rows, has two
Dense(64, relu) layers, Adam 1e-3, EarlyStopping(patience 10, best weights),
batch 32, at most 200 epochs. Target: accuracy within 1 point, MAE within 5 %.

    .venv/bin/python benchmarks/quick_vs_keras.py
"""

from __future__ import annotations

from studio.core import registries
from studio.resources import resource
from studio.training.engine import TrainingJob
from studio.training.quick import OUTPUTS, quick_project

SETS = (("penguins.csv", "species"), ("iris.csv", "species"), ("auto_mpg.csv", "mpg"))


def hand_written(keras, data, task, seed):
    keras.utils.set_random_seed(seed)
    norm = keras.layers.Normalization()
    norm.adapt(data.x_train)
    units = 1 if task in ("binary", "regression") else len(data.class_names)
    activation, loss, metrics = OUTPUTS[task]
    model = keras.Sequential([keras.Input((data.x_train.shape[1],)), norm,
                              keras.layers.Dense(64, activation="relu"), keras.layers.Dense(64, activation="relu"),
                              keras.layers.Dense(units, activation=activation)])
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss=loss, metrics=metrics)
    model.fit(data.x_train, data.y_train, validation_data=(data.x_val, data.y_val), epochs=200, batch_size=32,
              callbacks=[keras.callbacks.EarlyStopping(patience=10, restore_best_weights=True)], verbose=0)
    return model.evaluate(data.x_test, data.y_test, verbose=0, return_dict=True)


def main() -> None:
    keras = registries.keras()
    for filename, target in SETS:
        project = quick_project(resource("datasets", filename), [target])
        job = TrainingJob(project)
        result = job.train()
        studio = job.evaluate()
        reference = hand_written(keras, job.data, job.data.task, 42)
        if job.data.task == "regression":
            a, b = studio["mean_absolute_error"], reference["mean_absolute_error"]
            verdict = f"MAE studio {a:.3f}, hand-written {b:.3f}, difference {abs(a - b) / b * 100:.1f} % (<= 5 %)"
        else:
            a, b = studio["accuracy"], reference["accuracy"]
            verdict = (f"accuracy studio {a:.4f}, hand-written {b:.4f}, difference "
                       f"{abs(a - b) * 100:.1f} points (<= 1)")
        print(f"{filename:13s} {job.data.task:10s} {result.epochs_done:3d} epochs ({result.reason}); {verdict}")


if __name__ == "__main__":
    main()
