"""Labs: a lesson, a starting project and a check that says whether the student's work is right.

A lab is a folder in ``resources/labs/`` holding ``lab.json`` (titles, the
kind of lab, the check), ``lesson.en.md`` and ``lesson.ko.md``, and the
starting project with its data. A student never edits the bundled copy:
``start_lab`` copies it into the student's lab folder (``labs_home()``), data
files included, so runs are recorded beside it and the work survives updates.

``check_lab`` evaluates the check items of ``lab.json`` (see ``lab_checks``)
against the student's folder and returns a pass/fail line per item, in
English and Korean, with a hint for each that fails.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from studio.classroom.lab_checks import unknown_check_kind
from studio.core.errors import UserError
from studio.core.files import atomic_write_text
from studio.core.project import Project, ProjectError, load_project, save_project
from studio.data.errors import Cancelled
from studio.resources import resource, resource_dir

FORMAT = "perceptron-studio/lab"
VERSION = 1
KINDS = ("perceptron", "xor", "activations", "project")
PERCEPTRON_FILE = "perceptron.json"
CHUNK = 1 << 20  # copies and checksums go a megabyte at a time, so progress and Cancel are never far off


class LabError(UserError):
    """A lab that cannot be found, read or started; the message says which and why."""


@dataclass
class Lab:
    """One lab as ``lab.json`` describes it."""

    id: str
    number: int
    kind: str
    title: dict[str, str]
    summary: dict[str, str]
    folder: Path
    project: str | None = None
    perceptron: dict | None = None
    check: list[dict] = field(default_factory=list)

    def text(self, field_name: str, language: str = "en") -> str:
        values = getattr(self, field_name)
        return values.get(language) or values.get("en", "")

    def lesson(self, language: str = "en") -> str:
        """The lesson's markdown in ``language`` (English when there is none)."""
        for lang in (language, "en"):
            path = self.folder / f"lesson.{lang}.md"
            if path.is_file():
                return path.read_text(encoding="utf-8")
        raise LabError(f"lab {self.id}: no lesson file in {self.folder}")

    def read_work(self, folder: Path) -> tuple[Project | None, dict | None]:
        """The student's project in ``folder`` (None when the lab has none) and perceptron settings (likewise)."""
        path = project_file(self, folder)
        try:
            project = load_project(path) if path is not None else None
        except ProjectError as exc:
            raise LabError(str(exc)) from None
        return project, load_perceptron(self, folder) if self.perceptron else None


def labs_folder() -> Path:
    return resource("labs")


def labs_home() -> Path:
    """Where students' copies of the labs live: $STUDIO_LABS_HOME, else ~/PerceptronStudio/labs."""
    configured = os.environ.get("STUDIO_LABS_HOME")
    return Path(configured) if configured else Path.home() / "PerceptronStudio" / "labs"


def load_lab(folder: str | Path) -> Lab:
    """Read one lab folder's ``lab.json``.

    Raises:
        LabError: missing, not JSON, not a lab, or with a wrong field (named).
    """
    folder = Path(folder)
    path = folder / "lab.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise LabError(f"{path}: cannot read the lab ({exc.strerror or exc})") from None
    except json.JSONDecodeError as exc:
        raise LabError(f"{path}: not valid JSON (line {exc.lineno}: {exc.msg})") from None
    except (ValueError, RecursionError):
        raise LabError(f"{path}: not a lab (its JSON is nested too deep or is not text)") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise LabError(f"{path}: not a Perceptron Studio lab (expected \"format\": \"{FORMAT}\")")
    if data.get("version") != VERSION:
        raise LabError(f"{path}: lab format version {data.get('version')!r}; this studio reads {VERSION}")
    if data.get("kind") not in KINDS:
        raise LabError(f"{path}: 'kind' must be one of {', '.join(KINDS)}, got {data.get('kind')!r}")
    for key in ("title", "summary"):
        if not isinstance(data.get(key), dict) or not data[key].get("en"):
            raise LabError(f"{path}: '{key}' must hold at least an English text under \"en\"")
    if data.get("project") is not None:
        _member(folder, data["project"], path, "project")
    perceptron = data.get("perceptron")
    if perceptron is not None:
        if not isinstance(perceptron, dict):
            raise LabError(f"{path}: 'perceptron' must be an object of settings")
        _member(folder, perceptron.get("data"), path, "perceptron.data")
    number = data.get("number", 0)
    if isinstance(number, bool) or not isinstance(number, int) or not 0 <= number < 10_000:
        raise LabError(f"{path}: 'number' must be a whole number from 0 to 9999")
    if not isinstance(data.get("check"), list) or not data["check"]:
        raise LabError(f"{path}: 'check' must be a list of check items")
    problem = unknown_check_kind(data["check"])
    if problem:
        raise LabError(f"{path}: {problem}")
    return Lab(folder.name, number, data["kind"], data["title"], data["summary"],
               folder, data.get("project"), perceptron, data["check"])


