"""Validation of a graph: structure, values and shapes, each problem naming its nodes.

``validate(graph)`` never raises for a bad graph; it returns a Report with
every problem found (errors block building, warnings do not) and the shape
and parameter count of every node it could infer.

Once Keras is loaded (``studio check`` and training load it; the window after
start-up), each layer's config is also given to Keras' own ``from_config``
(``studio.core.keras_bridge.layer_problem``): an argument Keras does not take,
an initializer of the wrong form or a bad dtype is found here, not when the
model is built. Everything here is iterative, so a graph of any length is
checked in time proportional to its size (10,000 layers: about 0.1 s).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from studio.core import registries
from studio.core.graph import Graph
from studio.core.memory import BYTES_PER_PARAMETER, available_memory
from studio.core.kinds import shown
from studio.core.shapes import NodeShape, fmt, node_shape

#: The most layers a model may have. Keras builds a functional model by recursing once per layer, so
#: a chain of about 1,000 layers raises RecursionError (after a minute and about 1 GB); 800 took 155 s
#: and 3.9 GB for one epoch of 64 rows on a CPU. 500 stays clear of both (docs/project-format.md).
MAX_LAYERS = 500
#: The largest whole number a layer's setting may hold: TensorFlow's sizes and Keras' seeds are 32-bit.
MAX_INT = 2 ** 31 - 1


@dataclass(frozen=True)
class Problem:
    """One finding about the graph."""

    severity: str  # "error" or "warning"
    message: str
    nodes: tuple[str, ...] = ()
    param: str | None = None
    finding: object = field(default=None, compare=False)  # an advisor Finding (with its fix) shown as a problem

    def __str__(self) -> str:
        where = ", ".join(self.nodes)
        if self.param:
            where += f".{self.param}"
        return f"{self.severity}: {where + ': ' if where else ''}{self.message}"


@dataclass
class Report:
    """Everything validation learned: problems, shapes and the build order."""

    problems: list[Problem] = field(default_factory=list)
    shapes: dict[str, NodeShape] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def total_params(self) -> int:
        return sum(s.params or 0 for s in self.shapes.values())

    def for_node(self, name: str) -> list[Problem]:
        return [p for p in self.problems if name in p.nodes]

    def _add(self, severity, message, nodes=(), param=None):
        self.problems.append(Problem(severity, message, tuple(nodes), param))


def validate(graph: Graph, layer_problem=None) -> Report:
    """Check a graph and infer its shapes.

    What Keras itself refuses in a layer's settings is asked of this process's
    Keras once it is loaded (``keras_bridge.layer_problem``), else of
    ``layer_problem(node)`` where given: the window's, which asks its training
    child (``studio.ui.layer_checks``) and answers None until it has been told.
    """
    report = Report()
    consumers: dict[str, list[str]] = {name: [] for name in graph.names}
    for node in graph:
        for src in node.inputs:
            consumers[src].append(node.name)

    if len(graph) > MAX_LAYERS:
        report._add("error", f"the model has {len(graph):,} layers; the studio builds at most {MAX_LAYERS:,} "
                             "(Keras cannot build a much longer chain)")
    if not graph.inputs:
        report._add("error", "the model has no Input layer")
    if not graph.outputs:
        report._add("error", "no layer is marked as a model output")
    cyclic = _report_cycles(graph, consumers, report)
    _report_unreachable(graph, consumers, cyclic, report)
    bad_nodes = _report_arity_and_values(graph, report) | cyclic
    report.order = _topological_order(graph, consumers)
    _infer(graph, report, bad_nodes)
    if (registries.keras_loaded() or layer_problem is not None) and len(graph) <= MAX_LAYERS:
        _report_keras(graph, report, bad_nodes, layer_problem)
    _report_memory(graph, report)
    _report_warnings(graph, report)
    return report


def _report_memory(graph: Graph, report: Report) -> None:
    """A model too large to train on this machine is an error of the model, seen before Train."""
    params = report.total_params
    needed = params * BYTES_PER_PARAMETER
    if needed > 1024 ** 3 and needed > available_memory():  # under 1 GiB: never worth reading the machine's memory
        largest = max(report.shapes, key=lambda name: report.shapes[name].params or 0)
        report._add("error", f"the model has {params:,} parameters; training it needs about {needed / 1e9:.1f} GB "
                             f"of memory, more than is available ({available_memory() / 1e9:.1f} GB)", [largest])


def _report_cycles(graph: Graph, consumers, report: Report) -> set[str]:
    """Report each cycle once, naming its nodes in order; return all nodes in cycles."""
    cyclic: set[str] = set()
    for component in _strongly_connected(graph.names, consumers):
        if len(component) == 1:
            name = next(iter(component))
            if name not in consumers[name]:
                continue
        path = _cycle_path(component, consumers)
        cyclic |= component
        report._add("error", "cycle: " + " -> ".join(path + path[:1]) +
                    "; a layer cannot depend on its own output", path)
    return cyclic


def _strongly_connected(names, consumers) -> list[set[str]]:
    """Tarjan's algorithm, iterative so deep graphs do not hit the recursion limit."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack, on_stack, result = [], set(), []
    counter = 0
    for root in names:
        if root in index:
            continue
        work = [(root, iter(consumers[root]))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(consumers[child])))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                result.append(component)
    return result


