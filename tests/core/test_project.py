"""Project files: exact round trip, atomic saves, migration and clear errors."""

import json
import os

import pytest
from conftest import EXAMPLES

from studio.core.graph import Graph
from studio.core.project import (FORMAT, VERSION, Project, ProjectError, load_project, migrate,
                                 project_from_dict, save_project)


def small_project():
    g = Graph("small")
    a = g.add_node("Input", {"shape": [3]}, pos=(0, 0))
    b = g.add_node("Dense", {"units": 2, "activation": "softmax"}, pos=(200, 0))
    g.connect(a, b)
    g.set_output(b)
    return Project(g, {"source": "csv", "path": "data/iris.csv"}, {"epochs": 5, "batch_size": 16})


def test_copy_shares_nothing_and_keeps_everything(tmp_path):
    project = small_project()
    project.path, project.tuning = tmp_path / "p.studio.json", {"max_trials": 3, "units": [8, 16]}
    project.training["optimizer"] = {"class_name": "SGD", "config": {"learning_rate": 0.1}}
    twin = project.copy()
    assert twin.to_dict() == project.to_dict() and twin.path == project.path
    twin.graph.add_node("Dense", {"units": 4}, pos=(400, 0))
    twin.training["optimizer"]["config"]["learning_rate"] = 0.5
    twin.tuning["units"].append(32)
    twin.data["path"] = "other.csv"
    assert project.to_dict() == small_project().to_dict() | {
        "training": {"epochs": 5, "batch_size": 16,
                     "optimizer": {"class_name": "SGD", "config": {"learning_rate": 0.1}}},
        "tuning": {"max_trials": 3, "units": [8, 16]}}
    graph = Graph("other")
    variant = project.copy(graph=graph, training={"epochs": 1})
    assert variant.graph is graph and variant.training == {"epochs": 1} and variant.data == project.data


def test_save_and_load_round_trip(tmp_path):
    project = small_project()
    (tmp_path / "data").mkdir()
    save_project(project, tmp_path / "p.studio.json")
    loaded = load_project(tmp_path / "p.studio.json")
    assert loaded.to_dict() == project.to_dict()
    assert loaded.data_path() == (tmp_path / "data" / "iris.csv").resolve()
    text = (tmp_path / "p.studio.json").read_text(encoding="utf-8")
    data = json.loads(text)
    assert data["format"] == FORMAT and data["version"] == VERSION
    assert '"pos": [200.0, 0.0]' in text  # short lists stay on one line


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_examples_are_saved_exactly_as_shipped(path, tmp_path):
    project = load_project(path)
    target = tmp_path / path.name
    save_project(project, target)
    again = load_project(target)
    assert again.data_path() == load_project(path).data_path()  # rebased, still the same file
    expected = path.read_text(encoding="utf-8")
    if "path" in project.data:  # the only difference allowed: the data path, relative to the new folder
        expected = expected.replace(json.dumps(load_project(path).data["path"]), json.dumps(project.data["path"]))
    assert target.read_text(encoding="utf-8") == expected


