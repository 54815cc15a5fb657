"""Undoable graph edits: each QUndoCommand wraps one or more calls on the graph model.

A command that edits many layers in a row (delete, paste, move, replace the
graph) does it inside ``graph.batch()`` (see ``batched``), so the document
checks the graph and the canvas rebuilds its edges once per step, not once
per layer and edge.
"""

from __future__ import annotations

import copy
import functools

from PySide6.QtGui import QUndoCommand

from studio.core.graph import Graph, GraphError, chain_output
from studio.core.validation import validate
from studio.ui.language import translate


class Edit(QUndoCommand):
    """A command that is applied once before it is recorded, so a refused edit leaves no undo entry.

    ProjectDocument.push calls ``apply`` (which may raise GraphError) and only
    then hands the command to the undo stack, whose first ``redo`` is skipped.
    """

    applied = False

    def apply(self):
        raise NotImplementedError

    def redo(self):
        if self.applied:
            self.applied = False
            return
        self.apply()


def batched(method):
    """Run a command's ``apply`` or ``undo`` as one batch of graph edits (``Graph.batch``)."""
    @functools.wraps(method)
    def run(self, *args, **kwargs):
        with self.graph.batch():
            return method(self, *args, **kwargs)
    return run


class AddNode(Edit):
    def __init__(self, graph: Graph, class_name: str, pos, config: dict | None = None, name: str | None = None):
        super().__init__(translate("Commands", "Add {0}").format(class_name))
        self.graph, self.class_name, self.pos, self.config = graph, class_name, pos, config
        self.name = name or graph.unique_name(class_name)

    def apply(self):
        self.graph.add_node(self.class_name, self.config, self.name, self.pos)

    def undo(self):
        self.graph.remove_node(self.name)


class RemoveNodes(Edit):
    """Remove layers with their edges; undo restores them, their edges (in order), inputs and outputs."""

    def __init__(self, graph: Graph, names: list[str]):
        super().__init__(translate("Commands", "Delete 1 layer") if len(names) == 1 else translate("Commands", "Delete {0} layers").format(len(names)))
        self.graph, self.names = graph, list(names)
        self.before = graph.to_dict()

    @batched
    def apply(self):
        for name in self.names:
            if name in self.graph:
                self.graph.remove_node(name)

    @batched
    def undo(self):
        layers = {layer["name"]: layer for layer in self.before["layers"]}
        for name in self.names:
            layer = layers[name]
            self.graph.add_node(layer["class_name"], copy.deepcopy(layer["config"]), name, tuple(layer["ui"]["pos"]))
        for layer in self.before["layers"]:  # edges into and out of the restored layers, at their index
            for index, src in enumerate(layer["inbound"]):
                if (src in self.names or layer["name"] in self.names) and src in self.graph \
                        and layer["name"] in self.graph:
                    self.graph.connect(src, layer["name"], min(index, len(self.graph.node(layer["name"]).inputs)))
        before = [i for i in self.before["inputs"] if i in self.graph]
        self.graph.set_inputs(before + [i for i in self.graph.inputs if i not in before])
        self.graph.set_outputs([o for o in self.before["outputs"] if o in self.graph])


def _follow_output(graph: Graph, fed: str | None) -> list[str] | None:
    """Apply ``chain_output``: returns the outputs before, or None when they did not change."""
    sink = chain_output(graph, fed)
    if sink is None:
        return None
    before = graph.outputs
    graph.set_outputs([sink])
    return before


class Connect(Edit):
    """Connect two layers; with ``auto_output`` the end of the chain becomes its output (``chain_output``)."""

    def __init__(self, graph: Graph, src: str, dst: str, index: int | None = None, auto_output: bool = False):
        super().__init__(translate("Commands", "Connect {0} to {1}").format(src, dst))
        self.graph, self.src, self.dst, self.index = graph, src, dst, index
        self.auto_output, self.outputs_before = auto_output, None

    def apply(self):
        self.index = self.graph.connect(self.src, self.dst, self.index)
        if self.auto_output:
            self.outputs_before = _follow_output(self.graph, self.src)

    def undo(self):
        if self.outputs_before is not None:
            self.graph.set_outputs(self.outputs_before)
        self.graph.disconnect(self.src, self.dst, self.index)


