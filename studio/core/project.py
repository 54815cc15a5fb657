"""Project files (``.studio.json``): the graph, the data source and the training settings.

UTF-8 JSON with a ``format`` and a ``version`` field, never pickle. Older
versions are brought up to date by ``migrate()``; anything malformed raises a
ProjectError whose message names the file and, where it can, the layer. The
``training``, ``data`` and ``tuning`` sections are checked against
``studio.core.schema`` as they are read, so a field of the wrong type is one
line naming it here, not a crash in the window or in training later. Files
larger than 64 MiB or nested deeper than ``kinds.MAX_DEPTH`` are refused
before anything recurses on them. The format is documented in
docs/project-format.md.
"""

from __future__ import annotations

import copy
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from studio.core import kinds, schema
from studio.core.errors import UserError
from studio.core.files import atomic_write_text, not_a_regular_file
from studio.core.graph import Graph, GraphError
from studio.resources import resource_dir

FORMAT = "perceptron-studio/project"
VERSION = 3
SUFFIX = ".studio.json"

#: A project file larger than this is refused before it is read: the largest real one (a CSV project
#: with Normalization statistics of 20,000 features) is about 1 MB.
MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_LISTED = 20  # problems listed in one ProjectError; the rest are counted


class ProjectError(UserError):
    """A project file that cannot be read or written; the message says where.

    ``problems`` holds one line per problem (each naming its field); the
    message is those lines, each prefixed with the file.
    """

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.problems = problems or [message]

    @classmethod
    def listing(cls, source: str, problems: list[str]) -> "ProjectError":
        shown = problems[:MAX_LISTED]
        lines = [f"{source}: {line}" for line in shown]
        if len(problems) > len(shown):
            lines.append(f"{source}: ... and {len(problems) - len(shown)} more problems")
        return cls("\n".join(lines), problems)


@dataclass
class Project:
    """A graph with its data source and training settings.

    ``data`` holds the data source; a file source keeps its ``path``
    relative to the project file. ``training`` holds the training settings;
    ``tuning`` the hyperparameter search's space and budget (optional: written
    only when set, so files without a search stay as they were).
    """

    graph: Graph = field(default_factory=Graph)
    data: dict = field(default_factory=dict)
    training: dict = field(default_factory=dict)
    path: Path | None = None
    tuning: dict = field(default_factory=dict)

    def copy(self, **changes) -> "Project":
        """A deep copy that shares nothing with this project (graph, sections and tuning).

        ``changes`` replace fields of the copy as given (not copied), e.g.
        ``project.copy(graph=variant_graph)``; the path is kept unless replaced.
        """
        fields = {"graph": None, "data": None, "training": None, "tuning": None, "path": self.path, **changes}
        for name in ("data", "training", "tuning"):
            if fields[name] is None:
                fields[name] = copy.deepcopy(getattr(self, name))
        if fields["graph"] is None:
            fields["graph"] = self.graph.copy()
        return Project(**fields)

    def data_path(self) -> Path | None:
        """The data file, absolute once the project has a file (relative to its folder)."""
        stored = self.data.get("path")
        if not stored:
            return None
        stored = Path(stored)
        if stored.is_absolute() or self.path is None:
            return stored
        return (self.path.parent / stored).resolve()

    def data_outside(self) -> Path | None:
        """The data file when it lies outside the project's folder, else None.

        A project may name any file as its data (a student's CSV in Downloads); one from someone
        else that reads a file elsewhere on this machine should be seen before it is trained, so
        the window and ``studio check`` say so. The studio's shipped data sets do not count.
        """
        path = self.data_path() if self.data.get("source") in ("csv", "images") else None
        if path is None or self.path is None:
            return None
        try:
            resolved = path.resolve()
            roots = (self.path.resolve().parent, resource_dir().resolve())
        except (OSError, RuntimeError):
            return path
        return None if any(resolved.is_relative_to(root) for root in roots) else resolved

    def to_dict(self) -> dict:
        return {
            "format": FORMAT,
            "version": VERSION,
            "graph": self.graph.to_dict(),
            "data": copy.deepcopy(self.data),
            "training": copy.deepcopy(self.training),
            **({"tuning": copy.deepcopy(self.tuning)} if self.tuning else {}),
        }


# -- migrations ------------------------------------------------------------------------

def _v1_to_v2(data: dict) -> dict:
    """Version 1 had no output list: every layer that fed no other was an output."""
    graph = data.get("graph", {})
    layers = graph.get("layers", []) if isinstance(graph, dict) else None
    if isinstance(layers, list):  # anything else is reported by Graph.from_dict
        layers = [layer for layer in layers if isinstance(layer, dict) and isinstance(layer.get("name"), str)]
        fed = {src for layer in layers if isinstance(layer.get("inbound"), list)
               for src in layer["inbound"] if isinstance(src, str)}
        graph["outputs"] = [layer["name"] for layer in layers if layer["name"] not in fed]
    data["version"] = 2
    return data


def _v2_to_v3(data: dict) -> dict:
    """Version 2 had no input list: the Input layers were the inputs, in the order of the layers."""
    graph = data.get("graph", {})
    layers = graph.get("layers", []) if isinstance(graph, dict) else None
    if isinstance(layers, list):  # anything else is reported by Graph.from_dict
        graph["inputs"] = [layer["name"] for layer in layers if isinstance(layer, dict)
                           and isinstance(layer.get("name"), str) and layer.get("class_name") == "Input"]
    data["version"] = 3
    return data


