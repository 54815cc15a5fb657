"""A sensible default model for people who just have a CSV file.

The task decides the output layer, loss and metrics; the inputs are
normalized inside the model; two hidden ReLU layers of 64 units; Adam with
early stopping on the validation split. The result is an ordinary project,
so it can be opened, inspected and changed in the studio.
"""

from __future__ import annotations

from pathlib import Path

from studio.core.graph import Graph
from studio.core.layout import auto_layout
from studio.core.project import Project
from studio.data.csv_file import load_csv
from studio.data.tabular import TabularOptions, prepare

HIDDEN = (64, 64)
OUTPUTS = {
    # task: (activation, loss, metrics)
    "regression": ("linear", "mean_squared_error", ["mean_absolute_error"]),
    "binary": ("sigmoid", "binary_crossentropy", ["accuracy"]),
    "multiclass": ("softmax", "sparse_categorical_crossentropy", ["accuracy"]),
    "multilabel": ("sigmoid", "binary_crossentropy", ["binary_accuracy"]),
}


def default_graph(name: str, n_features: int, task: str, n_outputs: int) -> Graph:
    """Input -> Dense 64 relu -> Dense 64 relu -> the output layer the task needs."""
    graph = Graph(name)
    previous = graph.add_node("Input", {"shape": [n_features]}, name="features")
    for i, units in enumerate(HIDDEN, start=1):
        layer = graph.add_node("Dense", {"units": units, "activation": "relu"}, name=f"hidden{i}")
        graph.connect(previous, layer)
        previous = layer
    activation = OUTPUTS[task][0]
    output = graph.add_node("Dense", {"units": n_outputs, "activation": activation}, name="output")
    graph.connect(previous, output)
    graph.set_output(output)
    auto_layout(graph)
    return graph


def quick_project(csv_path: str | Path, target: list[str], epochs: int = 200, seed: int = 42,
                  patience: int = 10) -> Project:
    """A project that trains a default MLP on ``csv_path`` to predict ``target``."""

    target = [target] if isinstance(target, str) else list(target)
    csv_path = Path(csv_path).resolve()
    table = load_csv(csv_path)
    data = prepare(table.frame, TabularOptions(target, seed=seed))
    task = data.task
    if task == "binary":
        n_outputs = 1
    elif task == "multiclass":
        n_outputs = data.n_classes
    else:
        n_outputs = len(target) if task == "regression" else len(data.class_names)
    graph = default_graph(csv_path.stem.replace(" ", "_") or "quick", len(data.feature_names), task, n_outputs)
    _, loss, metrics = OUTPUTS[task]
    training = {"loss": loss, "optimizer": {"class_name": "Adam", "config": {"learning_rate": 0.001}},
                "metrics": metrics, "epochs": epochs, "batch_size": 32, "seed": seed,
                "callbacks": {"early_stopping": {"monitor": "val_loss", "patience": patience,
                                                 "restore_best_weights": True},
                              "terminate_on_nan": True}}
    # One column is written as the window's Target box keeps it (a name, not a list of one).
    data_section = {"source": "csv", "path": str(csv_path), "target": target[0] if len(target) == 1 else list(target),
                    "seed": seed}
    return Project(graph, data_section, training)


