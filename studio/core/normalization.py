"""Feature scaling inside the model: a Normalization layer right after an Input.

The statistics come from the training split (``studio.data``); they are
stored in the layer's config (``mean`` and ``variance``), so the saved model
scales raw inputs itself and predictions need no separate preprocessing.
"""

from __future__ import annotations

from studio.core.graph import Graph, GraphError
from studio.core.layout import insert_after


def normalization_after(graph: Graph, input_name: str) -> str | None:
    """The Normalization layer that is the only consumer of ``input_name``, if any."""
    consumers = graph.consumers(input_name)
    if len(consumers) == 1 and graph.node(consumers[0][0]).class_name == "Normalization":
        return consumers[0][0]
    return None


def set_input_normalization(graph: Graph, input_name: str, mean: list[float], variance: list[float]) -> str:
    """Scale ``input_name`` with the given statistics; returns the Normalization layer's name.

    An existing Normalization directly after the input is updated; otherwise
    one is inserted between the input and everything it fed. Each step is one
    graph edit, so an undo stack can record it.
    """
    node = graph.node(input_name)
    if node.class_name != "Input":
        raise GraphError(f"{input_name!r} is a {node.class_name}, not an Input")
    width = node.config["shape"][-1]
    if len(mean) != width or len(variance) != width:
        raise GraphError(f"{input_name!r} has {width} features but the statistics have {len(mean)}")
    existing = normalization_after(graph, input_name)
    if existing is not None:
        graph.set_param(existing, "mean", list(mean))
        graph.set_param(existing, "variance", list(variance))
        return existing
    # drawn a row below the input; the layers below move down a row: nothing overlaps the new one
    return insert_after(graph, input_name, "Normalization",
                        {"axis": [-1], "invert": False, "mean": list(mean), "variance": list(variance)})
