"""MNIST and other MNIST-format image sets, read offline.

MNIST ships in resources/datasets/mnist as the original IDX files. Fashion-
MNIST and any other set in the same format come from files the user selects
(the four IDX files, gzip or plain, or a Keras-cache ``.npz``) or from Keras'
cache folder ``~/.keras/datasets``. Nothing is downloaded.
"""

from __future__ import annotations

import gzip
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from studio.data.errors import DataError
from studio.resources import resource

DIGITS = tuple(str(i) for i in range(10))
FASHION_MNIST_CLASSES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
                         "Sneaker", "Bag", "Ankle boot")
KNOWN_SETS = {"mnist": DIGITS, "fashion_mnist": FASHION_MNIST_CLASSES}
KERAS_CACHE = Path.home() / ".keras" / "datasets"

_IDX_TYPES = {0x08: np.uint8, 0x09: np.int8, 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
# train-images-idx3-ubyte(.gz), train-images.idx3-ubyte, t10k-labels-idx1-ubyte, ...
_IDX_NAME = re.compile(r"^(train|t10k|test)-(images|labels)[.-]idx[13]-ubyte(\.gz)?$", re.I)


@dataclass
class ImageDataset:
    """Images (N, H, W) uint8 with integer labels, split into train and test."""

    name: str
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    class_names: tuple[str, ...]

    @property
    def image_shape(self) -> tuple[int, ...]:
        return tuple(self.x_train.shape[1:])

    def summary(self) -> dict:
        return {"name": self.name, "train": len(self.x_train), "test": len(self.x_test),
                "image_shape": list(self.image_shape), "classes": list(self.class_names)}


def read_idx(path: str | Path) -> np.ndarray:
    """Read one IDX file (gzip or plain) into an array of its stored shape."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DataError(f"{path}: cannot read the file ({exc.strerror or exc})") from None
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as exc:
            raise DataError(f"{path}: the gzip data is damaged ({exc})") from None
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] not in _IDX_TYPES:
        raise DataError(f"{path}: not an IDX file (it does not start with the IDX magic number)")
    dims = raw[3]
    header = 4 + 4 * dims
    if dims == 0 or len(raw) < header:
        raise DataError(f"{path}: the IDX header is cut short")
    shape = tuple(int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims))
    dtype = np.dtype(_IDX_TYPES[raw[2]])
    expected = int(np.prod(shape)) * dtype.itemsize
    if len(raw) - header != expected:
        raise DataError(f"{path}: holds {len(raw) - header:,} bytes of data but its header "
                        f"announces {shape} ({expected:,} bytes); the file is incomplete or damaged")
    return np.frombuffer(raw, dtype=dtype, offset=header).reshape(shape)


def _idx_files(folder: Path) -> dict[tuple[str, str], Path]:
    found = {}
    for path in sorted(folder.iterdir()):
        match = _IDX_NAME.match(path.name)
        if match:
            split = "train" if match.group(1).lower() == "train" else "test"
            found.setdefault((split, match.group(2).lower()), path)
    return found


def load_idx_folder(folder: str | Path, name: str | None = None,
                    class_names: tuple[str, ...] | None = None) -> ImageDataset:
    """Load the four IDX files (train/t10k images and labels) in a folder."""
    folder = Path(folder)
    files = _idx_files(folder)
    missing = [f"{s}-{k}" for s in ("train", "test") for k in ("images", "labels") if (s, k) not in files]
    if missing:
        raise DataError(f"{folder}: missing IDX file(s) for {', '.join(missing)}; expected names like "
                        "train-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz")
    arrays = {key: read_idx(path) for key, path in files.items()}
    return _dataset(name or folder.name, arrays[("train", "images")], arrays[("train", "labels")],
                    arrays[("test", "images")], arrays[("test", "labels")], class_names, str(folder))


def load_npz(path: str | Path, name: str | None = None,
             class_names: tuple[str, ...] | None = None) -> ImageDataset:
    """Load a Keras-cache style ``.npz`` with x_train, y_train, x_test, y_test."""
    path = Path(path)
    try:
        with np.load(path, allow_pickle=False) as data:
            missing = {"x_train", "y_train", "x_test", "y_test"} - set(data.files)
            if missing:
                raise DataError(f"{path}: missing array(s) {', '.join(sorted(missing))}; a data set "
                                "archive holds x_train, y_train, x_test and y_test")
            arrays = {key: data[key] for key in ("x_train", "y_train", "x_test", "y_test")}
    except (OSError, ValueError) as exc:
        raise DataError(f"{path}: not a readable .npz archive ({exc})") from None
    return _dataset(name or path.stem, arrays["x_train"], arrays["y_train"], arrays["x_test"],
                    arrays["y_test"], class_names, str(path))


def _dataset(name, x_train, y_train, x_test, y_test, class_names, where) -> ImageDataset:
    for label, x, y in (("train", x_train, y_train), ("test", x_test, y_test)):
        if x.ndim not in (3, 4):
            raise DataError(f"{where}: {label} images have shape {x.shape}; expected (N, height, width)")
        if y.ndim != 1 or len(y) != len(x):
            raise DataError(f"{where}: {len(x):,} {label} images but labels of shape {y.shape}")
    if x_train.shape[1:] != x_test.shape[1:]:
        raise DataError(f"{where}: train images are {x_train.shape[1:]} but test images are {x_test.shape[1:]}")
    n_classes = int(max(y_train.max(initial=0), y_test.max(initial=0))) + 1
    if min(y_train.min(initial=0), y_test.min(initial=0)) < 0:
        raise DataError(f"{where}: labels must be 0 or more")
    if class_names is None:
        class_names = tuple(str(i) for i in range(n_classes))
    elif n_classes > len(class_names):
        raise DataError(f"{where}: labels go up to {n_classes - 1} but {name} has {len(class_names)} classes")
    return ImageDataset(name, np.asarray(x_train, np.uint8), np.asarray(y_train, np.uint8),
                        np.asarray(x_test, np.uint8), np.asarray(y_test, np.uint8), tuple(class_names))


def _verify(folder: Path) -> None:
    sums = folder / "SHA256SUMS"
    for line in sums.read_text().splitlines():
        digest, filename = line.split()
        if hashlib.sha256((folder / filename).read_bytes()).hexdigest() != digest:
            raise DataError(f"{folder / filename}: checksum mismatch; the installation is damaged")


def load_mnist(verify: bool = False) -> ImageDataset:
    """The bundled MNIST digits: (60000, 28, 28) and (10000, 28, 28) uint8."""
    folder = resource("datasets", "mnist")
    if verify:
        _verify(folder)
    return load_idx_folder(folder, "mnist", DIGITS)


def keras_cache_sets(cache: Path = KERAS_CACHE) -> dict[str, Path]:
    """Sets found in Keras' cache folder: name -> .npz file or IDX folder."""
    found = {}
    if not cache.is_dir():
        return found
    for entry in sorted(cache.iterdir()):
        if entry.suffix == ".npz":
            found[entry.stem.replace("-", "_")] = entry
        elif entry.is_dir() and len(_idx_files(entry)) == 4:
            found[entry.name.replace("-", "_")] = entry
    return found


def load_image_dataset(source: str | Path, cache: Path = KERAS_CACHE) -> ImageDataset:
    """Load by name (``mnist``, ``fashion_mnist``, a set in Keras' cache) or by path.

    A path may be a ``.npz``, a folder with the four IDX files, or one of
    those IDX files (its folder is used).
    """
    text = str(source)
    key = text.lower().replace("-", "_")
    if key == "mnist":
        return load_mnist()
    cached = keras_cache_sets(cache)
    if key in cached:
        return _load_path(cached[key], key)
    if key in KNOWN_SETS or not Path(text).exists():
        hint = f" or place it in {cache}" if key in KNOWN_SETS else ""
        raise DataError(f"{text}: no such data set or file; choose its four IDX files or its .npz"
                        f"{hint}")
    return _load_path(Path(text), None)


def _load_path(path: Path, name: str | None) -> ImageDataset:
    folder = path if path.is_dir() or path.suffix == ".npz" else path.parent
    class_names = _known_classes(name or folder.stem)
    if path.suffix == ".npz":
        return load_npz(path, name, class_names)
    return load_idx_folder(folder, name or folder.name, class_names)


def _known_classes(name: str) -> tuple[str, ...] | None:
    """Class names of a known set named in ``name`` (fashion_mnist before mnist)."""
    key = name.lower().replace("-", "_")
    return next((KNOWN_SETS[k] for k in sorted(KNOWN_SETS, key=len, reverse=True) if k in key), None)
