"""MNIST offline and other MNIST-format sets from IDX files or a Keras-cache .npz."""

import gzip

import numpy as np
import pytest

from studio.data.errors import DataError
from studio.data.images import (FASHION_MNIST_CLASSES, keras_cache_sets, load_image_dataset, load_mnist,
                                read_idx)


def write_idx(path, array, compress=False):
    codes = {np.dtype(np.uint8): 0x08}
    header = bytes([0, 0, codes[array.dtype], array.ndim]) + b"".join(
        int(d).to_bytes(4, "big") for d in array.shape)
    data = header + array.tobytes()
    path.write_bytes(gzip.compress(data) if compress else data)


def write_set(folder, n_train=6, n_test=4, compress=True, size=5):
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    suffix = ".gz" if compress else ""
    x_train = rng.integers(0, 256, (n_train, size, size), dtype=np.uint8)
    y_train = (np.arange(n_train) % 10).astype(np.uint8)
    write_idx(folder / f"train-images-idx3-ubyte{suffix}", x_train, compress)
    write_idx(folder / f"train-labels-idx1-ubyte{suffix}", y_train, compress)
    write_idx(folder / f"t10k-images-idx3-ubyte{suffix}", x_train[:n_test], compress)
    write_idx(folder / f"t10k-labels-idx1-ubyte{suffix}", y_train[:n_test], compress)
    return x_train, y_train


def test_bundled_mnist_matches_its_published_facts():
    data = load_mnist(verify=True)
    assert data.x_train.shape == (60000, 28, 28) and data.x_test.shape == (10000, 28, 28)
    assert data.x_train.dtype == np.uint8 and data.y_train.dtype == np.uint8
    assert np.bincount(data.y_train).tolist() == [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
    assert np.bincount(data.y_test).tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    assert round(float(data.x_train.mean()), 3) == 33.318
    assert data.class_names == tuple("0123456789")
    assert load_image_dataset("mnist").x_test.shape == (10000, 28, 28)


@pytest.mark.parametrize("compress", [True, False])
def test_idx_folder_gz_or_plain(tmp_path, compress):
    x, y = write_set(tmp_path / "fashion-mnist", compress=compress)
    data = load_image_dataset(tmp_path / "fashion-mnist")
    np.testing.assert_array_equal(data.x_train, x)
    np.testing.assert_array_equal(data.y_train, y)
    assert data.class_names == FASHION_MNIST_CLASSES  # known from the folder name
    # Choosing one of the four files opens the set too.
    assert load_image_dataset(tmp_path / "fashion-mnist" / ("train-images-idx3-ubyte" +
                                                              (".gz" if compress else ""))).x_test.shape == (4, 5, 5)


def test_keras_cache_npz_and_folder(tmp_path):
    cache = tmp_path / "datasets"
    cache.mkdir()
    rng = np.random.default_rng(1)
    x = rng.integers(0, 256, (8, 28, 28), dtype=np.uint8)
    y = np.arange(8, dtype=np.uint8)
    np.savez(cache / "fashion_mnist.npz", x_train=x, y_train=y, x_test=x[:3], y_test=y[:3])
    write_set(cache / "other-digits")
    assert set(keras_cache_sets(cache)) == {"fashion_mnist", "other_digits"}
    data = load_image_dataset("fashion_mnist", cache=cache)
    assert data.class_names == FASHION_MNIST_CLASSES and data.x_train.shape == (8, 28, 28)
    assert load_image_dataset("other-digits", cache=cache).class_names == tuple("012345")  # from its labels


def test_missing_set_names_where_to_put_it(tmp_path):
    with pytest.raises(DataError, match="fashion_mnist: no such data set.*place it in"):
        load_image_dataset("fashion_mnist", cache=tmp_path)


@pytest.mark.parametrize("content, message", [
    (b"\x00\x00\x08\x03" + (2).to_bytes(4, "big") + (2).to_bytes(4, "big") + (2).to_bytes(4, "big") + b"\x00" * 5,
     "holds 5 bytes of data but its header announces \\(2, 2, 2\\)"),
    (b"hello world", "not an IDX file"),
    (b"\x1f\x8b\x08\x00garbage", "gzip data is damaged"),
])
def test_damaged_idx_files(tmp_path, content, message):
    path = tmp_path / "train-images-idx3-ubyte"
    path.write_bytes(content)
    with pytest.raises(DataError, match=message):
        read_idx(path)


def test_incomplete_folder_and_bad_npz(tmp_path):
    write_set(tmp_path / "set")
    (tmp_path / "set" / "t10k-labels-idx1-ubyte.gz").unlink()
    with pytest.raises(DataError, match="missing IDX file\\(s\\) for test-labels"):
        load_image_dataset(tmp_path / "set")
    np.savez(tmp_path / "half.npz", x_train=np.zeros((2, 3, 3), np.uint8))
    with pytest.raises(DataError, match="missing array\\(s\\) x_test, y_test, y_train"):
        load_image_dataset(tmp_path / "half.npz")
    np.savez(tmp_path / "odd.npz", x_train=np.zeros((2, 3, 3), np.uint8), y_train=np.zeros(3, np.uint8),
             x_test=np.zeros((1, 3, 3), np.uint8), y_test=np.zeros(1, np.uint8))
    with pytest.raises(DataError, match="2 train images but labels of shape \\(3,\\)"):
        load_image_dataset(tmp_path / "odd.npz")