def _member(folder: Path, name, path: Path, field: str) -> None:
    """A file a lab names must lie in its own folder, or among the studio's shipped data sets.

    A lab folder may be a student's opened copy of someone else's pack: no path in it may leave it.
    """
    if not isinstance(name, str) or not name or "\0" in name:
        raise LabError(f"{path}: '{field}' must name a file in the lab folder")
    file = _data_file(folder, name) if field == "perceptron.data" else folder / name
    if not inside_lab(folder, file):
        raise LabError(f"{path}: '{field}' names a file outside the lab folder")
    if not file.is_file():
        raise LabError(f"{path}: the file named by '{field}' is not in the lab folder")


def inside_lab(folder: Path, file: Path) -> bool:
    """Whether ``file`` (links resolved) is in the lab's folder or the studio's own resources."""
    try:
        resolved = Path(file).resolve()
    except (OSError, RuntimeError):
        return False
    return any(resolved.is_relative_to(Path(root).resolve()) for root in (folder, resource_dir()))


def list_labs(folder: Path | None = None) -> list[Lab]:
    """Every lab, in number order."""
    root = folder or labs_folder()
    labs = [load_lab(path) for path in sorted(root.iterdir()) if (path / "lab.json").is_file()]
    return sorted(labs, key=lambda lab: (lab.number, lab.id))


def find_lab(key: str | int, folder: Path | None = None) -> Lab:
    """A lab by number (4 or "4") or by folder name ("04-mnist-sequential")."""
    labs = list_labs(folder)
    for lab in labs:
        if str(key) in (lab.id, str(lab.number), f"{lab.number:02d}"):
            return lab
    raise LabError(f"there is no lab {key!r}; the labs are " + ", ".join(f"{lab.number} ({lab.id})" for lab in labs))


def lab_of_project(path: str | Path, home: Path | None = None) -> Lab | None:
    """The lab a project file belongs to (its folder holds a lab.json), or None.

    A started lab in the student's labs folder is given as the studio's own
    definition (its newest lessons and checks); an assignment, or a lab folder
    elsewhere, as its folder's lab.json. A lab.json that cannot be read is no lab.
    """
    folder = Path(path).resolve().parent
    if not (folder / "lab.json").is_file():
        return None
    if folder.parent == (home or labs_home()).resolve():
        try:
            return find_lab(folder.name)
        except LabError:
            pass
    try:
        return load_lab(folder)
    except LabError:
        return None


# -- the student's copy ---------------------------------------------------------------------

def work_folder(lab: Lab, home: Path | None = None) -> Path:
    return (home or labs_home()) / lab.id


