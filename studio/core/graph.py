"""The model graph: layers as nodes, ordered inputs as edges.

The graph owns all model state, node positions included, so a view only draws
it and saving needs nothing from the view. Every edit is one method call that
announces itself on ``graph.events``; undo and redo wrap these calls.

Edges are stored as each node's ordered list of input node names, because the
order matters (Concatenate joins in that order) and because Keras' functional
config lists ``inbound_nodes`` the same way. The model's inputs and outputs are
ordered lists of their own, like Keras' ``input_layers`` and ``output_layers``:
adding an Input appends it to the inputs, ``set_inputs`` reorders them.

Edits that change many nodes in a row run inside ``with graph.batch():``, so
the views hear one ``changed`` event for all of them (``EventHub.batch``).
"""

from __future__ import annotations

import copy
import json
import re
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Iterator

from studio.core.catalog import UnknownLayerError, spec_for
from studio.core.errors import UserError
from studio.core.events import CHANGED, EventHub
from studio.core.kinds import shown

EVENTS = (
    "node_added",        # (name)
    "node_removed",      # (name)
    "node_renamed",      # (old, new)
    "edge_added",        # (src, dst, index)
    "edge_removed",      # (src, dst, index)
    "param_changed",     # (name, key, old, new)
    "node_moved",        # (name, pos)
    "outputs_changed",   # (outputs)
    "inputs_changed",    # (inputs): set_inputs reordered them; adding, removing or renaming an Input says so itself
    CHANGED,             # (events): the edits of a batch, held and announced at its end (EventHub.batch)
)

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")
MAX_NAME = 255  # characters of a graph's or a layer's name
MAX_POS = 1e9  # a position further out is no drawing anyone made; Qt's coordinates overflow beyond


class GraphError(UserError):
    """An edit that the graph refuses; the message says why."""


@dataclass
class Node:
    """One layer: its catalog class, its config and where it is drawn."""

    name: str
    class_name: str
    config: dict[str, Any]
    pos: tuple[float, float] = (0.0, 0.0)
    inputs: list[str] = field(default_factory=list)

    @property
    def spec(self):
        return spec_for(self.class_name)


def snake_case(class_name: str) -> str:
    """Keras' automatic layer name for a class: Conv2D -> conv2d, MaxPooling2D -> max_pooling2d."""
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", class_name)  # the rule of keras' to_snake_case
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


