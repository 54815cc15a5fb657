"""Image input: files read as the training images were; drawn digits centred as MNIST's were."""

import json

import numpy as np
import pandas as pd
import pytest

from studio.cli import main
from studio.data.images import load_mnist
from studio.prediction.images import (as_model_input, centre_like_mnist, class_probabilities,
                                      drawing_probabilities, image_file_input, read_image)
from studio.prediction.model_source import TrainedModel

Image = pytest.importorskip("PIL.Image")
METADATA = {"preprocessing": {"kind": "images", "image_shape": [28, 28], "class_names": list("0123456789")},
            "class_names": list("0123456789")}


def _centre_of_mass(field):
    index = np.arange(field.shape[0])
    mass = field.sum()
    return (field.sum(axis=1) * index).sum() / mass, (field.sum(axis=0) * index).sum() / mass


@pytest.fixture(scope="module")
def digit_model():
    import keras
    keras.utils.set_random_seed(1)
    return keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Rescaling(1 / 255), keras.layers.Flatten(),
                             keras.layers.Dense(10, activation="softmax")])


def test_a_drawn_off_centre_stroke_is_centred_and_fitted_like_mnist():
    drawing = np.zeros((300, 400), np.float32)
    drawing[30:150, 300:330] = 1.0   # a tall stroke, top right
    drawing[140:150, 250:330] = 1.0  # and a foot going left: the mass is not the box's centre
    field = centre_like_mnist(drawing)
    assert field.shape == (28, 28) and 0.0 <= field.min() and field.max() <= 1.0
    row, col = _centre_of_mass(field)
    assert abs(row - 14) <= 1 and abs(col - 14) <= 1
    rows, cols = np.flatnonzero(field.any(axis=1)), np.flatnonzero(field.any(axis=0))
    height, width = rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1
    assert max(height, width) == 20 and height <= 20 and width <= 20
    assert abs(width / height - 80 / 120) < 0.1  # the aspect ratio is kept


def test_a_small_drawing_is_scaled_up_and_an_empty_one_stays_empty():
    tiny = np.zeros((10, 10), np.float32)
    tiny[0:3, 0:2] = 1.0
    field = centre_like_mnist(tiny)
    rows = np.flatnonzero(field.any(axis=1))
    assert rows[-1] - rows[0] + 1 == 20
    assert not centre_like_mnist(np.zeros((50, 50))).any()


def test_mnist_digits_centre_of_mass_is_where_centre_like_mnist_puts_it():
    x = load_mnist().x_train[:2000].astype(np.float64)
    centres = np.array([_centre_of_mass(image) for image in x])
    assert np.allclose(centres.mean(axis=0), [14, 14], atol=0.1)


def test_an_image_file_becomes_the_models_input_as_the_training_images_were(digit_model, tmp_path):
    digit = load_mnist().x_test[0]  # what training fed the model: raw 0..255 pixels
    Image.fromarray(digit).save(tmp_path / "digit.png")
    Image.fromarray(digit).convert("RGB").save(tmp_path / "colour.jpg", quality=100)
    x = image_file_input(tmp_path / "digit.png", digit_model, METADATA)
    assert x.shape == (1, 28, 28, 1) and x.dtype == np.float32
    assert np.array_equal(x[0, ..., 0], digit.astype(np.float32))
    jpeg = image_file_input(tmp_path / "colour.jpg", digit_model, METADATA)
    assert np.abs(jpeg - x).max() < 20  # JPEG loses a little
    big = np.kron(digit, np.ones((3, 3), np.uint8))  # 84x84: resized back to 28x28
    Image.fromarray(big).save(tmp_path / "big.png")
    resized = image_file_input(tmp_path / "big.png", digit_model, METADATA)
    assert resized.shape == x.shape and np.abs(resized - x).mean() < 10
    assert np.array_equal(image_file_input(tmp_path / "digit.png", digit_model, METADATA, invert=True),
                          255 - x)


def test_a_flat_input_takes_the_image_flattened(tmp_path):
    import keras
    flat = keras.Sequential([keras.Input((784,)), keras.layers.Dense(10, activation="softmax")])
    digit = load_mnist().x_test[1]
    x = as_model_input([digit.astype(np.float32)], flat, {})
    assert x.shape == (1, 784) and np.array_equal(x[0], digit.reshape(-1))


def test_drawing_probabilities_are_the_models_on_the_centred_drawing(digit_model):
    drawing = np.zeros((100, 100), np.float32)
    drawing[10:60, 70:80] = 1.0
    source = TrainedModel(digit_model, METADATA, None)
    probs = drawing_probabilities(source, drawing)
    assert list(probs) == list("0123456789") and abs(sum(probs.values()) - 1) < 1e-5
    expected = class_probabilities(digit_model, (centre_like_mnist(drawing) * 255)[None, ..., None])[0]
    assert np.allclose(list(probs.values()), expected, atol=1e-6)


def test_studio_predict_images_writes_one_row_per_file(digit_model, tmp_path, capsys):
    from studio.training.model_files import save_model
    model_file = save_model(digit_model, tmp_path / "digits.h5", METADATA)
    folder = tmp_path / "images"
    folder.mkdir()
    mnist = load_mnist()
    for i in range(3):
        Image.fromarray(mnist.x_test[i]).save(folder / f"d{i}.png")
    (folder / "broken.png").write_bytes(b"not an image")
    (folder / "notes.txt").write_text("ignored")
    out = tmp_path / "out.csv"
    assert main(["predict", str(model_file), "--images", str(folder), "-o", str(out)]) == 0
    table = pd.read_csv(out, dtype={"predicted": str})
    assert list(table["file"]) == ["d0.png", "d1.png", "d2.png"]
    assert list(table.columns[:3]) == ["file", "predicted", "probability"] and len(table.columns) == 13
    printed = capsys.readouterr().out.strip().splitlines()
    assert any("broken.png" in line for line in printed)
    assert json.loads(printed[-1]) == {"rows": 4, "predicted": 3, "problems": 1, "output": str(out)}
    assert read_image(folder / "d0.png").shape == (28, 28)


def test_a_dark_digit_on_a_light_picture_is_turned_white_on_black_and_centred():
    from studio.prediction.images import digit_from_image
    picture = np.full((60, 90), 250.0)  # a light background with a little noise, a dark bar off to the left
    picture[10:50, 5:15] = 10.0
    picture[0, 80] = 235.0  # JPEG noise: a little darker than the background
    field = digit_from_image(picture)
    rows, cols = np.nonzero(field > 0.5)
    assert field.shape == (28, 28) and np.ptp(rows) + 1 == 20  # the bar's height fills the 20-pixel box
    centre = (field.sum(axis=0) * np.arange(28)).sum() / field.sum()
    assert abs(centre - 14) <= 1
    assert field[:, :5].max() == 0 and field[:, -5:].max() == 0