def _cycle_path(component: set[str], consumers) -> list[str]:
    """One concrete cycle through a strongly connected component."""
    start = min(component)
    parents = {start: None}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for child in consumers[node]:
            if child == start:
                path = [node]
                while parents[path[-1]] is not None:
                    path.append(parents[path[-1]])
                return path[::-1]
            if child in component and child not in parents:
                parents[child] = node
                queue.append(child)
    return sorted(component)


def _reach(starts, neighbours) -> set[str]:
    seen = set(starts)
    queue = deque(starts)
    while queue:
        for nxt in neighbours(queue.popleft()):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen


def _report_unreachable(graph: Graph, consumers, cyclic, report: Report) -> None:
    from_inputs = _reach(graph.inputs, lambda n: consumers[n])
    to_outputs = _reach(graph.outputs, lambda n: graph.node(n).inputs)
    for node in graph:
        if node.name not in from_inputs and graph.inputs:
            report._add("error", "not connected to any Input layer", [node.name])
        if node.name not in to_outputs and graph.outputs:
            report._add("error", "its result reaches no model output; connect it onward or mark it "
                                 "as an output", [node.name])


def _report_arity_and_values(graph: Graph, report: Report) -> set[str]:
    bad = set()
    for node in graph:
        spec = node.spec
        count = len(node.inputs)
        lo, hi = spec.min_inputs, spec.max_inputs
        if count < lo or (hi is not None and count > hi):
            if hi == 0:
                need = "no inputs"
            elif hi == lo:
                need = f"exactly {lo} input{'s' if lo != 1 else ''}"
            else:
                need = f"at least {lo} inputs"
            report._add("error", f"{node.class_name} takes {need}; it has {count}", [node.name])
            bad.add(node.name)
        for param in spec.params:
            value = node.config.get(param.name)
            problem = _short(param.check(value), value) or _too_large(param, value)
            if problem:
                report._add("error", f"{param.name} {problem}", [node.name], param.name)
                bad.add(node.name)
        if node.class_name == "Input":  # the builder reads only these two: anything else would be lost
            for key in node.config:
                if spec.param(key) is None:
                    report._add("error", f"Input has no setting {shown(key)}; it takes shape and dtype",
                                [node.name], key if _plain(key) else None)
                    bad.add(node.name)
    return bad


def _short(message: str | None, value) -> str | None:
    """The catalog's message, with a long value it quotes (a 5,000-character text, a long list) said briefly."""
    if message is None:
        return None
    for quoted in {repr(value), repr(list(value)) if isinstance(value, (list, tuple)) else ""}:
        if len(quoted) > 60 and quoted in message:
            message = message.replace(quoted, shown(value))
    return message


def _too_large(param, value) -> str | None:
    """A whole number (or a shape entry) beyond 32 bits: Keras and TensorFlow cannot take it."""
    values = value if param.kind == "shape" and isinstance(value, (list, tuple)) else [value]
    if param.kind in ("int", "shape") and any(isinstance(v, int) and abs(v) > MAX_INT for v in values):
        return f"must be at most {MAX_INT:,}"
    return None


def _plain(key: str) -> bool:
    return len(key) <= 40 and key.isidentifier()


def _report_keras(graph: Graph, report: Report, bad_nodes: set[str], layer_problem=None) -> None:
    """What Keras itself refuses in each layer's config (keras_bridge.layer_problem, cached by config)."""
    if registries.keras_loaded() or layer_problem is None:  # this process's Keras, where it has one
        from studio.core.keras_bridge import layer_problem as in_process
        layer_problem = in_process

    for node in graph:
        if node.class_name == "Input" or node.name in bad_nodes:
            continue
        problem = layer_problem(node)
        if problem is not None:
            key, message = problem
            report._add("error", message, [node.name], key)


def _topological_order(graph: Graph, consumers) -> list[str]:
    """Kahn's algorithm; nodes in or behind a cycle are left out."""
    pending = {node.name: len(node.inputs) for node in graph}
    queue = deque(name for name, count in pending.items() if count == 0)
    order = []
    while queue:
        name = queue.popleft()
        order.append(name)
        for child in consumers[name]:
            pending[child] -= 1
            if pending[child] == 0:
                queue.append(child)
    return order


def _infer(graph: Graph, report: Report, bad_nodes: set[str]) -> None:
    shapes = report.shapes
    for name in report.order:
        node = graph.node(name)
        if name in bad_nodes:
            shapes[name] = NodeShape()
            continue
        inputs = [shapes[src].shape for src in node.inputs]
        if any(shape is None for shape in inputs):
            shapes[name] = NodeShape()  # an earlier problem already explains it
            continue
        result = node_shape(node.class_name, node.config, inputs)
        shapes[name] = result
        if result.error:
            report._add("error", result.error, [name])
    for name in graph.names:
        shapes.setdefault(name, NodeShape())


def _report_warnings(graph: Graph, report: Report) -> None:
    for node in graph:
        if node.class_name == "Dense" and len(node.inputs) == 1:
            shape = report.shapes[node.inputs[0]].shape
            if shape is not None and len(shape) > 2:
                report._add(
                    "warning",
                    f"Dense acts on the last axis only: on {fmt(shape)} it gives "
                    f"{fmt(report.shapes[node.name].shape)}. Add a Flatten before it to use every value",
                    [node.name])
