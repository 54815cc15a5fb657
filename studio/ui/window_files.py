"""The main window's project files: New, Open, Save, Save As, Import and Export Model, and nothing lost
(unsaved changes asked about, the recovery file written while there are some).

Reading and writing a model file happen off the GUI thread (``WindowJobs._run_job``).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import QMessageBox

from studio.core.project import ProjectError
from studio.ui import file_actions

PROJECT_FILTER = QT_TRANSLATE_NOOP("MainWindow", "Perceptron Studio projects (*.studio.json);;All files (*)")
MODEL_FILTER = QT_TRANSLATE_NOOP("MainWindow", "Keras models (*.h5 *.keras)")
EXPORT_FILTER = QT_TRANSLATE_NOOP("MainWindow", "Keras models (*.h5 *.keras);;TensorFlow Lite (*.tflite);;ONNX (*.onnx);;"
                                                "TensorFlow SavedModel, a folder (*)")


class WindowFiles:
    """File work of ``studio.ui.main_window.MainWindow``."""

    def autosave(self) -> None:
        """Write the recovery file while there are unsaved changes; remove it when there are none."""
        from studio.core.recovery import remove_recovery, write_recovery
        try:
            if self.document.dirty:
                write_recovery(self.document.project)
            else:
                remove_recovery()
        except OSError as exc:  # a full disk must not stop the work; say it once in the status bar
            self.statusBar().showMessage(self.tr("Cannot write the recovery file: {0}").format(exc), 10000)

    def offer_recovery(self, answer: str | None = None) -> bool:
        """After a crash: offer the newest unsaved project left behind. ``answer`` skips the question."""
        from studio.core.recovery import find_recoveries, remove_recovery
        found = find_recoveries()
        if not found:
            return False
        newest = found[0]
        if answer is None:
            when = time.strftime("%Y-%m-%d %H:%M", time.localtime(newest.saved))
            box = QMessageBox(QMessageBox.Question, self.tr("Recover unsaved work"),
                              self.tr("Perceptron Studio did not close properly. Recover the unsaved changes to "
                                      "{0}, autosaved at {1}?").format(newest.name, when), parent=self)
            recover = box.addButton(self.tr("Recover"), QMessageBox.AcceptRole)
            discard = box.addButton(self.tr("Discard"), QMessageBox.DestructiveRole)
            box.addButton(self.tr("Later"), QMessageBox.RejectRole)
            box.exec()
            clicked = box.clickedButton()
            answer = "recover" if clicked is recover else "discard" if clicked is discard else "later"
        if answer == "later":
            return False
        if answer == "recover":
            self.document.replace(newest.project)
            self.document.undo_stack.resetClean()  # recovered changes are unsaved until the user saves
            self.view.fit()
        remove_recovery(newest.path)
        return answer == "recover"

    def _ask_path(self, path: str | None, kind: str, title: str, filters: str, name: str = "",
                  save: bool = False) -> str:
        """``path`` when one is given, else the file the user chooses in a dialog ("" when cancelled)."""
        return path or file_actions.choose_file(self, kind, title, filters, name, save=save, project=self._own_path())

    def _file_to_open(self, path: str | None, kind: str, title: str, filters: str) -> str:
        """The file that is to replace the project, ``path`` or the user's choice, once its unsaved changes
        are saved or discarded; "" when the user cancelled either."""
        return self._ask_path(path, kind, title, filters) if self._confirm_discard() else ""

    def _own_path(self) -> Path | None:
        """The project's file where it is the user's own (not a bundled example): file dialogs open beside it."""
        from studio.training.runs import has_own_file
        return self.document.path if has_own_file(self.document.project) else None

    def unsaved_runs(self) -> bool:
        """Whether the project has trained runs only in the temporary folder of an untitled project
        (or a bundled example): closing or replacing it would lose them."""
        from studio.training.runs import has_own_file, list_runs
        # an imported model's own run is a copy of a file the user has: not work that closing would lose
        return not has_own_file(self.document.project) and any(
            run.get("kind") != "import" for run in list_runs(self.document.project))

    def _confirm_discard(self) -> bool:
        runs = self.unsaved_runs()
        if not self.document.dirty and not runs:
            return True
        question = self.tr("Save the changes to this project first?")
        if runs:  # the untitled project's trained runs live in a temporary folder until it is saved
            question += " " + self.tr("Its trained runs are kept only if it is saved; Discard deletes them.")
        answer = QMessageBox.question(self, self.tr("Unsaved changes"), question,
                                      QMessageBox.Save | QMessageBox.Discard | QMessageBox.Cancel)
        if answer == QMessageBox.Save:
            return self.save()
        return answer == QMessageBox.Discard

    def new_project(self) -> None:
        if self._confirm_discard():
            self.document.new()

    def open_project(self, path: str | None = None, asked: bool = False) -> bool:
        """Open ``path`` (or the file the user chooses); ``asked``: the user has already said what becomes
        of the unsaved changes and runs (a lab or an assignment asks before it copies), so not again."""
        if asked:
            path = self._ask_path(path, "project", self.tr("Open project"), self.tr(PROJECT_FILTER))
        else:
            path = self._file_to_open(path, "project", self.tr("Open project"), self.tr(PROJECT_FILTER))
        if not path:
            return False
        try:
            self.document.open(path)
        except ProjectError as exc:
            QMessageBox.warning(self, self.tr("Cannot open"), str(exc))
            return False
        self._remember(path)
        self.view.fit()
        self._show_newest_run()
        from studio.classroom.labs import lab_of_project
        lab = lab_of_project(path)
        if lab is not None:
            self._show_lab(lab, Path(path).resolve().parent)
        return True

    def save(self) -> bool:
        """Save over the project's own file; an untitled project or a bundled example asks where (Save As)."""
        from studio.training.runs import has_own_file
        return self.save_as(self.document.path) if has_own_file(self.document.project) else self.save_as()

    def save_as(self, path=None) -> bool:
        if not path:
            name = self.document.path.name if self._own_path() else "model.studio.json"
            path = self._ask_path(None, "project", self.tr("Save project"), self.tr(PROJECT_FILTER), name, save=True)
            if not path:
                return False
            if not path.endswith(".studio.json"):
                path = str(Path(path).with_suffix("")) + ".studio.json"
        from studio.training.runs import has_own_file, runs_folder
        if self._same_file(path) and self.document.changed_on_disk() and not self._overwrite_changed(path):
            return False
        before = runs_folder(self.document.project) if has_own_file(self.document.project) else None
        try:
            saved = self.document.save(path)
        except ProjectError as exc:
            QMessageBox.warning(self, self.tr("Cannot save"), str(exc))
            return False
        self._remember(str(saved))
        self.statusBar().showMessage(self.tr("Saved {0}").format(saved), 4000)
        if before is not None and before != runs_folder(self.document.project):
            self._carry_model(before)
        self._adopt_runs()
        return True

    def _same_file(self, path) -> bool:
        own = self.document.path
        return own is not None and os.path.normcase(os.path.abspath(path)) == os.path.normcase(os.path.abspath(own))

    def _overwrite_changed(self, path) -> bool:
        """The file was written elsewhere since this window read it (another window on the same project, an
        editor): overwrite only if the user says so."""
        answer = QMessageBox.warning(
            self, self.tr("Changed on disk"),
            self.tr("{0} was changed by another window or program since this window opened or saved it. Saving "
                    "now replaces those changes with this window's project.").format(Path(path).name),
            QMessageBox.Save | QMessageBox.Cancel, QMessageBox.Cancel)
        return answer == QMessageBox.Save

    def _carry_model(self, before: Path) -> None:
        """Save As under a new name: the trained model goes along (its run is copied), in the background."""
        from studio.training.current_model import carry_current, current_run
        project = self.document.project
        if current_run(project, before) is None:
            return
        self._run_job("carry-model", self.tr("Copying the trained model beside the project…"),
                      lambda progress, cancelled: carry_current(before, project), lambda _: self._load_runs() or True,
                      self.tr("Cannot copy the trained model"))

    def import_model_file(self, path: str | None = None) -> bool:
        """Open a Keras model as an editable graph (checked and trial-loaded in a child process first)."""
        path = self._file_to_open(path, "model", self.tr("Import model"), self.tr(MODEL_FILTER))
        if not path:
            return False
        self.document.undo_stack.setClean()  # already asked above; the window goes on while it loads

        remote = self.training.runner.remote

        def work(progress, cancelled):  # in the window's child: no TensorFlow work in this process
            from studio.core.project import project_from_dict
            from studio.training import wire
            from studio.training.runs import reset_scratch, scratch_folder
            reset_scratch()  # the new untitled project's runs folder: the imported model is its first run
            answer = remote.ask("import_model", {"file": str(path), "scratch": str(scratch_folder()),
                                                 "environment": wire.environment()}, cancelled=cancelled)
            project = project_from_dict(answer["project"], "the imported model")
            return answer["continued"], project, [str(note) for note in answer["notes"]], answer["model"]

        def finish(result) -> bool:
            continued, project, notes, model = result
            self.document.replace(project, fresh_runs=False)
            self.document.undo_stack.resetClean()  # an imported model is unsaved until the user saves it
            # Continue goes on from its weights and optimizer, as recorded in the project's first run
            self.training.runner.adopt(continued, model, own=True)
            self.training._idle()
            self.view.fit()
            said = self.tr("Imported {0}").format(path)
            self.statusBar().showMessage("; ".join([said] + notes), 8000 if notes else 4000)
            damaged = [w for w in continued.get("warnings") or () if isinstance(w, str)]
            if damaged:  # the weights no longer match the checksum the studio saved with them
                QMessageBox.warning(self, self.tr("Damaged model file"), damaged[0])
            return True

        return self._run_job("import", self.tr("Importing the model…"), work, finish, self.tr("Cannot import"))

    def export_model_file(self, path: str | None = None) -> bool:
        """Save the trained model (or, before training, the freshly built one) as .h5 or .keras; a trained model
        also as TensorFlow Lite (.tflite), ONNX (.onnx) or a SavedModel folder (any other name), each checked
        against Keras on the project's test rows right after it is written."""
        from studio.exports.deploy import format_of
        job = self.training.runner.job
        path = self._ask_path(path, "model", self.tr("Export model"), self.tr(EXPORT_FILTER), "model.h5", save=True)
        if not path:
            return False
        trained = job is not None and job.model_path is not None and not self.training.runner.running
        model = {"path": str(job.model_path), "own": True} if trained else None
        if format_of(path) not in ("h5", "keras"):
            return self._export_for_deployment(path, model)
        graph = self.document.graph.to_dict()  # the edits made while it saves are not in the file
        remote = self.training.runner.remote

        def work(progress, cancelled):  # in the window's child: no TensorFlow work in this process
            return remote.ask("export_model", {"model": model, "graph": graph, "out": str(path)},
                              cancelled=cancelled)

        def finish(_) -> bool:
            self.statusBar().showMessage(self.tr("Exported {0}").format(path), 4000)
            return True

        return self._run_job("export", self.tr("Exporting the model…"), work, finish, self.tr("Cannot export"))

    def _export_for_deployment(self, path: str, model) -> bool:
        from studio.exports.deploy import format_of, record_path
        fmt = format_of(path)
        if model is None:
            self.statusBar().showMessage(self.tr("Train the model first: a {0} export holds the trained weights.")
                                         .format(fmt), 8000)
            return False
        project, remote = self.training.runner.job.project, self.training.runner.remote
        args = {"model": model, "project": project.to_dict(), "path": str(project.path) if project.path else None,
                "fmt": fmt, "out": str(path)}

        def work(progress, cancelled):  # in the window's child, checked there against Keras
            from studio.exports.deploy import DeployResult
            return DeployResult(**remote.ask("export_deploy", args, progress=progress, cancelled=cancelled))

        def finish(result) -> bool:
            self.deploy_result = result
            text = self.tr("Exported {0} ({1}), checked on {2} rows: largest difference from Keras {3:.2g}").format(
                result.path, fmt, result.rows, result.max_abs_difference)
            self.statusBar().showMessage(text, 15000)
            # Said where it stays until read: a status bar line is gone before a student looks back at it
            box = QMessageBox(QMessageBox.Information, self.tr("Model exported"), text, parent=self)
            box.setInformativeText(self.tr("The check is recorded in {0}.").format(record_path(result.path).name))
            box.open()
            self.deploy_box = box
            return True

        return self._run_job("export", self.tr("Exporting the model…"), work, finish, self.tr("Cannot export"))
