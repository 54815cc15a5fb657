"""Python source for a graph in each of Keras' three APIs: Sequential, Functional, Subclassing.

``model_code(graph, style)`` returns the text of a ``build_model()`` function
(and, for subclassing, the model class before it) that builds the same layers
with the same names, so the parameter count and every weight's shape match the
studio's own ``keras_bridge.build_model``. Only arguments that differ from the
catalog's defaults are written, which keeps the code as short as a person
would write it. No Keras import is needed to generate the text.
"""

from __future__ import annotations

import keyword
import math
import re
import textwrap

from studio.core.errors import UserError
from studio.core.graph import Graph
from studio.core.validation import validate

STYLES = ("sequential", "functional", "subclassing")

# Names the generated code uses itself; a layer variable never shadows them.
_RESERVED = {"keras", "layers", "np", "pd", "model", "inputs", "outputs", "build_model", "self",
             "load_data", "compile_model", "main", "args", "history", "kwargs", "set_statistics"}


# What a keras.Model already has (Keras 3.15's public attributes, plus instance attributes);
# a subclassed model's layer attribute with one of these names gets "_layer" added.
_MODEL_ATTRIBUTES = frozenset("""
add_loss add_metric add_variable add_weight build build_from_config built call compile compile_from_config
compiled_loss compiled_metrics compute_dtype compute_loss compute_mask compute_metrics compute_output_shape
compute_output_spec count_params distribute_reduction_method distribute_strategy dtype dtype_policy evaluate
export fit from_config get_build_config get_compile_config get_config get_layer get_metrics_result
get_quantization_layer_structure get_state_tree get_weights history input input_dtype input_spec inputs
jit_compile layers load_own_variables load_weights loss losses make_predict_function make_test_function
make_train_function metrics metrics_names metrics_variables name non_trainable_variables non_trainable_weights
optimizer output outputs path predict predict_on_batch predict_step quantization_mode quantize quantized_build
quantized_call rematerialized_call reset_metrics run_eagerly save save_own_variables save_weights seed_generator
set_state_tree set_weights stateless_call stateless_compute_loss stop_training summary supports_masking
symbolic_call test_on_batch test_step to_json train_on_batch train_step trainable trainable_variables
trainable_weights variable_dtype variables weights
""".split())


class ExportError(UserError):
    """The graph cannot be written in the chosen style; the message says why and what to do."""


# -- values --------------------------------------------------------------------------

def literal(value) -> str:
    """A Python literal for a JSON value: tuples for shapes, floats written briefly."""
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return f'float("{value}")'
        # Always a float literal (0.0, 1e-05, never 0): Keras refuses an int for some
        # arguments (SGD's momentum must be "a float between [0, 1]").
        short = f"{value:.6g}"
        if float(short) == value and any(c in short for c in ".e"):
            return short
        return repr(value)
    if isinstance(value, (list, tuple)):
        items = ", ".join(literal(v) for v in value)
        return f"[{items}]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{literal(k)}: {literal(v)}" for k, v in value.items()) + "}"
    return repr(value)


def _shape(value) -> str:
    items = [literal(v) for v in value]
    return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"


def identifier(name, what: str) -> str:
    """``name`` when it can stand in code as a plain name; a value from a project file never becomes code."""
    if not isinstance(name, str) or not name.isidentifier() or keyword.iskeyword(name):
        raise ExportError(f"{what} {name!r} is not a plain name; it cannot be written into a script")
    return name


def _keras_object(module: str, value) -> str:
    """An initializer or regularizer: a name as a string, a config as its class."""
    if not isinstance(value, dict):
        return literal(value)
    config = value.get("config") or {}
    if not isinstance(config, dict):
        raise ExportError(f"the {module[:-1]} config {config!r} is not a set of named values")
    args = ", ".join(f"{identifier(k, 'the argument')}={literal(v)}" for k, v in config.items())
    return f"keras.{module}.{identifier(value.get('class_name'), f'the {module[:-1]} class')}({args})"


def as_float(value):
    """A whole number given where a float is meant, as a float (0 -> 0.0); anything else as it is."""
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