class Graph:
    """A directed graph of catalog layers with ordered inputs and outputs."""

    def __init__(self, name: str = "model"):
        self.name = name
        self._nodes: dict[str, Node] = {}
        self._inputs: list[str] = []
        self._outputs: list[str] = []
        self.events = EventHub(EVENTS)

    # -- reading -------------------------------------------------------------------

    def __contains__(self, name: str) -> bool:
        return name in self._nodes

    def __len__(self) -> int:
        return len(self._nodes)

    def __iter__(self) -> Iterator[Node]:
        return iter(self._nodes.values())

    def node(self, name: str) -> Node:
        try:
            return self._nodes[name]
        except KeyError:
            raise GraphError(f"there is no layer named {name!r}") from None

    @property
    def names(self) -> list[str]:
        return list(self._nodes)

    @property
    def inputs(self) -> list[str]:
        """The Input nodes, in the order the model takes them (the order they were added, unless set)."""
        return list(self._inputs)

    @property
    def outputs(self) -> list[str]:
        """The nodes whose results the model returns, in order."""
        return list(self._outputs)

    def edges(self) -> list[tuple[str, str, int]]:
        """Every edge as (source, destination, input index)."""
        return [(src, n.name, i) for n in self._nodes.values() for i, src in enumerate(n.inputs)]

    def consumers(self, name: str) -> list[tuple[str, int]]:
        """The (destination, input index) pairs fed by ``name``."""
        return [(dst, i) for src, dst, i in self.edges() if src == name]

    def unique_name(self, class_name: str) -> str:
        """The next free Keras-style name: dense, dense_1, dense_2, ..."""
        base = snake_case(class_name if class_name != "Input" else "InputLayer")
        if base not in self._nodes:
            return base
        i = 1
        while f"{base}_{i}" in self._nodes:
            i += 1
        return f"{base}_{i}"

    # -- editing ---------------------------------------------------------------------

    def add_node(self, class_name: str, config: dict | None = None, name: str | None = None,
                 pos: tuple[float, float] = (0.0, 0.0)) -> str:
        """Add a layer; config values override the catalog defaults. Returns its name."""
        spec = spec_for(class_name)
        name = name or self.unique_name(class_name)
        self._check_new_name(name)
        full = spec.default_config()
        full.update(copy.deepcopy(config or {}))
        self._nodes[name] = Node(name, class_name, full, (float(pos[0]), float(pos[1])))
        if class_name == "Input":
            self._inputs.append(name)
        self.events.emit("node_added", name)
        return name

    def remove_node(self, name: str) -> None:
        """Remove a layer with every edge into and out of it."""
        node = self.node(name)
        for dst, index in reversed(self.consumers(name)):
            self.disconnect(name, dst, index)
        for index in reversed(range(len(node.inputs))):
            self.disconnect(node.inputs[index], name, index)
        if name in self._outputs:
            self.set_output(name, False)
        if name in self._inputs:
            self._inputs.remove(name)
        del self._nodes[name]
        self.events.emit("node_removed", name)

    def rename_node(self, old: str, new: str) -> None:
        node = self.node(old)
        if new == old:
            return
        self._check_new_name(new)
        self._nodes = {(new if k == old else k): v for k, v in self._nodes.items()}
        node.name = new
        for other in self._nodes.values():
            other.inputs = [new if src == old else src for src in other.inputs]
        self._inputs = [new if i == old else i for i in self._inputs]
        self._outputs = [new if o == old else o for o in self._outputs]
        self.events.emit("node_renamed", old, new)

    def connect(self, src: str, dst: str, index: int | None = None) -> int:
        """Feed ``src``'s output into ``dst`` at input ``index`` (default: last).

        Refuses edges the destination cannot take (an Input, or a second input
        to a single-input layer). Cycles are allowed here, so that a broken
        file can be loaded and shown; validation reports them.
        """
        self.node(src)
        target = self.node(dst)
        if src == dst:
            raise GraphError(f"{src!r} cannot feed itself")
        limit = target.spec.max_inputs
        if limit is not None and len(target.inputs) >= limit:
            if limit == 0:
                raise GraphError(f"{dst!r} is an {target.class_name} and takes no inputs")
            raise GraphError(f"{dst!r} ({target.class_name}) takes {limit} input"
                             f"{'s' if limit != 1 else ''} and already has {len(target.inputs)}")
        index = len(target.inputs) if index is None else index
        if not 0 <= index <= len(target.inputs):
            raise GraphError(f"input index {index} is out of range for {dst!r}")
        target.inputs.insert(index, src)
        self.events.emit("edge_added", src, dst, index)
        return index

    def disconnect(self, src: str, dst: str, index: int | None = None) -> int:
        """Remove the edge src -> dst (at ``index`` if given). Returns the index."""
        target = self.node(dst)
        if index is None:
            if src not in target.inputs:
                raise GraphError(f"{src!r} does not feed {dst!r}")
            index = target.inputs.index(src)
        elif not (0 <= index < len(target.inputs) and target.inputs[index] == src):
            raise GraphError(f"{src!r} is not input {index} of {dst!r}")
        del target.inputs[index]
        self.events.emit("edge_removed", src, dst, index)
        return index

    def set_param(self, name: str, key: str, value: Any) -> None:
        """Set one config value; validation says whether it is acceptable."""
        node = self.node(name)
        old = node.config.get(key)
        node.config[key] = copy.deepcopy(value)
        self.events.emit("param_changed", name, key, old, value)

    def move_node(self, name: str, pos: tuple[float, float]) -> None:
        node = self.node(name)
        node.pos = (float(pos[0]), float(pos[1]))
        self.events.emit("node_moved", name, node.pos)

    def set_output(self, name: str, is_output: bool = True, index: int | None = None) -> None:
        """Mark or unmark ``name`` as a model output (at ``index`` in the output order)."""
        self.node(name)
        if is_output and name not in self._outputs:
            self._outputs.insert(len(self._outputs) if index is None else index, name)
        elif not is_output and name in self._outputs:
            self._outputs.remove(name)
        else:
            return
        self.events.emit("outputs_changed", self.outputs)

    def set_outputs(self, names: list[str]) -> None:
        for name in names:
            self.node(name)
        if len(set(names)) != len(names):
            raise GraphError("an output is listed twice")
        self._outputs = list(names)
        self.events.emit("outputs_changed", self.outputs)

    def set_inputs(self, names: list[str]) -> None:
        """Put the Input nodes in the order the model takes them: each one listed once, nothing else."""
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise GraphError("'inputs' must be a list of Input layer names")
        seen = set()
        for name in names:
            if name not in self._nodes:
                raise GraphError(f"'inputs': {shown(name)} is not a layer of this graph")
            if self._nodes[name].class_name != "Input":
                raise GraphError(f"'inputs': {name!r} is a {self._nodes[name].class_name}, not an Input layer")
            if name in seen:
                raise GraphError(f"'inputs': {name!r} is listed twice")
            seen.add(name)
        missing = [name for name in self._inputs if name not in seen]
        if missing:
            raise GraphError(f"'inputs': the Input layer {missing[0]!r} is not listed")
        self._inputs = list(names)
        self.events.emit("inputs_changed", self.inputs)

    def batch(self) -> AbstractContextManager:
        """``with graph.batch():`` the edits inside are announced as one ``changed`` event at its end."""
        return self.events.batch()

    def _check_new_name(self, name: str) -> None:
        if not isinstance(name, str) or len(name) > MAX_NAME or not _NAME.match(name):
            raise GraphError(f"{shown(name)} is not a valid layer name: use letters, digits, '_', '.' "
                             "or '-', starting with a letter or '_'")
        if name in self._nodes:
            raise GraphError(f"a layer named {name!r} already exists")

    # -- serialization -------------------------------------------------------------------

    def to_dict(self) -> dict:
        """The graph as plain JSON data, close to Keras' functional config."""
        return {
            "name": self.name,
            "layers": [
                {
                    "name": n.name,
                    "class_name": n.class_name,
                    "config": copy.deepcopy(n.config),
                    "inbound": list(n.inputs),
                    "ui": {"pos": [n.pos[0], n.pos[1]]},
                }
                for n in self._nodes.values()
            ],
            "inputs": list(self._inputs),
            "outputs": list(self._outputs),
        }

    @classmethod
    def from_dict(cls, data: dict) -> "Graph":
        """Rebuild a graph from ``to_dict()`` data.

        Raises GraphError (or UnknownLayerError) naming the layer at fault,
        for any value of the wrong type too (the file is untrusted: a list
        where a name belongs must not become a TypeError).
        Edges are added after all nodes, so their order in the file is free.
        Without ``inputs`` (a graph written before the list existed, as in an
        older trained model's metadata) the Inputs count in the order of
        the layers.
        """
        if not isinstance(data, dict):
            raise GraphError("'graph' must be an object")
        name = data.get("name", "model")
        if not isinstance(name, str) or len(name) > MAX_NAME:
            raise GraphError(f"graph.name: must be a text of at most {MAX_NAME} characters, not {shown(name)}")
        graph = cls(name)
        layers = data.get("layers")
        if not isinstance(layers, list):
            raise GraphError("'layers' must be a list")
        for i, layer in enumerate(layers):
            if not isinstance(layer, dict) or not isinstance(layer.get("name"), str):
                raise GraphError(f"layer #{i + 1} has no name")
            where = f"layer {shown(layer['name'])}"
            if not isinstance(layer.get("class_name"), str):
                raise GraphError(f"{where}: 'class_name' must be a layer class name, not "
                                 f"{shown(layer.get('class_name'))}")
            if not isinstance(layer.get("config", {}), dict):
                raise GraphError(f"{where}: 'config' must be an object")
            ui = layer.get("ui") or {}
            pos = ui.get("pos", [0, 0]) if isinstance(ui, dict) else None
            if (not isinstance(pos, list) or len(pos) != 2
                    or not all(isinstance(v, (int, float)) and not isinstance(v, bool) and abs(v) <= MAX_POS
                               for v in pos)):
                raise GraphError(f"{where}: 'ui.pos' must be two numbers between -{MAX_POS:g} and {MAX_POS:g}")
            try:
                graph.add_node(layer["class_name"], layer.get("config"), layer["name"], tuple(pos))
            except UnknownLayerError as exc:  # its class name said briefly: it may be 5,000 characters long
                name = exc.class_name
                raise GraphError(f"{where}: {UnknownLayerError(name if len(name) <= 40 else name[:40] + '...')}") \
                    from None
        for layer in layers:
            inbound = layer.get("inbound", [])
            if not isinstance(inbound, list) or not all(isinstance(s, str) for s in inbound):
                raise GraphError(f"layer {layer['name']!r}: 'inbound' must be a list of layer names")
            node = graph.node(layer["name"])
            for src in inbound:
                if src not in graph:
                    raise GraphError(f"layer {layer['name']!r}: input {shown(src)} is not a layer of this graph")
                # Loaded as stored, even if invalid: validation reports arity.
                node.inputs.append(src)
        outputs = data.get("outputs", [])
        if not isinstance(outputs, list) or not all(isinstance(o, str) for o in outputs):
            raise GraphError("'outputs' must be a list of layer names")
        for name in outputs:
            if name not in graph:
                raise GraphError(f"output {shown(name)} is not a layer of this graph")
        graph.set_outputs(outputs)
        if "inputs" in data:
            graph.set_inputs(data["inputs"])
        return graph

    def copy(self) -> "Graph":
        return Graph.from_dict(self.to_dict())


