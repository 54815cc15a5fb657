"""Feature scaling inside the model: a Normalization layer right after an Input.

The statistics come from the training split (``studio.data``); they are
stored in the layer's config (``mean`` and ``variance``), so the saved model
scales raw inputs itself and predictions need no separate preprocessing.
"""

from __future__ import annotations

from studio.core.graph import Graph, GraphError
from studio.core.layout import DEFAULT_SIZE, ROW_GAP, make_room_below

_OFFSET = DEFAULT_SIZE[1] + ROW_GAP  # how far down the new layer is drawn from its input: one row


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
    consumers = graph.consumers(input_name)
    x, y = node.pos
    name = graph.add_node("Normalization", {"axis": [-1], "invert": False, "mean": list(mean),
                                            "variance": list(variance)},
                          name=graph.unique_name("Normalization"), pos=(x, y + _OFFSET))
    for dst, index in reversed(consumers):
        graph.disconnect(input_name, dst, index)
        graph.connect(name, dst, index)
    graph.connect(input_name, name)
    make_room_below(graph, input_name)  # the layers below move down a row: nothing overlaps the new one
    return name