def layer_arguments(node) -> list[str]:
    """``name=value`` strings for the arguments that differ from the defaults, then the name."""
    spec = node.spec
    args = []
    given = _statistics(node) is not None
    for key, value in node.config.items():
        if given and key in ("mean", "variance"):
            continue  # weights, set after the layer is built (set_statistics)
        param = spec.param(key)
        if param is not None and not param.keras_required and value == param.default:
            continue
        if param is not None and param.kind == "float":
            value = as_float(value)
        if param is not None and param.kind == "initializer":
            args.append(f"{identifier(key, 'the setting')}={_keras_object('initializers', value)}")
        elif param is not None and param.kind == "regularizer":
            args.append(f"{identifier(key, 'the setting')}={_keras_object('regularizers', value)}")
        elif param is not None and param.kind == "shape" and key != "axis":
            args.append(f"{identifier(key, 'the setting')}={_shape(value)}")
        else:
            args.append(f"{identifier(key, f'the setting of {node.name!r}')}={literal(value)}")
    args.append(f"name={node.name!r}")
    return args


LINE = 99  # the longest generated line, as black and most style guides allow


def layer_call(node, indent: str = "        ", around: int = 0) -> str:
    """``layers.Dense(units=10, ..., name='out')``, one argument a line when the line would pass LINE.

    ``around`` is how many characters the caller puts on the same line besides the indent.
    """
    args = layer_arguments(node)
    head = f"layers.{identifier(node.spec.keras_class_name, 'the layer class')}("
    one_line = head + ", ".join(args) + ")"
    if len(one_line) + len(indent) + around <= LINE:
        return one_line
    inner = indent + "    "
    return head + "\n" + "".join(f"{inner}{a},\n" for a in args) + indent + ")"


def input_call(node) -> str:
    dtype = node.config.get("dtype", "float32")
    extra = "" if dtype == "float32" else f", dtype={dtype!r}"
    return f"keras.Input(shape={_shape(node.config['shape'])}{extra}, name={node.name!r})"


def _zeros(node) -> str:
    return f"np.zeros((1, {', '.join(literal(v) for v in node.config['shape'])}), {node.config.get('dtype', 'float32')!r})"


# -- Normalization statistics ---------------------------------------------------------

def _statistics(node):
    """(mean, variance) of a Normalization node that has them, else None (keras_bridge.statistics)."""
    if node.class_name != "Normalization":
        return None
    mean, variance = node.config.get("mean"), node.config.get("variance")
    return None if mean is None or variance is None else (mean, variance)


_SET_STATISTICS = '''\
def set_statistics(layer, mean, variance):
    """Give a built Normalization layer its statistics as weights, as layer.adapt(x_train) does.

    model.summary() counts them: 2 * features + 1 non-trainable parameters (mean, variance, count).
    """
    mean_weight, variance_weight, _ = layer.weights
    layer.set_weights([np.reshape(np.asarray(mean, "float32"), mean_weight.shape),
                       np.reshape(np.asarray(variance, "float32"), variance_weight.shape), np.array(0)])
    layer.finalize_state()
'''


def _statistics_call(node, layer: str, indent: str) -> str:
    mean, variance = _statistics(node)
    return f"{indent}set_statistics({layer}, mean={literal(as_float_list(mean))}, " \
           f"variance={literal(as_float_list(variance))})"


def as_float_list(value):
    """Nested lists of numbers with every number a float."""
    if isinstance(value, list):
        return [as_float_list(v) for v in value]
    return as_float(value)


def _with_statistics(graph: Graph, code: str) -> str:
    """The helper in front of the model code when a layer needs it."""
    if any(_statistics(node) is not None for node in graph):
        return _SET_STATISTICS + "\n\n" + code
    return code


# -- names ---------------------------------------------------------------------------

def variable_names(graph: Graph) -> dict[str, str]:
    """A distinct Python identifier for every layer, close to its name."""
    names, taken = {}, set(_RESERVED)
    for node in graph:
        base = re.sub(r"\W", "_", node.name).strip("_").lower() or "layer"  # names are ASCII (graph._NAME)
        if base[0].isdigit():
            base = f"layer_{base}"
        if keyword.iskeyword(base):
            base += "_"
        candidate, n = base, 2
        while candidate in taken:
            candidate, n = f"{base}_{n}", n + 1
        taken.add(candidate)
        names[node.name] = identifier(candidate, "the variable for a layer")  # never anything but a name
    return names


