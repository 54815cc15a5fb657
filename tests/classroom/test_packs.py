"""Assignment packs: a teacher packs a project or lab, a student unpacks, works and is checked."""

import json
import zipfile

import pytest

from studio.classroom.lab_checks import check_lab
from studio.classroom.labs import LabError, find_lab, load_lab, start_lab
from studio.classroom.packs import create_pack, open_pack, parse_requirement, read_manifest
from studio.cli import main as studio
from studio.core.project import load_project, save_project
from training.helpers import mlp_project
from classroom.lab_solutions import SOLUTIONS


def test_a_project_pack_carries_data_seed_locks_and_check(tmp_path):
    (tmp_path / "teacher").mkdir()
    mlp_project(tmp_path / "teacher")
    project_path = tmp_path / "teacher" / "points.studio.json"
    pack = create_pack(project_path, tmp_path / "points.studio-pack", title="Points",
                       requirements=["test.accuracy>=0.5"])
    manifest = read_manifest(pack)
    assert manifest["seed"] == 3 and manifest["title"] == {"en": "Points"}
    assert manifest["data"]["file"] == "data/points.csv" and len(manifest["data"]["sha256"]) == 64
    kinds = [item["kind"] for item in manifest["check"]]
    assert kinds == ["advisor", "metric", "locked"]
    locked = manifest["check"][-1]["values"]
    assert locked["data.target"] == "label" and locked["training.seed"] == 3 and "data.path" not in locked
    with zipfile.ZipFile(pack) as archive:
        assert sorted(archive.namelist()) == ["data/points.csv", "pack.json", "points.studio.json"]

    home = tmp_path / "student"
    folder = open_pack(pack, home)
    assert folder == home / "assignments" / "points"
    lab = load_lab(folder)
    assert lab.text("title") == "Points" and (folder / "lesson.en.md").read_text().startswith("# Points")
    project = load_project(folder / "points.studio.json")
    assert project.data_path() == folder / "data" / "points.csv"

    result = check_lab(lab, folder)
    assert [item.ok for item in result.items] == [True, False, True]  # not trained yet
    project.training["seed"] = 7
    project.data["target"] = "a"
    save_project(project)
    locked_item = check_lab(lab, folder).items[-1]
    assert not locked_item.ok
    assert "training.seed should be 3 (now 7)" in locked_item.en and 'data.target should be "label"' in locked_item.en
    assert "과제에서 정한 설정" in locked_item.ko and locked_item.hint_en


def test_a_solved_lab_pack_passes_for_the_student(tmp_path, monkeypatch):
    monkeypatch.setenv("STUDIO_LABS_HOME", str(tmp_path / "teacher-labs"))
    lab = find_lab(2)
    folder = start_lab(lab)
    pack = create_pack(folder / lab.project, tmp_path / "xor.studio-pack")
    manifest = read_manifest(pack)
    assert manifest["lab"] == "02-xor" and manifest["title"]["ko"] == lab.title["ko"]
    student = open_pack(pack, tmp_path / "student")
    assert (student / "lesson.ko.md").read_text(encoding="utf-8").startswith("# 실습 2")
    assignment = load_lab(student)
    assert not check_lab(assignment, student).passed
    path = student / lab.project
    project = load_project(path)
    for changes in SOLUTIONS[lab.id](project):
        project.training.update(changes)
    save_project(project)
    assert studio(["train", str(path)]) == 0
    result = check_lab(assignment, student)
    assert result.passed, result.report()