class Progress:
    """Bytes done out of a known total, reported as a fraction; raises ``Cancelled`` when asked to stop.

    ``progress(fraction)`` and ``cancelled()`` are the callbacks a background
    task gets (either may be None); ``step(n)`` counts ``n`` more bytes done.
    """

    def __init__(self, total: int, progress: Callable[[float], None] | None = None,
                 cancelled: Callable[[], bool] | None = None):
        self.total, self.done = max(int(total), 1), 0
        self._progress, self._cancelled = progress, cancelled

    def check(self) -> None:
        if self._cancelled is not None and self._cancelled():
            raise Cancelled()

    def step(self, n: int) -> None:
        self.done += n
        if self._progress is not None:
            self._progress(min(1.0, self.done / self.total))
        self.check()

    def copy_file(self, source: Path, target: Path) -> None:
        """Copy ``source`` to ``target`` (times kept) a chunk at a time."""
        self.check()
        with open(source, "rb") as src, open(target, "wb") as dst:
            for block in iter(lambda: src.read(CHUNK), b""):
                dst.write(block)
                self.step(len(block))
        shutil.copystat(source, target)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def start_lab(lab: Lab, home: Path | None = None, restart: bool = False,
              progress: Callable[[float], None] | None = None, cancelled: Callable[[], bool] | None = None) -> Path:
    """The student's copy of ``lab``, made on first use; returns its folder.

    An existing copy is kept as it is. With ``restart`` it is renamed to
    ``<id>.old-<time>`` (never deleted) and a fresh copy is made. The copy is
    made in a hidden folder renamed into place at the end, so a failure or
    ``cancelled()`` (which raises ``Cancelled``) leaves nothing behind.
    """
    target = work_folder(lab, home)
    if target.exists() and not restart:
        return target
    project = data_path = None
    try:
        if lab.project:
            project = load_project(lab.folder / lab.project)
            data_path = project.data_path()
            if data_path is not None and not inside_lab(lab.folder, data_path):
                raise LabError(f"cannot start lab {lab.number}: its project's data file is outside the lab "
                               "folder; a lab carries its own data")
    except ProjectError as exc:
        raise LabError(f"cannot start lab {lab.number}: {exc}") from None
    texts = [lab.folder / n for n in ("lab.json", "lesson.en.md", "lesson.ko.md") if (lab.folder / n).is_file()]
    perceptron_data = lab.folder / lab.perceptron["data"] if lab.perceptron else None
    files = texts + [p for p in (data_path, perceptron_data) if p is not None]
    counter = Progress(sum(_size(p) for p in files), progress, cancelled)
    temp = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temp = Path(tempfile.mkdtemp(prefix=f".{target.name}.starting-", dir=target.parent))
        for path in texts:
            counter.copy_file(path, temp / path.name)
        if project is not None:
            if data_path is not None:  # the data goes along, so the copy stands on its own
                counter.copy_file(data_path, temp / data_path.name)
                project.data["path"] = data_path.name
            project.path = None
            save_project(project, temp / lab.project)
        if lab.perceptron:
            save_perceptron(temp, dict(lab.perceptron))
            counter.copy_file(perceptron_data, temp / perceptron_data.name)
        counter.check()
        if target.exists():
            target.rename(target.with_name(f"{target.name}.old-{time.strftime('%Y%m%d-%H%M%S')}"))
        os.replace(temp, target)
        temp = None
    except (OSError, ProjectError) as exc:
        raise LabError(f"cannot start lab {lab.number} in {target.parent}: {exc}") from None
    finally:
        if temp is not None:
            shutil.rmtree(temp, ignore_errors=True)
    return target


def project_file(lab: Lab, folder: Path) -> Path | None:
    return folder / lab.project if lab.project else None


def load_perceptron(lab: Lab, folder: Path) -> dict:
    """The student's perceptron settings (the lab's own until they change them)."""
    path = folder / PERCEPTRON_FILE
    settings = dict(lab.perceptron or {})
    if path.is_file():
        try:
            stored = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise LabError(f"{path}: cannot read the perceptron settings ({exc})") from None
        if isinstance(stored, dict):
            settings.update({k: v for k, v in stored.items() if k in settings or k == "seed"})
    data = _data_file(folder, str(settings.get("data", "")))
    if not inside_lab(folder, data):
        raise LabError(f"{path}: the perceptron's data file is outside the lab folder")
    settings["data"] = str(data)
    return settings


def _data_file(folder: Path, name: str) -> Path:
    """The perceptron's data: the started copy's own file, else the shipped lab's (a data set)."""
    local = folder / Path(name).name
    return local if local.is_file() else (folder / name).resolve()


def save_perceptron(folder: Path, settings: dict) -> None:
    stored = {k: v for k, v in settings.items() if k != "data"}
    stored["data"] = Path(settings.get("data", "")).name
    atomic_write_text(Path(folder) / PERCEPTRON_FILE, json.dumps(stored, indent=1, ensure_ascii=False))
