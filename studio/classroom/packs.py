"""Assignment packs: a teacher's project as one file that a student opens and checks offline.

A pack (``NAME.studio-pack``) is a zip archive of plain files, never pickle:
``pack.json`` (title, instructions, seed, locked settings, check items, data
checksum), the project, its CSV data (or the checksum of the bundled MNIST),
and the lessons when the project comes from a lab. ``open_pack`` writes a
``lab.json`` beside the project, so the app's Lab tab and ``check_lab`` work
on an assignment exactly as on a lab. Locked settings become a check item: a
student may try anything, but the check fails until the locked values are back.

This module makes packs (``create_pack``) and holds what making and opening share;
opening one, with every check a file from someone else needs, is
``studio.classroom.pack_open``.
"""

from __future__ import annotations

import copy
import hashlib
import json
import math
import re
import zipfile
from pathlib import Path
from typing import Callable

from studio.core.files import atomic_write
from studio.core.project import ProjectError, dumps, load_project
from studio.resources import resource
from studio.classroom.labs import CHUNK, LabError, Progress, labs_home, load_lab
from studio.classroom.pack_manifest import RESERVED, ManifestProblem, check_manifest, plain_name

FORMAT = "perceptron-studio/assignment"
VERSION = 1
SUFFIX = ".studio-pack"
DEFAULT_LOCKS = ("data", "training.seed")
MAX_MEMBERS = 50
MAX_BYTES = 512 * 1024 * 1024  # uncompressed, all members together


def sha256_of(path: Path, counter: Progress | None = None) -> str:
    """The file's SHA-256 as hex, read in chunks (``counter`` hears each)."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(CHUNK), b""):
            digest.update(block)
            if counter is not None:
                counter.step(len(block))
    return digest.hexdigest()


def _get(section: dict, dotted: str):
    value = section
    for part in dotted.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def locked_values(project, locks) -> dict:
    """{dotted path: value} for every locked setting; "data" locks each data setting but the file's place."""
    sections = {"data": project.data, "training": project.training}
    values = {}
    for lock in locks:
        section, _, rest = lock.partition(".")
        if section not in sections:
            raise LabError(f"cannot lock {lock!r}: locks start with data. or training.")
        if not rest:
            for key, value in sections[section].items():
                if key not in ("path", "format"):
                    values[f"{section}.{key}"] = copy.deepcopy(value)
        else:
            values[lock] = copy.deepcopy(_get(sections[section], rest))
    return values


def parse_requirement(text: str) -> dict:
    """'test.accuracy>=0.9' -> a metric check item."""
    match = re.fullmatch(r"\s*(train|validation|test)\.([A-Za-z0-9_]+)\s*(>=|<=)\s*([0-9.eE+-]+)\s*", text)
    if not match:
        raise LabError(f"requirement {text!r}: write it as SPLIT.METRIC>=VALUE or <=VALUE, e.g. test.accuracy>=0.9")
    split, name, op, value = match.groups()
    try:
        bound = float(value)
    except ValueError:
        bound = math.nan
    if not math.isfinite(bound):
        raise LabError(f"requirement {text!r}: the bound must be a number, e.g. test.accuracy>=0.9")
    return {"kind": "metric", "split": split, "name": name, ("min" if op == ">=" else "max"): bound,
            "hint": {"en": f"Train until the {split} {name} is {'at least' if op == '>=' else 'at most'} {value}.",
                     "ko": f"{split} {name}이(가) {value} {'이상' if op == '>=' else '이하'}이 될 때까지 훈련하세요."}}


