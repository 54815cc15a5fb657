"""The layer catalog: one declarative spec per layer the studio offers.

A spec is data: the Keras class, a palette category, a one-line help text and
typed parameters with the Keras default, the allowed range or choices and a
help text. The palette, the inspector's editors and validation are all driven
from it. Choices that Keras keeps in a registry (activations, initializers,
regularizers) are named by registry and read from Keras itself.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass
from typing import Any

from studio.core import registries
from studio.core.errors import UserError

PARAM_KINDS = ("int", "float", "choice", "bool", "shape", "initializer", "regularizer")


@dataclass(frozen=True)
class ParamSpec:
    """One editable parameter of a layer.

    Attributes:
        name: the Keras constructor argument.
        kind: one of PARAM_KINDS.
        default: the Keras default; for arguments Keras requires, the value a
            new layer starts with (``keras_required`` is then True).
        help: one line for tooltips and the inspector.
        minimum, maximum: inclusive bounds for numbers and shape entries,
            unless ``exclusive_min`` / ``exclusive_max``.
        choices: a tuple of values, or the name of a Keras registry.
        length: the exact length of a shape, or None for any length >= 1.
        allow_minus_one: a shape may hold one -1 (Reshape infers it).
        optional: None is a valid value (means "Keras decides").
    """

    name: str
    kind: str
    default: Any
    help: str
    minimum: float | None = None
    maximum: float | None = None
    exclusive_min: bool = False
    exclusive_max: bool = False
    choices: tuple | str | None = None
    length: int | None = None
    allow_minus_one: bool = False
    optional: bool = False
    keras_required: bool = False

    def choice_values(self, load: bool = True) -> tuple | None:
        """The allowed values of a choice; None while its registry is unloaded."""
        if isinstance(self.choices, str):
            return registries.names(self.choices, load=load)
        return self.choices

    def check(self, value: Any) -> str | None:
        """Return why ``value`` is not valid for this parameter, or None."""
        if value is None:
            return None if self.optional else "a value is required"
        return _CHECKS[self.kind](self, value)


@dataclass(frozen=True)
class LayerSpec:
    """One layer the studio offers.

    Attributes:
        class_name: the studio's name, also Keras' (``Input`` builds an
            ``InputLayer``).
        category: the palette group.
        help: one line for the palette tooltip.
        params: the editable parameters, in inspector order.
        min_inputs, max_inputs: how many incoming edges the layer takes
            (``max_inputs`` None means no limit).
    """

    class_name: str
    category: str
    help: str
    params: tuple[ParamSpec, ...] = ()
    min_inputs: int = 1
    max_inputs: int | None = 1
    keras_class: str = ""

    @property
    def keras_class_name(self) -> str:
        return self.keras_class or self.class_name

    def param(self, name: str) -> ParamSpec | None:
        return next((p for p in self.params if p.name == name), None)

    def default_config(self) -> dict:
        """A fresh config dict holding every parameter's default."""
        return {p.name: copy.deepcopy(p.default) for p in self.params}


# -- value checks -------------------------------------------------------------

def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_range(spec: ParamSpec, value: float) -> str | None:
    lo, hi = spec.minimum, spec.maximum
    if lo is not None and (value <= lo if spec.exclusive_min else value < lo):
        return f"must be {'>' if spec.exclusive_min else '>='} {lo:g}, got {value:g}"
    if hi is not None and (value >= hi if spec.exclusive_max else value > hi):
        return f"must be {'<' if spec.exclusive_max else '<='} {hi:g}, got {value:g}"
    return None


def _check_int(spec, value):
    if not _is_int(value):
        return f"must be a whole number, got {value!r}"
    return _check_range(spec, value)


def _check_float(spec, value):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return f"must be a number, got {value!r}"
    if not math.isfinite(value):
        return f"must be a finite number, got {value!r}"
    return _check_range(spec, value)


def _check_bool(spec, value):
    return None if isinstance(value, bool) else f"must be true or false, got {value!r}"


def _check_choice(spec, value):
    allowed = spec.choice_values(load=False)
    if allowed is None:  # Keras not loaded yet: the registry cannot be asked
        return None if isinstance(value, str) and value else f"must be a name, got {value!r}"
    if value not in allowed:
        return f"must be one of {', '.join(map(str, allowed))}; got {value!r}"
    return None


def _check_shape(spec, value):
    if not isinstance(value, (list, tuple)) or not value:
        return f"must be a list of whole numbers, got {value!r}"
    if spec.length is not None and len(value) != spec.length:
        return f"must have {spec.length} entries, got {len(value)}"
    if not all(_is_int(v) for v in value):
        return f"must hold whole numbers only, got {list(value)!r}"
    if spec.allow_minus_one and list(value).count(-1) > 1:
        return "may hold -1 at most once"
    for v in value:
        if spec.allow_minus_one and v == -1:
            continue
        problem = _check_range(spec, v)
        if problem:
            return f"entries {problem}"
    return None


