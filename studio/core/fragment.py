"""Copy and paste part of a graph: a fragment is plain JSON, so it can go through the clipboard.

A fragment keeps the chosen layers (class, config, position) and only the
edges between them; pasting gives every layer a fresh name and shifts it, so
a fragment can be pasted any number of times into any graph.
"""

from __future__ import annotations

import copy
import json

from studio.core.catalog import CATALOG
from studio.core.errors import UserError
from studio.core.graph import Graph

MIME = "application/x-perceptron-studio-layers"
FORMAT = "perceptron-studio/layers"


class FragmentError(UserError):
    """Clipboard text that is not a layer fragment."""


def extract(graph: Graph, names: list[str]) -> dict:
    """The layers ``names`` in graph order, with the edges among them."""
    chosen = [n for n in graph.names if n in set(names)]
    layers = []
    for name in chosen:
        node = graph.node(name)
        layers.append({"name": name, "class_name": node.class_name, "config": copy.deepcopy(node.config),
                       "pos": list(node.pos), "inbound": [s for s in node.inputs if s in chosen]})
    return {"format": FORMAT, "version": 1, "layers": layers}


def dumps(fragment: dict) -> str:
    return json.dumps(fragment, ensure_ascii=False)


def loads(text: str) -> dict:
    """Parse clipboard text; FragmentError when it is not a fragment."""
    try:
        data = json.loads(text)
    except ValueError:
        raise FragmentError("the clipboard does not hold layers") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("layers"), list):
        raise FragmentError("the clipboard does not hold layers")
    for layer in data["layers"]:
        if not isinstance(layer, dict) or not isinstance(layer.get("name"), str) \
                or not isinstance(layer.get("config"), dict):
            raise FragmentError("the clipboard's layers are damaged")
        if layer.get("class_name") not in CATALOG:
            raise FragmentError(f"layer {layer['name']!r} is a {layer.get('class_name')!r}, which the studio "
                                "does not offer")
    return data


def plan(graph: Graph, fragment: dict, offset: tuple[float, float]) -> tuple[list[dict], list[tuple[str, str]]]:
    """New layers (with names free in ``graph``) and the edges between them, in a pasteable order."""
    taken = set(graph.names)
    renamed: dict[str, str] = {}
    layers = []
    for layer in fragment["layers"]:
        name = _free_name(layer["name"], taken)
        taken.add(name)
        renamed[layer["name"]] = name
        x, y = layer.get("pos", (0.0, 0.0))
        layers.append({"name": name, "class_name": layer["class_name"], "config": copy.deepcopy(layer["config"]),
                       "pos": (float(x) + offset[0], float(y) + offset[1])})
    edges = [(renamed[src], renamed[layer["name"]]) for layer in fragment["layers"]
             for src in layer.get("inbound", []) if src in renamed]
    return layers, edges


def _free_name(name: str, taken: set[str]) -> str:
    if name not in taken:
        return name
    base = name.rstrip("0123456789").rstrip("_") or name
    i = 1
    while f"{base}_{i}" in taken:
        i += 1
    return f"{base}_{i}"
