"""Hostile and broken assignment packs (issue 15, items 4, 13 and 22): one clear line, nothing outside the pack
read or written, no temporary folder left, and an assignment already opened never harmed."""

import json
import os
import random
import re
import stat
import time
import zipfile
from pathlib import Path

import pytest

from studio.classroom import lab_checks, pack_manifest, pack_open, packs
from studio.classroom.labs import LabError, list_labs
from studio.classroom.pack_manifest import plain_name
from studio.classroom.pack_open import folder_name, open_pack, read_manifest
from studio.classroom.packs import create_pack
from studio.cli import main as studio
from training.helpers import mlp_project


@pytest.fixture
def teacher(tmp_path):
    """A good pack's members ({name: bytes}) and its pack.json as a dict."""
    (tmp_path / "teacher").mkdir()
    mlp_project(tmp_path / "teacher")
    good = create_pack(tmp_path / "teacher" / "points.studio.json", tmp_path / "teacher.studio-pack",
                       requirements=["test.accuracy>=0.5"])
    with zipfile.ZipFile(good) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    return members, json.loads(members["pack.json"])


def write_pack(path, members, manifest=None, infos=()):
    """A pack at ``path`` of ``members`` with ``manifest`` as pack.json (a dict, or text used as it is)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if manifest is not None:
        members = {**members, "pack.json": manifest if isinstance(manifest, str) else json.dumps(manifest)}
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        for info, data in infos:
            archive.writestr(info, data)
    return path


def snapshot(folder: Path) -> dict:
    """Every file below ``folder`` with its bytes: what "unharmed" means for an opened assignment."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def one_line(exc) -> str:
    text = str(exc.value) if hasattr(exc, "value") else str(exc)
    assert "\n" not in text and "Traceback" not in text
    return text


# -- item 4: the folder's name, and every path of a pack, stay inside -------------------------------------

@pytest.mark.parametrize("name", [".studio-pack", "..studio-pack", "...studio-pack", "....studio-pack",
                                  "-_.studio-pack"])
def test_a_pack_whose_name_gives_no_folder_is_refused_and_touches_nothing(tmp_path, teacher, name):
    members, _ = teacher
    home = tmp_path / "labs"
    opened = open_pack(write_pack(tmp_path / "good" / "points.studio-pack", members), home)
    (home / "mine.txt").write_text("the student's own file")
    before = snapshot(home)
    pack = write_pack(tmp_path / "hostile" / name, members)
    for restart in (False, True):  # --restart used to move the whole assignments folder aside
        with pytest.raises(LabError, match="no folder name") as exc:
            open_pack(pack, home, restart=restart)
        one_line(exc)
    assert snapshot(home) == before and sorted(p.name for p in home.iterdir()) == ["assignments", "mine.txt"]
    assert [p.name for p in opened.parent.iterdir()] == ["points"]


@pytest.mark.parametrize("name, folder", [
    ("points.studio-pack", "points"),
    (".hidden.studio-pack", "hidden"),
    ("a b\\c:d.studio-pack", "a_b_c_d"),
    ("과제 1.studio-pack", "과제_1"),
    ("CON.studio-pack", "_CON"),
    ("x.y..studio-pack", "x.y"),
    ("NAME.STUDIO-PACK", "NAME"),
])
def test_a_pack_opens_in_a_plain_folder_named_after_it(tmp_path, teacher, name, folder):
    members, _ = teacher
    assert open_pack(write_pack(tmp_path / "in" / name, members), tmp_path / "home") == \
        tmp_path / "home" / "assignments" / folder