def record_inputs(record) -> list[str]:
    """The input order of a graph record (``to_dict()`` data, perhaps from a file): its ``inputs`` list,
    or for a record written before the list existed, its Input layers in file order (as ``from_dict``
    reads it). Anything of the wrong type counts as nothing."""
    if not isinstance(record, dict):
        return []
    listed = record.get("inputs")
    if isinstance(listed, list):
        return [str(name) for name in listed]
    layers = record.get("layers") if isinstance(record.get("layers"), list) else []
    return [str(layer.get("name")) for layer in layers
            if isinstance(layer, dict) and layer.get("class_name") == "Input"]


def same_model(graph: dict, other) -> bool:
    """Whether two graph records describe the same model.

    The layout on the canvas does not count, nor the input scaling that
    training puts in (a Normalization layer right after an Input): a run's
    record has it, the user's graph may not, and a model continued keeps the
    scaling it was trained with.
    """
    def structure(record):
        if not isinstance(record, dict) or not isinstance(record.get("layers"), list):
            return None
        record = json.loads(json.dumps(record, default=str))  # as both are in a file: lists, not tuples
        layers = {str(layer.get("name")): {k: v for k, v in layer.items() if k != "ui"}
                  for layer in record["layers"] if isinstance(layer, dict)}
        inputs = {name for name, layer in layers.items() if layer.get("class_name") == "Input"}
        scaling = {name: layer["inbound"][0] for name, layer in layers.items()
                   if layer.get("class_name") == "Normalization" and isinstance(layer.get("inbound"), list)
                   and len(layer["inbound"]) == 1 and layer["inbound"][0] in inputs}
        for name in scaling:
            del layers[name]
        for layer in layers.values():
            if isinstance(layer.get("inbound"), list):
                layer["inbound"] = [scaling.get(src, src) for src in layer["inbound"]]
        outputs = [scaling.get(o, o) for o in record.get("outputs") or []]
        return sorted(layers.items()), record_inputs(record), outputs
    mine = structure(graph)
    return mine is not None and mine == structure(other)


