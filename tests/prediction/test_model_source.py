"""What the user names resolves to a trained model, its metadata and its project; nothing trained is one line."""

import pytest
from helpers_prediction import colours, colours_model  # noqa: F401 (fixtures)

from studio.cli import main
from studio.core.project import Project, save_project
from studio.prediction.model_source import NoTrainedModel, trained_model


def test_a_project_a_run_folder_and_a_model_file_give_the_same_model_and_project(colours):
    project, run = colours
    for named in (project.path, run, run / "model.h5"):
        found = trained_model(named)
        assert found.path == run / "model.h5"
        assert found.project is not None and found.project.path == project.path
        assert found.class_names == ["no", "yes"] and found.task == "binary"
        assert found.metadata["preprocessing"]["kind"] == "tabular"


def test_a_model_file_outside_a_run_has_no_project(colours, tmp_path):
    _, run = colours
    lone = tmp_path / "lone.h5"
    lone.write_bytes((run / "model.h5").read_bytes())
    found = trained_model(lone)
    assert found.project is None and found.class_names == ["no", "yes"]


def test_nothing_trained_is_one_line_naming_the_file(tmp_path, capsys):
    from studio.core.graph import Graph
    g = Graph("empty")
    g.set_output(g.add_node("Input", {"shape": [2]}))
    save_project(Project(g, {}, {}), tmp_path / "new.studio.json")
    with pytest.raises(NoTrainedModel, match=r"new\.studio\.json: the project has no trained model yet"):
        trained_model(tmp_path / "new.studio.json")
    with pytest.raises(NoTrainedModel, match=r"gone\.h5: no such file or folder"):
        trained_model(tmp_path / "gone.h5")
    (tmp_path / "run").mkdir()
    with pytest.raises(NoTrainedModel, match=r"run: the folder holds no model\.h5"):
        trained_model(tmp_path / "run")
    (tmp_path / "data.csv").write_text("a\n1\n")
    with pytest.raises(NoTrainedModel, match=r"not a model file"):
        trained_model(tmp_path / "data.csv")
    assert main(["predict", str(tmp_path / "new.studio.json"), str(tmp_path / "data.csv")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("studio predict: ") and "new.studio.json" in err[0]
