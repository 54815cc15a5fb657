"""A correct solution for each lab, applied to the student's copy as a student would in the app.

``SOLUTIONS[lab id](project)`` edits the project's graph and settings and
returns the runs to train: one dict of training-setting changes per run,
applied in turn (so later runs differ from earlier ones).
"""

from studio.core.graph import Graph


def _insert_after(graph: Graph, after: str, class_name: str, config: dict, name: str) -> str:
    """Put a new layer between ``after`` and everything it fed."""
    consumers = graph.consumers(after)
    new = graph.add_node(class_name, config, name=name)
    for dst, index in consumers:
        graph.disconnect(after, dst, index)
        graph.connect(new, dst, index)
    graph.connect(after, new)
    return new


def xor(project):
    _insert_after(project.graph, "features", "Dense", {"units": 8, "activation": "tanh"}, "hidden")
    return [{"epochs": 25}]


def activations(project):
    for name in ("hidden1", "hidden2"):
        project.graph.set_param(name, "activation", "relu")
    return [{"epochs": 25}]


def mnist_sequential(project):
    project.graph.set_param("output", "activation", "softmax")
    _insert_after(project.graph, "pixels", "Rescaling", {"scale": 1 / 255}, "scale")
    return [{"epochs": 1}]


def regression(project):
    project.graph.set_param("output", "activation", "linear")
    return [{"epochs": 50}]


def wide_deep(project):
    g = project.graph
    wide = g.add_node("Input", {"shape": [5]}, name="wide_input")
    concat = g.add_node("Concatenate", {}, name="concat")
    g.disconnect("hidden2", "main_output", 0)
    g.connect(wide, concat)
    g.connect("hidden2", concat)
    g.connect(concat, "main_output")
    return [{"epochs": 50}]


def multiple_outputs(project):
    g = project.graph
    aux = g.add_node("Dense", {"units": 1}, name="aux_output")
    g.connect("hidden2", aux)
    g.set_outputs(["main_output", "aux_output"])
    project.training["loss"] = {"main_output": "mean_squared_error", "aux_output": "mean_squared_error"}
    project.training["metrics"] = {"main_output": ["root_mean_squared_error"],
                                   "aux_output": ["root_mean_squared_error"]}
    project.training["loss_weights"] = {"main_output": 0.9, "aux_output": 0.1}
    return [{"epochs": 50}]


def callbacks(project):
    project.training["callbacks"] = {"early_stopping": {"patience": 10, "restore_best_weights": True},
                                     "model_checkpoint": {"monitor": "val_loss"}, "terminate_on_nan": True}
    return [{}]


def tensorboard(project):
    project.training["callbacks"] = {"tensorboard": True, "terminate_on_nan": True}
    project.training["epochs"] = 5
    return [{}, {"optimizer": {"class_name": "Adam", "config": {"learning_rate": 0.003}}}]


def hyperparameters(project):
    """Three short runs: the learning rate, then the batch size, then the neurons changed."""
    project.training["epochs"] = 3
    runs = [{"optimizer": {"class_name": "SGD", "config": {"learning_rate": 0.1}}},
            {"batch_size": 32}]

    def wider():
        project.graph.set_param("hidden1", "units", 128)
        return {"optimizer": {"class_name": "Adam", "config": {"learning_rate": 0.002}}, "epochs": 6}
    return runs + [wider]


SOLUTIONS = {
    "02-xor": xor,
    "03-activations": activations,
    "04-mnist-sequential": mnist_sequential,
    "05-regression": regression,
    "06-wide-deep": wide_deep,
    "07-multiple-outputs": multiple_outputs,
    "08-callbacks": callbacks,
    "09-tensorboard": tensorboard,
    "10-hyperparameters": hyperparameters,
}
