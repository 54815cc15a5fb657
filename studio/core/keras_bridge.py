"""The Keras round trip: graph -> ``keras.Model`` and ``keras.Model`` -> graph.

Keras is imported lazily inside each function. Layer configs pass through
``from_config`` / ``get_config`` so that every argument survives, including
those the catalog does not show (kept in the node's config as they are).
"""

from __future__ import annotations

import functools
import inspect
import json
import re
from typing import Any

from studio.core import registries
from studio.core.catalog import CATALOG, LayerSpec, by_keras_class
from studio.core.errors import UserError
from studio.core.graph import Graph
from studio.core.layout import auto_layout
from studio.core.kinds import one_line, shown
from studio.core.validation import Problem, validate


class BuildError(UserError):
    """The graph has errors; ``problems`` lists them."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("the graph has errors:\n" + "\n".join(f"  {p}" for p in problems))


class ImportRefused(UserError):
    """A model the graph cannot represent; the message names what and where."""


# -- graph -> Keras -------------------------------------------------------------------

def build_layer(node):
    """A fresh Keras layer for one non-Input node.

    A Normalization's statistics are left out here: ``set_statistics`` gives
    them to the built layer as weights (see ``statistics``).
    """
    keras = registries.keras()
    cls = getattr(keras.layers, node.spec.keras_class_name)
    config = {**node.config, "name": node.name}
    if statistics(node) is not None:
        config["mean"] = config["variance"] = None
    return cls.from_config(config)


def statistics(node) -> tuple | None:
    """(mean, variance) of a Normalization node that has them, else None.

    They become the layer's mean, variance and count weights, as Keras' own
    ``adapt()`` leaves them, not constants in its config: so the model has
    the parameter count that ``model.summary()`` of the course's adapted
    model shows (2 * features + 1 for the layer), and an imported file keeps its count.
    """
    if node.class_name != "Normalization":
        return None
    mean, variance = node.config.get("mean"), node.config.get("variance")
    return None if mean is None or variance is None else (mean, variance)


def set_statistics(layer, mean, variance, count: int = 0) -> None:
    """Give a built Normalization layer its statistics as weights (what ``adapt()`` does)."""
    import numpy as np

    shape = tuple(layer.adapt_mean.shape)
    layer.set_weights([np.broadcast_to(np.asarray(mean, "float32"), shape),
                       np.broadcast_to(np.asarray(variance, "float32"), shape), np.asarray(count)])
    layer.finalize_state()


# TensorFlow makes the model's name a root name scope, which must match this (a '/' Keras refuses itself).
_TF_NAME = re.compile(r"^[A-Za-z0-9.][A-Za-z0-9_.>-]*$")


def keras_name(name: str) -> str:
    """``name`` as a Keras model may be named: itself where TensorFlow takes it, else its letters and digits.

    'my model!' -> 'my_model_', '손글씨_모델' -> 'model'. The graph keeps its own name;
    only the Keras model (and so the .h5 file's model name) gets this one.
    """
    if not name or _TF_NAME.match(name):
        return name
    safe = re.sub(r"[^A-Za-z0-9_.>-]", "_", name).lstrip("_>-")
    return safe if re.search(r"[A-Za-z0-9]", safe) else "model"


def layer_problem(node) -> tuple[str | None, str] | None:
    """What Keras refuses in a non-Input node's config, as (setting or None, message); None when it builds.

    A key Keras does not take is named; anything else Keras' own
    ``from_config`` refuses (an initializer of the wrong form, a bad dtype, a
    value of the wrong type for an argument the catalog does not show) comes
    back in Keras' words, cut to one line. No weights are made. Needs Keras
    loaded; cached by class and config, so the window's re-validation after
    each edit only asks Keras about what changed.
    """
    try:
        key = json.dumps(node.config, sort_keys=True, default=repr)
    except (TypeError, ValueError, RecursionError):
        return None, "its settings are not plain JSON values"
    return _layer_problem(node.class_name, key)


@functools.lru_cache(maxsize=4096)
def _layer_problem(class_name: str, config_json: str):
    config = json.loads(config_json)
    spec = CATALOG[class_name]
    allowed = _accepted_keys(class_name)
    for key in config:
        if key not in allowed:
            return ((key if len(key) <= 40 and key.isidentifier() else None),
                    f"{spec.keras_class_name} has no setting {shown(key)}")
    for param in spec.params:
        if param.kind in ("initializer", "regularizer") and isinstance(config.get(param.name), dict):
            problem = _object_problem(param.kind, config[param.name])
            if problem:
                return param.name, problem
    from studio.core.graph import Node

    try:
        build_layer(Node("probe", class_name, config))
    except Exception as exc:  # whatever Keras says, said as one line
        return None, f"Keras refuses these settings: {one_line(exc)}"
    return _weights_problem(class_name, config)


# The rank of the tensor each initializer or regularizer meets (a kernel, an output), where it is not 1.
_RANKS = {("Dense", "kernel"): 2, ("Dense", "activity"): 2, ("Conv2D", "kernel"): 4, ("Conv2D", "activity"): 4}


def _weights_problem(class_name: str, config: dict) -> tuple[str | None, str] | None:
    """Initializers and regularizers act only when the model is built or trained (RandomNormal with a stddev
    of 'x', STFT on a Dense kernel, an orthogonal penalty on a 4-D kernel): each is tried here on a tiny tensor
    of the rank it will meet."""
    keras = registries.keras()
    for key, value in config.items():
        kind = key.rsplit("_", 1)[-1]
        if value is None or kind not in ("initializer", "regularizer"):
            continue
        shape = (3,) * _RANKS.get((class_name, key.rsplit("_", 1)[0]), 1)
        try:
            if kind == "initializer":
                keras.initializers.get(value)(shape, dtype="float32")
            else:
                keras.regularizers.get(value)(keras.ops.ones(shape))
        except Exception as exc:
            return (key if key.isidentifier() else None), f"Keras refuses this {kind}: {one_line(exc)}"
    return None


@functools.cache
def _accepted_keys(class_name: str) -> frozenset:
    """The config keys a catalog class's ``from_config`` takes: its own arguments, the Layer base's, the
    keys its ``get_config()`` writes, and the catalog's."""
    keras = registries.keras()
    cls = getattr(keras.layers, CATALOG[class_name].keras_class_name)
    keys = set(_default_config_of(class_name)) | {p.name for p in CATALOG[class_name].params}
    for owner in (cls, keras.layers.Layer):
        keys |= {p.name for p in inspect.signature(owner.__init__).parameters.values()
                 if p.name != "self" and p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)}
    return frozenset(keys)


