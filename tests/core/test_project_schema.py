"""Issue 15, item 12: project fields of the wrong type are found by the checks, one line each naming the field.

Every case of the issue is reproduced through the Python API and through
``studio check`` (the CLI's ``main()``): a field of the wrong type is refused
when the file is read (exit 2), what only Keras can judge is an error of the
check (exit 1), and training refuses the same settings with the same words.
"""

import json
import os
import sys
import time

import pytest
from conftest import EXAMPLES

from studio.cli import main
from studio.core import registries, schema
from studio.core.graph import Graph
from studio.core.keras_bridge import BuildError, build_model, keras_name
from studio.core.project import ProjectError, load_project, project_from_dict
from studio.core.validation import MAX_LAYERS, validate

MNIST = next(path for path in EXAMPLES if path.name == "mnist_mlp.studio.json")


@pytest.fixture(scope="module", autouse=True)
def keras_loaded():
    registries.keras()  # studio check and training have Keras loaded; so do these tests


def example() -> dict:
    return json.loads(MNIST.read_text(encoding="utf-8"))


def write(tmp_path, data, name="p.studio.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def check(path, capsys) -> tuple[int, list[str]]:
    code = main(["check", str(path)])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err.splitlines()


def dense(data) -> dict:
    return next(layer for layer in data["graph"]["layers"] if layer["name"] == "dense")["config"]


# -- refused when the file is read: exit 2 -----------------------------------------------------------

@pytest.mark.parametrize("change, line", [
    (lambda d: d["training"].update(seed="abc"),
     "training.seed: the seed must be a whole number between 0 and 2**31-1, not 'abc'"),
    (lambda d: d["training"].update(seed=2 ** 70),
     "training.seed: the seed must be a whole number <= 2**31-1, not 1180591620717411303424"),
    (lambda d: d["training"].update(callbacks="all"), "training.callbacks: must be an object, not 'all'"),
    (lambda d: d.update(data={"source": "csv", "path": 5}), "data.path: the data path must be a non-empty text, not 5"),
    (lambda d: d["training"]["callbacks"].update(early_stopping={"patience": "ten"}) if "callbacks" in d["training"]
     else d["training"].update(callbacks={"early_stopping": {"patience": "ten"}}),
     "training.callbacks.early_stopping.patience: the patience must be a whole number between 0 and 10,000, not 'ten'"),
    (lambda d: d["data"].update(validaton=0.2),
     "data.validaton: not a setting of the data section; it has source, path, target, features, inputs, task, "
     "missing, validation, test, seed, normalize, class_weight, sample_weight, limit, format"),
    (lambda d: d["training"].update(epochs=float("nan")),
     "training.epochs: epochs must be a whole number between 1 and 100,000, not nan"),
    (lambda d: d["graph"].update(name=5), "graph.name: must be a text of at most 255 characters, not 5"),
])
def test_fields_of_the_wrong_type_are_refused_when_read(tmp_path, capsys, change, line):
    data = example()
    change(data)
    path = write(tmp_path, data)
    with pytest.raises(ProjectError) as info:
        load_project(path)
    assert str(info.value) == f"{path}: {line}"
    code, lines = check(path, capsys)
    assert code == 2 and lines == [f"studio check: {path}: {line}"]


def test_every_problem_is_listed_on_its_own_line(tmp_path, capsys):
    data = example()
    data["training"].update(seed="abc", epochs=0, metrics="accuracy")
    data["data"]["limit"] = -5
    code, lines = check(write(tmp_path, data), capsys)
    assert code == 2 and len(lines) == 4
    assert [line.split(": ")[2] for line in lines] == ["training.metrics", "training.epochs", "training.seed",
                                                       "data.limit"]


def test_json_nested_200000_deep_is_one_line_at_once(tmp_path, capsys):
    path = tmp_path / "deep.studio.json"
    path.write_text('{"format": "perceptron-studio/project", "version": 2, "graph": ' + "[" * 200_000
                    + "]" * 200_000 + "}")
    start = time.perf_counter()
    with pytest.raises(ProjectError, match="nested more than 32 levels deep"):
        load_project(path)
    assert time.perf_counter() - start < 2
    code, lines = check(path, capsys)
    assert code == 2 and len(lines) == 1 and "nested more than 32 levels deep" in lines[0]


def test_json_that_parses_but_nests_too_deep_is_refused_before_anything_recurses():
    data = example()
    data["training"]["optimizer"]["config"]["momentum"] = json.loads("[" * 900 + "]" * 900)
    with pytest.raises(ProjectError, match="nested more than 32 levels deep"):
        project_from_dict(data, "p")


def test_a_number_of_5000_digits_and_a_pipe_are_refused(tmp_path):
    path = tmp_path / "big.studio.json"
    path.write_text('{"format": "perceptron-studio/project", "version": 2, "x": ' + "9" * 5000 + "}")
    with pytest.raises(ProjectError, match="not usable JSON"):
        load_project(path)
    pipe = tmp_path / "pipe.studio.json"
    os.mkfifo(pipe)
    with pytest.raises(ProjectError, match="not a regular file"):  # at once: reading it would wait forever
        load_project(pipe)


def test_graph_values_of_the_wrong_type_are_graph_errors_not_type_errors():
    for change, message in [
        (lambda g: g["layers"][1].update(class_name=["Dense"]), "'class_name' must be a layer class name"),
        (lambda g: g["layers"][1].update(class_name="x" * 5000), "unknown layer class 'xxxx"),
        (lambda g: g["layers"][1].update(ui=5), "'ui.pos' must be two numbers"),
        (lambda g: g["layers"][1].update(ui={"pos": [float("nan"), 0]}), "'ui.pos' must be two numbers"),
        (lambda g: g.update(outputs=[["dense_2"]]), "'outputs' must be a list of layer names"),
    ]:
        data = example()
        change(data["graph"])
        with pytest.raises(ProjectError, match=message) as info:
            project_from_dict(data, "p")
        assert "\n" not in str(info.value) and len(str(info.value)) < 300


# -- what only Keras can judge: errors of the check (exit 1), and of training -------------------------------

def test_an_unknown_optimizer_argument(tmp_path, capsys):
    from studio.training.settings import SettingsError, TrainingSettings

    data = example()
    data["training"]["optimizer"]["config"]["bogus"] = 1
    path = write(tmp_path, data)
    line = ("training.optimizer.config.bogus: SGD takes no argument 'bogus'; it takes learning_rate, momentum, "
            "nesterov, weight_decay")
    code, lines = check(path, capsys)
    assert code == 1 and any(l.startswith(f"error: {line}") for l in lines)
    project = load_project(path)
    with pytest.raises(SettingsError) as info:  # what the engine calls before training
        TrainingSettings.for_project(project).check(project.graph.outputs)
    assert str(info.value).startswith(line)


def test_the_engine_refuses_with_the_same_line(tmp_path):
    from training.helpers import mlp_project

    from studio.training.engine import TrainingError, TrainingJob

    project = mlp_project(tmp_path)
    project.training["optimizer"]["config"]["momentun"] = 0.9
    project.graph.set_param("dense", "bogus", 1)
    with pytest.raises(TrainingError, match="training.optimizer.config.momentun: Adam takes no argument 'momentun'"):
        TrainingJob(project).prepare()
    del project.training["optimizer"]["config"]["momentun"]
    with pytest.raises(TrainingError, match="dense.bogus: Dense has no setting 'bogus'"):
        TrainingJob(project).prepare()


@pytest.mark.parametrize("change, line", [
    (lambda d: dense(d).update(bogus=1), "error: dense.bogus: Dense has no setting 'bogus'"),
    (lambda d: dense(d).update(kernel_initializer={"class_name": "Nope", "config": {}}),
     "error: dense.kernel_initializer: unknown initializer class 'Nope'; Keras offers GlorotNormal, "),
    (lambda d: dense(d).update(kernel_initializer={"class_name": "GlorotUniform", "config": {"bad": 1}}),
     "error: dense.kernel_initializer: GlorotUniform has no argument 'bad'; it takes input_axes, output_axes, seed"),
    (lambda d: dense(d).update(kernel_initializer={"class_name": "GlorotUniform", "config": {"seed": "abc"}}),
     "error: dense: Keras refuses these settings: "),
    (lambda d: dense(d).update(kernel_initializer={"class_name": "RandomNormal", "config": {"stddev": "x"}}),
     "error: dense.kernel_initializer: Keras refuses this initializer: Cannot convert 'x'"),  # at build time, before
    (lambda d: dense(d).update(bias_initializer="orthogonal"),
     "error: dense.bias_initializer: Keras refuses this initializer: The tensor to initialize must be at least "
     "two-dimensional"),
    (lambda d: dense(d).update(kernel_initializer={"config": {}}),
     "error: dense.kernel_initializer: kernel_initializer must be a name or {'class_name': ..."),
    (lambda d: dense(d).update(dtype="float33"),
     "error: dense: Keras refuses these settings: Cannot convert 'float33' to a mixed precision DTypePolicy"),
    (lambda d: d["graph"]["layers"][0]["config"].update(dtype="float33"),
     "error: input_layer.dtype: dtype must be one of float32, float64"),
    (lambda d: d["graph"]["layers"][0]["config"].update(sparse=True),
     "error: input_layer.sparse: Input has no setting 'sparse'; it takes shape and dtype"),
    (lambda d: dense(d).update(units=2 ** 40), "error: dense.units: units must be at most 2,147,483,647"),
])
def test_layer_settings_keras_refuses(tmp_path, capsys, change, line):
    data = example()
    change(data)
    path = write(tmp_path, data)
    code, lines = check(path, capsys)
    assert code == 1 and any(l.startswith(line) for l in lines), lines
    graph = load_project(path).graph
    errors = [str(p) for p in validate(graph).errors]
    assert len(errors) == 1 and errors[0].startswith(line) and "\n" not in errors[0]  # the check's own words
    with pytest.raises(BuildError):  # refused before Keras is asked to build it, not a TypeError from Keras
        build_model(graph)


def test_keras_checks_wait_for_keras_and_are_cached(monkeypatch):
    from studio.core import keras_bridge

    g = Graph("m")
    i = g.add_node("Input", {"shape": [3]})
    d = g.add_node("Dense", {"units": 2, "bogus": 1})
    g.connect(i, d)
    g.set_output(d)
    monkeypatch.setattr(registries, "keras_loaded", lambda: False)  # the window before TensorFlow has loaded
    assert validate(g).ok
    monkeypatch.undo()
    keras_bridge._layer_problem.cache_clear()
    assert not validate(g).ok and not validate(g).ok
    assert keras_bridge._layer_problem.cache_info().hits >= 1


@pytest.mark.parametrize("name", ["a/b", "my model!", "손글씨 모델", "_x", ""])
def test_a_graph_name_tensorflow_refuses_still_trains(name):
    import numpy as np

    g = Graph(name)
    i = g.add_node("Input", {"shape": [3]})
    d = g.add_node("Dense", {"units": 2})
    g.connect(i, d)
    g.set_output(d)
    assert validate(g).ok
    model = build_model(g)
    model.compile(loss="mse", optimizer="adam")
    model.fit(np.zeros((4, 3)), np.zeros((4, 2)), epochs=1, verbose=0)  # TensorFlow's root name scope took it
    assert model.name == keras_name(name)


def test_keras_names():
    assert keras_name("mnist_mlp") == "mnist_mlp" and keras_name("") == ""
    assert keras_name("my model!") == "my_model_" and keras_name("a/b") == "a_b"
    assert keras_name("손글씨_모델") == "model" and keras_name("_x") == "x"


# -- long chains ------------------------------------------------------------------------------------------

def chain(n: int) -> dict:
    layers = [{"name": "inp", "class_name": "Input", "config": {"shape": [4]}, "inbound": []}]
    for i in range(n):
        layers.append({"name": f"d{i}", "class_name": "Dense", "config": {"units": 4},
                       "inbound": [layers[-1]["name"]]})
    return {"format": "perceptron-studio/project", "version": 2, "data": {}, "training": {},
            "graph": {"name": "chain", "layers": layers, "outputs": [layers[-1]["name"]]}}


def depth() -> int:
    frame, n = sys._getframe(), 0
    while frame is not None:
        frame, n = frame.f_back, n + 1
    return n


def test_a_10000_layer_chain_is_refused_in_a_moment(tmp_path, capsys):
    path = write(tmp_path, chain(10_000))
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(depth() + 200)  # nothing recurses along the chain (10,000 deep)
    try:
        project = load_project(path)
        report = validate(project.graph)
    finally:
        sys.setrecursionlimit(limit)
    assert [str(p) for p in report.errors] == [
        "error: the model has 10,001 layers; the studio builds at most 500 (Keras cannot build a much longer chain)"]
    with pytest.raises(BuildError):
        build_model(project.graph)
    code, lines = check(path, capsys)
    assert code == 1 and "the studio builds at most 500" in lines[0]


def test_a_chain_at_the_limit_validates():
    report = validate(project_from_dict(chain(MAX_LAYERS - 1), "p").graph)
    assert report.ok and len(report.order) == MAX_LAYERS


# -- one set of defaults ------------------------------------------------------------------------------------

def test_the_training_defaults_are_the_schemas():
    from studio.training.settings import TrainingSettings

    assert TrainingSettings().to_dict() == schema.TRAINING.defaults()


def test_the_callbacks_take_the_schemas_defaults():
    from studio.training.callbacks import build_callbacks

    keras = registries.keras()
    stop, reduce = build_callbacks(keras, {"early_stopping": True, "reduce_lr_on_plateau": {"factor": 0.2}}, None)
    defaults = schema.callback_defaults("early_stopping")
    assert (stop.patience, stop.monitor, stop.restore_best_weights) == (
        defaults["patience"], defaults["monitor"], defaults["restore_best_weights"])
    assert reduce.factor == 0.2 and reduce.patience == schema.callback_defaults("reduce_lr_on_plateau")["patience"]


def test_whole_numbers_where_keras_wants_floats_and_a_loss_given_as_a_class(tmp_path):
    from studio.training.settings import TrainingSettings

    settings = TrainingSettings.from_dict({"optimizer": {"class_name": "SGD",
                                                         "config": {"learning_rate": 1, "momentum": 0}},
                                           "loss": {"class_name": "Huber", "config": {"delta": 2.0}}})
    assert settings.problems(["out"]) == []
    assert float(settings.build_optimizer().learning_rate) == 1.0
    assert settings.compile_arguments(["out"])["loss"] == {"class_name": "Huber", "config": {"delta": 2.0}}


def test_data_values_the_data_layer_owns(tmp_path):
    from studio.data.errors import DataError
    from studio.training.data_source import data_problems, load_training_data
    from studio.training.settings import project_problems

    data = example()
    data["data"] = {"source": "csv", "path": "x.csv", "task": "clustering", "missing": "ignore"}
    project = load_project(write(tmp_path, data))
    lines = project_problems(project)
    assert lines == data_problems(project.data) == [
        "data.task: unknown task 'clustering'; choose one of regression, binary, multiclass, multilabel",
        "data.missing: unknown missing-value policy 'ignore'; choose one of drop, mean, median, most_frequent, error"]
    with pytest.raises(DataError, match="data.task: unknown task 'clustering'.*\\(and 1 more problem\\)"):
        load_training_data(project)


def test_a_file_with_many_problems_lists_twenty_and_counts_the_rest():
    data = example()
    data["data"] = {f"typo{i}": 1 for i in range(10)}
    data["training"] = {key: "x" for key in ("optimizer", "schedule", "metrics", "epochs", "batch_size", "seed",
                                           "callbacks", "loss_weights")}
    data["tuning"] = {key: "x" for key in schema.TUNING.fields}
    with pytest.raises(ProjectError) as info:
        project_from_dict(data, "p")
    lines = str(info.value).splitlines()
    assert len(info.value.problems) > 20 and len(lines) == 21
    assert lines[-1] == f"p: ... and {len(info.value.problems) - 20} more problems"