def test_save_as_elsewhere_keeps_the_data_file(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b" / "deep").mkdir(parents=True)
    project = small_project()
    save_project(project, tmp_path / "a" / "p.studio.json")
    before = project.data_path()
    save_project(project, tmp_path / "b" / "deep" / "p.studio.json")
    assert project.data_path() == before
    assert project.data["path"] == "../../a/data/iris.csv"


def test_interrupted_save_keeps_the_previous_file(tmp_path, monkeypatch):
    target = tmp_path / "p.studio.json"
    save_project(small_project(), target)
    before = target.read_bytes()

    real_replace = os.replace

    def interrupted_replace(src, dst):  # the temporary file is complete; the rename never happens
        raise KeyboardInterrupt

    project = small_project()
    project.graph.set_param("dense", "units", 7)
    monkeypatch.setattr(os, "replace", interrupted_replace)
    with pytest.raises(KeyboardInterrupt):
        save_project(project, target)
    monkeypatch.setattr(os, "replace", real_replace)
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["p.studio.json"]  # no temporary file left


def test_version_1_files_are_migrated():
    data = small_project().to_dict()
    data["version"] = 1
    del data["graph"]["outputs"]  # version 1: every layer feeding no other was an output
    migrated = migrate(data)
    assert migrated["version"] == VERSION
    assert migrated["graph"]["outputs"] == ["dense"]
    assert data["version"] == 1  # the caller's dict is left alone


def test_newer_version_is_refused_with_advice(tmp_path):
    path = tmp_path / "new.studio.json"
    path.write_text(json.dumps({**small_project().to_dict(), "version": VERSION + 1}))
    with pytest.raises(ProjectError, match=f"new.studio.json: written by a newer Perceptron Studio "
                                           f"\\(format version {VERSION + 1}"):
        load_project(path)


@pytest.mark.parametrize("content, message", [
    (b"", "not valid JSON \\(line 1, column 1"),
    (b"{\"format\": ", "not valid JSON"),
    (b"\x89HDF\r\n\x1a\n\x00\x00\xff\xfe", "not a text file in UTF-8"),
    (b"[1, 2]", "not a Perceptron Studio project"),
    (json.dumps({"format": "keras"}).encode(), "not a Perceptron Studio project"),
    (json.dumps({"format": FORMAT, "version": "2"}).encode(), "'version' must be a whole number"),
    (json.dumps({"format": FORMAT, "version": VERSION, "training": []}).encode(),
     "'training' must be an object"),
    (json.dumps({"format": FORMAT, "version": VERSION, "graph": {"layers": [
        {"name": "memory", "class_name": "LSTM", "config": {}}]}}).encode(),
     "layer 'memory': unknown layer class 'LSTM'"),
])
def test_malformed_files_name_file_and_node(tmp_path, content, message):
    path = tmp_path / "bad.studio.json"
    path.write_bytes(content)
    with pytest.raises(ProjectError, match=message) as info:
        load_project(path)
    assert str(info.value).startswith(str(path))


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(ProjectError, match="nope.studio.json: there is no such file$"):
        load_project(tmp_path / "nope.studio.json")
    with pytest.raises(ProjectError, match="this is a folder, not a project file$"):
        load_project(tmp_path)


def test_utf8_names_and_bom(tmp_path):
    project = small_project()
    project.graph.name = "손글씨_모델"
    path = tmp_path / "k.studio.json"
    save_project(project, path)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())  # as some editors save it
    assert load_project(path).graph.name == "손글씨_모델"


def test_version_2_files_get_the_inputs_in_their_old_order(tmp_path):
    """Version 2 had no inputs list: the Input layers in the order of the file were the inputs."""
    g = Graph("two")
    deep = g.add_node("Input", {"shape": [3]}, name="deep")
    g.add_node("Dense", {"units": 2}, name="hidden")
    wide = g.add_node("Input", {"shape": [2]}, name="wide")
    g.add_node("Concatenate", name="join")
    g.connect(deep, "hidden"), g.connect(wide, "join"), g.connect("hidden", "join")
    g.set_output("join")
    data = Project(g).to_dict()
    data["version"] = 2
    del data["graph"]["inputs"]
    migrated = migrate(data)
    assert migrated["version"] == VERSION and migrated["graph"]["inputs"] == ["deep", "wide"]
    assert "inputs" not in data["graph"]  # the caller's dict is left alone
    path = tmp_path / "old.studio.json"
    path.write_text(json.dumps(data))
    project = load_project(path)
    assert project.graph.inputs == ["deep", "wide"] and project.graph.names == ["deep", "hidden", "wide", "join"]
    save_project(project)
    assert json.loads(path.read_text())["graph"]["inputs"] == ["deep", "wide"]
    assert json.loads(path.read_text())["version"] == VERSION


@pytest.mark.parametrize("graph", [[], {"layers": "no"}, {"layers": [1, {"name": ["x"]}, {"name": "i"}]}])
def test_migrating_a_damaged_version_2_graph_leaves_the_report_to_the_graph(graph):
    data = {"format": FORMAT, "version": 2, "graph": graph}
    migrate(data)  # no crash here; Graph.from_dict says what is wrong
    with pytest.raises(ProjectError):
        project_from_dict(data)