def _shape_follows(graph: Graph, src: str, dst: str) -> bool:
    """Whether ``dst`` gets an output shape from ``src`` (always true when ``src`` has none to give)."""
    shapes = validate(graph).shapes
    given, got = shapes.get(src), shapes.get(dst)
    return given is None or given.shape is None or (got is not None and got.shape is not None)


class AddBelow(Edit):
    """Add a layer (below ``anchor``), connect ``anchor`` to it when the graph accepts that edge and the new
    layer gets a shape from it, and let the end of the chain become its output (``chain_output``): one
    undo step."""

    def __init__(self, graph: Graph, class_name: str, pos, anchor: str | None):
        super().__init__(translate("Commands", "Add {0}").format(class_name))
        self.graph, self.class_name, self.pos, self.anchor = graph, class_name, pos, anchor
        self.name = graph.unique_name(class_name)
        self.connected, self.outputs_before = False, None

    def apply(self):
        self.graph.add_node(self.class_name, None, self.name, self.pos)
        self.connected = False
        if self.anchor is not None and self.anchor in self.graph:
            try:
                self.graph.connect(self.anchor, self.name)
                self.connected = True
            except GraphError:  # e.g. a new Input, which takes no inputs: added unconnected
                pass
            if self.connected and not _shape_follows(self.graph, self.anchor, self.name):
                self.graph.disconnect(self.anchor, self.name)  # e.g. a Conv2D below a Dense: left unconnected
                self.connected = False
        self.outputs_before = _follow_output(self.graph, self.anchor) if self.connected else None

    def undo(self):
        if self.outputs_before is not None:
            self.graph.set_outputs(self.outputs_before)
        self.graph.remove_node(self.name)


class InsertOnEdge(Edit):
    """A layer dropped on the edge ``src → dst`` goes between them (src → new → dst) when that gives it a shape
    and brings no new error; else it is only added where it was dropped. One undo step."""

    def __init__(self, graph: Graph, class_name: str, pos, src: str, dst: str, index: int):
        super().__init__(translate("Commands", "Insert {0}").format(class_name))
        self.graph, self.class_name, self.pos = graph, class_name, pos
        self.src, self.dst, self.index = src, dst, index
        self.name = graph.unique_name(class_name)
        self.inserted = False

    def apply(self):
        graph = self.graph
        errors = len(validate(graph).errors)
        graph.add_node(self.class_name, None, self.name, self.pos)
        graph.disconnect(self.src, self.dst, self.index)
        try:
            graph.connect(self.src, self.name)
            graph.connect(self.name, self.dst, self.index)
            report = validate(graph)
            shape = report.shapes.get(self.name)
            self.inserted = shape is not None and shape.shape is not None and len(report.errors) <= errors
        except GraphError:
            self.inserted = False
        if not self.inserted:  # the shapes do not allow it: only dropped
            for src, dst, index in list(graph.edges()):
                if self.name in (src, dst):
                    graph.disconnect(src, dst, index)
            graph.connect(self.src, self.dst, self.index)

    def undo(self):
        self.graph.remove_node(self.name)
        if self.inserted:
            self.graph.connect(self.src, self.dst, self.index)


class Rename(Edit):
    def __init__(self, graph: Graph, old: str, new: str):
        super().__init__(translate("Commands", "Rename {0} to {1}").format(old, new))
        self.graph, self.old, self.new = graph, old, new

    def apply(self):
        self.graph.rename_node(self.old, self.new)

    def undo(self):
        self.graph.rename_node(self.new, self.old)


