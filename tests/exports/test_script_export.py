"""Exported scripts: build_model() matches the studio's model in every API style; the data matches too."""

import copy
import importlib.util
import os
import subprocess
import sys

import numpy as np
import pytest

from conftest import ROOT
from studio.core.codegen import ExportError, model_code, sequential_problem
from studio.core.graph import Graph
from studio.core.keras_bridge import build_model
from studio.core.project import Project, load_project
from studio.exports.script import export_script, script_text
from studio.training.data_source import load_training_data, scale_inputs
from training.helpers import mlp_project

PROJECTS = sorted((ROOT / "resources" / "examples").glob("*.studio.json")) + sorted(
    (ROOT / "resources" / "labs").glob("*/*.studio.json"))


def import_script(path):
    spec = importlib.util.spec_from_file_location(f"exported_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def weight_shapes(model):
    """{layer name: [weight shapes]} for the layers that have weights."""
    return {layer.name: [tuple(w.shape) for w in layer.weights] for layer in model.layers if layer.weights}


def zeros_for(graph):
    batch = {name: np.zeros((2, *graph.node(name).config["shape"]), graph.node(name).config["dtype"])
             for name in graph.inputs}
    return batch[graph.inputs[0]] if len(batch) == 1 else batch


def output_shapes(outputs, names):
    if isinstance(outputs, dict):
        return [tuple(outputs[n].shape) for n in names]
    if isinstance(outputs, (list, tuple)):
        return [tuple(o.shape) for o in outputs]
    return [tuple(outputs.shape)]


def styles_for(graph):
    return ["functional", "subclassing"] + ([] if sequential_problem(graph) else ["sequential"])


def test_every_shipped_project_is_covered():
    assert len(PROJECTS) >= 2


@pytest.mark.parametrize("path", PROJECTS, ids=lambda p: p.name.split(".")[0])
def test_exported_model_matches_the_studio_model(path, tmp_path):
    project = load_project(path)
    prepared = project.copy()
    scale_inputs(prepared.graph, load_training_data(prepared))  # the scaling the studio adds before training
    expected = build_model(prepared.graph)
    x = zeros_for(prepared.graph)
    for style in styles_for(project.graph):
        script = export_script(project, style, tmp_path / f"{style}.py")
        model = import_script(script).build_model()
        assert model.count_params() == expected.count_params(), style
        assert weight_shapes(model) == weight_shapes(expected), style
        assert output_shapes(model(x), prepared.graph.outputs) == output_shapes(expected(x), prepared.graph.outputs)


@pytest.mark.parametrize("path", PROJECTS, ids=lambda p: p.name.split(".")[0])
def test_every_exported_script_trains_and_evaluates(path, tmp_path, monkeypatch):
    """main() of each example's and lab's script: one epoch on a few rows, then the test metrics."""
    monkeypatch.chdir(tmp_path)  # callbacks write checkpoints and logs into the working folder
    project = load_project(path)
    style = "subclassing" if len(project.graph.inputs) > 1 else "functional"
    module = import_script(export_script(project, style, tmp_path / "script.py"))
    model, results = module.main(["--epochs", "1", "--max-rows", "64"])
    assert "loss" in results and all(np.isfinite(v) for v in results.values())
    assert model.count_params() == build_model(module_graph(project)).count_params()


def module_graph(project):
    """The project's graph with the scaling the studio adds before training."""
    graph = project.graph.copy()
    scale_inputs(graph, load_training_data(project))
    return graph


def test_exported_csv_data_is_the_studios_split_and_encoding(tmp_path):
    project = load_project(ROOT / "resources" / "examples" / "wide_deep.studio.json")
    module = import_script(export_script(project, "functional", tmp_path / "wd.py"))
    (x_train, y_train), (x_val, y_val), (x_test, y_test) = module.load_data()
    data = load_training_data(project)
    for ours, theirs in ((x_train, data.x_train), (x_val, data.x_val), (x_test, data.x_test)):
        assert set(ours) == set(theirs)
        for name in ours:
            np.testing.assert_allclose(ours[name], theirs[name], rtol=1e-6)
    np.testing.assert_allclose(y_test["main_output"], data.y_test["main_output"])


def test_exported_classification_labels_follow_the_studios_class_order(tmp_path):
    project = mlp_project(tmp_path)
    module = import_script(export_script(project, "sequential", tmp_path / "points.py"))
    (_, y_train), _, (x_test, y_test) = module.load_data()
    data = load_training_data(project)
    assert module.CLASS_NAMES == data.class_names == ["high", "low", "mid"]
    np.testing.assert_array_equal(y_train, data.y_train)
    np.testing.assert_allclose(x_test, data.x_test, rtol=1e-6)


def test_a_script_trains_when_run(tmp_path):
    project = mlp_project(tmp_path, epochs=50)
    script = export_script(project, "subclassing", tmp_path / "points.py")
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    done = subprocess.run([sys.executable, str(script), "--epochs", "2"], capture_output=True, text=True,
                          cwd=tmp_path, env=env, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    last = done.stdout.strip().splitlines()[-1]
    assert "'accuracy'" in last and "'loss'" in last


def test_sequential_is_refused_for_a_branching_graph():
    project = load_project(ROOT / "resources" / "examples" / "wide_deep.studio.json")
    with pytest.raises(ExportError, match="Sequential needs a straight chain.*2 input"):
        model_code(project.graph, "sequential")
    g = Graph("fork")
    i = g.add_node("Input", {"shape": [3]})
    a = g.add_node("Dense", {"units": 2})
    b = g.add_node("Dense", {"units": 2})
    add = g.add_node("Add", {})
    for src, dst in ((i, a), (i, b), (a, add), (b, add)):
        g.connect(src, dst)
    g.set_output(add)
    with pytest.raises(ExportError, match=f"{i!r} feeds 2 layers"):
        model_code(g, "sequential")


def test_an_invalid_graph_or_style_is_refused_with_the_reason():
    g = Graph("broken")
    g.add_node("Dense", {"units": 2})
    with pytest.raises(ExportError, match="error.*to fix"):
        model_code(g, "functional")
    with pytest.raises(ExportError, match="unknown style 'keras2'"):
        model_code(g, "keras2")


def test_odd_layer_names_become_distinct_python_names(tmp_path):
    g = Graph("odd names")
    i = g.add_node("Input", {"shape": [3]}, name="in-put")
    a = g.add_node("Dense", {"units": 4, "activation": "relu"}, name="output")
    b = g.add_node("Dense", {"units": 1}, name="second.layer")
    g.connect(i, a)
    g.connect(a, b)
    g.set_output(b)
    for style in ("sequential", "functional", "subclassing"):
        source = "import keras\nimport numpy as np\nfrom keras import layers\n\n" + model_code(g, style)
        namespace = {}
        exec(compile(source, style, "exec"), namespace)
        model = namespace["build_model"]()
        assert [layer.name for layer in model.layers if layer.weights] == ["output", "second.layer"]
        assert model.count_params() == 3 * 4 + 4 + 4 + 1


def test_model_only_text_needs_no_data():
    project = Project(load_project(ROOT / "resources" / "examples" / "mnist_mlp.studio.json").graph)
    text = script_text(project, "functional", with_data=False)
    assert "def build_model()" in text and "load_data" not in text.split('"""', 2)[2]


def zero_momentum_project(tmp_path, momentum):
    """SGD with momentum 0 and learning rate 1, and a Dropout of rate 0: every float a float in the text."""
    from training.helpers import classification_csv
    classification_csv(tmp_path / "points.csv")
    g = Graph("points")
    i = g.add_node("Input", {"shape": [4]})
    h = g.add_node("Dense", {"units": 8, "activation": "relu"})
    d = g.add_node("Dropout", {"rate": 0.0})
    o = g.add_node("Dense", {"units": 3, "activation": "softmax"})
    for a, b in ((i, h), (h, d), (d, o)):
        g.connect(a, b)
    g.set_output(o)
    settings = {"loss": "sparse_categorical_crossentropy", "metrics": ["accuracy"], "epochs": 1,
                "batch_size": 16, "seed": 3,
                "optimizer": {"class_name": "SGD", "config": {"learning_rate": 1, "momentum": momentum}}}
    return Project(g, {"source": "csv", "path": "points.csv", "target": "label"}, settings,
                   tmp_path / "points.studio.json")


def test_every_float_is_written_as_a_float():
    from studio.core.codegen import literal
    assert [literal(v) for v in (0.0, 1.0, 1e-05, 0.1, 100000.0, 1e6, 2.5e-7, 1 / 3)] == [
        "0.0", "1.0", "1e-05", "0.1", "100000.0", "1e+06", "2.5e-07", repr(1 / 3)]
    assert [literal(v) for v in (0, 3, True, None)] == ["0", "3", "True", "None"]
    for text in (literal(0.0), literal(1.0), literal(1e6)):
        assert isinstance(eval(text), float)


@pytest.mark.parametrize("momentum", [0.0, 0], ids=["float", "int-in-file"])
def test_sgd_momentum_zero_compiles_in_every_style(tmp_path, momentum):
    """SGD momentum 0.0 used to be written `momentum=0`, which Keras refuses; the rate 1 and Dropout 0.0 too."""
    project = zero_momentum_project(tmp_path, momentum)
    for style in styles_for(project.graph):
        text = script_text(project, style)
        assert "momentum=0.0" in text and "learning_rate=1.0" in text and "rate=0.0" in text, style
        assert "momentum=0," not in text and "momentum=0)" not in text
        module = import_script(export_script(project, style, tmp_path / f"{style}.py"))
        model = module.compile_model(module.build_model())  # raised "`momentum` must be a float" before
        assert model.optimizer.__class__.__name__ == "SGD"
        assert float(model.optimizer.momentum) == 0.0
        assert float(model.optimizer.learning_rate) == 1.0


def test_no_project_value_becomes_code():
    """Class names and argument keys from a (hostile) project file are refused unless plain names."""
    import pytest
    from studio.core.codegen import ExportError, _keras_object, identifier
    assert identifier("glorot_uniform", "x") == "glorot_uniform"
    for bad in ("os.system('x')", "a=1;b", "class", "", 5):
        with pytest.raises(ExportError):
            identifier(bad, "the name")
    with pytest.raises(ExportError):
        _keras_object("initializers", {"class_name": "GlorotUniform(); import os; os.system('x') #", "config": {}})
    with pytest.raises(ExportError):
        _keras_object("initializers", {"class_name": "GlorotUniform", "config": {"seed=__import__('os')": 1}})
    assert _keras_object("initializers", {"class_name": "GlorotUniform", "config": {"seed": 1}}) \
        == "keras.initializers.GlorotUniform(seed=1)"


def _names_in_code(text):
    """Every identifier the script uses as code (names and attributes), not the text inside its strings."""
    import ast
    tree = ast.parse(text)
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            found.add(node.id)
        elif isinstance(node, ast.Attribute):
            found.add(node.attr)
        elif isinstance(node, ast.keyword) and node.arg:
            found.add(node.arg)
    return found


HOSTILE = "x'''\"\"\"; import os; os.system('touch /tmp/PWNED') #"


def _hostile_projects(tmp_path):
    """One project per place a value from the file reaches the script."""
    base = zero_momentum_project(tmp_path, 0.9)
    projects = []
    named = copy.deepcopy(base)
    named.graph.name = HOSTILE  # the script's opening docstring names the graph
    projects.append(named)
    for key_place in ("layer", "optimizer", "optimizer class", "loss", "metric"):
        project = copy.deepcopy(base)
        if key_place == "layer":
            dense = next(n.name for n in project.graph if n.class_name == "Dense")
            project.graph.node(dense).config["x=__import__('os').system('touch /tmp/PWNED')"] = 1
        elif key_place == "optimizer":
            project.training["optimizer"]["config"]["lr=__import__('os').system('touch /tmp/PWNED')"] = 1
        elif key_place == "optimizer class":
            project.training["optimizer"]["class_name"] = "SGD(); __import__('os').system('x') #"
            project.training["schedule"] = {"class_name": "ExponentialDecay",
                                            "config": {"initial_learning_rate": 0.1, "decay_steps": 10,
                                                       "decay_rate": 0.9}}
        elif key_place == "loss":
            project.training["loss"] = {"class_name": "MeanSquaredError(); __import__('os').system('x') #",
                                        "config": {}}
        else:
            project.training["metrics"] = ["accuracy'); __import__('os').system('x'); ('"]
        projects.append(project)
    return projects


@pytest.mark.parametrize("style", ["functional", "sequential", "subclassing"])
def test_a_hostile_project_is_refused_or_its_values_stay_text(tmp_path, style):
    for project in _hostile_projects(tmp_path):
        try:
            text = script_text(project, style)
        except ExportError:
            continue  # refused with one line: fine
        used = _names_in_code(text)
        assert "system" not in used and "__import__" not in used, text[:400]


@pytest.mark.parametrize("style", ["functional", "sequential", "subclassing"])
def test_the_code_tabs_model_keeps_a_hostile_name_inside_its_docstring(style):
    """The Code tab's text (model_module) puts the graph's name in its docstring, as the script does."""
    import ast

    from studio.core.codegen import model_module
    g = Graph(HOSTILE + " \\")
    i = g.add_node("Input", {"shape": [3]})
    d = g.add_node("Dense", {"units": 1})
    g.connect(i, d)
    g.set_output(d)
    text = model_module(g, style, f"{g.name}: the {style} API. A long line " + "word " * 40 + HOSTILE)
    assert ast.get_docstring(ast.parse(text)).startswith(HOSTILE)
    used = _names_in_code(text)
    assert "system" not in used and "__import__" not in used, text[:400]