def chain_output(graph: Graph, fed: str | None = None) -> str | None:
    """The layer that should become the model's only output after an edit, or None to leave outputs alone.

    The rule (applied by the canvas as part of the same undoable edit, after
    a connection or a layer added below another): when the model has no
    output yet, or its only output is ``fed`` (the layer that has just been
    connected onward), and the graph has exactly one sink (a layer that feeds
    nothing), that sink becomes the output provided it is not an Input and
    its chain reaches back to an Input. So the end of a growing chain is
    always its output, and a model with several outputs, several loose ends
    or an output the user chose elsewhere is never changed.
    """
    outputs = graph.outputs
    if outputs and outputs != [fed]:
        return None
    fed_layers = {src for node in graph for src in node.inputs}
    sinks = [name for name in graph.names if name not in fed_layers]
    if len(sinks) != 1 or [sinks[0]] == outputs:
        return None
    sink = sinks[0]
    if graph.node(sink).class_name == "Input":
        return None
    return sink if reaches_input(graph, sink) else None


def reaches_input(graph: Graph, name: str) -> bool:
    """Whether following ``name``'s inputs back leads to an Input layer."""
    seen, todo = set(), [name]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        if graph.node(current).class_name == "Input":
            return True
        todo.extend(graph.node(current).inputs)
    return False
