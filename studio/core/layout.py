"""Automatic left-to-right layout of a graph (no Qt)."""

from __future__ import annotations

from studio.core.graph import Graph

COLUMN_WIDTH = 220.0
ROW_HEIGHT = 120.0


def layered_positions(graph: Graph) -> dict[str, tuple[float, float]]:
    """Positions that put each layer one column right of its deepest input.

    Columns are filled top to bottom in graph order and centred vertically on
    y = 0. Nodes in a cycle are placed in a column after the others.
    """
    depth: dict[str, int] = {}
    remaining = list(graph.names)
    while remaining:
        progressed = False
        for name in list(remaining):
            inputs = graph.node(name).inputs
            if all(src in depth for src in inputs):
                depth[name] = 1 + max((depth[src] for src in inputs), default=-1)
                remaining.remove(name)
                progressed = True
        if not progressed:  # a cycle: place the rest after everything else
            last = 1 + max(depth.values(), default=-1)
            for name in remaining:
                depth[name] = last
            break
    columns: dict[int, list[str]] = {}
    for name in graph.names:
        columns.setdefault(depth[name], []).append(name)
    positions = {}
    for column, names in columns.items():
        top = -(len(names) - 1) * ROW_HEIGHT / 2
        for row, name in enumerate(names):
            positions[name] = (column * COLUMN_WIDTH, top + row * ROW_HEIGHT)
    return positions


def auto_layout(graph: Graph) -> None:
    """Move every node to its layered position (one ``move_node`` call each)."""
    for name, pos in layered_positions(graph).items():
        graph.move_node(name, pos)