def class_name_for(graph: Graph) -> str:
    words = re.split(r"[^A-Za-z0-9]+", graph.name)
    name = "".join(w[:1].upper() + w[1:] for w in words if w) or "Studio"
    if name[0].isdigit():
        name = "Model" + name
    return identifier(name if name.endswith("Model") else name + "Model", "the model's class name")


# -- styles --------------------------------------------------------------------------

def sequential_problem(graph: Graph) -> str | None:
    """Why the graph is not one straight chain (what Sequential needs), or None."""
    if len(graph.inputs) != 1 or len(graph.outputs) != 1:
        return (f"the model has {len(graph.inputs)} input(s) and {len(graph.outputs)} output(s); "
                "Sequential takes exactly one of each")
    for node in graph:
        if len(node.inputs) > 1:
            return f"layer {node.name!r} takes {len(node.inputs)} inputs; Sequential passes one tensor along"
        consumers = graph.consumers(node.name)
        if len(consumers) > 1:
            return (f"layer {node.name!r} feeds {len(consumers)} layers; in Sequential each layer feeds "
                    "only the next")
        if not consumers and node.name not in graph.outputs:
            return f"layer {node.name!r} feeds nothing and is not the output"
    return None


def _report(graph: Graph):
    report = validate(graph)
    if not report.ok:
        first = report.errors[0]
        raise ExportError(f"the graph has {len(report.errors)} error(s) to fix before it can be exported; "
                          f"first: {first}")
    return report


def model_code(graph: Graph, style: str) -> str:
    """The source of ``build_model()`` in the given style (see STYLES).

    Raises:
        ExportError: an invalid graph, an unknown style, or Sequential for a
            graph that is not one chain.
    """
    if style not in STYLES:
        raise ExportError(f"unknown style {style!r}; choose one of {', '.join(STYLES)}")
    report = _report(graph)
    order = report.order
    if style == "sequential":
        problem = sequential_problem(graph)
        if problem:
            raise ExportError(f"Sequential needs a straight chain of layers: {problem}. "
                              "Export with --style functional or subclassing instead")
        return _with_statistics(graph, _sequential(graph, order))
    if style == "functional":
        return _with_statistics(graph, _functional(graph, order))
    return _with_statistics(graph, _subclassing(graph, report))


def _sequential(graph: Graph, order: list[str]) -> str:
    lines = ["def build_model():",
             '    """The model as a stack of layers (Sequential API)."""',
             "    model = keras.Sequential([",
             f"        {input_call(graph.node(order[0]))},"]
    for name in order[1:]:
        lines.append(f"        {layer_call(graph.node(name), '        ', 1)},")
    lines.append(f"    ], name={graph.name!r})")
    lines += [_statistics_call(graph.node(n), f"model.get_layer({n!r})", "    ")
              for n in order if _statistics(graph.node(n)) is not None]
    lines += ["    return model", ""]
    return "\n".join(lines)


def _list_or_one(items: list[str]) -> str:
    return items[0] if len(items) == 1 else "[" + ", ".join(items) + "]"


def _functional(graph: Graph, order: list[str]) -> str:
    var = variable_names(graph)
    lines = ["def build_model():",
             '    """The model as a graph of layer calls (Functional API)."""']
    for name in order:
        node = graph.node(name)
        if node.class_name == "Input":
            lines.append(f"    {var[name]} = {input_call(node)}")
            continue
        args = [var[src] for src in node.inputs]
        call_arg = args[0] if node.spec.max_inputs == 1 else "[" + ", ".join(args) + "]"
        prefix, suffix = f"    {var[name]} = ", f"({call_arg})"
        lines.append(f"{prefix}{layer_call(node, '    ', len(prefix) - 4 + len(suffix))}{suffix}")
    inputs = _list_or_one([var[n] for n in graph.inputs])
    outputs = _list_or_one([var[n] for n in graph.outputs])
    args = f"inputs={inputs}, outputs={outputs}, name={graph.name!r}"
    given = [n for n in order if _statistics(graph.node(n)) is not None]
    head = "model = " if given else "return "
    if len(args) + 24 <= LINE:
        lines += [f"    {head}keras.Model({args})"]
    else:
        lines += [f"    {head}keras.Model(", f"        inputs={inputs},", f"        outputs={outputs},",
                  f"        name={graph.name!r},", "    )"]
    if given:
        lines += [_statistics_call(graph.node(n), f"model.get_layer({n!r})", "    ") for n in given]
        lines.append("    return model")
    lines.append("")
    return "\n".join(lines)