MIGRATIONS = {1: _v1_to_v2, 2: _v2_to_v3}


def migrate(data: dict, source: str = "project") -> dict:
    """Bring a project dict of any earlier version to ``VERSION``, one step at a time."""
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ProjectError(f"{source}: 'version' must be a whole number >= 1, got {kinds.shown(version)}")
    if version > VERSION:
        raise ProjectError(f"{source}: written by a newer Perceptron Studio (format version "
                           f"{kinds.shown(version)}; this one reads up to {VERSION}). Update the studio to open it")
    data = copy.deepcopy(data)
    while data["version"] < VERSION:
        data = MIGRATIONS[data["version"]](data)
    return data


# -- reading and writing -----------------------------------------------------------------

def dumps(value, indent: int = 0) -> str:
    """JSON indented by two spaces, with lists of plain values on one line.

    Shapes and positions (``[28, 28]``) stay readable and diffs stay short.
    """
    pad, inner = "  " * indent, "  " * (indent + 1)
    if isinstance(value, dict) and value:
        items = [f"{inner}{json.dumps(str(k), ensure_ascii=False)}: {dumps(v, indent + 1)}"
                 for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}" + ("\n" if indent == 0 else "")
    if isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value):
        items = [f"{inner}{dumps(v, indent + 1)}" for v in value]
        return "[\n" + ",\n".join(items) + "\n" + pad + "]"
    return json.dumps(value, ensure_ascii=False)


def project_from_dict(data: dict, source: str = "project", path: Path | None = None) -> Project:
    """A Project from a parsed file, every section checked against ``studio.core.schema``.

    Raises:
        ProjectError: nested deeper than ``kinds.MAX_DEPTH``, not a project,
            from a newer studio, a graph that cannot be read, or fields of the
            wrong type (``problems`` lists each, one line naming the field).
    """
    depth = kinds.nesting_depth(data)
    if depth > kinds.MAX_DEPTH:
        raise _too_deep(source)
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ProjectError(f"{source}: not a Perceptron Studio project (expected \"format\": \"{FORMAT}\")")
    data = migrate(data, source)
    for section in ("graph", "data", "training", "tuning"):
        if not isinstance(data.get(section, {}), dict):
            raise ProjectError(f"{source}: '{section}' must be an object")
    problems = []
    try:
        graph = Graph.from_dict(data.get("graph", {}))
    except GraphError as exc:
        problems.append(str(exc))
    problems += schema.project_problems(data)
    if problems:
        raise ProjectError.listing(source, problems)
    return Project(graph, data.get("data", {}), data.get("training", {}), path, data.get("tuning", {}))


def load_project(path: str | os.PathLike) -> Project:
    """Read a project file.

    Raises:
        ProjectError: unreadable, not JSON, not a project, from a newer
            studio, or naming an unknown layer class (the message says which).
    """
    path = Path(path)
    source = str(path)
    problem = not_a_regular_file(path, "a project file")
    if problem is not None:
        raise ProjectError(f"{source}: {problem}")
    try:
        with path.open("rb") as file:
            raw = file.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ProjectError(f"{source}: cannot read the file ({exc.strerror or exc})") from None
    if len(raw) > MAX_FILE_BYTES:
        raise ProjectError(f"{source}: larger than {MAX_FILE_BYTES // 2 ** 20} MiB; a project file is never "
                           "that large, so this is not one")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ProjectError(f"{source}: not a text file in UTF-8; is it really a project file?") from None
    return project_from_dict(parse_json(text, source), source, path.resolve())


def _too_deep(source: str) -> ProjectError:
    return ProjectError(f"{source}: nested more than {kinds.MAX_DEPTH} levels deep; a project file is never that "
                        "deep, so this is not one")


def parse_json(text: str, source: str = "project"):
    """JSON text -> value; every way JSON can fail is a ProjectError of one line.

    The C parser recurses once per level of nesting, so 200,000 ``[`` raise
    RecursionError (in well under a second); a number of more than 4,300
    digits raises ValueError.
    """
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ProjectError(f"{source}: not valid JSON (line {exc.lineno}, column {exc.colno}: "
                           f"{exc.msg})") from None
    except RecursionError:
        raise _too_deep(source) from None
    except ValueError as exc:  # e.g. "Exceeds the limit (4300 digits) for integer string conversion"
        raise ProjectError(f"{source}: not usable JSON ({str(exc).splitlines()[0][:120]})") from None


def save_project(project: Project, path: str | os.PathLike | None = None) -> Path:
    """Write the project atomically; a data path is kept relative to the new location."""
    target = Path(path or project.path or "")
    if not str(target):
        raise ProjectError("the project has no file name yet; choose where to save it")
    target = target.resolve()
    data = copy.deepcopy(project.data)
    data_path = project.data_path()
    # A relative path in a project never saved is already relative to its future folder.
    if data_path is not None and data_path.is_absolute():
        try:
            data["path"] = Path(os.path.relpath(data_path, target.parent)).as_posix()
        except ValueError:  # another drive on Windows
            data["path"] = str(data_path)
    text = dumps({**project.to_dict(), "data": data})
    try:
        atomic_write_text(target, text)
    except OSError as exc:
        raise ProjectError(f"{target}: cannot save ({exc.strerror or exc})") from None
    project.data = data
    project.path = target
    return target
