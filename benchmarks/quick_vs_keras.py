"""`studio quick` against a hand-written two-layer Keras MLP (Adam, early stopping).

The hand-written model adapts a Normalization layer on its training rows, has
two Dense(64, relu) layers, Adam 1e-3, EarlyStopping(patience 10, best
weights), batch 32, at most 200 epochs. Target: accuracy within 1 point, MAE
within 5 %.

Two comparisons:

* the shipped penguins, iris and Auto MPG sets: both models see quick's own
  train / validation / test split (one seed);
* the diabetes set (442 rows, 10 features), over five random 80/20 splits
  (seeds 0..4), because one split of a small file is too noisy to judge by.
  The 80 % rows are written to a CSV in a temporary folder and given to
  `studio quick` as its data, with its test share set to 0 (the test rows are
  held out here instead); quick splits its validation rows from them as it
  always does. The hand-written model holds out a random 20 % of the same
  80 % for early stopping. Both are scored on the same 20 % test rows, which
  neither has seen.

    .venv/bin/python benchmarks/quick_vs_keras.py
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np

from studio.core import registries
from studio.data.csv_file import load_csv
from studio.data.encoding import FeatureEncoder
from studio.resources import resource
from studio.training.engine import TrainingJob
from studio.training.quick import OUTPUTS, quick_project

SETS = (("penguins.csv", "species"), ("iris.csv", "species"), ("auto_mpg.csv", "mpg"))
SPLITS = ("diabetes.csv", "progression", range(5), 0.2)  # file, target, split seeds, test share
BASELINE_VALIDATION = 0.2  # the hand-written model's early-stopping share of its training rows


def hand_written(keras, x_train, y_train, x_val, y_val, task, seed, n_classes=0):
    """Loss and metrics callable on test data: the trained hand-written model."""
    keras.utils.set_random_seed(seed)
    norm = keras.layers.Normalization()
    norm.adapt(x_train)
    units = 1 if task in ("binary", "regression") else n_classes
    activation, loss, metrics = OUTPUTS[task]
    model = keras.Sequential([keras.Input((x_train.shape[1],)), norm,
                              keras.layers.Dense(64, activation="relu"), keras.layers.Dense(64, activation="relu"),
                              keras.layers.Dense(units, activation=activation)])
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss=loss, metrics=metrics)
    history = model.fit(x_train, y_train, validation_data=(x_val, y_val), epochs=200, batch_size=32,
                        callbacks=[keras.callbacks.EarlyStopping(patience=10, restore_best_weights=True)],
                        verbose=0)
    return model, len(history.history["loss"])


def shipped_sets(keras) -> None:
    for filename, target in SETS:
        project = quick_project(resource("datasets", filename), [target])
        job = TrainingJob(project)
        result = job.train()
        studio = job.evaluate()
        data = job.data
        model, _ = hand_written(keras, data.x_train, data.y_train, data.x_val, data.y_val, data.task, 42,
                                len(data.class_names))
        reference = model.evaluate(data.x_test, data.y_test, verbose=0, return_dict=True)
        if data.task == "regression":
            a, b = studio["mean_absolute_error"], reference["mean_absolute_error"]
            verdict = f"MAE studio {a:.3f}, hand-written {b:.3f}, difference {abs(a - b) / b * 100:.1f} % (<= 5 %)"
        else:
            a, b = studio["accuracy"], reference["accuracy"]
            verdict = (f"accuracy studio {a:.4f}, hand-written {b:.4f}, difference "
                       f"{abs(a - b) * 100:.1f} points (<= 1)")
        print(f"{filename:13s} {data.task:10s} {result.epochs_done:3d} epochs ({result.reason}); {verdict}")


def split_rows(n: int, share: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(training rows, test rows) of a random split, each in file order."""
    order = np.random.default_rng(seed).permutation(n)
    n_test = int(round(n * share))
    return np.sort(order[n_test:]), np.sort(order[:n_test])


def quick_on_split(keras, train_csv: Path, test_frame, target: str) -> tuple[float, int, int]:
    """Test MAE of `studio quick` trained on ``train_csv`` (its test share 0), epochs, training rows."""
    project = quick_project(train_csv, [target])
    project.data["test"] = 0.0  # the test rows are the held-out file's, not a share of these
    job = TrainingJob(project)
    result = job.train()
    x = FeatureEncoder(job.data.preprocessing["features"]).transform(test_frame)
    y = test_frame[target].to_numpy(np.float32)
    mae = job.model.evaluate(x, y, verbose=0, return_dict=True)["mean_absolute_error"]
    return float(mae), result.epochs_done, len(job.data.y_train)


def random_splits(keras) -> None:
    filename, target, seeds, share = SPLITS
    frame = load_csv(resource("datasets", filename)).frame
    features = [c for c in frame.columns if c != target]
    studio, reference = [], []
    with tempfile.TemporaryDirectory() as folder:
        for seed in seeds:
            train_rows, test_rows = split_rows(len(frame), share, seed)
            train, test = frame.iloc[train_rows], frame.iloc[test_rows]
            train_csv = Path(folder) / f"train_{seed}.csv"
            train.to_csv(train_csv, index=False)
            mae, epochs, rows = quick_on_split(keras, train_csv, test, target)
            fit_rows, val_rows = split_rows(len(train), BASELINE_VALIDATION, seed)
            x = train[features].to_numpy(np.float32)
            y = train[target].to_numpy(np.float32)
            model, base_epochs = hand_written(keras, x[fit_rows], y[fit_rows], x[val_rows], y[val_rows],
                                              "regression", seed)
            base = model.evaluate(test[features].to_numpy(np.float32), test[target].to_numpy(np.float32),
                                  verbose=0, return_dict=True)["mean_absolute_error"]
            studio.append(mae)
            reference.append(float(base))
            print(f"{filename} split {seed}: MAE studio {mae:.2f} ({rows} training rows, {epochs} epochs), "
                  f"hand-written {base:.2f} ({len(fit_rows)} training rows, {base_epochs} epochs)", flush=True)
    a, b = float(np.mean(studio)), float(np.mean(reference))
    print(f"{filename} mean test MAE over {len(studio)} splits: studio {a:.2f}, hand-written {b:.2f}, "
          f"ratio {a / b:.3f} (<= 1.05)")


def main() -> None:
    keras = registries.keras()
    shipped_sets(keras)
    random_splits(keras)


if __name__ == "__main__":
    main()
