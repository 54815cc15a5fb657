"""Random valid graphs for property tests: every catalog layer, varied shapes."""

from __future__ import annotations

import random

from studio.core.graph import Graph
from studio.core.validation import validate

ACTIVATIONS = ["linear", "relu", "sigmoid", "tanh", "softmax", "elu", "selu", "softplus"]


def _candidates(rng: random.Random, shape, pool):
    """(class_name, config, extra inputs) that may follow a node of ``shape``."""
    rank = len(shape)
    yield "Dense", {"units": rng.randint(1, 12), "activation": rng.choice(ACTIVATIONS),
                    "use_bias": rng.random() < 0.8}, []
    yield "Dropout", {"rate": rng.choice([0.0, 0.2, 0.5])}, []
    yield "Activation", {"activation": rng.choice(ACTIVATIONS)}, []
    yield "BatchNormalization", {"center": rng.random() < 0.7, "scale": rng.random() < 0.7}, []
    yield "Normalization", {}, []
    yield "Rescaling", {"scale": rng.choice([0.5, 1 / 255]), "offset": rng.choice([0.0, -1.0])}, []
    yield "Flatten", {}, []
    if rank == 2 and shape[1] % 2 == 0:
        yield "Reshape", {"target_shape": [2, -1]}, []
    if rank == 2 and shape[1] == 16:
        yield "Reshape", {"target_shape": [4, 4, 1]}, []
    if rank == 4:
        yield "Conv2D", {"filters": rng.randint(1, 6), "kernel_size": [rng.randint(1, 3)] * 2,
                         "strides": [rng.choice([1, 2])] * 2, "padding": rng.choice(["valid", "same"]),
                         "activation": rng.choice(ACTIVATIONS)}, []
        yield "MaxPooling2D", {"pool_size": [2, 2], "padding": rng.choice(["valid", "same"])}, []
        yield "GlobalAveragePooling2D", {"keepdims": rng.random() < 0.3}, []
    same_rank = [(name, s) for name, s in pool if len(s) == rank]
    if same_rank:
        other, other_shape = rng.choice(same_rank)
        yield "Concatenate", {}, [other]
        if other_shape == shape:
            yield rng.choice(["Add", "Average"]), {}, [other]


def random_graph(seed: int, steps: int = 10) -> Graph:
    """A valid graph built by random, shape-aware steps from one or two inputs."""
    rng = random.Random(seed)
    graph = Graph(f"random_{seed}")
    for _ in range(rng.choice([1, 2])):
        shape = rng.choice([[8], [16], [6, 6, 2], [8, 8, 3], [5, 4]])
        graph.add_node("Input", {"shape": shape})
    for _ in range(steps):
        report = validate(graph)
        pool = [(n, report.shapes[n].shape) for n in graph.names]
        source, shape = rng.choice(pool[-4:] if rng.random() < 0.7 else pool)
        options = list(_candidates(rng, shape, [p for p in pool if p[0] != source]))
        class_name, config, extra = rng.choice(options)
        name = graph.add_node(class_name, config)
        for src in [source, *extra]:
            graph.connect(src, name)
        if validate(graph).shapes[name].shape is None:  # an illegal step: undo it
            graph.remove_node(name)
    for node in list(graph):
        if node.class_name == "Input" and not graph.consumers(node.name) and len(graph.inputs) > 1:
            graph.remove_node(node.name)
    consumed = {src for node in graph for src in node.inputs}
    graph.set_outputs([name for name in graph.names if name not in consumed])
    return graph
