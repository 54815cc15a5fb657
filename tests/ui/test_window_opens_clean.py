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


def _imported(tmp_path: Path) -> Path:
    out = tmp_path / "imported.studio.json"
    assert main(["import", "-o", str(out), str(FIXTURES / "wide_deep.h5")]) == 0
    return out


WRITERS = {**{p.relative_to(ROOT).as_posix(): (lambda tmp, p=p: p) for p in SHIPPED},
           "studio quick": _quick, "studio import": _imported}


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