def create_pack(project_path: str | Path, target: str | Path, title: str | None = None,
                instructions: dict | None = None, locks=DEFAULT_LOCKS, requirements=(),
                progress: Callable[[float], None] | None = None, cancelled: Callable[[], bool] | None = None) -> Path:
    """Pack a saved project (a lab copy brings its lessons and check) into ``target``.

    The data is read twice (checksum, then compression); ``progress`` hears
    the fraction of that done, and ``cancelled()`` stops it with ``Cancelled``
    before ``target`` is touched.
    """
    project_path = Path(project_path)
    try:
        project = load_project(project_path)
    except ProjectError as exc:
        raise LabError(str(exc)) from None
    folder = project_path.parent
    lab = None
    if (folder / "lab.json").is_file():
        try:
            lab = load_lab(folder)
        except LabError:
            lab = None
    check = [dict(item) for item in lab.check] if lab else [
        {"kind": "advisor", "hint": {"en": "Open the Advisor tab: it explains what does not fit the data.",
                                     "ko": "도우미 탭을 여세요. 데이터에 맞지 않는 것을 설명해 줍니다."}}]
    check += [parse_requirement(r) for r in requirements]
    values = locked_values(project, locks)
    if values:
        check.append({"kind": "locked", "values": values,
                      "hint": {"en": "The assignment fixes these settings; set them back to the values shown.",
                               "ko": "과제에서 정한 설정입니다. 표시된 값으로 되돌리세요."}})
    manifest = {
        "format": FORMAT, "version": VERSION,
        "title": {"en": title or (lab.text("title") if lab else project.graph.name)},
        "instructions": instructions or (dict(lab.summary) if lab else {"en": f"Train {project.graph.name}."}),
        "seed": project.training.get("seed", 42),
        "project": _member_name(project_path.name, "project.studio.json"), "check": check,
        "lab": lab.id if lab else None,
    }
    if lab and "ko" in lab.title and not title:
        manifest["title"]["ko"] = lab.title["ko"]
    members = {}
    data_path = project.data_path()
    source = project.data.get("source")
    if source == "csv":
        if data_path is None or not data_path.exists():
            raise LabError(f"the project's data file {data_path} is missing; a pack carries its data")
        _check_data(data_path, project.data.get("format") or {})
        counter = Progress(2 * data_path.stat().st_size, progress, cancelled)
        member = f"data/{_member_name(data_path.name, 'data.csv')}"
        manifest["data"] = {"file": member, "sha256": sha256_of(data_path, counter)}
        members[member] = data_path
        project.data["path"] = member
    elif source == "mnist":
        counter = Progress(0, progress, cancelled)
        manifest["data"] = {"bundled": "mnist", "sha256": sha256_of(resource("datasets", "mnist", "SHA256SUMS"))}
    else:
        raise LabError(f"a pack carries CSV data or refers to the bundled MNIST; this project's data source is "
                       f"{source!r}")
    for name in ("lesson.en.md", "lesson.ko.md"):
        if (folder / name).is_file():
            members[name] = folder / name
    try:  # what open_pack would refuse is said to the teacher now, not to every student later
        check_manifest(manifest)
    except ManifestProblem as exc:
        raise LabError(f"{project_path}: cannot make a pack of it: {exc}") from None
    project_text = _project_text(project)
    target = Path(target)

    def write(temp: str) -> None:
        with zipfile.ZipFile(temp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("pack.json", json.dumps(manifest, indent=1, ensure_ascii=False))
            archive.writestr(manifest["project"], project_text)
            for name, path in members.items():
                info = zipfile.ZipInfo.from_file(path, name)
                info.compress_type = zipfile.ZIP_DEFLATED
                with open(path, "rb") as src, archive.open(info, "w") as dst:
                    for block in iter(lambda: src.read(CHUNK), b""):
                        dst.write(block)
                        if name.startswith("data/"):
                            counter.step(len(block))
                        else:
                            counter.check()
    try:
        atomic_write(target, write)
    except OSError as exc:
        raise LabError(f"{target}: cannot write the pack ({exc.strerror or exc})") from None
    return target


def _member_name(name: str, fallback: str) -> str:
    """A file's name as a pack member: plain (open_pack refuses any other), never pack.json or lab.json."""
    plain = plain_name(name)
    return plain if plain and plain not in RESERVED else fallback


def _check_data(path: Path, fmt: dict) -> None:
    """A pack carries its data to students: only a file the studio reads as a table (a project can name
    any file as its data, /etc/passwd included; packing it would hand it out)."""
    from studio.data.csv_file import load_csv
    from studio.data.errors import DataError
    try:
        load_csv(path, encoding=fmt.get("encoding"), delimiter=fmt.get("delimiter"), decimal=fmt.get("decimal"),
                 header=fmt.get("header"))
    except DataError as exc:
        raise LabError(f"the project's data cannot go into a pack: {exc}") from None


def _project_text(project) -> str:
    """The project as it is stored, with the data path relative to the pack."""
    return dumps({**project.to_dict(), "data": project.data})


def assignments_home(home: Path | None = None) -> Path:
    return (home or labs_home()) / "assignments"
