"""Images as an image model's input: files (PNG, JPEG, ...) and digits drawn by hand.

An image model was trained on the raw pixels of its image set: grayscale,
0 (black) to 255 (white), of the set's size (28x28 for MNIST); the model's own
Rescaling layer scales them. So an image file is read as grayscale, resized to
that size and given as 0..255 values in the shape of the model's input.
Nothing is inverted: MNIST digits are white strokes on black, and a dark digit
on white paper must be inverted by the caller (``invert=True``).

A drawn digit (``centre_like_mnist``) is prepared as the MNIST digits were: the
strokes' bounding box is scaled to fit a 20x20 box keeping its aspect ratio,
then placed in the 28x28 field so that its centre of mass is at the centre
(row 14, column 14 counted from 0, the mean over MNIST's training digits).

Pillow reads and resizes images when it is installed; otherwise TensorFlow does.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from studio.data.errors import DataError
from studio.prediction.model_source import TrainedModel
from studio.prediction.table import Predictions, RowProblem

FIELD = 28  # MNIST's image size
BOX = 20  # the box MNIST's digits were scaled to fit
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp", ".tif", ".tiff")
PIXEL_MAX = 255.0


def _pil():
    try:
        from PIL import Image
    except ImportError:
        return None
    return Image


def _resize(array: np.ndarray, height: int, width: int) -> np.ndarray:
    """A 2-D float array resized (anti-aliased when made smaller)."""
    array = np.asarray(array, dtype=np.float32)
    if array.shape == (height, width):
        return array.copy()
    image = _pil()
    if image is not None:
        resized = image.fromarray(np.ascontiguousarray(array)).resize((width, height), image.Resampling.BILINEAR)
        return np.asarray(resized, dtype=np.float32)
    import tensorflow as tf
    return tf.image.resize(array[..., None], (height, width), antialias=True).numpy()[..., 0].astype(np.float32)


def read_image(path: str | Path) -> np.ndarray:
    """An image file as a 2-D grayscale float32 array of its own size, 0 (black) to 255 (white).

    Raises:
        DataError: the file cannot be read as an image.
    """
    path = Path(path)
    image = _pil()
    try:
        if image is not None:
            with image.open(path) as opened:
                opened.seek(0)  # the first frame of an animation
                return np.asarray(opened.convert("L"), dtype=np.float32)
        import tensorflow as tf
        decoded = tf.io.decode_image(path.read_bytes(), channels=1, expand_animations=False)
        return decoded.numpy()[..., 0].astype(np.float32)
    except OSError as exc:
        raise DataError(f"{path}: cannot be read as an image ({exc.strerror or exc})") from None
    except Exception as exc:  # each reader has its own errors for a file that is not an image
        raise DataError(f"{path}: cannot be read as an image ({type(exc).__name__})") from None


def input_shape(model) -> tuple[int, ...]:
    """The shape of one example of the model's (single) input, e.g. (28, 28), (28, 28, 1) or (784,)."""
    inputs = getattr(model, "inputs", None) or []
    if len(inputs) != 1:
        raise DataError(f"an image feeds one input, but the model has {len(inputs)}")
    shape = tuple(inputs[0].shape[1:])
    if any(d is None for d in shape):
        raise DataError(f"the model's input has an open size {shape}; an image needs a fixed one")
    return tuple(int(d) for d in shape)


def image_size(model, metadata: dict | None = None) -> tuple[int, int]:
    """The (height, width) the model's images have: the training set's, else read from its input shape."""
    preprocessing = (metadata or {}).get("preprocessing") or {}
    stored = preprocessing.get("image_shape") if isinstance(preprocessing, dict) else None
    if isinstance(stored, list) and len(stored) >= 2 and all(isinstance(d, int) and d > 0 for d in stored[:2]):
        return int(stored[0]), int(stored[1])
    shape = input_shape(model)
    if len(shape) >= 2:
        return shape[0], shape[1]
    side = int(round(np.sqrt(shape[0])))
    if side * side != shape[0]:
        raise DataError(f"the model's input takes {shape[0]} values, not a square image")
    return side, side


def as_model_input(images, model, metadata: dict | None = None, invert: bool = False) -> np.ndarray:
    """Grayscale images (2-D arrays, 0..255, any size) as one batch for the model: resized to its image size,
    in the shape of its input (a channel axis or flattened as it takes them), float32 0..255 as in training."""
    height, width = image_size(model, metadata)
    shape = input_shape(model)
    if int(np.prod(shape)) % (height * width):
        raise DataError(f"the model's input {shape} does not hold {height}x{width} images")
    channels = int(np.prod(shape)) // (height * width)
    batch = []
    for image in images:
        pixels = np.clip(_resize(image, height, width), 0.0, PIXEL_MAX)
        if invert:
            pixels = PIXEL_MAX - pixels
        if channels > 1:
            pixels = np.repeat(pixels[..., None], channels, axis=-1)
        batch.append(pixels.reshape(shape))
    return np.stack(batch).astype(np.float32) if batch else np.zeros((0, *shape), np.float32)


def image_file_input(path: str | Path, model, metadata: dict | None = None, invert: bool = False) -> np.ndarray:
    """One image file as a batch of one for the model (see ``as_model_input``)."""
    return as_model_input([read_image(path)], model, metadata, invert)