class Disconnect(Edit):
    def __init__(self, graph: Graph, src: str, dst: str, index: int):
        super().__init__(translate("Commands", "Disconnect {0} from {1}").format(src, dst))
        self.graph, self.src, self.dst, self.index = graph, src, dst, index

    def apply(self):
        self.graph.disconnect(self.src, self.dst, self.index)

    def undo(self):
        self.graph.connect(self.src, self.dst, self.index)


class SetParam(Edit):
    def __init__(self, graph: Graph, name: str, key: str, value):
        super().__init__(translate("Commands", "Set {0}").format(f"{name}.{key}"))
        self.graph, self.name, self.key, self.value = graph, name, key, copy.deepcopy(value)
        self.old = copy.deepcopy(graph.node(name).config.get(key))

    def apply(self):
        self.graph.set_param(self.name, self.key, self.value)

    def undo(self):
        self.graph.set_param(self.name, self.key, self.old)


class MoveNodes(Edit):
    def __init__(self, graph: Graph, moves: dict[str, tuple[tuple, tuple]]):
        super().__init__(translate("Commands", "Move layers"))
        self.graph, self.moves = graph, moves  # name -> (old pos, new pos)

    @batched
    def apply(self):
        for name, (_, new) in self.moves.items():
            self.graph.move_node(name, new)

    @batched
    def undo(self):
        for name, (old, _) in self.moves.items():
            self.graph.move_node(name, old)


class SetOutput(Edit):
    def __init__(self, graph: Graph, name: str, is_output: bool):
        super().__init__((translate("Commands", "Mark {0} as output") if is_output else translate("Commands", "Unmark {0} as output")).format(name))
        self.graph, self.name, self.is_output = graph, name, is_output
        self.before = graph.outputs

    def apply(self):
        self.graph.set_output(self.name, self.is_output)

    def undo(self):
        self.graph.set_outputs(self.before)


class SetSection(Edit):
    """Change one value of the project's ``training`` or ``data`` section."""

    def __init__(self, section: dict, key: str, value, label: str):
        super().__init__(translate("Commands", "Set {0}").format(label))
        self.section, self.key, self.value = section, key, copy.deepcopy(value)
        self.had, self.old = key in section, copy.deepcopy(section.get(key))

    def apply(self):
        self.section[self.key] = copy.deepcopy(self.value)

    def undo(self):
        if self.had:
            self.section[self.key] = copy.deepcopy(self.old)
        else:
            self.section.pop(self.key, None)


class AddLayers(Edit):
    """Paste: add prepared layers and the edges among them as one undoable step."""

    def __init__(self, graph: Graph, layers: list[dict], edges: list[tuple[str, str]]):
        super().__init__(translate("Commands", "Paste 1 layer") if len(layers) == 1 else translate("Commands", "Paste {0} layers").format(len(layers)))
        self.graph, self.layers, self.edges = graph, layers, edges

    @batched
    def apply(self):
        for layer in self.layers:
            self.graph.add_node(layer["class_name"], copy.deepcopy(layer["config"]), layer["name"], layer["pos"])
        for src, dst in self.edges:
            self.graph.connect(src, dst)

    @batched
    def undo(self):
        for layer in reversed(self.layers):
            self.graph.remove_node(layer["name"])


class ReplaceGraph(Edit):
    """Replace every layer and edge with another graph's (a search's best model), as one step."""

    def __init__(self, graph: Graph, new: Graph, label: str):
        super().__init__(label)
        self.graph, self.old, self.new = graph, graph.to_dict(), new.to_dict()

    @batched
    def _load(self, data: dict) -> None:
        for node in list(self.graph):
            self.graph.remove_node(node.name)
        for layer in data["layers"]:
            self.graph.add_node(layer["class_name"], copy.deepcopy(layer["config"]), layer["name"],
                                tuple(layer["ui"]["pos"]))
        for layer in data["layers"]:
            for src in layer["inbound"]:
                self.graph.connect(src, layer["name"])
        self.graph.set_inputs(data["inputs"])
        self.graph.set_outputs(data["outputs"])

    def apply(self):
        self._load(self.new)

    def undo(self):
        self._load(self.old)