def test_plain_names_have_no_separators_nul_dots_or_excess():
    assert plain_name("a/b\\c\0d\ne") == "a_b_c_d_e"
    assert plain_name("..") == plain_name(".") == plain_name("") == plain_name("._-") == ""
    assert plain_name(".bashrc") == "bashrc" and plain_name("trail...") == "trail"
    assert plain_name("cafe\u0301") == "caf\u00e9"  # one name for macOS' decomposed spelling
    long = plain_name("점" * 200)
    assert len(long.encode("utf-8")) <= pack_manifest.MAX_NAME_BYTES and long == "점" * (pack_manifest.MAX_NAME_BYTES // 3)
    assert folder_name(Path("a\0b.studio-pack")) == "a_b"
    with pytest.raises(LabError) as exc:
        open_pack(Path("/nowhere/a\0b.studio-pack"), Path("/nowhere"))
    one_line(exc)


@pytest.mark.parametrize("field, value", [
    ("project", "ABSOLUTE"),
    ("project", "../../outside.studio.json"),
    ("project", "data/points.csv"),
    ("project", "lab.json"),
    ("project", "pack.json"),
    ("project", "."),
    ("data.file", "ABSOLUTE"),
    ("data.file", "../outside.csv"),
    ("data.file", "data/../../outside.csv"),
    ("data.file", "data/.hidden.csv"),
    ("data.file", "pack.json"),
    ("data.file", "points.studio.json"),
])
def test_a_manifest_path_that_leaves_the_pack_is_refused_before_anything_is_read(tmp_path, teacher, field, value):
    members, manifest = teacher
    outside = tmp_path / ("outside.studio.json" if field == "project" else "outside.csv")
    outside.write_bytes(members["points.studio.json" if field == "project" else "data/points.csv"])
    value = str(outside) if value == "ABSOLUTE" else value
    if field == "project":
        manifest["project"] = value
    else:
        manifest["data"]["file"] = value
    home = tmp_path / "home"
    with pytest.raises(LabError, match=re.escape(f"'{field}' must be the plain name")) as exc:
        open_pack(write_pack(tmp_path / "in" / "points.studio-pack", members, manifest), home)
    one_line(exc)
    assert not home.exists()  # refused before a folder was made, so no check can ever read the outside file


@pytest.mark.parametrize("data_path", ["ABSOLUTE", "../../outside.csv", "other.csv"])
def test_a_packed_project_that_reads_data_outside_the_pack_is_refused(tmp_path, teacher, data_path):
    members, _ = teacher
    (tmp_path / "outside.csv").write_bytes(members["data/points.csv"])
    project = json.loads(members["points.studio.json"])
    project["data"]["path"] = str(tmp_path / "outside.csv") if data_path == "ABSOLUTE" else data_path
    members = {**members, "points.studio.json": json.dumps(project), "other.csv": members["data/points.csv"]}
    home = tmp_path / "home"
    with pytest.raises(LabError, match=r"does not read the pack's data \(data/points.csv\)") as exc:
        open_pack(write_pack(tmp_path / "in" / "points.studio-pack", members), home)
    one_line(exc)
    assert list((home / "assignments").iterdir()) == []


def _special(name, kind, data=b""):
    info = zipfile.ZipInfo(name)
    info.create_system = 3  # unix, where the mode's file type counts
    info.external_attr = (kind | 0o777) << 16
    return info, data


@pytest.mark.parametrize("members_change, infos, message", [
    ({"../../escape.txt": b"x"}, (), "'../../escape.txt', which is not allowed"),
    ({"data/../../escape.txt": b"x"}, (), "which is not allowed"),
    ({"/etc/escape.txt": b"x"}, (), "which is not allowed"),
    ({".hidden": b"x"}, (), "'.hidden', which is not allowed"),
    ({"a/b/c.txt": b"x"}, (), "which is not allowed"),
    ({"data/": b""}, (), "'data/', which is not allowed"),
    ({"DATA/points.csv": b"x"}, (), "'DATA/points.csv' twice"),
    ({"data": b"x"}, (), "'data' both as a file and as a folder"),
    ({}, [_special("notes.txt", stat.S_IFLNK, b"/etc/passwd")], "'notes.txt' is a symbolic link, not a regular file"),
    ({}, [_special("notes", stat.S_IFDIR)], "'notes' is a folder, not a regular file"),
    ({}, [_special("fifo", stat.S_IFIFO)], "'fifo' is special, not a regular file"),
])
def test_members_that_are_not_plain_regular_files_are_refused_by_name(tmp_path, teacher, members_change, infos,
                                                                     message):
    members, _ = teacher
    pack = write_pack(tmp_path / "in" / "points.studio-pack", {**members, **members_change}, infos=infos)
    with pytest.raises(LabError, match=re.escape(message)) as exc:
        read_manifest(pack)
    assert "pack.json is damaged" not in one_line(exc)  # item 22: it said so for any member
    with pytest.raises(LabError, match=re.escape(message)):
        open_pack(pack, tmp_path / "home")
    assert not (tmp_path / "home").exists() and not (tmp_path / "in" / "escape.txt").exists()


# -- item 22: what is wrong with which member -------------------------------------------------------------

def _flip_stored_byte(path: Path, member: str) -> None:
    """Change one byte of ``member``'s stored data, so the archive's own CRC no longer matches."""
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(member)
    raw = bytearray(path.read_bytes())
    name_length, extra_length = int.from_bytes(raw[info.header_offset + 26:info.header_offset + 28], "little"), \
        int.from_bytes(raw[info.header_offset + 28:info.header_offset + 30], "little")
    at = info.header_offset + 30 + name_length + extra_length + 3
    raw[at] ^= 0x20
    path.write_bytes(bytes(raw))


def test_member_problems_say_which_member_and_what(tmp_path, teacher):
    members, manifest = teacher
    home = tmp_path / "home"

    def refused(name, members, manifest=None):
        with pytest.raises(LabError) as exc:
            open_pack(write_pack(tmp_path / name / "points.studio-pack", members, manifest), home)
        text = one_line(exc)
        assert "pack.json is damaged" not in text
        return text

    no_data = {k: v for k, v in members.items() if k != "data/points.csv"}
    assert "names 'data/points.csv' as its data file ('data.file'), but the pack holds no such file" in \
        refused("no-data", no_data)
    no_project = {k: v for k, v in members.items() if k != "points.studio.json"}
    assert "names 'points.studio.json' as its project ('project'), but the pack holds no such file" in \
        refused("no-project", no_project)
    changed = {**members, "data/points.csv": members["data/points.csv"] + b"1,2,3,4,low\n"}
    assert "the data file 'data/points.csv' does not match its checksum in pack.json" in refused("changed", changed)
    assert "the pack's project 'points.studio.json' cannot be read: not valid JSON" in \
        refused("bad-project", {**members, "points.studio.json": b"{"})
    crc = write_pack(tmp_path / "crc" / "points.studio-pack", members)
    _flip_stored_byte(crc, "data/points.csv")
    with pytest.raises(LabError, match=re.escape("the pack's member 'data/points.csv' is damaged (Bad CRC-32")):
        open_pack(crc, home)
    with pytest.raises(LabError, match="this is a folder, not an assignment pack"):
        open_pack(tmp_path, home)
    fifo = tmp_path / "pipe.studio-pack"
    os.mkfifo(fifo)
    with pytest.raises(LabError, match="not a regular file"):  # at once: opening a pipe would wait forever
        open_pack(fifo, home)
    assert list((home / "assignments").iterdir()) == []


# -- item 13: every field's type, one line naming it -------------------------------------------------------

DEEP = "@@DEEP@@"


def _set(manifest, dotted, value):
    *parents, last = dotted.split(".")
    node = manifest
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    if value is KeyError:
        del node[last]
    elif isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value


def _text_of(manifest, depth=200_000):
    return json.dumps(manifest).replace(json.dumps(DEEP), "[" * depth + "]" * depth)


@pytest.mark.parametrize("dotted, value, field", [
    ("title", ["Points"], "'title'"),
    ("title", {"ko": "점"}, "'title' has no English"),
    ("title.en", 5, "'title.en'"),
    ("title", DEEP, "nests more than"),
    ("instructions", 5, "'instructions'"),
    ("instructions.en", None, "'instructions.en'"),
    ("project", 5, "'project'"),
    ("project", "", "'project'"),
    ("check", {"a": 1}, "'check'"),
    ("check", [], "'check'"),
    ("check", [5], "'check[0]'"),
    ("check.0.kind", ["advisor"], "'check[0].kind'"),
    ("check.0.kind", "format_disk", "'check[0].kind' is not a check this studio knows"),
    ("check.0.hint", "read the lesson", "'check[0].hint'"),
    ("check.1.min", "0.5", "'check[1].min'"),
    ("check.1.min", True, "'check[1].min'"),
    ("check.1.min", KeyError, "'check[1]' (metric) needs one bound"),
    ("check.1.split", "everything", "'check[1].split'"),
    ("check.1.name", {"a": 1}, "'check[1].name'"),
    ("check.2.values", ["data"], "'check[2].values'"),
    ("check.2.values", "all", "'check[2].values'"),
    ("check.2.values", {"model.units": 3}, "'check[2].values' locks a setting"),
    ("check.2.values", KeyError, "'check[2]' (locked) has no 'values'"),
    ("check.2.values", {"training.seed": json.loads("[" * 33 + "]" * 33)}, "nests more than 32 levels"),
    ("data", [], "'data'"),
    ("data.file", 5, "'data.file'"),
    ("data.sha256", 5, "'data.sha256'"),
    ("data.sha256", KeyError, "'data.sha256'"),
    ("data.bundled", "cifar", "'data.bundled'"),
    ("seed", "abc", "'seed'"),
    ("seed", 1.5, "'seed'"),
    ("lab", 5, "'lab'"),
    ("title", KeyError, "pack.json has no 'title'"),
    ("instructions", KeyError, "pack.json has no 'instructions'"),
    ("project", KeyError, "pack.json has no 'project'"),
    ("check", KeyError, "pack.json has no 'check'"),
    ("data", KeyError, "pack.json has no 'data'"),
    ("version", True, "version true or false"),
    ("version", "1", "version text"),
    ("format", ["perceptron-studio/assignment"], "not a Perceptron Studio assignment"),
])
def test_a_field_of_the_wrong_type_is_one_line_naming_it_and_leaves_everything_as_it_was(
        tmp_path, teacher, dotted, value, field):
    members, manifest = teacher
    home = tmp_path / "home"
    opened = open_pack(write_pack(tmp_path / "good" / "points.studio-pack", members), home)
    before = snapshot(opened)
    _set(manifest, dotted, value)
    pack = write_pack(tmp_path / "bad" / "points.studio-pack", members, _text_of(manifest))
    with pytest.raises(LabError, match=re.escape(field)) as exc:
        open_pack(pack, home, restart=True)
    assert one_line(exc).startswith(f"{pack}: ")
    assert [p.name for p in home.joinpath("assignments").iterdir()] == ["points"]  # no .points.opening-*, no .old
    assert snapshot(opened) == before


def test_json_that_is_not_json_is_one_line(tmp_path, teacher):
    members, manifest = teacher
    for text, message in [('{"format": ', "not valid JSON (line 1"),
                          (json.dumps(manifest).replace('"min": 0.5', '"min": NaN'), "NaN is not a JSON value"),
                          ('{"seed": ' + "9" * 5000 + "}", "not valid JSON"),
                          (b"\xff\xfe{}", "not UTF-8 text"),
                          ("[" * 200_000 + "]" * 200_000, "nests more than")]:
        with pytest.raises(LabError, match=re.escape(message)) as exc:
            read_manifest(write_pack(tmp_path / str(len(text)) / "p.studio-pack", members, text)
                          if isinstance(text, str) else write_pack(tmp_path / "bytes" / "p.studio-pack",
                                                                   {**members, "pack.json": text}))
        one_line(exc)


def test_every_check_kind_has_its_fields_described_and_every_bundled_lab_fits_them():
    assert set(pack_manifest.ITEM_FIELDS) == set(lab_checks.ITEMS)
    for lab in list_labs():
        for i, item in enumerate(lab.check):
            pack_manifest._check_item(item, f"{lab.id} check[{i}]")


def test_a_failed_rename_puts_the_earlier_copy_back_and_stale_unpackings_go(tmp_path, teacher, monkeypatch):
    members, manifest = teacher
    home = tmp_path / "home"
    pack = write_pack(tmp_path / "in" / "points.studio-pack", members)
    opened = open_pack(pack, home)
    before = snapshot(opened)
    killed = opened.parent / ".points.opening-killed"  # what a kill -9 during an open leaves
    killed.mkdir()
    (killed / "points.studio.json").write_text("{}")
    hour_ago = time.time() - 2 * pack_open.STALE_SECONDS
    os.utime(killed, (hour_ago, hour_ago))
    running = opened.parent / ".points.opening-running"  # another open of the same pack, still at work
    running.mkdir()

    def full_disk(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pack_open.os, "replace", full_disk)
    with pytest.raises(LabError, match=r"cannot open the assignment \(No space left on device\)") as exc:
        open_pack(pack, home, restart=True)
    one_line(exc)
    assert sorted(p.name for p in opened.parent.iterdir()) == [".points.opening-running", "points"]
    assert snapshot(opened) == before
    monkeypatch.undo()
    assert open_pack(pack, home, restart=True) == opened
    names = sorted(p.name for p in opened.parent.iterdir())
    assert names[0] == ".points.opening-running" and names[1] == "points" and names[2].startswith("points.old-")
    assert snapshot(opened.parent / names[2]) == before


def test_create_pack_names_members_plainly_and_refuses_what_students_could_not_open(tmp_path):
    teacher = tmp_path / "teacher"
    teacher.mkdir()
    project = mlp_project(teacher)
    (teacher / "points.csv").rename(teacher / "점수 data.csv")
    project.data["path"] = "점수 data.csv"
    from studio.core.project import save_project
    save_project(project, teacher / "my project.studio.json")
    pack = create_pack(teacher / "my project.studio.json", tmp_path / "p.studio-pack")
    with zipfile.ZipFile(pack) as archive:
        assert sorted(archive.namelist()) == ["data/점수_data.csv", "my_project.studio.json", "pack.json"]
    folder = open_pack(pack, tmp_path / "student")
    from studio.core.project import load_project
    assert load_project(folder / "my_project.studio.json").data_path() == folder / "data" / "점수_data.csv"

    project.training["seed"] = "abc"
    save_project(project, teacher / "my project.studio.json")
    with pytest.raises(LabError, match="training.seed: the seed must be a whole number") as exc:  # refused as read
        create_pack(teacher / "my project.studio.json", tmp_path / "q.studio-pack")
    one_line(exc)
    assert not (tmp_path / "q.studio-pack").exists()


@pytest.mark.parametrize("text", ["test.accuracy>=1.2.3", "test.accuracy>=1e999", "test.loss<=-", "test.loss<=nan"])
def test_a_requirement_whose_bound_is_not_a_number_is_one_line(text):
    with pytest.raises(LabError, match="the bound must be a number|SPLIT.METRIC>=VALUE") as exc:
        packs.parse_requirement(text)
    one_line(exc)


def test_the_cli_says_one_line_and_exits_2(tmp_path, teacher, capsys, monkeypatch):
    members, manifest = teacher
    monkeypatch.setenv("STUDIO_LABS_HOME", str(tmp_path / "labs"))
    pack = write_pack(tmp_path / "in" / ".studio-pack", members)
    assert studio(["pack", "open", str(pack), "--restart"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("studio pack: ") and "no folder name" in err
    manifest["check"] = {"kind": "advisor"}
    assert studio(["pack", "open", str(write_pack(tmp_path / "x" / "p.studio-pack", members, manifest))]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "'check' must be a list" in err and not (tmp_path / "labs").exists()


# -- a randomized sweep: random types and deep nesting anywhere in pack.json, and damaged archives ---------

_VALUES = [None, True, False, 0, -1, 2**70, 1.5, 1e308, "", "x", "../x", "/etc/passwd", "a\nb", "a\0b", [],
           [1, "a"], {}, {"en": 5}, {"kind": "metric"}, {"en": "x", "ko": ["y"]}, DEEP]


def _places(value, prefix=()):
    yield prefix
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, inner in items:
        yield from _places(inner, prefix + (key,))


def _mutated(manifest, rng):
    manifest = json.loads(json.dumps(manifest))
    for _ in range(rng.choice([1, 1, 2, 3])):
        place = rng.choice(list(_places(manifest)))
        if not place:
            if rng.random() < 0.1:
                return rng.choice(_VALUES)
            continue
        parent = manifest
        for key in place[:-1]:
            parent = parent[key]
        roll = rng.random()
        if roll < 0.15 and isinstance(parent, dict):
            del parent[place[-1]]
        elif roll < 0.2 and isinstance(parent, dict):
            parent["extra"] = rng.choice(_VALUES)
        else:
            parent[place[-1]] = rng.choice(_VALUES)
    return manifest


def test_random_pack_json_values_and_damaged_archives_never_give_a_traceback(tmp_path, teacher):
    members, manifest = teacher
    rng = random.Random(15)
    home = tmp_path / "home"
    good = write_pack(tmp_path / "good" / "points.studio-pack", members)
    opened = open_pack(good, home)
    good_bytes = good.read_bytes()
    outcomes = {"opened": 0, "refused": 0}
    started = time.monotonic()
    for case in range(300):
        pack = tmp_path / "cases" / str(case) / "points.studio-pack"
        if case < 200:  # a pack.json of random types and nesting
            text = _text_of(_mutated(manifest, rng), depth=rng.choice([33, 100, 5_000, 200_000]))
            write_pack(pack, members, text)
        else:  # a few bytes of the archive changed
            raw = bytearray(good_bytes)
            for _ in range(rng.choice([1, 2, 8])):
                raw[rng.randrange(len(raw))] = rng.randrange(256)
            pack.parent.mkdir(parents=True)
            pack.write_bytes(bytes(raw))
        before = snapshot(opened)
        try:
            open_pack(pack, home, restart=True)
            outcomes["opened"] += 1
        except LabError as exc:
            text = one_line(exc)
            assert text.startswith(f"{pack}: "), text
            assert snapshot(opened) == before, f"case {case}: a refused pack changed the opened copy"
            outcomes["refused"] += 1
        hidden = [p.name for p in opened.parent.iterdir() if p.name.startswith(".")]
        assert not hidden, f"case {case} left {hidden}"
    assert outcomes["refused"] > 200 and outcomes["opened"] > 0, outcomes  # both paths were taken
    assert time.monotonic() - started < 20


@pytest.mark.parametrize("make", ["no lab.json", "not JSON", "huge lab.json", "symlink", "file"])
def test_a_folder_of_the_packs_name_that_is_no_copy_of_it_is_left_alone(tmp_path, teacher, make):
    members, _ = teacher
    home = tmp_path / "home"
    place = home / "assignments" / "points"
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "lab.json").write_text("{}")
    place.parent.mkdir(parents=True)
    if make == "symlink":
        place.symlink_to(outside, target_is_directory=True)
    elif make == "file":
        place.write_text("mine")
    else:
        place.mkdir()
        (place / "notes.txt").write_text("mine")
        if make == "not JSON":
            (place / "lab.json").write_text("{not json")
        elif make == "huge lab.json":
            (place / "lab.json").write_text(" " * (pack_open.MAX_LAB_BYTES + 1) + "{}")
    before = snapshot(tmp_path / "home"), snapshot(outside)
    said = []
    opened = open_pack(write_pack(tmp_path / "in" / "points.studio-pack", members), home, told=said.append)
    assert opened == place.parent / "points-2" and (opened / "lab.json").is_file()
    assert snapshot(outside) == before[1]
    assert {k: v for k, v in snapshot(home).items() if not k.startswith("assignments/points-2")} == before[0]
    assert len(said) == 1 and one_line(said[0]) and "from another pack is already open" in said[0]
