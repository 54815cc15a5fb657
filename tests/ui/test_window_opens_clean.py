"""Opening a project and doing nothing leaves it clean: no undo step, no "*" in the title, and saving it
rewrites nothing (no layer moved, the target in the form the file gave it). Every writer of projects is
tried: the shipped examples and labs, ``studio quick`` and ``studio import``."""

import json
from pathlib import Path

import pytest

from studio.cli import main
from studio.core.project import load_project
from studio.resources import resource_dir

ROOT = resource_dir()
SHIPPED = sorted([*ROOT.glob("examples/*.studio.json"), *ROOT.glob("labs/*/*.studio.json")])
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "tf_keras"


def _quick(tmp_path: Path) -> Path:
    from studio.core.project import save_project
    from studio.training.quick import quick_project
    # What `studio quick` writes before it trains (training is not what this test is about).
    return save_project(quick_project(ROOT / "datasets" / "iris.csv", ["species"]), tmp_path / "iris.studio.json")


def _quick_trained(tmp_path: Path) -> Path:
    # Training puts a Normalization layer after the Input: the project `studio quick` writes has it.
    assert main(["quick", str(ROOT / "datasets" / "iris.csv"), "--target", "species", "--epochs", "1",
                 "--out", str(tmp_path / "q")]) == 0
    return tmp_path / "q" / "quick.studio.json"


def _imported(tmp_path: Path) -> Path:
    out = tmp_path / "imported.studio.json"
    assert main(["import", "-o", str(out), str(FIXTURES / "wide_deep.h5")]) == 0
    return out


WRITERS = {**{p.relative_to(ROOT).as_posix(): (lambda tmp, p=p: p) for p in SHIPPED},
           "studio quick": _quick, "studio quick, trained": _quick_trained, "studio import": _imported}


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_a_project_just_opened_is_clean_and_saving_it_rewrites_nothing(writer, window, qtbot, tmp_path):
    path = WRITERS[writer](tmp_path)
    written = json.loads(path.read_text(encoding="utf-8"))
    if written.get("data", {}).get("source") == "csv":  # a CSV is read at once: wait until it is shown
        with qtbot.waitSignal(window.data_panel.loaded, timeout=30_000):
            assert window.open_project(str(path))
    else:
        assert window.open_project(str(path))
    stack = window.document.undo_stack
    assert stack.isClean(), [stack.text(i) for i in range(stack.count())]
    assert "*" not in window.windowTitle()
    saved = tmp_path / "saved" / path.name
    saved.parent.mkdir()
    window.document.save(saved)
    again = json.loads(saved.read_text(encoding="utf-8"))
    assert again["graph"] == load_project(path).to_dict()["graph"]  # no layer moved
    assert again.get("data", {}).get("target") == written.get("data", {}).get("target")


def test_quick_writes_one_target_column_as_the_window_keeps_it(tmp_path):
    from studio.core.layout import needs_relayout
    from studio.training.quick import quick_project
    project = quick_project(ROOT / "datasets" / "iris.csv", ["species"])
    assert project.data["target"] == "species"
    assert not needs_relayout(project.graph)
    assert quick_project(ROOT / "datasets" / "auto_mpg.csv", "mpg").data["target"] == "mpg"


def test_a_target_written_as_a_list_of_one_is_shown_and_kept_as_it_is(window, qtbot, tmp_path):
    from studio.core.project import save_project
    from studio.training.quick import quick_project
    project = quick_project(ROOT / "datasets" / "iris.csv", ["species"])
    project.data["target"] = ["species"]  # as earlier versions of `studio quick` wrote it
    path = save_project(project, tmp_path / "listed.studio.json")
    with qtbot.waitSignal(window.data_panel.loaded, timeout=30_000):
        assert window.open_project(str(path))
    assert window.document.undo_stack.isClean() and "*" not in window.windowTitle()
    assert window.data_panel.target.currentText() == "species"
    assert window.document.project.data["target"] == ["species"]
    window.data_panel.target.activated.emit(window.data_panel.target.currentIndex())  # chosen again: no edit
    assert window.document.undo_stack.isClean()


def test_the_normalization_training_inserts_moves_the_layers_below_down_a_row_and_nothing_else():
    from studio.core.graph import Graph
    from studio.core.layout import auto_layout, needs_relayout
    from studio.core.normalization import set_input_normalization
    g = Graph("two")
    for name in ("a", "b"):
        g.add_node("Input", {"shape": [2]}, name)
        g.add_node("Dense", {"units": 3}, f"{name}_hidden")
        g.connect(name, f"{name}_hidden")
    g.add_node("Concatenate", {}, "join")
    g.connect("a_hidden", "join")
    g.connect("b_hidden", "join", 1)
    auto_layout(g)
    before = {n: g.node(n).pos for n in g.names}
    set_input_normalization(g, "a", [0.0, 0.0], [1.0, 1.0])
    assert not needs_relayout(g)  # top to bottom, nothing overlapping: the window keeps these positions
    assert g.node("b").pos == before["b"] and g.node("b_hidden").pos == before["b_hidden"]  # not fed by a
    assert g.node("a_hidden").pos[1] > before["a_hidden"][1] and g.node("join").pos[1] > before["join"][1]