def _object_problem(kind: str, value: dict) -> str | None:
    """An initializer or regularizer written as {"class_name", "config"}: a Keras class and its arguments."""
    keras = registries.keras()
    module = keras.initializers if kind == "initializer" else keras.regularizers
    known = (registries.initializer_class_to_name() if kind == "initializer"
             else registries.names("regularizers"))
    name = value.get("class_name")
    if name not in known:
        return f"unknown {kind} class {shown(name)}; Keras offers {', '.join(sorted(known))}"
    unknown = set(value) - {"class_name", "config", "module", "registered_name"}
    if unknown:
        return f"has {shown(sorted(unknown)[0])}, but a {kind} is {{\"class_name\": ..., \"config\": {{...}}}}"
    config = value.get("config") or {}
    takes = {p.name for p in inspect.signature(getattr(module, name).__init__).parameters.values()
             if p.name != "self" and p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)}
    extra = [k for k in config if k not in takes]
    if extra:
        return f"{name} has no argument {shown(extra[0])}; it takes {', '.join(sorted(takes)) or 'none'}"
    return None


def build_model(graph: Graph):
    """Build the Functional ``keras.Model`` the graph describes.

    Layer names are the node names. A model with one input (output) takes
    (returns) a tensor; with several, lists in the graph's order.

    Raises:
        BuildError: the graph does not validate.
    """
    report = validate(graph)
    if not report.ok:
        raise BuildError(report.errors)
    keras = registries.keras()
    tensors = {}
    for name in report.order:
        node = graph.node(name)
        if node.class_name == "Input":
            tensors[name] = keras.Input(shape=tuple(node.config["shape"]), dtype=node.config["dtype"],
                                        name=name)
            continue
        inputs = [tensors[src] for src in node.inputs]
        layer = build_layer(node)
        tensors[name] = layer(inputs if node.spec.max_inputs != 1 else inputs[0])
        if statistics(node) is not None:
            set_statistics(layer, *statistics(node))

    def one_or_list(names):
        return tensors[names[0]] if len(names) == 1 else [tensors[n] for n in names]

    return keras.Model(one_or_list(graph.inputs), one_or_list(graph.outputs), name=keras_name(graph.name))


