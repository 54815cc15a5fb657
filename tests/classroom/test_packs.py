"""Assignment packs: a teacher packs a project or lab, a student unpacks, works and is checked."""

import json
import zipfile

import pytest

from studio.classroom.lab_checks import check_lab
from studio.classroom.labs import LabError, find_lab, load_lab, start_lab
from studio.classroom.pack_open import open_pack, read_manifest
from studio.classroom.packs import create_pack, parse_requirement
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


def _repacked(pack, target, changes=None):
    """``pack`` zipped again at ``target`` (new timestamps, other compression), with ``changes`` to pack.json."""
    with zipfile.ZipFile(pack) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    if changes:
        members["pack.json"] = json.dumps({**json.loads(members["pack.json"]), **changes})
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return target


def _snapshot(folder):
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _points_pack(tmp_path, title="Points"):
    (tmp_path / "teacher").mkdir(exist_ok=True)
    mlp_project(tmp_path / "teacher")
    return create_pack(tmp_path / "teacher" / "points.studio.json", tmp_path / "a" / "points.studio-pack", title=title)


def test_opening_the_same_pack_again_opens_the_students_copy_and_says_so(tmp_path, capsys, monkeypatch):
    (tmp_path / "a").mkdir()
    pack = _points_pack(tmp_path)
    home = tmp_path / "student"
    said = []
    folder = open_pack(pack, home, told=said.append)
    assert said == [] and len(json.loads((folder / "lab.json").read_text())["pack_sha256"]) == 64
    project = load_project(folder / "points.studio.json")
    project.training["epochs"] = 77  # the student's work
    save_project(project)
    before = _snapshot(folder)
    again = _repacked(pack, tmp_path / "downloads" / "points.studio-pack")  # the same content zipped anew
    for path in (pack, again):
        assert open_pack(path, home, told=said.append, restart_hint="; restart it") == folder
        assert _snapshot(folder) == before
    assert len(said) == 2 and said[0] == said[1]
    assert said[0].startswith("opened your copy of 'Points' from ") and said[0].endswith(f"in {folder}; restart it")
    assert [p.name for p in folder.parent.iterdir()] == ["points"]

    monkeypatch.setenv("STUDIO_LABS_HOME", str(home))
    assert studio(["pack", "open", str(pack)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("opened your copy of 'Points'") and "`--restart` starts it afresh" in out[0]
    assert out[1] == f"folder: {folder}" and _snapshot(folder) == before


def test_a_different_pack_of_the_same_name_opens_beside_the_copy_and_leaves_it_unchanged(tmp_path, capsys,
                                                                                     monkeypatch):
    (tmp_path / "a").mkdir()
    first = _points_pack(tmp_path)
    home = tmp_path / "student"
    folder = open_pack(first, home)
    project = load_project(folder / "points.studio.json")
    project.training["epochs"] = 77
    save_project(project)
    before = _snapshot(folder)
    second = _repacked(first, tmp_path / "b" / "points.studio-pack", {"title": {"en": "Points, week 2"}})
    said = []
    beside = open_pack(second, home, told=said.append)
    assert beside == home / "assignments" / "points-2" and load_lab(beside).text("title") == "Points, week 2"
    assert _snapshot(folder) == before and load_lab(folder).text("title") == "Points"
    assert said == [f"an assignment named 'points' from another pack is already open in {folder}; 'Points, week 2' "
                    f"is opened beside it in {beside} (nothing of the other was changed)"]
    assert open_pack(first, home) == folder and open_pack(second, home) == beside  # each finds its own copy
    (beside / "mine.txt").write_text("week 2 work")
    assert open_pack(second, home, restart=True) == beside  # restart replaces the second pack's copy only
    assert _snapshot(folder) == before and not (beside / "mine.txt").exists()
    assert sorted(p.name for p in folder.parent.iterdir())[:2] == ["points", "points-2"]

    monkeypatch.setenv("STUDIO_LABS_HOME", str(tmp_path / "cli"))
    assert studio(["pack", "open", str(first)]) == 0
    third = _repacked(first, tmp_path / "c" / "points.studio-pack", {"instructions": {"en": "Other."}})
    capsys.readouterr()
    assert studio(["pack", "open", str(third)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "from another pack is already open in" in out[0] and out[1].endswith("points-2")


def test_a_copy_opened_before_the_digest_was_kept_is_the_same_pack_only_when_its_manifest_matches(tmp_path):
    (tmp_path / "a").mkdir()
    pack = _points_pack(tmp_path)
    home = tmp_path / "student"
    folder = open_pack(pack, home)
    lab = json.loads((folder / "lab.json").read_text())
    del lab["pack_sha256"], lab["opened"]  # as open_pack wrote it before
    (folder / "lab.json").write_text(json.dumps(lab))
    before = _snapshot(folder)
    said = []
    assert open_pack(pack, home, told=said.append) == folder and _snapshot(folder) == before
    assert said[0].startswith("opened your copy of 'Points' from 20")  # the date of its lab.json
    other = _repacked(pack, tmp_path / "b" / "points.studio-pack", {"check": json.loads(
        (folder / "lab.json").read_text())["check"][:1]})
    assert open_pack(other, home, told=said.append) == home / "assignments" / "points-2"
    assert _snapshot(folder) == before and "from another pack" in said[-1]


@pytest.mark.parametrize("content", [
    "root:x:0:0:root:/root:/bin/bash\n" + "daemon:x:1:1\n" * 3 + "me:x:1000:1000:Me,,,:/home/me:/bin/bash,a,b\n",
    bytes(range(256)) * 4,
    None,  # a pipe
])
def test_a_pack_carries_only_data_the_studio_reads_as_a_table(tmp_path, content):
    """A project can name any file as its data: Export as Assignment once packed /etc/passwd for students."""
    import os
    (tmp_path / "teacher").mkdir()
    project = mlp_project(tmp_path / "teacher")
    data = tmp_path / "elsewhere"
    if content is None:
        os.mkfifo(data)
    else:
        data.write_bytes(content.encode() if isinstance(content, str) else content)
    project.data["path"] = str(data)
    save_project(project, project.path)
    with pytest.raises(LabError, match="the project's data cannot go into a pack: ") as raised:
        create_pack(project.path, tmp_path / "leak.studio-pack")
    assert "\n" not in str(raised.value) and not (tmp_path / "leak.studio-pack").exists()
    assert "home/me" not in str(raised.value)