def _check_keras_object(spec, value, registry):
    if isinstance(value, str):
        allowed = registries.names(registry, load=False)
        if registry == "regularizers" or (allowed is not None and value not in allowed):
            known = ", ".join(allowed) if allowed else "a Keras name"
            return f"unknown {spec.kind} {value!r}; expected {known}"
        return None
    if (not isinstance(value, dict) or not isinstance(value.get("class_name"), str)
            or not isinstance(value.get("config", {}), dict)):
        return f"must be a name or {{'class_name': ..., 'config': {{...}}}}, got {value!r}"
    return None


def _check_initializer(spec, value):
    return _check_keras_object(spec, value, "initializers")


def _check_regularizer(spec, value):
    problem = _check_keras_object(spec, value, "regularizers")
    if problem is None:
        allowed = registries.names("regularizers", load=False)
        if allowed is not None and value["class_name"] not in allowed:
            return f"unknown regularizer {value['class_name']!r}; expected one of {', '.join(allowed)}"
    return problem


_CHECKS = {
    "int": _check_int,
    "float": _check_float,
    "bool": _check_bool,
    "choice": _check_choice,
    "shape": _check_shape,
    "initializer": _check_initializer,
    "regularizer": _check_regularizer,
}


# -- shared parameters ------------------------------------------------------------

def _activation(default="linear", help="Applied to the layer's output; 'linear' means none.",
                required=False):
    return ParamSpec("activation", "choice", default, help, choices="activations", keras_required=required)


def _init(name, default, what):
    return ParamSpec(name, "initializer", default, f"How the {what} are initialized.",
                     choices="initializers")


def _reg(name, what):
    return ParamSpec(name, "regularizer", None, f"Penalty on the {what} added to the loss (none by default).",
                     choices="regularizers", optional=True)


_DATA_FORMAT = ParamSpec("data_format", "choice", "channels_last",
                         "Where the channels are: last (height, width, channels) or first.",
                         choices=("channels_last", "channels_first"))
_PADDING = ParamSpec("padding", "choice", "valid",
                     "'valid': no padding, the output shrinks; 'same': pad so the output keeps the size (stride 1).",
                     choices=("valid", "same"))
_USE_BIAS = ParamSpec("use_bias", "bool", True, "Add a learned bias to each output.")
_INPUT_DTYPES = ("float32", "float64", "float16", "bfloat16", "int32", "int64", "uint8")


# -- the catalog -------------------------------------------------------------------