# -- Keras -> graph ------------------------------------------------------------------------

def jsonable(value: Any) -> Any:
    """Tuples, NumPy arrays and scalars -> plain JSON values."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if hasattr(value, "tolist"):  # NumPy arrays and scalars
        return jsonable(value.tolist())
    return value


def _default_config(spec: LayerSpec) -> dict:
    """The get_config() of a default instance (required arguments from the catalog)."""
    return _default_config_of(spec.class_name)


@functools.cache
def _default_config_of(class_name: str) -> dict:
    spec = CATALOG[class_name]
    keras = registries.keras()
    cls = getattr(keras.layers, spec.keras_class_name)
    required = {p.name: p.default for p in spec.params if p.keras_required}
    config = cls(**required).get_config()
    config.pop("name", None)
    return jsonable(config)


def _simplify_initializer(value):
    """A Keras initializer config -> 'glorot_uniform' when it holds the defaults."""
    if not isinstance(value, dict):
        return value
    keras = registries.keras()
    class_name, config = value["class_name"], jsonable(value.get("config", {}))
    name = registries.initializer_class_to_name().get(class_name)
    if name is not None and jsonable(keras.initializers.get(name).get_config()) == config:
        return name
    return {"class_name": class_name, "config": config}


def _from_keras_value(kind: str, value):
    if kind == "initializer":
        return _simplify_initializer(value)
    if kind == "regularizer" and isinstance(value, dict):
        return {"class_name": value["class_name"], "config": jsonable(value.get("config", {}))}
    if kind == "shape" and isinstance(value, int):
        return [value]
    return jsonable(value)


def layer_to_config(layer, where: str) -> tuple[str, dict]:
    """The catalog class name and studio config of a Keras layer."""
    keras_class = type(layer).__name__
    spec = by_keras_class(keras_class)
    if spec is None:
        raise ImportRefused(f"{where}: layer {layer.name!r} is a {keras_class}, which the studio does "
                            f"not offer (it offers {', '.join(CATALOG)})")
    keras_config = layer.get_config()
    if spec.class_name == "Input":
        if keras_config.get("sparse") or keras_config.get("ragged"):
            raise ImportRefused(f"{where}: input {layer.name!r} is sparse or ragged, which the studio "
                                "does not support")
        return "Input", {"shape": jsonable(list(keras_config["batch_shape"][1:])),
                         "dtype": keras_config["dtype"]}
    defaults = _default_config(spec)
    if spec.class_name == "Normalization" and keras_config.get("mean") is None:
        keras_config = {**keras_config, **_adapted_statistics(layer)}
    config = {}
    for key, value in keras_config.items():
        if key == "name":
            continue
        param = spec.param(key)
        if param is not None:
            config[key] = _from_keras_value(param.kind, value)
        elif jsonable(value) != defaults.get(key, object()):
            config[key] = jsonable(value)  # kept as Keras wrote it
    return spec.class_name, config


def _adapted_statistics(layer) -> dict:
    """An adapted Normalization's weights as {"mean", "variance"}; {} when it was never adapted.

    The graph keeps them, and builds them as weights again (set_statistics).
    """
    import numpy as np

    if getattr(layer, "adapt_mean", None) is None:
        return {}
    mean, variance = np.asarray(layer.adapt_mean), np.asarray(layer.adapt_variance)
    if not mean.any() and (variance == 1).all():  # the initial values: it scales nothing
        return {}
    return {"mean": jsonable(mean), "variance": jsonable(variance)}


def _history_names(args) -> list[str]:
    """Names of the layers whose outputs feed a call, in argument order."""
    found = []
    if isinstance(args, dict):
        if args.get("class_name") == "__keras_tensor__":
            layer_name, node_index, tensor_index = args["config"]["keras_history"]
            if node_index != 0 or tensor_index != 0:
                raise ImportRefused(f"layer {layer_name!r} is used more than once or has several "
                                    "outputs; the studio's graph uses each layer once")
            return [layer_name]
        for value in args.values():
            found += _history_names(value)
    elif isinstance(args, (list, tuple)):
        for value in args:
            found += _history_names(value)
    return found


def import_model(model, name: str | None = None) -> Graph:
    """Turn a Sequential or Functional Keras model into a graph with a layout.

    Raises:
        ImportRefused: a subclassed model, a layer the catalog does not
            offer, a shared layer or an unbuilt Sequential model.
    """
    keras = registries.keras()
    where = f"model {model.name!r}"
    graph = Graph(name or model.name)
    if isinstance(model, keras.Sequential):
        if not model.built or not model.inputs:
            raise ImportRefused(f"{where} is a Sequential model without an input shape; "
                                "give it a keras.Input first")
        input_layer = model.inputs[0]._keras_history[0]
        previous = graph.add_node(*layer_to_config(input_layer, where), name=input_layer.name)
        for layer in model.layers:
            name = graph.add_node(*layer_to_config(layer, where), name=layer.name)
            graph.connect(previous, name)
            previous = name
        graph.set_outputs([previous])
    else:
        config = _functional_config(model, where)
        layers = {layer.name: layer for layer in model.layers}
        for entry in config["layers"]:
            if len(entry.get("inbound_nodes", [])) > 1:
                raise ImportRefused(f"{where}: layer {entry['name']!r} is used more than once; the "
                                    "studio's graph uses each layer once")
            graph.add_node(*layer_to_config(layers[entry["name"]], where), name=entry["name"])
        for entry in config["layers"]:
            for inbound in entry.get("inbound_nodes", []):
                for src in _history_names(inbound.get("args", [])):
                    graph.connect(src, entry["name"])
        graph.set_outputs([out[0] for out in _as_list_of_histories(config["output_layers"])])
        graph.set_inputs([inp[0] for inp in _as_list_of_histories(config["input_layers"])])
    auto_layout(graph)
    return graph


def _subclassed(model, where) -> ImportRefused:
    return ImportRefused(f"{where} is a subclassed model (class {type(model).__name__}); only "
                         "Sequential and Functional models can be opened as a graph")


def _functional_config(model, where) -> dict:
    """A Functional model's config; a subclassed model has no layer graph in it."""
    try:
        config = model.get_config()
    except NotImplementedError:
        raise _subclassed(model, where) from None
    if not isinstance(config, dict) or not {"layers", "input_layers", "output_layers"} <= config.keys():
        raise _subclassed(model, where)
    return config


def _as_list_of_histories(value) -> list:
    """Keras writes ['name', 0, 0] for one tensor and [['a', 0, 0], ...] for several."""
    if value and isinstance(value[0], str):
        return [value]
    return list(value)
