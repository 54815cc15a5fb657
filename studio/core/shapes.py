"""Shape inference and parameter counts without TensorFlow.

Each catalog class has a rule that maps its config and input shapes to its
output shape and its number of weights, following Keras' own
``compute_output_shape`` and ``build``. Tests check every rule against Keras'
``count_params()`` and output shapes; pure Python keeps a 500-node graph far
under the 100 ms budget and works before TensorFlow has loaded.

Shapes are tuples with the batch axis first (``None``); ``None`` also marks a
size that is not known until run time.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

from studio.core.errors import UserError

Shape = tuple


class ShapeError(UserError):
    """Inputs a layer cannot take; the message says why."""


@dataclass(frozen=True)
class NodeShape:
    """What inference learned about one node."""

    shape: Shape | None = None
    params: int | None = None
    error: str | None = None


def fmt(shape: Shape | None) -> str:
    """(None, 28, 28) -> '(None, 28, 28)'; a 1-tuple keeps no trailing comma."""
    if shape is None:
        return "?"
    return "(" + ", ".join("None" if d is None else str(d) for d in shape) + ")"


def _prod(dims) -> int | None:
    return None if any(d is None for d in dims) else math.prod(dims)


def _axis(axis: int, rank: int, layer: str) -> int:
    if not -rank <= axis < rank:
        raise ShapeError(f"{layer} axis {axis} does not exist for an input of rank {rank}")
    return axis % rank


def _single(shapes: list[Shape]) -> Shape:
    return shapes[0]


def _input(config, shapes):
    return (None, *config["shape"]), 0


def _same(config, shapes):
    return _single(shapes), 0


def _dense(config, shapes):
    shape = _single(shapes)
    if shape[-1] is None:
        raise ShapeError("Dense needs the size of the last input axis to be known")
    units = config["units"]
    return (*shape[:-1], units), shape[-1] * units + (units if config["use_bias"] else 0)


def _flatten(config, shapes):
    shape = _single(shapes)
    return (shape[0], _prod(shape[1:])), 0


def _reshape(config, shapes):
    shape = _single(shapes)
    target = list(config["target_shape"])
    total = _prod(shape[1:])
    known = math.prod(d for d in target if d != -1)
    if total is None:
        return (shape[0], *(None if d == -1 else d for d in target)), 0
    if -1 in target:
        if known == 0 or total % known:
            raise ShapeError(f"cannot reshape {fmt(shape)} ({total} values) to {tuple(target)}")
        target[target.index(-1)] = total // known
    elif known != total:
        raise ShapeError(f"cannot reshape {fmt(shape)} ({total} values) to {tuple(target)} "
                         f"({known} values)")
    return (shape[0], *target), 0


def _batch_norm(config, shapes):
    shape = _single(shapes)
    channels = shape[_axis(config["axis"], len(shape), "BatchNormalization")]
    if channels is None:
        raise ShapeError("BatchNormalization needs the size of its axis to be known")
    learned = int(config["center"]) + int(config["scale"])
    return shape, channels * (2 + learned)


def _normalization(config, shapes):
    shape = _single(shapes)
    axes = sorted({_axis(a, len(shape), "Normalization") for a in config["axis"]})
    if 0 in axes:
        raise ShapeError("Normalization cannot keep statistics along the batch axis")
    dims = [shape[a] for a in axes]
    if any(d is None for d in dims):
        raise ShapeError("Normalization needs the size of its axis to be known")
    # Mean, variance and the sample count: weights, whether adapted in Keras or given here
    # (keras_bridge.set_statistics), so the count is the one model.summary() shows.
    return shape, 2 * math.prod(dims) + 1


def _same_rank(shapes: list[Shape], layer: str) -> int:
    ranks = {len(s) for s in shapes}
    if len(ranks) != 1:
        raise ShapeError(f"{layer} inputs must have the same rank; got "
                         f"{', '.join(fmt(s) for s in shapes)}")
    return ranks.pop()


def _concatenate(config, shapes):
    rank = _same_rank(shapes, "Concatenate")
    axis = _axis(config["axis"], rank, "Concatenate")
    if axis == 0:
        raise ShapeError("Concatenate cannot join along the batch axis")
    out = list(shapes[0])
    for shape in shapes[1:]:
        for i in range(1, rank):
            if i == axis:
                continue
            a, b = out[i], shape[i]
            if a is not None and b is not None and a != b:
                raise ShapeError(
                    f"Concatenate along axis {config['axis']} needs the other axes to match; got "
                    f"{', '.join(fmt(s) for s in shapes)}")
            out[i] = a if a is not None else b
    sizes = [s[axis] for s in shapes]
    out[axis] = None if None in sizes else sum(sizes)
    return tuple(out), 0


def _elementwise(layer):
    def rule(config, shapes):
        rank = _same_rank(shapes, layer)
        out = list(shapes[0])
        for shape in shapes[1:]:
            for i in range(1, rank):
                a, b = out[i], shape[i]
                if a is None or b is None:
                    out[i] = None if a is None and b is None else (a if b in (None, 1) else b)
                elif a == 1 or b == 1 or a == b:
                    out[i] = max(a, b)
                else:
                    raise ShapeError(f"{layer} needs inputs of the same shape; got "
                                     f"{', '.join(fmt(s) for s in shapes)}")
        return tuple(out), 0
    return rule


def _image(shape: Shape, config, layer: str) -> tuple[list, int | None]:
    """Split an image shape into spatial sizes and channels (by data_format)."""
    if len(shape) != 4:
        raise ShapeError(f"{layer} needs images shaped (height, width, channels); its input is "
                         f"{fmt(shape)}. Use Reshape (e.g. to 28, 28, 1) first")
    if config["data_format"] == "channels_first":
        return list(shape[2:]), shape[1]
    return list(shape[1:3]), shape[3]


def _image_shape(config, spatial, channels) -> Shape:
    if config["data_format"] == "channels_first":
        return (None, channels, *spatial)
    return (None, *spatial, channels)


def _window(size, window, stride, padding, dilation=1, layer="") -> int | None:
    if size is None:
        return None
    effective = (window - 1) * dilation + 1
    out = math.ceil(size / stride) if padding == "same" else (size - effective) // stride + 1
    if out <= 0:
        raise ShapeError(f"{layer} window {effective} is larger than the input size {size}; "
                         "use padding 'same' or a smaller window")
    return out


def _conv2d(config, shapes):
    spatial, channels = _image(_single(shapes), config, "Conv2D")
    if channels is None:
        raise ShapeError("Conv2D needs the number of input channels to be known")
    groups, filters = config["groups"], config["filters"]
    if channels % groups or filters % groups:
        raise ShapeError(f"Conv2D groups={groups} must divide both the input channels ({channels}) "
                         f"and the filters ({filters})")
    strides, dilation = config["strides"], config["dilation_rate"]
    if max(strides) > 1 and max(dilation) > 1:
        raise ShapeError("Conv2D cannot combine strides > 1 with dilation_rate > 1")
    out = [_window(s, k, st, config["padding"], d, "Conv2D")
           for s, k, st, d in zip(spatial, config["kernel_size"], strides, dilation)]
    kh, kw = config["kernel_size"]
    params = kh * kw * (channels // groups) * filters + (filters if config["use_bias"] else 0)
    return _image_shape(config, out, filters), params


def _max_pool(config, shapes):
    spatial, channels = _image(_single(shapes), config, "MaxPooling2D")
    strides = config.get("strides") or config["pool_size"]
    out = [_window(s, p, st, config["padding"], layer="MaxPooling2D")
           for s, p, st in zip(spatial, config["pool_size"], strides)]
    return _image_shape(config, out, channels), 0


def _global_avg_pool(config, shapes):
    _, channels = _image(_single(shapes), config, "GlobalAveragePooling2D")
    if config["keepdims"]:
        return _image_shape(config, [1, 1], channels), 0
    return (None, channels), 0


RULES: dict[str, Callable[[dict, list[Shape]], tuple[Shape, int]]] = {
    "Input": _input,
    "Dense": _dense,
    "Activation": _same,
    "Dropout": _same,
    "Rescaling": _same,
    "Flatten": _flatten,
    "Reshape": _reshape,
    "BatchNormalization": _batch_norm,
    "Normalization": _normalization,
    "Concatenate": _concatenate,
    "Add": _elementwise("Add"),
    "Average": _elementwise("Average"),
    "Conv2D": _conv2d,
    "MaxPooling2D": _max_pool,
    "GlobalAveragePooling2D": _global_avg_pool,
}


def node_shape(class_name: str, config: dict, input_shapes: list[Shape]) -> NodeShape:
    """Apply one rule, turning a ShapeError into ``NodeShape.error``."""
    try:
        shape, params = RULES[class_name](config, input_shapes)
    except ShapeError as exc:
        return NodeShape(error=str(exc))
    return NodeShape(tuple(shape), params)
