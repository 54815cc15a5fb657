"""Automatic top-to-bottom layout of a graph, and where a new layer goes (no Qt).

Chains run top to bottom, as in Sony's Neural Network Console and MATLAB's
Deep Network Designer: a layer's input port is on its top edge, its output
port on its bottom edge, and each layer sits one row below its deepest input.
Branches (layers of the same depth) sit side by side in their row.

A position is the top-left corner of a node. Callers that know how big each
node is drawn (the canvas) pass ``sizes``; others get DEFAULT_SIZE, which is
large enough for a typical node, so an imported model is readable as is.
"""

from __future__ import annotations

from studio.core.graph import Graph

DEFAULT_SIZE = (220.0, 120.0)  # width, height of a node whose drawn size is unknown
ROW_GAP = 48.0                 # vertical space between rows (room for the edges' curves)
COLUMN_GAP = 40.0              # horizontal space between side-by-side nodes

Sizes = dict[str, tuple[float, float]]


def depths(graph: Graph) -> dict[str, int]:
    """Each layer's row: one below its deepest input. Layers in a cycle go after all others."""
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
    return depth


def layered_positions(graph: Graph, sizes: Sizes | None = None) -> dict[str, tuple[float, float]]:
    """Top-left positions that put each layer one row below its deepest input.

    Within a row, each layer is placed under the mean centre of its inputs (so a
    chain is one straight column) and pushed right just enough not to overlap
    its neighbour; each row is then shifted back so that, on average, its layers
    sit where their inputs want them. The first row is centred on x = 0.
    """
    sizes = sizes or {}
    size = {name: sizes.get(name, DEFAULT_SIZE) for name in graph.names}
    depth = depths(graph)
    rows: dict[int, list[str]] = {}
    for name in graph.names:
        rows.setdefault(depth[name], []).append(name)
    centre_x: dict[str, float] = {}
    positions: dict[str, tuple[float, float]] = {}
    top = 0.0
    for row in sorted(rows):
        names = rows[row]
        wanted = {}
        for order, name in enumerate(names):
            placed = [centre_x[src] for src in graph.node(name).inputs if src in centre_x]
            wanted[name] = sum(placed) / len(placed) if placed else None
        if all(w is None for w in wanted.values()):  # a row of sources: side by side around 0
            width = sum(size[n][0] for n in names) + COLUMN_GAP * (len(names) - 1)
            x = -width / 2
            for name in names:
                wanted[name] = x + size[name][0] / 2
                x += size[name][0] + COLUMN_GAP
        else:
            fallback = max((w for w in wanted.values() if w is not None), default=0.0)
            for name in names:
                if wanted[name] is None:  # a new source in a deeper row (a second Input): to the right
                    fallback += size[name][0] + COLUMN_GAP
                    wanted[name] = fallback
        ordered = sorted(names, key=lambda n: (wanted[n], names.index(n)))
        centres, right = {}, None
        for name in ordered:
            half = size[name][0] / 2
            centre = wanted[name] if right is None else max(wanted[name], right + COLUMN_GAP + half)
            centres[name] = centre
            right = centre + half
        shift = sum(wanted[n] - centres[n] for n in ordered) / len(ordered)
        for name in ordered:
            centre_x[name] = centres[name] + shift
            positions[name] = (centre_x[name] - size[name][0] / 2, top)
        top += max(size[n][1] for n in names) + ROW_GAP
    return positions


def auto_layout(graph: Graph, sizes: Sizes | None = None) -> None:
    """Move every node to its layered position (one ``move_node`` call each)."""
    for name, pos in layered_positions(graph, sizes).items():
        graph.move_node(name, pos)


def _rect(graph: Graph, name: str, sizes: Sizes) -> tuple[float, float, float, float]:
    x, y = graph.node(name).pos
    w, h = sizes.get(name, DEFAULT_SIZE)
    return x, y, x + w, y + h


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def needs_relayout(graph: Graph, sizes: Sizes | None = None) -> bool:
    """Whether a graph just opened should be laid out again before it is shown.

    True when fewer than half of its edges run downwards (a project saved by a
    version that laid chains out left to right: its edges would run sideways
    or backwards between the top and bottom ports), or when two nodes overlap
    at the size they are drawn. A layout the user arranged top to bottom is
    kept as it is.
    """
    sizes = sizes or {}
    edges = graph.edges()
    if edges:
        downward = sum(1 for src, dst, _ in edges
                       if graph.node(dst).pos[1] >= _rect(graph, src, sizes)[3] - 1.0)
        if downward * 2 < len(edges):
            return True
    rects = [_rect(graph, name, sizes) for name in graph.names]
    return any(_overlap(a, b) for i, a in enumerate(rects) for b in rects[i + 1:])


def place_below(graph: Graph, anchor: str | None, size: tuple[float, float], sizes: Sizes | None = None,
                default: tuple[float, float] = (0.0, 0.0)) -> tuple[float, float]:
    """Top-left position for a new node of ``size``: centred one row below ``anchor``.

    If that spot is taken (the anchor already feeds a layer there), the new
    node moves right until it overlaps nothing. Without an anchor it goes at
    ``default`` (also moved right while it would overlap).
    """
    sizes = sizes or {}
    if anchor is not None:
        left, _, right, bottom = _rect(graph, anchor, sizes)
        x, y = (left + right) / 2 - size[0] / 2, bottom + ROW_GAP
    else:
        x, y = default
    rects = [_rect(graph, name, sizes) for name in graph.names]
    for _ in range(len(rects) + 1):
        mine = (x, y, x + size[0], y + size[1])
        hits = [r for r in rects if _overlap(mine, r)]
        if not hits:
            break
        x = max(r[2] for r in hits) + COLUMN_GAP
    return x, y


def make_room_below(graph: Graph, name: str, sizes: Sizes | None = None) -> None:
    """Move down, just enough, each layer after ``name`` that now starts above the bottom of one of its inputs.

    For a layer inserted into a laid-out graph (training puts a Normalization right after an Input): the layers
    below it shift down by a row, so the file stays top to bottom with nothing overlapping and the window keeps
    its positions as they are. Layers that are already below their inputs, and every layer not fed by ``name``,
    stay where they are.
    """
    sizes = sizes or {}
    depth = depths(graph)
    after, todo = set(), [name]
    while todo:
        for dst, _ in graph.consumers(todo.pop()):
            if dst not in after:
                after.add(dst)
                todo.append(dst)
    for node in sorted(after, key=lambda n: (depth[n], graph.names.index(n))):
        x, y = graph.node(node).pos
        bottoms = [_rect(graph, src, sizes)[3] for src in graph.node(node).inputs]
        if bottoms and y < max(bottoms):
            graph.move_node(node, (x, max(bottoms) + ROW_GAP))


def insert_after(graph: Graph, after: str, class_name: str, config: dict | None = None,
                 name: str | None = None) -> str:
    """Put a new layer right after ``after``: it takes over everything ``after`` fed, is drawn a row below
    it, and the layers below move down just enough (``make_room_below``); returns its name.

    The one way a layer is inserted below another without the canvas: the input scaling training adds
    (``studio.core.normalization``) and the advisor's fixes (Rescaling, Flatten).
    """
    x, y = graph.node(after).pos
    consumers = graph.consumers(after)
    new = graph.add_node(class_name, config, name or graph.unique_name(class_name),
                         pos=(x, y + DEFAULT_SIZE[1] + ROW_GAP))
    for dst, index in reversed(consumers):
        graph.disconnect(after, dst, index)
        graph.connect(new, dst, index)
    graph.connect(after, new)
    make_room_below(graph, after)
    return new