_SPECS = (
    LayerSpec(
        "Input", "Core", "Where data enters the model; its shape excludes the batch axis.",
        params=(
            ParamSpec("shape", "shape", [4], "Shape of one sample, without the batch axis (e.g. 28, 28).",
                      minimum=1, keras_required=True),
            ParamSpec("dtype", "choice", "float32",
                      "Type of the incoming values; uint8 for raw image pixels.", choices=_INPUT_DTYPES),
        ),
        min_inputs=0, max_inputs=0, keras_class="InputLayer",
    ),
    LayerSpec(
        "Dense", "Core", "A fully connected layer: every output is a weighted sum of all inputs plus a bias.",
        params=(
            ParamSpec("units", "int", 32, "Number of neurons (outputs).", minimum=1, keras_required=True),
            _activation(),
            _USE_BIAS,
            _init("kernel_initializer", "glorot_uniform", "weights"),
            _init("bias_initializer", "zeros", "biases"),
            _reg("kernel_regularizer", "weights"),
            _reg("bias_regularizer", "biases"),
            # No activity_regularizer: Keras 3.15's Dense.get_config() leaves it
            # out, so it would not survive a save or a round trip.
        ),
    ),
    LayerSpec(
        "Activation", "Core", "Applies an activation function to its input.",
        params=(_activation("relu", "The function applied element-wise.", required=True),),
    ),
    LayerSpec(
        "Flatten", "Reshaping", "Flattens each sample into one vector (e.g. 28x28 -> 784); no weights.",
        params=(_DATA_FORMAT,),
    ),
    LayerSpec(
        "Reshape", "Reshaping", "Gives each sample a new shape with the same number of values.",
        params=(ParamSpec("target_shape", "shape", [-1], "New shape without the batch axis; one entry may be -1.",
                          minimum=1, allow_minus_one=True, keras_required=True),),
    ),
    LayerSpec(
        "Dropout", "Regularization", "During training, sets a random fraction of inputs to 0 to reduce over-fitting.",
        params=(
            ParamSpec("rate", "float", 0.5, "Fraction of inputs dropped, from 0 up to (not including) 1.",
                      minimum=0.0, maximum=1.0, exclusive_max=True, keras_required=True),
            ParamSpec("seed", "int", None, "Random seed for the dropout mask (none: random).",
                      minimum=0, optional=True),
        ),
    ),
    LayerSpec(
        "BatchNormalization", "Normalization",
        "Normalizes each feature using batch statistics while training and moving averages afterwards.",
        params=(
            ParamSpec("axis", "int", -1, "The feature axis to normalize (usually -1, the channels)."),
            ParamSpec("momentum", "float", 0.99, "Momentum of the moving averages.", minimum=0.0, maximum=1.0),
            ParamSpec("epsilon", "float", 0.001, "Small number added to the variance to avoid dividing by zero.",
                      minimum=0.0, exclusive_min=True),
            ParamSpec("center", "bool", True, "Learn an offset (beta)."),
            ParamSpec("scale", "bool", True, "Learn a scale (gamma)."),
        ),
    ),
    LayerSpec(
        "Normalization", "Preprocessing",
        "Scales features to zero mean and unit variance with statistics learned from the training data.",
        params=(
            ParamSpec("axis", "shape", [-1], "The axis (or axes) that keep separate statistics, usually -1.",
                      minimum=-8),
            ParamSpec("invert", "bool", False, "Undo a normalization instead of applying it."),
        ),
    ),
    LayerSpec(
        "Rescaling", "Preprocessing", "Multiplies inputs by a scale and adds an offset (1/255 maps pixels to 0..1).",
        params=(
            ParamSpec("scale", "float", 1 / 255, "Multiplier applied to each input.", keras_required=True),
            ParamSpec("offset", "float", 0.0, "Added after scaling."),
        ),
    ),
    LayerSpec(
        "Concatenate", "Merging", "Joins its inputs along one axis, in the order they are connected.",
        params=(ParamSpec("axis", "int", -1, "The axis to join along; the other axes must match."),),
        min_inputs=2, max_inputs=None,
    ),
    LayerSpec("Add", "Merging", "Adds its inputs element-wise; they must have the same shape.",
              min_inputs=2, max_inputs=None),
    LayerSpec("Average", "Merging", "Averages its inputs element-wise; they must have the same shape.",
              min_inputs=2, max_inputs=None),
    LayerSpec(
        "Conv2D", "Convolution", "Slides learned filters over an image to detect local patterns.",
        params=(
            ParamSpec("filters", "int", 32, "Number of filters (output channels).", minimum=1, keras_required=True),
            ParamSpec("kernel_size", "shape", [3, 3], "Height and width of each filter.", minimum=1, length=2,
                      keras_required=True),
            ParamSpec("strides", "shape", [1, 1], "Step of the filter in height and width.", minimum=1, length=2),
            _PADDING,
            _DATA_FORMAT,
            ParamSpec("dilation_rate", "shape", [1, 1], "Spacing between filter taps (1: none).", minimum=1,
                      length=2),
            ParamSpec("groups", "int", 1, "Split the input channels into this many groups.", minimum=1),
            _activation(),
            _USE_BIAS,
            _init("kernel_initializer", "glorot_uniform", "filter weights"),
            _init("bias_initializer", "zeros", "biases"),
            _reg("kernel_regularizer", "filter weights"),
            _reg("bias_regularizer", "biases"),
            _reg("activity_regularizer", "outputs"),
        ),
    ),
    LayerSpec(
        "MaxPooling2D", "Pooling", "Keeps the largest value of each window, shrinking the image.",
        params=(
            ParamSpec("pool_size", "shape", [2, 2], "Height and width of the pooling window.", minimum=1, length=2),
            ParamSpec("strides", "shape", None, "Step of the window (none: the pool size).", minimum=1, length=2,
                      optional=True),
            _PADDING,
            _DATA_FORMAT,
        ),
    ),
    LayerSpec(
        "GlobalAveragePooling2D", "Pooling", "Averages each channel over the whole image, giving one value per channel.",
        params=(
            _DATA_FORMAT,
            ParamSpec("keepdims", "bool", False, "Keep the height and width axes (as size 1)."),
        ),
    ),
)

CATALOG: dict[str, LayerSpec] = {spec.class_name: spec for spec in _SPECS}
CATEGORIES: tuple[str, ...] = tuple(dict.fromkeys(spec.category for spec in _SPECS))


class UnknownLayerError(UserError, KeyError):
    """A class name the catalog does not offer."""

    def __init__(self, class_name: str):
        super().__init__(class_name)
        self.class_name = class_name

    def __str__(self) -> str:
        return (f"unknown layer class {self.class_name!r}; the studio offers "
                f"{', '.join(CATALOG)}")


def spec_for(class_name: str) -> LayerSpec:
    """The spec of a catalog layer; raises UnknownLayerError otherwise."""
    try:
        return CATALOG[class_name]
    except KeyError:
        raise UnknownLayerError(class_name) from None


def by_keras_class(keras_class_name: str) -> LayerSpec | None:
    """The spec whose Keras class is ``keras_class_name`` (InputLayer -> Input)."""
    return next((s for s in _SPECS if s.keras_class_name == keras_class_name), None)
