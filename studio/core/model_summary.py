"""The table of Keras' ``model.summary()`` as plain data: one row per layer and the parameter counts.

``summarize_model`` reads a built Keras model with the rules of Keras' own
``keras/src/utils/summary_utils.py``: a row per top-level layer in
``model.layers`` order (nested models are one row, as Keras prints them by
default); a layer's parameters are ``layer.count_params()``; the totals are
the sizes of ``model.trainable_weights`` and ``model.non_trainable_weights``
(Keras' trackers list a shared weight once) plus, once a compiled model's
optimizer is built, its variables, so ``total`` is the "Total params" line
of ``model.summary()``.

``summarize_project`` is the summary of the model that training will build:
the project's graph, with the input scaling the engine adds for CSV data
(``studio.training.data_source.scale_inputs``: a Normalization layer after
every Input, whose mean, variance and count weights Keras counts as
non-trainable, 2 * features + 1). Its numbers are those of the trained
model's ``model.summary()``, optimizer aside (a graph has no optimizer yet).

TensorFlow is imported only inside the functions (``studio.core`` loads
before Keras does).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from studio.core.graph import Graph


@dataclass(frozen=True)
class SummaryRow:
    """One layer: its name, its class, its output shape as Keras writes it, its parameter count and the
    layers that feed it (``name[node][tensor]`` in Keras' table; here the layer names)."""

    name: str
    type: str
    output_shape: str
    params: int
    connected_to: tuple[str, ...] = ()


@dataclass(frozen=True)
class ModelSummary:
    """A model's summary: the rows and the counts of Keras' summary lines.

    ``optimizer`` is None where Keras prints no "Optimizer params" line (not compiled, or the optimizer
    not yet built); ``total`` includes it, as Keras' "Total params" does.
    """

    name: str
    rows: list[SummaryRow] = field(default_factory=list)
    trainable: int = 0
    non_trainable: int = 0
    optimizer: int | None = None
    scaled_inputs: tuple[str, ...] = ()

    @property
    def total(self) -> int:
        return self.trainable + self.non_trainable + (self.optimizer or 0)

    @classmethod
    def from_dict(cls, data: dict) -> "ModelSummary":
        """The summary from ``dataclasses.asdict`` of one (as the window's child answers it)."""
        rows = [SummaryRow(str(r["name"]), str(r["type"]), str(r["output_shape"]), int(r["params"]),
                           tuple(str(c) for c in r.get("connected_to") or ())) for r in data.get("rows") or []]
        optimizer = data.get("optimizer")
        return cls(str(data.get("name", "")), rows, int(data.get("trainable") or 0), int(data.get("non_trainable") or 0),
                   int(optimizer) if optimizer is not None else None, tuple(data.get("scaled_inputs") or ()))

    def totals(self) -> dict:
        """The counts as a JSON-able dict (the CLI's last line)."""
        found = {"total": self.total, "trainable": self.trainable, "non_trainable": self.non_trainable}
        if self.optimizer is not None:
            found["optimizer"] = self.optimizer
        return found


def _count(weights) -> int:
    return int(sum(math.prod(w.shape) for w in weights))


def _shape_text(shape) -> str:
    return "(" + ", ".join(str(d) for d in shape) + ")"


def _output_shape(layer) -> str:
    """The output shape(s) of the layer's last call, as Keras' ``format_layer_shape`` writes them."""
    nodes = getattr(layer, "_inbound_nodes", None) or []
    if not nodes:
        try:
            return _shape_text(layer.output.shape)
        except Exception:  # an unbuilt or uncalled layer: Keras shows "?" too
            return "?"
    outputs = nodes[-1].output_tensors
    outputs = outputs if isinstance(outputs, (list, tuple)) else [outputs]
    shapes = [_shape_text(t.shape) for t in outputs]
    return shapes[0] if len(shapes) == 1 else "[" + ", ".join(shapes) + "]"


def _connections(layer, model_nodes: set) -> tuple[str, ...]:
    """The layers whose outputs feed ``layer`` inside this model (Keras' "Connected to")."""
    found = []
    for node in getattr(layer, "_inbound_nodes", None) or []:
        if model_nodes and id(node) not in model_nodes:
            continue  # a call of a shared layer outside this model
        for tensor in node.input_tensors:
            history = getattr(tensor, "_keras_history", None)
            if history is not None:
                found.append(history.operation.name)
    return tuple(found)


def _layer_params(layer) -> int:
    if not getattr(layer, "built", False):
        return 0
    return int(layer.count_params())


def summarize_model(model) -> ModelSummary:
    """The summary of a built Keras model, with Keras' own numbers."""
    model_nodes = set()
    for nodes in (getattr(model, "_nodes_by_depth", None) or {}).values():
        model_nodes.update(id(n) for n in nodes)
    rows = [SummaryRow(layer.name, type(layer).__name__, _output_shape(layer), _layer_params(layer),
                       _connections(layer, model_nodes))
            for layer in model.layers]
    trainable = getattr(model, "_collected_trainable_weights", None)  # what Keras' summary prefers
    trainable = _count(model.trainable_weights if trainable is None else trainable)
    optimizer = None
    opt = getattr(model, "optimizer", None) if getattr(model, "compiled", False) else None
    if opt is not None and getattr(opt, "built", False):
        optimizer = _count(opt.variables)
    return ModelSummary(model.name, rows, trainable, _count(model.non_trainable_weights), optimizer)


def will_scale_inputs(data_settings: dict) -> bool:
    """Whether the engine adds input scaling for this data section (filled with its defaults, as
    ``studio.data.defaults.data_settings`` gives it): CSV data with ``normalize`` on scales every Input."""
    return data_settings.get("source") == "csv" and bool(data_settings.get("normalize"))


def graph_for_training(graph: Graph, scale_inputs: bool) -> tuple[Graph, tuple[str, ...]]:
    """A copy of ``graph`` as the engine builds it: with ``scale_inputs``, a Normalization after each Input
    (statistics of zeros and ones: only their sizes matter here). Returns the copy and the scaled inputs."""
    from studio.core.normalization import set_input_normalization
    graph = graph.copy()
    scaled = []
    if scale_inputs:
        for name in graph.inputs:
            shape = graph.node(name).config.get("shape") or []
            width = shape[-1] if isinstance(shape, (list, tuple)) and shape else None
            if isinstance(width, int) and width > 0:
                set_input_normalization(graph, name, [0.0] * width, [1.0] * width)
                scaled.append(name)
    return graph, tuple(scaled)


def summarize_graph(graph: Graph, scale_inputs: bool = False) -> ModelSummary:
    """The summary of the model the graph builds (``keras_bridge.build_model``); with ``scale_inputs``, of
    the model the engine trains from CSV data (see ``graph_for_training``).

    Raises:
        BuildError: the graph does not validate.
    """
    from studio.core.keras_bridge import build_model
    built, scaled = graph_for_training(graph, scale_inputs)
    model = build_model(built)
    summary = summarize_model(model)
    return ModelSummary(summary.name, summary.rows, summary.trainable, summary.non_trainable, summary.optimizer,
                        scaled)


def summarize_project(project, data_settings: dict) -> ModelSummary:
    """The summary of the model that training ``project`` will build. ``data_settings`` is the project's
    data section with its defaults filled in (``studio.data.defaults.data_settings(project.data)``): it
    says whether the engine adds input scaling (``will_scale_inputs``), which Keras counts."""
    return summarize_graph(project.graph, will_scale_inputs(data_settings))