def _subclassing(graph: Graph, report) -> str:
    order = report.order
    var = variable_names(graph)
    attr = {name: v + "_layer" if v in _MODEL_ATTRIBUTES else v for name, v in var.items()}
    cls = class_name_for(graph)
    inputs, outputs = graph.inputs, graph.outputs
    lines = [f"class {cls}(keras.Model):",
             '    """The model as a Python class (Subclassing API): layers in __init__, the data flow in call()."""',
             "",
             "    def __init__(self, **kwargs):",
             "        super().__init__(**kwargs)"]
    for name in order:
        node = graph.node(name)
        if node.class_name == "Input":
            continue
        prefix = f"        self.{attr[name]} = "
        lines.append(f"{prefix}{layer_call(node, '        ', len(prefix) - 8)}")
        if _statistics(node) is not None:
            # Built here, outside any traced function, so that its statistics can be given as weights.
            shape = _shape(list(report.shapes[node.inputs[0]].shape))
            lines.append(f"        self.{attr[name]}.build({shape})")
            lines.append(_statistics_call(node, f"self.{attr[name]}", "        "))
    lines += ["", "    def call(self, inputs):"]
    if len(inputs) == 1:
        lines.append(f"        {var[inputs[0]]} = inputs")
    else:  # a dict keyed by input name, as the data is given
        for n in inputs:
            lines.append(f"        {var[n]} = inputs[{n!r}]")
    for name in order:
        node = graph.node(name)
        if node.class_name == "Input":
            continue
        args = [var[src] for src in node.inputs]
        call_arg = args[0] if node.spec.max_inputs == 1 else "[" + ", ".join(args) + "]"
        lines.append(f"        {var[name]} = self.{attr[name]}({call_arg})")
    if len(outputs) == 1:
        lines.append(f"        return {var[outputs[0]]}")
    else:
        # A dict keyed by output name, so losses and targets can be given per output.
        pairs = ", ".join(f"{n!r}: {var[n]}" for n in outputs)
        lines.append(f"        return {{{pairs}}}")
    zeros = [_zeros(graph.node(n)) for n in inputs]
    lines += ["", "", "def build_model():",
              f'    """A {cls}, called once on a batch of zeros so that its weights exist."""',
              f"    model = {cls}(name={graph.name!r})"]
    if len(zeros) == 1:
        lines.append(f"    model({zeros[0]})")
    else:
        lines.append("    model({")
        lines += [f"        {n!r}: {z}," for n, z in zip(inputs, zeros)]
        lines.append("    })")
    lines += ["    return model", ""]
    return "\n".join(lines)


def model_module(graph: Graph, style: str, docstring: str) -> str:
    """A module that only defines the model: imports, then ``build_model()``."""
    imports = "import keras\nimport numpy as np\nfrom keras import layers\n"
    # Broken at spaces only: never between an escaping backslash and its quote.
    text = "\n\n".join(textwrap.fill(in_docstring(part), LINE - 4, break_long_words=False,
                                           break_on_hyphens=False) for part in docstring.split("\n\n"))
    return f'"""{text}\n"""\n\n{imports}\n\n{model_code(graph, style)}'


def in_docstring(text: str) -> str:
    """Text from a project as it may stand inside a generated \"\"\"docstring\"\"\": it can neither end the string
    (quotes and backslashes are escaped) nor hold characters Python source cannot (controls)."""
    text = "".join(c if c.isprintable() or c == " " else " " for c in str(text))
    return text.replace("\\", "\\\\").replace('"', '\\"')
