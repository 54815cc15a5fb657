"""Opening an assignment pack: check the archive and every member, then unpack it into the student's folder.

A pack comes from someone else, so before anything is unpacked: the folder's
name is the file's name made plain (``folder_name``: never empty, '.', '..',
hidden or holding a separator); every member is a plain, regular, unencrypted
file at most one folder deep, none twice; pack.json is at most 1 MiB, nests at
most ``MAX_DEPTH`` levels and every field has its type (``pack_manifest.check_manifest``);
its project and data file are members of the pack, and the project reads only
the pack's data. Each refusal is one LabError line naming the field or member.
Making a pack is ``studio.classroom.packs``.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import re
import shutil
import stat
import struct
import tempfile
import time
import zipfile
import zlib
from pathlib import Path
from typing import Callable

from studio.core.files import not_a_regular_file
from studio.core.project import ProjectError, load_project
from studio.resources import resource
from studio.classroom.labs import FORMAT as LAB_FORMAT
from studio.classroom.labs import VERSION as LAB_VERSION
from studio.classroom.labs import CHUNK, LabError, Progress, load_lab
from studio.classroom.pack_manifest import (MAX_DEPTH, MAX_MANIFEST_BYTES, ManifestProblem, check_manifest,
                                            is_member_name, kind_of, plain_name)
from studio.classroom.packs import FORMAT, MAX_BYTES, MAX_MEMBERS, SUFFIX, VERSION, assignments_home, sha256_of

# -- names ------------------------------------------------------------------------------------

_ZIP_ERRORS = (OSError, EOFError, zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError,
               zlib.error, struct.error, ValueError)  # what zipfile raises on a damaged or odd archive
_COMPRESSIONS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA)


def folder_name(pack: str | Path) -> str:
    """The assignment folder's name, from the pack's file name; LabError when the name gives none."""
    pack = Path(pack)
    stem = pack.name[: -len(SUFFIX)] if pack.name.lower().endswith(SUFFIX) else pack.stem
    name = plain_name(stem)
    if not name:
        raise _refuse(pack, f"the file name gives the assignment no folder name (it needs a letter or a digit "
                            f"before {SUFFIX}); rename the file")
    return name


def _shown(text: str) -> str:
    """``text`` on one line: control characters (a newline in a file name) written as escapes."""
    return "".join(c if c.isprintable() else ascii(c)[1:-1] for c in text)


def _refuse(pack: Path, text: str) -> LabError:
    return LabError(_shown(f"{pack}: {text}"))


# -- reading ---------------------------------------------------------------------------------

def _check_regular(pack: Path) -> None:
    problem = not_a_regular_file(pack, "an assignment pack")
    if problem is not None:
        raise _refuse(pack, problem)


def read_manifest(pack: str | Path) -> dict:
    """The pack's ``pack.json`` after checking the archive (names, sizes, kinds of member) and every field."""
    pack = Path(pack)
    with _archive(pack) as archive:
        return _read_manifest(pack, archive)


class _archive:
    """The pack as an open zip archive; any failure to read it becomes one LabError."""

    def __init__(self, pack: Path):
        _check_regular(pack)
        self.pack = pack
        try:
            self.zip = zipfile.ZipFile(pack)
        except _ZIP_ERRORS as exc:
            raise _refuse(pack, f"not a readable assignment pack ({exc})") from None

    def __enter__(self) -> zipfile.ZipFile:
        return self.zip

    def __exit__(self, kind, exc, tb) -> None:
        self.zip.close()
        if kind is not None and not issubclass(kind, LabError) and issubclass(kind, _ZIP_ERRORS):
            raise _refuse(self.pack, f"not a readable assignment pack ({exc})") from None


