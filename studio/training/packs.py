"""Assignment packs: a teacher's project as one file that a student opens and checks offline.

A pack (``NAME.studio-pack``) is a zip archive of plain files, never pickle:
``pack.json`` (title, instructions, seed, locked settings, check items, data
checksum), the project, its CSV data (or the checksum of the bundled MNIST),
and the lessons when the project comes from a lab. ``open_pack`` checks every
member name and size before extracting, verifies the data checksum, and writes
a ``lab.json`` beside the project, so the app's Lab tab and ``check_lab`` work
on an assignment exactly as on a lab. Locked settings become a check item: a
student may try anything, but the check fails until the locked values are back.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import re
import shutil
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Callable

from studio.core.files import atomic_write
from studio.core.project import ProjectError, dumps, load_project
from studio.resources import resource
from studio.training.labs import FORMAT as LAB_FORMAT
from studio.training.labs import VERSION as LAB_VERSION
from studio.training.labs import CHUNK, LabError, Progress, labs_home, load_lab

FORMAT = "perceptron-studio/assignment"
VERSION = 1
SUFFIX = ".studio-pack"
DEFAULT_LOCKS = ("data", "training.seed")
MAX_MEMBERS = 50
MAX_BYTES = 512 * 1024 * 1024  # uncompressed, all members together
_SAFE_NAME = re.compile(r"^[A-Za-z0-9_.\-]+(/[A-Za-z0-9_.\-]+)?$")


def _sha256(path: Path, counter: Progress | None = None) -> str:
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
    return {"kind": "metric", "split": split, "name": name, ("min" if op == ">=" else "max"): float(value),
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
        "project": project_path.name, "check": check, "lab": lab.id if lab else None,
    }
    if lab and "ko" in lab.title and not title:
        manifest["title"]["ko"] = lab.title["ko"]
    members = {}
    data_path = project.data_path()
    source = project.data.get("source")
    if source == "csv":
        if data_path is None or not data_path.is_file():
            raise LabError(f"the project's data file {data_path} is missing; a pack carries its data")
        counter = Progress(2 * data_path.stat().st_size, progress, cancelled)
        manifest["data"] = {"file": f"data/{data_path.name}", "sha256": _sha256(data_path, counter)}
        members[f"data/{data_path.name}"] = data_path
        project.data["path"] = f"data/{data_path.name}"
    elif source == "mnist":
        counter = Progress(0, progress, cancelled)
        manifest["data"] = {"bundled": "mnist", "sha256": _sha256(resource("datasets", "mnist", "SHA256SUMS"))}
    else:
        raise LabError(f"a pack carries CSV data or refers to the bundled MNIST; this project's data source is "
                       f"{source!r}")
    for name in ("lesson.en.md", "lesson.ko.md"):
        if (folder / name).is_file():
            members[name] = folder / name
    project_text = _project_text(project)
    target = Path(target)

    def write(temp: str) -> None:
        with zipfile.ZipFile(temp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("pack.json", json.dumps(manifest, indent=1, ensure_ascii=False))
            archive.writestr(project_path.name, project_text)
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


def _project_text(project) -> str:
    """The project as it is stored, with the data path relative to the pack."""
    return dumps({**project.to_dict(), "data": project.data})


def assignments_home(home: Path | None = None) -> Path:
    return (home or labs_home()) / "assignments"


def read_manifest(pack: str | Path) -> dict:
    """The pack's ``pack.json`` after checking the archive (names, sizes, format)."""
    pack = Path(pack)
    try:
        with zipfile.ZipFile(pack) as archive:
            infos = archive.infolist()
            _check_members(pack, infos)
            manifest = json.loads(archive.read("pack.json").decode("utf-8"))
    except (OSError, zipfile.BadZipFile) as exc:
        raise LabError(f"{pack}: not a readable assignment pack ({exc})") from None
    except KeyError:
        raise LabError(f"{pack}: the pack has no pack.json") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise LabError(f"{pack}: pack.json is damaged ({exc})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise LabError(f"{pack}: not a Perceptron Studio assignment (expected \"format\": \"{FORMAT}\")")
    if manifest.get("version") != VERSION:
        raise LabError(f"{pack}: assignment format version {manifest.get('version')!r}; this studio reads {VERSION}")
    for key in ("title", "instructions", "project", "check", "data"):
        if key not in manifest:
            raise LabError(f"{pack}: pack.json has no {key!r}")
    return manifest


def _check_members(pack: Path, infos) -> None:
    if len(infos) > MAX_MEMBERS:
        raise LabError(f"{pack}: {len(infos)} files in the pack; an assignment has at most {MAX_MEMBERS}")
    if sum(i.file_size for i in infos) > MAX_BYTES:
        raise LabError(f"{pack}: the pack unpacks to more than {MAX_BYTES // 2**20} MiB")
    for info in infos:
        if not _SAFE_NAME.match(info.filename) or ".." in info.filename:
            raise LabError(f"{pack}: the pack holds a file named {info.filename!r}, which is not allowed "
                           "(only plain names, at most one folder deep)")


def open_pack(pack: str | Path, home: Path | None = None, restart: bool = False,
              progress: Callable[[float], None] | None = None, cancelled: Callable[[], bool] | None = None) -> Path:
    """Unpack an assignment into the student's folder (kept if it exists); returns the folder.

    Unpacked into a hidden folder renamed into place at the end: a damaged
    pack, a failure or ``cancelled()`` (which raises ``Cancelled``) leaves
    nothing behind. ``progress`` hears the fraction of the bytes unpacked; the
    data's checksum is taken while it is unpacked.
    """
    pack = Path(pack)
    manifest = read_manifest(pack)
    name = re.sub(r"[^A-Za-z0-9_.\-]", "_", pack.name[: -len(SUFFIX)] if pack.name.endswith(SUFFIX) else pack.stem)
    target = assignments_home(home) / name
    if target.exists() and not restart:
        return target
    temp = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temp = Path(tempfile.mkdtemp(prefix=f".{target.name}.opening-", dir=target.parent))
        digests = _extract(pack, temp, manifest, progress, cancelled)
        _verify_data(pack, manifest, temp, digests)
        load_project(temp / manifest["project"])  # a readable project, or a clear message
        lab = {"format": LAB_FORMAT, "version": LAB_VERSION, "number": 0, "kind": "project",
               "title": manifest["title"], "summary": manifest["instructions"], "project": manifest["project"],
               "check": manifest["check"], "assignment": pack.name}
        (temp / "lab.json").write_text(json.dumps(lab, indent=1, ensure_ascii=False), encoding="utf-8")
        if not (temp / "lesson.en.md").is_file():
            text = manifest["instructions"]
            for lang in ("en", "ko"):
                if text.get(lang):
                    heading = manifest["title"].get(lang) or manifest["title"]["en"]
                    (temp / f"lesson.{lang}.md").write_text(f"# {heading}\n\n{text[lang]}\n", encoding="utf-8")
        load_lab(temp)  # the check items are ones this studio knows
        Progress(0, None, cancelled).check()
        if target.exists():  # restart: the earlier work is kept aside, never deleted
            target.rename(target.with_name(f"{target.name}.old-{time.strftime('%Y%m%d-%H%M%S')}"))
        os.replace(temp, target)
        temp = None
    except (OSError, zipfile.BadZipFile, ProjectError) as exc:
        raise LabError(f"{pack}: cannot open the assignment ({exc})") from None
    finally:
        if temp is not None:
            shutil.rmtree(temp, ignore_errors=True)
    return target


def _extract(pack: Path, folder: Path, manifest: dict, progress, cancelled) -> dict[str, str]:
    """Unpack every member (names already checked) a chunk at a time; returns {name: sha256}."""
    digests = {}
    with zipfile.ZipFile(pack) as archive:
        infos = archive.infolist()
        _check_members(pack, infos)  # again: the file may have changed since read_manifest
        counter = Progress(sum(i.file_size for i in infos), progress, cancelled)
        for info in infos:
            path = folder / info.filename
            if info.is_dir():
                path.mkdir(parents=True, exist_ok=True)
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            digest = hashlib.sha256()
            with archive.open(info) as src, open(path, "wb") as dst:
                for block in iter(lambda: src.read(CHUNK), b""):
                    digest.update(block)
                    dst.write(block)
                    counter.step(len(block))
            digests[info.filename] = digest.hexdigest()
    return digests


def _verify_data(pack: Path, manifest: dict, folder: Path, digests: dict[str, str]) -> None:
    data = manifest["data"]
    if data.get("bundled") == "mnist":
        if _sha256(resource("datasets", "mnist", "SHA256SUMS")) != data.get("sha256"):
            raise LabError(f"{pack}: the assignment was made with a different MNIST than this studio's")
        return
    name = data.get("file", "")
    if not (folder / name).is_file() or digests.get(name) != data.get("sha256"):
        raise LabError(f"{pack}: the data file {data.get('file')!r} does not match its checksum; the pack is "
                       "damaged or was changed after the teacher made it")
