"""The training section as it will be used: one default for each setting, read by everyone."""

from studio.core import schema
from studio.core.schema import TRAINING, learning_rate_of, optimizer_of, with_learning_rate
from studio.training.settings import TrainingSettings


def test_a_setting_left_out_or_null_is_its_default_and_a_fresh_copy():
    assert TRAINING.value({}, "epochs") == 10 and TRAINING.value({"epochs": None}, "epochs") == 10
    assert TRAINING.value({"epochs": 3}, "epochs") == 3
    assert TRAINING.value("not a section", "seed") == 42
    first = TRAINING.value({}, "callbacks")
    first["tensorboard"] = True
    assert TRAINING.value({}, "callbacks") == {"terminate_on_nan": True}


def test_the_engine_reads_the_same_defaults_as_the_window():
    settings = TrainingSettings.from_dict({"callbacks": None, "epochs": 4})
    assert settings.callbacks == TRAINING.value({"callbacks": None}, "callbacks")
    assert settings.epochs == 4 and settings.batch_size == TRAINING.value({}, "batch_size")
    assert settings.optimizer == optimizer_of({})


def test_the_learning_rate_has_one_path():
    assert optimizer_of({}) == {"class_name": "Adam", "config": {}}
    assert optimizer_of({"optimizer": {"class_name": "SGD"}}) == {"class_name": "SGD", "config": {}}
    assert optimizer_of({"optimizer": "SGD"}) == {"class_name": "Adam", "config": {}}  # not an object: the default
    training = {"optimizer": {"class_name": "SGD", "config": {"learning_rate": 0.1, "momentum": 0.9}}}
    assert learning_rate_of(training) == 0.1 and learning_rate_of({}) is None
    faster = with_learning_rate(training["optimizer"], 0.5)
    assert faster == {"class_name": "SGD", "config": {"learning_rate": 0.5, "momentum": 0.9}}
    assert training["optimizer"]["config"]["learning_rate"] == 0.1  # the original is left alone
    assert with_learning_rate(faster, None) == {"class_name": "SGD", "config": {"momentum": 0.9}}
    assert schema.section_problems("training", {"optimizer": faster}) == []