def centre_like_mnist(drawing: np.ndarray) -> np.ndarray:
    """A drawn digit (2-D, any size, 0..1, white strokes on black) as MNIST prepared its digits: a 28x28
    float32 array, 0..1, the strokes' bounding box scaled to fit 20x20 keeping its aspect ratio, placed so
    that their centre of mass is at (14, 14). An empty drawing gives an empty (black) field."""
    drawing = np.asarray(drawing, dtype=np.float32)
    if drawing.ndim == 3:
        drawing = drawing.mean(axis=-1)
    if drawing.ndim != 2:
        raise ValueError(f"a drawing is a 2-D array, not of shape {drawing.shape}")
    drawing = np.clip(np.nan_to_num(drawing), 0.0, 1.0)
    field = np.zeros((FIELD, FIELD), dtype=np.float32)
    rows, cols = np.flatnonzero(drawing.any(axis=1)), np.flatnonzero(drawing.any(axis=0))
    if not len(rows):
        return field
    crop = drawing[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]
    scale = BOX / max(crop.shape)
    height, width = (max(1, min(BOX, int(round(d * scale)))) for d in crop.shape)
    digit = np.clip(_resize(crop, height, width), 0.0, 1.0)
    mass = digit.sum()
    if mass <= 0:
        return field
    centre_row = (digit.sum(axis=1) * np.arange(height)).sum() / mass
    centre_col = (digit.sum(axis=0) * np.arange(width)).sum() / mass
    # whole-pixel shifts keep the strokes as sharp as they were; the box stays inside the field
    top = int(np.clip(round(FIELD / 2 - centre_row), 0, FIELD - height))
    left = int(np.clip(round(FIELD / 2 - centre_col), 0, FIELD - width))
    field[top:top + height, left:left + width] = digit
    return field


def digit_from_image(image: np.ndarray, invert: bool | None = None) -> np.ndarray:
    """A picture of a digit (2-D, 0..255, any size) prepared as ``centre_like_mnist`` prepares a drawing.

    MNIST digits are white on black: a picture with a mostly light background (``invert`` None: its median
    above half) is inverted; faint pixels (below a tenth, a JPEG's or a scan's noise) are dropped, or the
    digit's bounding box would be the whole picture.
    """
    pixels = np.clip(np.asarray(image, dtype=np.float32) / PIXEL_MAX, 0.0, 1.0)
    if invert is None:
        invert = bool(np.median(pixels) > 0.5)
    if invert:
        pixels = 1.0 - pixels
    return centre_like_mnist(np.where(pixels < 0.1, 0.0, pixels))


def class_probabilities(model, x) -> np.ndarray:
    """The classifier's class probabilities for a batch ``x``: (examples, classes); one sigmoid unit
    (binary) becomes two columns, P(first class) and P(second)."""
    values = model.predict(x, batch_size=256, verbose=0)
    if isinstance(values, dict):
        values = next(iter(values.values()))
    elif isinstance(values, (list, tuple)):
        values = values[0]
    values = np.asarray(values, dtype=np.float64).reshape(len(values), -1)
    return np.column_stack([1.0 - values[:, 0], values[:, 0]]) if values.shape[1] == 1 else values


def drawing_probabilities(source: TrainedModel, drawing: np.ndarray, centre: bool = True) -> dict[str, float]:
    """The probability of each class for one drawn digit (0..1, white on black), by class name in the
    model's order; ``centre`` prepares it with ``centre_like_mnist`` first (give False for a 28x28 array
    that already is)."""
    field = centre_like_mnist(drawing) if centre else np.clip(np.asarray(drawing, np.float32), 0.0, 1.0)
    x = as_model_input([field * PIXEL_MAX], source.model, source.metadata)
    probs = class_probabilities(source.model, x)[0]
    names = _class_names(source, len(probs))
    return {name: float(p) for name, p in zip(names, probs)}


def _class_names(source: TrainedModel, count: int) -> list[str]:
    names = source.class_names
    return names if len(names) == count else [str(i) for i in range(count)]


def image_files(folder: str | Path) -> list[Path]:
    """The image files in ``folder`` (by suffix, not in subfolders), sorted by name.

    Raises:
        DataError: the folder cannot be read or holds no image file.
    """
    folder = Path(folder)
    try:
        files = sorted(p for p in folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES and p.is_file())
    except OSError as exc:
        raise DataError(f"{folder}: cannot read the folder ({exc.strerror or exc})") from None
    if not files:
        raise DataError(f"{folder}: holds no image file ({', '.join(IMAGE_SUFFIXES)})")
    return files


def predict_images(source: TrainedModel, files, invert: bool = False) -> Predictions:
    """One row per image file: its name, the predicted class, its probability and each class's probability.
    A file that cannot be read is a problem of its own; the others are still predicted."""
    files = [Path(f) for f in files]
    images, names, problems = [], [], []
    for path in files:
        try:
            images.append(read_image(path))
            names.append(path.name)
        except DataError as exc:
            problems.append(RowProblem(None, None, str(exc).removeprefix(f"{path}: "), file=path.name))
    if not images:
        return Predictions(["file", "predicted", "probability"], [], problems, len(files))
    probs = class_probabilities(source.model, as_model_input(images, source.model, source.metadata, invert))
    classes = _class_names(source, probs.shape[1])
    best = probs.argmax(axis=1)
    rows = [[name, classes[b], float(p[b]), *(float(v) for v in p)] for name, b, p in zip(names, best, probs)]
    columns = ["file", "predicted", "probability", *(f"probability {c}" for c in classes)]
    return Predictions(columns, rows, problems, len(files))