def test_a_damaged_or_hostile_pack_is_refused_and_nothing_is_left(tmp_path):
    project_path = tmp_path / "points.studio.json"
    mlp_project(tmp_path)
    good = create_pack(project_path, tmp_path / "good.studio-pack")
    with zipfile.ZipFile(good) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}

    def repack(name, changes):
        path = tmp_path / name
        with zipfile.ZipFile(path, "w") as archive:
            for member, data in {**members, **changes}.items():
                archive.writestr(member, data)
        return path

    home = tmp_path / "student"
    changed = repack("changed.studio-pack", {"data/points.csv": members["data/points.csv"] + b"1,2,3,4,low\n"})
    with pytest.raises(LabError, match="does not match its checksum"):
        open_pack(changed, home)
    evil = repack("evil.studio-pack", {"../../escape.txt": b"x"})
    with pytest.raises(LabError, match="not allowed"):
        open_pack(evil, home)
    manifest = json.loads(members["pack.json"])
    newer = repack("newer.studio-pack", {"pack.json": json.dumps({**manifest, "version": 99})})
    with pytest.raises(LabError, match="version 99"):
        open_pack(newer, home)
    (tmp_path / "text.studio-pack").write_text("not a zip")
    with pytest.raises(LabError, match="not a readable assignment pack"):
        open_pack(tmp_path / "text.studio-pack", home)
    assert not (tmp_path / "escape.txt").exists()
    assert not any((home / "assignments").iterdir()) if (home / "assignments").exists() else True


def test_requirements_are_parsed_or_refused_with_the_form():
    item = parse_requirement("validation.accuracy >= 0.9")
    assert item["split"] == "validation" and item["min"] == 0.9
    assert parse_requirement("test.root_mean_squared_error<=4")["max"] == 4.0
    with pytest.raises(LabError, match="SPLIT.METRIC>=VALUE"):
        parse_requirement("accuracy > 0.9")


def test_pack_commands(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("STUDIO_LABS_HOME", str(tmp_path / "home"))
    mlp_project(tmp_path)
    out = tmp_path / "points.studio-pack"
    assert studio(["pack", "create", str(tmp_path / "points.studio.json"), "-o", str(out),
                   "--lock", "training.batch_size", "--require", "test.accuracy>=0.99"]) == 0
    assert f"wrote {out}" in capsys.readouterr().out
    assert studio(["pack", "open", str(out)]) == 0
    folder = tmp_path / "home" / "assignments" / "points"
    assert f"folder: {folder}" in capsys.readouterr().out
    assert studio(["lab", "check", "-", "--folder", str(folder)]) == 1
    report = capsys.readouterr().out
    assert "PASS  The settings the assignment fixes are unchanged" in report
    assert "FAIL  test accuracy at least 0.99" in report
    assert studio(["pack", "open", str(tmp_path / "missing.studio-pack")]) == 2
    assert "studio pack:" in capsys.readouterr().err


def _big_points_project(tmp_path, rows=60_000):
    """A project whose CSV is a few MB, so unpacking it takes many chunks."""
    mlp_project(tmp_path)
    csv = tmp_path / "points.csv"
    lines = csv.read_text().splitlines()
    body = lines[1:]
    csv.write_text("\n".join([lines[0]] + [body[i % len(body)] for i in range(rows)]) + "\n")
    return tmp_path / "points.studio.json"


def test_packing_and_unpacking_report_progress_and_cancel_leaves_nothing(tmp_path):
    from studio.data.errors import Cancelled
    (tmp_path / "teacher").mkdir()
    project_path = _big_points_project(tmp_path / "teacher")
    fractions = []
    pack = create_pack(project_path, tmp_path / "points.studio-pack", progress=fractions.append)
    assert len(fractions) > 2 and fractions == sorted(fractions) and fractions[-1] == 1.0
    with pytest.raises(Cancelled):  # cancelled before the pack is written: no file, no temp file
        create_pack(project_path, tmp_path / "gone.studio-pack", cancelled=lambda: len(fractions) > 0)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["points.studio-pack", "teacher"]

    home = tmp_path / "student"
    seen = []

    def cancel_half_way():
        return bool(seen) and seen[-1] > 0.5

    with pytest.raises(Cancelled):
        open_pack(pack, home, progress=seen.append, cancelled=cancel_half_way)
    assert 0.5 < seen[-1] < 1.0
    assert list((home / "assignments").iterdir()) == []  # no half-unpacked folder, no .points.opening-*
    seen.clear()
    folder = open_pack(pack, home, progress=seen.append)
    assert seen[-1] == 1.0 and load_project(folder / "points.studio.json").data_path().is_file()
    assert [p.name for p in (home / "assignments").iterdir()] == ["points"]
