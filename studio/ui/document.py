"""The open project: the graph, its undo stack, its file and whether it has unsaved changes.

The document checks the project once per edit: on each graph event (a batch
of edits, ``Graph.batch``, is one ``changed`` event) and, after an undo step,
only when the step changed the training or data sections, which the graph's
events do not announce.
"""

from __future__ import annotations

import copy
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from studio.core.graph import EVENTS, Graph
from studio.core.project import Project, load_project, save_project
from studio.core.validation import Problem, Report, validate


class ProjectDocument(QObject):
    """Owns the Project; every edit goes through ``push`` so it can be undone."""

    graph_replaced = Signal()       # a new or opened project: views rebuild
    validated = Signal(object)      # Report, after every edit: the graph's problems and the advisor's findings
    dirty_changed = Signal(bool)
    path_changed = Signal(str)
    edited = Signal()               # after any push, undo or redo: views re-read the sections

    def __init__(self, parent=None):
        super().__init__(parent)
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self._clean_changed)
        self.undo_stack.indexChanged.connect(self.edited)
        self.undo_stack.indexChanged.connect(self._index_changed)  # a loss or data edit changes findings
        self.project = Project(Graph("model"))
        self.disk_stamp: tuple[int, int] | None = None
        self.facts = None  # studio.core.advisor.DataFacts of the loaded data; None until it is read
        self.findings: list = []  # the advisor's findings for the graph, training and data
        self._checked_sections = None  # (training, data) as they were at the last check
        self.layer_checks = None  # studio.ui.layer_checks.LayerChecks: Keras' word on layers, from the child
        self.report: Report = self._check()
        self._subscribe()

    @property
    def graph(self) -> Graph:
        return self.project.graph

    @property
    def path(self) -> Path | None:
        return self.project.path

    @property
    def dirty(self) -> bool:
        return not self.undo_stack.isClean()

    def _index_changed(self, _index: int) -> None:
        """An undo step was done, undone or redone: a graph edit was checked as its events came; a training or
        data edit is checked now."""
        if self._sections() != self._checked_sections:
            self.revalidate()

    def _sections(self) -> tuple:
        return self.project.training, self.project.data

    def _clean_changed(self, clean: bool) -> None:
        self.dirty_changed.emit(not clean)

    def push(self, command) -> None:
        """Apply an edit and record it; an edit the graph refuses raises and is not recorded."""
        command.apply()
        command.applied = True
        self.undo_stack.push(command)

    def _subscribe(self) -> None:
        for event in EVENTS:
            self.graph.events.connect(event, self._graph_edited)

    def _graph_edited(self, *args) -> None:
        self.revalidate()

    def revalidate(self) -> None:
        """Check the graph again (once the child has loaded Keras, its names and its word on layers count)."""
        self.report = self._check()
        self.validated.emit(self.report)

    def set_facts(self, facts) -> None:
        """What the loaded data is (None: no data read): the advisor's findings are checked against it."""
        if facts != self.facts:
            self.facts = facts
            self.revalidate()

    def _check(self) -> Report:
        """The graph's problems, then the advisor's findings as problems (each carrying its fix)."""
        from studio.core.advisor import advise
        from studio.ui import language
        checks = self.layer_checks
        report = validate(self.graph, checks.problem if checks is not None else None)
        if checks is not None:
            checks.ask()  # what this check met that the child has not judged yet: checked again when it has
        self._checked_sections = copy.deepcopy(self._sections())
        self.findings = (advise(self.graph, self.project.training, self.facts, self.project.data)
                         if self.facts is not None else [])
        code = language.current()
        report.problems += [Problem(f.severity, f.text(code), (f.node,) if f.node else (), finding=f)
                            for f in self.findings]
        return report

    def replace(self, project: Project, fresh_runs: bool = True) -> None:
        """Make ``project`` the open one; ``fresh_runs=False`` keeps the scratch runs folder (an import
        has just recorded the imported model there)."""
        from studio.training.runs import reset_scratch
        if fresh_runs:
            reset_scratch()  # the previous untitled project's runs are not this project's
        self.project = project
        self.disk_stamp = disk_stamp(project.path)  # what the file was when this window read it
        self.undo_stack.clear()
        self._subscribe()
        self.report = self._check()
        self.graph_replaced.emit()
        self.validated.emit(self.report)
        self.path_changed.emit(str(project.path or ""))
        self.dirty_changed.emit(False)

    def new(self) -> None:
        self.replace(Project(Graph("model")))

    def open(self, path: str | Path) -> None:
        """Raises ProjectError with a message for the user."""
        self.replace(load_project(path))

    def changed_on_disk(self) -> bool:
        """Whether the project's file was written by someone else (another window, an editor) since this window
        opened or saved it: saving over it would lose their changes."""
        path = self.project.path
        return path is not None and self.disk_stamp is not None and disk_stamp(path) not in (None, self.disk_stamp)

    def save(self, path: str | Path | None = None) -> Path:
        saved = save_project(self.project, path)
        self.disk_stamp = disk_stamp(saved)
        self.undo_stack.setClean()
        self.path_changed.emit(str(saved))
        return saved


def disk_stamp(path) -> tuple[int, int] | None:
    """(modification time in ns, size) of a file, or None where there is none."""
    try:
        info = Path(path).stat()
    except (OSError, TypeError):
        return None
    return info.st_mtime_ns, info.st_size