def _read_manifest(pack: Path, archive: zipfile.ZipFile) -> dict:
    infos = _check_members(pack, archive.infolist())
    info = infos.get("pack.json")
    if info is None:
        raise _refuse(pack, "the pack has no pack.json")
    if info.file_size > MAX_MANIFEST_BYTES:
        raise _refuse(pack, f"pack.json is {info.file_size} bytes; a pack's pack.json has at most "
                            f"{MAX_MANIFEST_BYTES // 1024} KiB")
    try:
        text = archive.read(info).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _refuse(pack, f"pack.json is not UTF-8 text (byte {exc.start})") from None
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise _refuse(pack, f"the pack's pack.json is damaged ({exc})") from None
    try:
        manifest = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise _refuse(pack, f"pack.json is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    except RecursionError:
        raise _refuse(pack, f"pack.json nests more than {MAX_DEPTH} levels deep") from None
    except ValueError as exc:  # NaN or Infinity, or an integer too long to read
        raise _refuse(pack, f"pack.json is not valid JSON ({exc})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _refuse(pack, f"not a Perceptron Studio assignment (expected \"format\": \"{FORMAT}\")")
    version = manifest.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version != VERSION:
        shown = version if isinstance(version, int) and not isinstance(version, bool) else kind_of(version)
        raise _refuse(pack, f"assignment format version {shown}; this studio reads {VERSION}")
    try:
        check_manifest(manifest)
    except ManifestProblem as exc:
        raise _refuse(pack, f"pack.json: {exc}") from None
    for field, name in (("project", manifest["project"]), ("data.file", manifest["data"].get("file"))):
        if name is not None and name not in infos:
            raise _refuse(pack, f"pack.json names {name!r} as its {'project' if field == 'project' else 'data file'}"
                                f" ('{field}'), but the pack holds no such file")
    return manifest


def _no_constant(name: str):
    raise ValueError(f"{name} is not a JSON value")


def _check_members(pack: Path, infos) -> dict[str, zipfile.ZipInfo]:
    """Each member a plain, regular, unencrypted file at most one folder deep, none twice; {name: info}."""
    if len(infos) > MAX_MEMBERS:
        raise _refuse(pack, f"{len(infos)} files in the pack; an assignment has at most {MAX_MEMBERS}")
    if sum(i.file_size for i in infos) > MAX_BYTES:
        raise _refuse(pack, f"the pack unpacks to more than {MAX_BYTES // 2**20} MiB")
    seen, folders = {}, set()
    for info in infos:
        name = info.filename
        if not is_member_name(name):
            raise _refuse(pack, f"the pack holds a file named {name!r}, which is not allowed (only plain names of "
                                "letters, digits, '_', '-' and '.', not hidden, at most one folder deep)")
        kind = stat.S_IFMT(info.external_attr >> 16)
        if kind not in (0, stat.S_IFREG):
            what = "a symbolic link" if kind == stat.S_IFLNK else "a folder" if kind == stat.S_IFDIR else "special"
            raise _refuse(pack, f"the pack's member {name!r} is {what}, not a regular file")
        if info.flag_bits & 0x1:
            raise _refuse(pack, f"the pack's member {name!r} is encrypted; an assignment's files are plain")
        if info.compress_type not in _COMPRESSIONS:
            raise _refuse(pack, f"the pack's member {name!r} is compressed in a way this studio cannot read "
                                f"(method {info.compress_type})")
        key = name.casefold()  # Data.csv and data.csv are one file on Windows and macOS
        if key in seen:
            raise _refuse(pack, f"the pack holds {name!r} twice")
        seen[key] = info
        if "/" in name:
            folders.add(name.split("/")[0].casefold())
    clash = folders & set(seen)
    if clash:
        raise _refuse(pack, f"the pack holds {seen[clash.pop()].filename!r} both as a file and as a folder")
    return {info.filename: info for info in seen.values()}


# -- opening -----------------------------------------------------------------------------------

STALE_SECONDS = 3600  # an unpacking folder this old belongs to an open that was killed


def open_pack(pack: str | Path, home: Path | None = None, restart: bool = False,
              progress: Callable[[float], None] | None = None, cancelled: Callable[[], bool] | None = None,
              told: Callable[[str], None] | None = None, restart_hint: str = "") -> Path:
    """Unpack an assignment into the student's folder (kept if it exists); returns the folder.

    The folder's name is the pack's file name made plain (``folder_name``);
    every member and every path of pack.json stays inside it. Unpacked into a
    hidden folder renamed into place at the end: a damaged pack, a failure or
    ``cancelled()`` (which raises ``Cancelled``) leaves nothing behind, and an
    earlier copy is only set aside (``NAME.old-TIME``) once the new one is
    complete. ``progress`` hears the fraction of the bytes unpacked; the
    data's checksum is taken while it is unpacked.

    The opened copy's lab.json keeps the pack's content digest (``_digest``),
    so opening a pack again finds the copy made from it: that copy, with the
    student's work, is opened (``restart`` replaces it). A folder of the same
    name holding another pack's copy is never opened in its place nor touched:
    the new pack goes beside it as ``NAME-2`` (``-3``...). ``told`` hears one
    line whenever an existing copy is opened (ending with ``restart_hint``, how
    the caller's user restarts) or the pack is placed apart.
    """
    pack = Path(pack)
    name = folder_name(pack)
    with _archive(pack) as archive:
        manifest = _read_manifest(pack, archive)
        parent = assignments_home(home)
        target = parent / name
        if _taken(target):
            digest = _pack_digest(pack, archive, cancelled)
            target, found = _place(pack, parent, name, manifest, digest)
            title = manifest["title"]["en"]
            if found and not restart:
                if told:
                    told(_shown(f"opened your copy of {title!r} from {_opened_on(target)} in {target}{restart_hint}"))
                return target
            if not found and told:
                told(_shown(f"an assignment named {name!r} from another pack is already open in {parent / name}; "
                            f"{title!r} is opened beside it in {target} (nothing of the other was changed)"))
        try:
            parent.mkdir(parents=True, exist_ok=True)
            _remove_stale(parent, target.name)
            temp = Path(tempfile.mkdtemp(prefix=f".{target.name}.opening-", dir=parent))
        except OSError as exc:
            raise _refuse(pack, f"cannot open the assignment in {parent} ({exc.strerror or exc})") from None
        try:
            _unpack(pack, archive, manifest, temp, progress, cancelled)
            _put_in_place(temp, target)
        except OSError as exc:
            raise _refuse(pack, f"cannot open the assignment ({exc.strerror or exc})") from None
        finally:
            shutil.rmtree(temp, ignore_errors=True)  # gone already when it was renamed into place
    return target


MAX_PLACES = 99  # NAME, NAME-2 ... NAME-99: assignments of one file name from different packs
MAX_LAB_BYTES = 2 * MAX_MANIFEST_BYTES  # an opened copy's lab.json holds pack.json's texts and check


def _taken(path: Path) -> bool:
    return path.exists() or path.is_symlink()


def _digest(digests: dict[str, str]) -> str:
    """The pack's content: every member's name and SHA-256 (pack.json's too); the same for a pack zipped again."""
    text = "\n".join(f"{name}\0{sha}" for name, sha in sorted(digests.items()))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _pack_digest(pack: Path, archive: zipfile.ZipFile, cancelled) -> str:
    """``_digest`` of the pack as it stands, read a chunk at a time without writing anything."""
    counter = Progress(0, None, cancelled)
    digests = {}
    for info in archive.infolist():
        digest = hashlib.sha256()
        try:
            with archive.open(info) as src:
                for block in iter(lambda: src.read(CHUNK), b""):
                    digest.update(block)
                    counter.check()
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
            raise _refuse(pack, f"the pack's member {info.filename!r} is damaged ({exc})") from None
        digests[info.filename] = digest.hexdigest()
    return _digest(digests)


def _copy_record(folder: Path) -> dict | None:
    """An opened copy's lab.json as a dict; None when it is missing, too big, or not a JSON object."""
    path = folder / "lab.json"
    try:
        if folder.is_symlink() or not path.is_file() or path.stat().st_size > MAX_LAB_BYTES:
            return None
        data = json.loads(path.read_text(encoding="utf-8"), parse_constant=_no_constant)
    except (OSError, ValueError, RecursionError):  # ValueError: not JSON, not UTF-8
        return None
    return data if isinstance(data, dict) else None


def _made_from(folder: Path, manifest: dict, digest: str) -> bool:
    """Whether the copy in ``folder`` was opened from this pack.

    Copies opened before the digest was kept count as this pack's when their
    lab.json holds its title, instructions, project and check unchanged.
    """
    record = _copy_record(folder)
    if record is None:
        return False
    if "pack_sha256" in record:
        return record["pack_sha256"] == digest
    return (record.get("title"), record.get("summary"), record.get("project"), record.get("check")) == \
        (manifest["title"], manifest["instructions"], manifest["project"], manifest["check"])


def _place(pack: Path, parent: Path, name: str, manifest: dict, digest: str) -> tuple[Path, bool]:
    """(the folder holding this pack's copy, True), or (the first free NAME-N beside the others, False)."""
    free = None
    for n in range(1, MAX_PLACES + 1):
        folder = parent / (name if n == 1 else f"{name}-{n}")
        if not _taken(folder):
            free = free or folder
        elif _made_from(folder, manifest, digest):
            return folder, True
    if free is None:
        raise _refuse(pack, f"{MAX_PLACES} assignments named {name!r} from other packs are already open in "
                            f"{parent}; move some of them away")
    return free, False


def _opened_on(folder: Path) -> str:
    """When the copy was opened: its lab.json's 'opened', or the file's time for copies from before."""
    record = _copy_record(folder) or {}
    stamp = record.get("opened")
    if isinstance(stamp, str) and re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", stamp):
        return stamp
    try:
        return time.strftime("%Y-%m-%d %H:%M", time.localtime((folder / "lab.json").stat().st_mtime))
    except OSError:
        return "an earlier day"


def _unpack(pack: Path, archive: zipfile.ZipFile, manifest: dict, temp: Path, progress, cancelled) -> None:
    """Everything an opened assignment holds, written into ``temp``."""
    digests = _extract(pack, archive, temp, progress, cancelled)
    _verify_data(pack, manifest, temp, digests)
    _check_project(pack, manifest, temp)
    lab = {"format": LAB_FORMAT, "version": LAB_VERSION, "number": 0, "kind": "project",
           "title": manifest["title"], "summary": manifest["instructions"], "project": manifest["project"],
           "check": manifest["check"], "assignment": pack.name, "pack_sha256": _digest(digests),
           "opened": time.strftime("%Y-%m-%d %H:%M")}
    (temp / "lab.json").write_text(json.dumps(lab, indent=1, ensure_ascii=False), encoding="utf-8")
    if not (temp / "lesson.en.md").is_file():
        text = manifest["instructions"]
        for lang in ("en", "ko"):
            if text.get(lang):
                heading = manifest["title"].get(lang) or manifest["title"]["en"]
                (temp / f"lesson.{lang}.md").write_text(f"# {heading}\n\n{text[lang]}\n", encoding="utf-8")
    load_lab(temp)  # the check items are ones this studio knows
    Progress(0, None, cancelled).check()


def _put_in_place(temp: Path, target: Path) -> None:
    """Rename ``temp`` to ``target``; an earlier copy is set aside first and put back if the rename fails."""
    old = None
    if target.exists() or target.is_symlink():  # restart: the earlier work is kept aside, never deleted
        stamp = time.strftime("%Y%m%d-%H%M%S")
        old = target.with_name(f"{target.name}.old-{stamp}")
        n = 1
        while old.exists() or old.is_symlink():
            n += 1
            old = target.with_name(f"{target.name}.old-{stamp}-{n}")
        target.rename(old)
    try:
        os.replace(temp, target)
    except OSError:
        if old is not None:
            old.rename(target)
        raise


def _remove_stale(parent: Path, name: str) -> None:
    """Unpacking folders of this assignment left by an open that was killed (an hour old or more)."""
    now = time.time()
    for path in parent.glob(f".{glob.escape(name)}.opening-*"):
        try:
            if not path.is_symlink() and path.is_dir() and now - path.stat().st_mtime > STALE_SECONDS:
                shutil.rmtree(path, ignore_errors=True)
        except OSError:
            pass


def _inside(folder: Path, path: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


def _check_project(pack: Path, manifest: dict, folder: Path) -> None:
    """The pack's project is readable and reads the pack's own data, never a file outside it."""
    path = folder / manifest["project"]
    if not _inside(folder, path):
        raise _refuse(pack, f"the project {manifest['project']!r} lies outside the pack")
    try:
        project = load_project(path)
    except ProjectError as exc:
        raise _refuse(pack, f"the pack's project {manifest['project']!r} cannot be read: "
                            f"{str(exc).removeprefix(f'{path}: ')}") from None
    except RecursionError:
        raise _refuse(pack, f"the pack's project {manifest['project']!r} nests too deeply to be a project") from None
    source, stored = project.data.get("source"), project.data.get("path")
    data = manifest["data"]
    if source == "mnist" and data.get("bundled") == "mnist":
        return
    if source == "csv" and "file" in data and isinstance(stored, str) and stored and "\0" not in stored \
            and (folder / stored).resolve() == (folder / data["file"]).resolve():
        return
    raise _refuse(pack, f"the pack's project {manifest['project']!r} does not read the pack's data "
                        f"({data.get('file') or 'the bundled ' + str(data.get('bundled'))}); a pack's project reads "
                        "only the data it carries")


def _extract(pack: Path, archive: zipfile.ZipFile, folder: Path, progress, cancelled) -> dict[str, str]:
    """Unpack every member (names already checked) a chunk at a time; returns {name: sha256}."""
    digests = {}
    infos = archive.infolist()
    counter = Progress(sum(i.file_size for i in infos), progress, cancelled)
    for info in infos:
        path = folder / info.filename
        if not _inside(folder, path):  # cannot happen for a plain name; the last guard before a write
            raise _refuse(pack, f"the pack's member {info.filename!r} lies outside the pack")
        path.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        try:
            with archive.open(info) as src, open(path, "xb") as dst:
                for block in iter(lambda: src.read(CHUNK), b""):
                    digest.update(block)
                    dst.write(block)
                    counter.step(len(block))
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
            raise _refuse(pack, f"the pack's member {info.filename!r} is damaged ({exc})") from None
        digests[info.filename] = digest.hexdigest()
    return digests


def _verify_data(pack: Path, manifest: dict, folder: Path, digests: dict[str, str]) -> None:
    data = manifest["data"]
    if data.get("bundled") == "mnist":
        if sha256_of(resource("datasets", "mnist", "SHA256SUMS")) != data["sha256"]:
            raise _refuse(pack, "the assignment was made with a different MNIST than this studio's")
        return
    name = data["file"]
    if not _inside(folder, folder / name) or not (folder / name).is_file():
        raise _refuse(pack, f"the data file {name!r} is not in the pack")
    if digests.get(name) != data["sha256"]:
        raise _refuse(pack, f"the data file {name!r} does not match its checksum in pack.json; the pack is "
                            "damaged or was changed after the teacher made it")
