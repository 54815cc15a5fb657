"""The loss a project trains with where it names none: one rule for the window, the engine and the advisor.

The rule reads only the project (its data section and its graph), never the
loaded data, so the Training tab can show before loading anything exactly the
loss the engine will compile:

- the data section's task when it states one (an image set is always
  multiclass): regression -> mean squared error; multiclass -> sparse
  categorical cross-entropy (the studio's labels are class numbers); binary ->
  binary cross-entropy for one sigmoid unit, else sparse categorical
  cross-entropy; multilabel -> binary cross-entropy;
- otherwise (no data yet, or a CSV whose task is automatic) the output layer:
  softmax -> sparse categorical cross-entropy, sigmoid -> binary
  cross-entropy, anything else -> mean squared error.
"""

from __future__ import annotations

from studio.core.graph import Graph, GraphError

IMAGE_SOURCES = ("mnist", "images")


def stated_task(data: dict | None) -> str | None:
    """The task the project's data section fixes without reading the data, or None."""
    data = data or {}
    if data.get("source") in IMAGE_SOURCES:
        return "multiclass"
    return data.get("task") or None


def output_activation(graph: Graph, name: str) -> tuple[str | None, int | None]:
    """(activation, units) of output ``name``; (None, None) when the graph does not say."""
    try:
        node = graph.node(name)
    except GraphError:
        return None, None
    config = node.config or {}
    activation = "softmax" if node.class_name == "Softmax" else config.get("activation")
    units = config.get("units")
    return (activation if isinstance(activation, str) else None), (units if isinstance(units, int) else None)


def default_loss(task: str | None, activation: str | None, units: int | None) -> str:
    """The loss for one output (Keras' canonical name)."""
    if task == "regression":
        return "mean_squared_error"
    if task == "multilabel":
        return "binary_crossentropy"
    if task == "binary":
        return "binary_crossentropy" if units == 1 or activation == "sigmoid" else "sparse_categorical_crossentropy"
    if task == "multiclass":
        return "sparse_categorical_crossentropy"
    if activation == "softmax":
        return "sparse_categorical_crossentropy"
    if activation == "sigmoid":
        return "binary_crossentropy"
    return "mean_squared_error"


def default_losses(graph: Graph, data: dict | None) -> dict[str, str]:
    """{output name: default loss} for every output of ``graph``."""
    task = stated_task(data)
    return {name: default_loss(task, *output_activation(graph, name)) for name in graph.outputs}


def is_unset(loss) -> bool:
    return loss is None or loss == "" or loss == {}


def per_output(loss) -> bool:
    """True for {output name: loss}, False for one loss (a name or a {"class_name", "config"})."""
    return isinstance(loss, dict) and "class_name" not in loss


def effective_loss(training: dict | None, graph: Graph, data: dict | None):
    """The loss that will train: the project's where it names one, the default where it is unset.

    One output: a loss name or class config. Several: {output name: loss}, the
    project's entries kept as they are (so that a wrong one is still reported)
    and the unset ones filled in.
    """
    loss = (training or {}).get("loss")
    defaults = default_losses(graph, data)
    if not defaults:
        return default_loss(stated_task(data), None, None) if is_unset(loss) else loss
    if is_unset(loss):
        return next(iter(defaults.values())) if len(defaults) == 1 else dict(defaults)
    if per_output(loss):
        filled = dict(loss)
        for name, value in defaults.items():
            if is_unset(filled.get(name)):
                filled[name] = value
        return filled
    return loss
