"""The main window: layout and action tables only; the panels do the work."""

from __future__ import annotations

import os
import time
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QMessageBox, QTabWidget

from studio.core.keras_bridge import import_model
from studio.core.project import ProjectError
from studio.ui.advisor_panel import AdvisorPanel
from studio.ui import language
from studio.ui import file_actions
from studio.ui.background import Background, BusyIndicator
from studio.ui.canvas import CanvasScene, CanvasView, NodeItem
from studio.ui.code_panel import CodePanel
from studio.ui.data_panel import DataPanel
from studio.ui.document import ProjectDocument
from studio.ui.inspector import InspectorPanel
from studio.ui.lab_panel import LabPanel
from studio.ui.palette import PalettePanel
from studio.ui.problems_button import ProblemsButton
from studio.ui.results_panel import ResultsPanel
from studio.ui.training_panel import TrainingPanel
from studio.ui.tune_panel import TunePanel

AUTOSAVE_MS = 60_000  # the recovery file is rewritten every minute while there are unsaved changes
PROJECT_FILTER = QT_TRANSLATE_NOOP("MainWindow", "Perceptron Studio projects (*.studio.json);;All files (*)")
MODEL_FILTER = QT_TRANSLATE_NOOP("MainWindow", "Keras models (*.h5 *.keras)")


class MainWindow(QMainWindow):
    job_ended = Signal(str, bool)  # a file job (import, export, delete, ...) ended: its kind, whether it worked

    def __init__(self, document: ProjectDocument | None = None):
        super().__init__()
        from studio.ui.collection import collect_on_gui_thread
        collect_on_gui_thread()  # never on the training thread: that deadlocked Qt (studio/ui/collection.py)
        self.document = document or ProjectDocument(self)
        self.scene = CanvasScene(self.document, self)
        self.view = CanvasView(self.scene)
        self.setCentralWidget(self.view)
        self.palette = PalettePanel()
        self.inspector = InspectorPanel(self.document)
        self.data_panel = DataPanel(self.document)
        self.training = TrainingPanel(self.document)
        self._dock(self.tr("Layers"), self.palette, Qt.LeftDockWidgetArea)
        self._dock(self.tr("Inspector"), self.inspector, Qt.LeftDockWidgetArea)
        self.results = ResultsPanel(self.document)
        self.tabs = tabs = QTabWidget()
        tabs.addTab(self.data_panel, self.tr("Data"))
        tabs.addTab(self.training, self.tr("Training"))
        tabs.addTab(self.results, self.tr("Results"))
        self.advisor = AdvisorPanel(self.document)
        tabs.addTab(self.advisor, self.tr("Advisor"))
        self.code = CodePanel(self.document)
        tabs.addTab(self.code, self.tr("Code"))
        self.tune = TunePanel(self.document, busy=lambda: self.training.runner.running)
        tabs.addTab(self.tune, self.tr("Tune"))
        self.lab = LabPanel(self.document)
        tabs.addTab(self.lab, self.tr("Lab"))
        tabs.setCurrentWidget(self.training)
        train_dock = self._dock(self.tr("Train"), tabs, Qt.RightDockWidgetArea)
        self.params_label, self.tf_label = QLabel(), QLabel(self.tr("Loading TensorFlow…"))
        self.busy = BusyIndicator()  # "Importing model…" [progress] [Cancel] while a file job runs
        self.statusBar().addPermanentWidget(self.busy)
        self.problems = ProblemsButton(self.document, self.scene)  # "2 problems": a menu of them, with fixes
        self.problems.message.connect(lambda text: self.statusBar().showMessage(text, 10000))
        self.statusBar().addPermanentWidget(self.problems)
        self.statusBar().addPermanentWidget(self.params_label)
        self.statusBar().addPermanentWidget(self.tf_label)
        self.palette.layer_chosen.connect(
            lambda name: self.scene.add_layer_below(name, self.view.mapToScene(self.view.viewport().rect().center())))
        self.scene.selectionChanged.connect(self._selection_changed)
        self.scene.message.connect(lambda text: self.statusBar().showMessage(text, 6000))
        self.training.message.connect(lambda text: self.statusBar().showMessage(text, 6000))
        self.code.message.connect(lambda text: self.statusBar().showMessage(text, 6000))
        self.lab.collapse_requested.connect(self._collapse)
        self.tune.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.tune.runs_changed.connect(self._load_runs)
        self.training.blocked = lambda: self.tune.worker.busy
        self.training.before_start = self.autosave  # a crash during training loses nothing
        self.autosave_timer = QTimer(self, interval=int(os.environ.get("STUDIO_AUTOSAVE_MS", AUTOSAVE_MS)))
        self.autosave_timer.timeout.connect(self.autosave)
        self.autosave_timer.start()
        self.results.runs_panel.delete_requested.connect(self.delete_runs)
        self.results.runs_panel.tensorboard_requested.connect(self.open_tensorboard)
        self.tensorboard = None  # studio.training.tensorboard.TensorBoard, started on request
        self.tensorboard_starter = Background(self)
        self.tensorboard_starter.done.connect(self._tensorboard_started)
        self.tensorboard_starter.failed.connect(
            lambda text, _details: self.statusBar().showMessage(self.tr("TensorBoard: {0}").format(text), 10000))
        self.busy.watch(self.tensorboard_starter, self.tr("Starting TensorBoard…"))
        self.jobs = Background(self)  # file work: import, export, moving and deleting runs, labs, packs
        self.jobs.done.connect(self._job_done)
        self.jobs.failed.connect(self._job_failed)
        self.jobs.cancelled.connect(self._job_cancelled)
        self._job_text, self._job_kind, self._job_after = "", "", None
        self._run_moves: dict[str, Path] = {}  # a run training when its untitled project was saved: where it goes
        self.job_error = None
        self.busy.watch(self.jobs, "")
        self.jobs.started.connect(lambda: self.busy.label.setText(self._job_text))
        self.training.trained.connect(self._trained)
        self.training.trained.connect(lambda *_: self._update_title())  # a run of an untitled project is unsaved
        self.data_panel.loaded.connect(self._data_loaded)
        self.document.edited.connect(self._update_facts)  # ticked features, another target, undo
        self.document.graph_replaced.connect(self._update_facts)
        self.document.graph_replaced.connect(self._load_runs)
        self.document.validated.connect(self._validated)
        self.document.dirty_changed.connect(lambda _: self._update_title())
        self.document.path_changed.connect(lambda _: self._update_title())
        self._actions()
        self._update_facts()
        self._validated(self.document.report)
        self._update_title()
        self.resize(1400, 860)
        self.resizeDocks([train_dock], [440], Qt.Horizontal)
        file_actions.restore_window_state(self)  # size, maximised, docks as the user left them

    def _dock(self, title, widget, area) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(title)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _actions(self) -> None:
        def add(menu, text, slot, shortcut=None):
            action = QAction(text, self)
            if shortcut is not None:
                action.setShortcut(shortcut)
            action.triggered.connect(slot)
            menu.addAction(action)
            return action

        file = self.menuBar().addMenu(self.tr("&File"))
        add(file, self.tr("&New"), self.new_project, QKeySequence.New)
        add(file, self.tr("&Open…"), self.open_project, QKeySequence.Open)
        self.recent_menu = file.addMenu(self.tr("Open &Recent"))
        self._fill_recent()
        add(file, self.tr("&Save"), self.save, QKeySequence.Save)
        add(file, self.tr("Save &As…"), self.save_as, QKeySequence.SaveAs)
        file.addSeparator()
        add(file, self.tr("&Import Model…"), self.import_model_file)
        add(file, self.tr("&Export Model…"), self.export_model_file)
        add(file, self.tr("Export &Code…"), lambda: self.code.export())
        file.addSeparator()
        add(file, self.tr("&Labs…"), self.choose_lab, "Ctrl+Shift+L")
        add(file, self.tr("Open &Assignment…"), self.open_assignment)
        add(file, self.tr("Export as Assi&gnment…"), self.export_assignment)
        add(file, self.tr("Save Run &Report…"), self.save_report)
        file.addSeparator()
        add(file, self.tr("&Quit"), self.close, QKeySequence.Quit)
        edit = self.menuBar().addMenu(self.tr("&Edit"))
        undo = self.document.undo_stack.createUndoAction(self, self.tr("&Undo"))
        undo.setShortcut(QKeySequence.Undo)
        redo = self.document.undo_stack.createRedoAction(self, self.tr("&Redo"))
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])  # both, on every platform
        edit.addAction(undo)
        edit.addAction(redo)
        edit.addSeparator()
        add(edit, self.tr("Cu&t"), self.scene.cut_selected, QKeySequence.Cut)
        add(edit, self.tr("&Copy"), self.scene.copy_selected, QKeySequence.Copy)
        add(edit, self.tr("&Paste"), self.scene.paste, QKeySequence.Paste)
        add(edit, self.tr("&Delete"), self.scene.delete_selected, QKeySequence.Delete)
        add(edit, self.tr("Select &All"), lambda: [i.setSelected(True) for i in self.scene.nodes.values()], QKeySequence.SelectAll)
        view = self.menuBar().addMenu(self.tr("&View"))
        add(view, self.tr("Automatic &Layout"), self.scene.auto_layout, "Ctrl+L")
        add(view, self.tr("&Fit to Window"), self.view.fit, "Ctrl+0")
        add(view, self.tr("Zoom &In"), lambda: self.view.zoom(1.2), QKeySequence.ZoomIn)
        add(view, self.tr("Zoom &Out"), lambda: self.view.zoom(1 / 1.2), QKeySequence.ZoomOut)
        view.addSeparator()
        for dock in self.findChildren(QDockWidget):  # Layers, Inspector, Train: a closed panel comes back here
            view.addAction(dock.toggleViewAction())
        view.addSeparator()
        languages = view.addMenu(self.tr("&Language"))
        group = QActionGroup(self)
        chosen = language.chosen_language()
        for code, name in [(None, self.tr("System default")), *language.LANGUAGES.items()]:
            action = languages.addAction(name, lambda c=code: self.set_language(c))
            action.setCheckable(True)
            action.setChecked(code == chosen)
            group.addAction(action)

    # -- state shown ----------------------------------------------------------------------

    def _validated(self, report) -> None:
        self.params_label.setText(self.tr("{0} parameters").format(f"{report.total_params:,}"))  # problems: self.problems

    def _update_title(self) -> None:
        name = self.document.path.name if self.document.path else self.tr("Untitled")
        unsaved = self.document.dirty or self.unsaved_runs()
        self.setWindowTitle(f"{name}{' *' if unsaved else ''} — Perceptron Studio")

    def _selection_changed(self) -> None:
        nodes = [i for i in self.scene.selectedItems() if isinstance(i, NodeItem)]
        self.inspector.show_node(nodes[0].name if len(nodes) == 1 else None)

    def _trained(self, result, results) -> None:
        from studio.training.runs import run_metrics, run_record
        job = self.training.runner.job
        self._move_finished_run(job)
        folder = str(job.run_dir) if job.run_dir is not None else None
        name = Path(folder).name if folder else self.tr("run {0}").format(len(self.results.runs) + 1)
        label = self.tr("{0} · {1} epochs").format(name, result.epochs_done)
        metrics = run_metrics(result.final, results.test)
        self.results.add_run(label, result.history, metrics, folder, run_record(job.project, result, metrics, results))
        self.results.show_results(results, self.training.status.text(), getattr(job, "edited_graph", None))
        self.results.mark_new()  # the curves stay in view; the Results tab is marked until opened

    def _data_loaded(self, loaded) -> None:
        """Tell the advisor what the data is: its task, classes, label form, value ranges and features."""
        self._loaded_images = loaded if hasattr(loaded, "class_names") and hasattr(loaded, "x_train") else None
        self._update_facts()

    def _update_facts(self) -> None:
        """The facts of the data the Data tab shows, for the project's data section as it is now (after a
        ticked feature, another target, undo or another project); None while that data is not read."""
        from studio.data.summary import data_facts
        panel, data = self.data_panel, self.document.project.data
        images = getattr(self, "_loaded_images", None)
        key = (panel._loaded_key, panel._key(), id(panel.table), images is not None,
               *(repr(data.get(k)) for k in ("target", "features", "task", "inputs")))
        if key == getattr(self, "_facts_key", None):
            return  # nothing the facts depend on changed
        self._facts_key = key
        if panel._loaded_key is None or panel._loaded_key != panel._key():
            self.document.set_facts(None)  # not read yet, or read for another data section
            return
        frame = panel.table.frame if panel.table is not None else None
        self.document.set_facts(data_facts(data, frame, panel.infos,
                                           images.class_names if images is not None else None))

    def _load_runs(self) -> None:
        from studio.training.runs import list_runs
        self.results.load_runs(list_runs(self.document.project))

    def _show_newest_run(self) -> None:
        """A reopened project shows its newest recorded run: ticked in the runs list, its test metrics shown."""
        from studio.ui.run_results import show_newest_run
        show_newest_run(self.results)

    def tensorflow_loaded(self, devices: list) -> None:
        gpu = [d for d in devices if d.startswith("GPU")]
        self.tf_label.setText(self.tr("TensorFlow ready · training on {0}").format("GPU" if gpu else "CPU"))
        self.training.tensorflow_ready()
        if not any(editor.hasFocus() for editor in self.inspector.editors.values()):  # never under the user's typing
            self.inspector.show_node(self.inspector.node_name)  # activations and initializers are lists now
        self.document.revalidate()

    # -- nothing lost -------------------------------------------------------------------------

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

    def set_language(self, code: str | None) -> None:
        language.choose_language(code)
        QMessageBox.information(self, self.tr("Language"), self.tr("The studio will use the new language the next time it starts."))

    # -- labs ---------------------------------------------------------------------------------

    def choose_lab(self) -> bool:
        from studio.ui.lab_browser import LabBrowser
        browser = LabBrowser(self)
        if not browser.exec() or browser.chosen is None:
            return False
        return self.open_lab(browser.chosen, browser.restart)

    def open_lab(self, lab, restart: bool = False) -> bool:
        """Open the student's copy of ``lab`` with its lesson in the Lab tab; returns whether it started.

        The copy (made on first use) is made in the background with the
        status bar's progress and Cancel; ``job_ended("lab", ok)`` says when
        the lab is open.
        """
        from studio.classroom.labs import start_lab
        if lab.project and not self._confirm_discard():
            return False
        if lab.project:
            self.document.undo_stack.setClean()  # already asked above; the window goes on while it copies

        def work(progress, cancelled):
            return start_lab(lab, restart=restart, progress=progress, cancelled=cancelled)

        def finish(folder) -> bool:
            if lab.project:
                return self.open_project(str(folder / lab.project))
            self._show_lab(lab, folder)
            return True

        return self._run_job("lab", self.tr("Opening lab {0}…").format(lab.number), work, finish,
                             self.tr("Cannot open the lab"))

    def open_assignment(self, path: str | None = None) -> bool:
        """Unpack a teacher's .studio-pack into the labs folder and open it with its instructions."""
        from studio.classroom.labs import load_lab
        from studio.classroom.packs import open_pack
        if not self._confirm_discard():
            return False
        if not path:
            path = file_actions.choose_file(self, "assignment", self.tr("Open assignment"),
                                            self.tr("Assignments (*.studio-pack)"), project=self._own_path())
            if not path:
                return False
        self.document.undo_stack.setClean()  # already asked above; the window goes on while it unpacks

        notes = []  # one line when the student's earlier copy is opened, or this pack is put beside another

        def work(progress, cancelled):
            folder = open_pack(path, progress=progress, cancelled=cancelled, told=notes.append)  # unzips
            return folder, load_lab(folder)

        def finish(result) -> bool:
            folder, lab = result
            opened = self.open_project(str(folder / lab.project))
            if opened and notes:
                self.statusBar().showMessage(notes[-1], 15000)
            return opened

        return self._run_job("assignment", self.tr("Opening the assignment…"), work, finish,
                             self.tr("Cannot open the assignment"))

    def export_assignment(self, path: str | None = None) -> bool:
        """Pack the saved project (with its data, seed, locked data settings and check) for students."""
        from studio.classroom.packs import create_pack
        if self.document.path is None or self.document.dirty:
            QMessageBox.information(self, self.tr("Export as assignment"),
                                    self.tr("Save the project first: the assignment is made from the saved file."))
            return False
        if not path:
            name = self.document.path.name.replace(".studio.json", ".studio-pack")
            path = file_actions.choose_file(self, "assignment", self.tr("Export as assignment"),
                                            self.tr("Assignments (*.studio-pack)"), name, save=True,
                                            project=self._own_path())
            if not path:
                return False
        source = self.document.path

        def work(progress, cancelled):
            return create_pack(source, path, progress=progress, cancelled=cancelled)  # hashes, compresses

        def finish(written) -> bool:
            self.statusBar().showMessage(self.tr("Exported {0}").format(written), 6000)
            return True

        return self._run_job("export-assignment", self.tr("Exporting the assignment…"), work, finish,
                             self.tr("Cannot export the assignment"))

    def save_report(self, path: str | None = None) -> bool:
        """Write the HTML report of the project's newest run."""
        from studio.exports.report import write_report
        from studio.training.runs import list_runs
        runs = list_runs(self.document.project)
        if not runs:
            QMessageBox.information(self, self.tr("Save run report"),
                                    self.tr("There is no recorded run yet: save the project and train it first."))
            return False
        run = runs[-1]["dir"]
        if not path:
            path = file_actions.choose_file(self, "report", self.tr("Save run report"), self.tr("Web pages (*.html)"),
                                            "report.html", save=True, project=self._own_path())
            if not path:
                return False

        def work(progress, cancelled):
            return write_report(run, path)

        def finish(written) -> bool:
            self.statusBar().showMessage(self.tr("Saved {0}").format(written), 6000)
            return True

        return self._run_job("report", self.tr("Writing the run report…"), work, finish,
                             self.tr("Cannot save the report"))

    def _show_lab(self, lab, folder) -> None:
        self.lab.set_lab(lab, folder)
        self.tabs.setCurrentWidget(self.lab)

    def delete_runs(self, folders: list, confirm: bool = True) -> int:
        """Delete recorded runs after asking; returns how many were deleted."""
        from studio.training.runs import delete_run
        if confirm and QMessageBox.question(
                self, self.tr("Delete runs"),
                self.tr("Delete {0} run(s) with their models and logs? This cannot be undone.").format(len(folders)),
                QMessageBox.Yes | QMessageBox.No, QMessageBox.No) != QMessageBox.Yes:
            return 0
        project = self.document.project

        def work(progress, cancelled):
            from studio.data.errors import DataError
            for i, folder in enumerate(folders):
                if cancelled():
                    break
                try:
                    delete_run(project, folder)
                except OSError as exc:
                    raise DataError(str(exc)) from None
                progress((i + 1) / len(folders))

        def finish(_) -> bool:
            self._load_runs()
            return True

        started = self._run_job("delete-runs", self.tr("Deleting runs…"), work, finish, self.tr("Cannot delete"),
                                after=self._load_runs)  # after a failure or Cancel too: some may be gone
        return len(folders) if started else 0

    def open_tensorboard(self) -> None:
        """Start TensorBoard on the project's runs folder (off the GUI thread) and open the browser."""
        from studio.training.runs import runs_folder
        from studio.training.tensorboard import TensorBoard
        folder = runs_folder(self.document.project)  # beside the file, or the untitled project's scratch folder
        if not any(folder.glob("*/run.json")):
            self.statusBar().showMessage(self.tr("Train the model once: TensorBoard shows the recorded runs."), 8000)
            return
        old = None
        if self.tensorboard is None or self.tensorboard.logdir != folder:
            old, self.tensorboard = self.tensorboard, TensorBoard(folder)
        board = self.tensorboard

        def start(progress, cancelled):
            if old is not None:
                old.stop()  # the other folder's server: stopped here, not on the GUI thread
            return board.start()

        self.tensorboard_starter.start(start)

    def _tensorboard_started(self, url: str) -> None:
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices
        self.statusBar().showMessage(self.tr("TensorBoard is at {0}").format(url), 10000)
        QDesktopServices.openUrl(QUrl(url))

    def _collapse(self) -> None:
        job = self.training.runner.job
        if job is None or job.model is None or self.training.runner.running:
            self.lab.activations.result.setText(self.tr("Train the model first; then its trained layers can be collapsed."))
            return
        self.lab.activations.collapse(job.model)

    # -- file work off the GUI thread ---------------------------------------------------------

    def _run_job(self, kind: str, text: str, work, finish, failure: str = "", after=None) -> bool:
        """Run ``work(progress, cancelled)`` in the background; ``finish(result)`` then runs here.

        One job at a time; the status bar shows ``text`` with a Cancel button.
        ``job_ended(kind, ok)`` says when it is over. Returns whether it started.
        """
        if self.jobs.busy:
            self.statusBar().showMessage(self.tr("Wait for “{0}” to finish, or cancel it.").format(self._job_text), 6000)
            return False
        self._job_text, self._job_kind, self._job_finish, self._job_failure = text, kind, finish, failure
        self._job_after = after  # called when it failed or was cancelled
        self.jobs.start(work)
        return True

    def _job_done(self, result) -> None:
        ok = bool(self._job_finish(result))
        self.job_ended.emit(self._job_kind, ok)

    def _job_failed(self, message: str, details: str) -> None:
        box = QMessageBox(QMessageBox.Warning, self._job_failure or self._job_text.rstrip("…"), message, parent=self)
        if details:
            box.setDetailedText(details)
        box.open()  # not exec(): the window goes on; tests read window.job_error
        self.job_error = box
        if self._job_after is not None:
            self._job_after()
        self.job_ended.emit(self._job_kind, False)

    def _job_cancelled(self) -> None:
        self.statusBar().showMessage(self.tr("Cancelled: {0}").format(self._job_text.rstrip("…")), 4000)
        if self._job_after is not None:
            self._job_after()
        self.job_ended.emit(self._job_kind, False)

    def cancel_job(self) -> None:
        """What the status bar's Cancel button does: the job stops (a loader child is killed)."""
        self.jobs.cancel()

    # -- files ------------------------------------------------------------------------------

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
        if not self.document.dirty and not self.unsaved_runs():
            return True
        answer = QMessageBox.question(self, self.tr("Unsaved changes"), self.tr("Save the changes to this project first?"),
                                      QMessageBox.Save | QMessageBox.Discard | QMessageBox.Cancel)
        if answer == QMessageBox.Save:
            return self.save()
        return answer == QMessageBox.Discard

    def new_project(self) -> None:
        if self._confirm_discard():
            self.document.new()

    def open_project(self, path: str | None = None) -> bool:
        if not self._confirm_discard():
            return False
        if not path:
            path = file_actions.choose_file(self, "project", self.tr("Open project"), self.tr(PROJECT_FILTER),
                                            project=self._own_path())
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
        return self.save_as(self.document.path) if self.document.path else self.save_as()

    def save_as(self, path=None) -> bool:
        if not path:
            name = self.document.path.name if self._own_path() else "model.studio.json"
            path = file_actions.choose_file(self, "project", self.tr("Save project"), self.tr(PROJECT_FILTER), name,
                                            save=True, project=self._own_path())
            if not path:
                return False
            if not path.endswith(".studio.json"):
                path = str(Path(path).with_suffix("")) + ".studio.json"
        from studio.training.runs import has_own_file, runs_folder
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

    def _carry_model(self, before: Path) -> None:
        """Save As under a new name: the trained model goes along (its run is copied), in the background."""
        from studio.training.current_model import carry_current, current_run
        project = self.document.project
        if current_run(project, before) is None:
            return
        self._run_job("carry-model", self.tr("Copying the trained model beside the project…"),
                      lambda progress, cancelled: carry_current(before, project), lambda _: self._load_runs() or True,
                      self.tr("Cannot copy the trained model"))

    def _adopt_runs(self) -> None:
        """Runs made while the project had no file move beside it (NAME.runs/), in the background."""
        from studio.training.run_moves import adopt_runs, moved_to
        from studio.training.runs import has_own_file, saved_runs_folder, scratch_folder
        project = self.document.project
        job = self.training.runner.job
        if has_own_file(project) and self.training.runner.running and job is not None and job.run_dir is not None \
                and job.run_dir.parent == scratch_folder():  # still training: it follows once it is recorded
            self._run_moves[str(job.run_dir)] = saved_runs_folder(project.path)
        if not has_own_file(project) or not any(scratch_folder().glob("*/run.json")):
            return

        def finish(moved) -> bool:
            job = self.training.runner.job  # Continue records where its run went
            if job is not None and job.run_dir is not None and not job.run_dir.exists():
                job.run_dir = moved_to(moved, job.run_dir.name) or job.run_dir
            self._load_runs()
            return True

        def work(progress, cancelled):
            return adopt_runs(project, progress, cancelled)  # the trained model stays the project's current one

        if not self._run_job("move-runs", self.tr("Moving the runs beside the project…"), work, finish,
                             self.tr("Cannot move the runs")):
            QTimer.singleShot(500, self._adopt_runs)  # another job runs: try again when it is over

    def _move_finished_run(self, job) -> None:
        """A run that was training when its untitled project was saved goes beside the saved file, in the background."""
        source = job.run_dir if job is not None else None
        target = self._run_moves.pop(str(source), None) if source is not None else None
        if target is None:
            return

        def work(progress, cancelled):
            from studio.training.run_moves import move_run
            return move_run(source, target)  # None: not recorded (it failed), or Save As already took it along

        def finish(destination) -> bool:
            if destination is not None and job.run_dir == source:
                job.run_dir = destination  # Continue records there
            self._load_runs()
            return True

        if not self._run_job("move-runs", self.tr("Moving the runs beside the project…"), work, finish,
                             self.tr("Cannot move the runs")):
            self._run_moves[str(source)] = target
            QTimer.singleShot(500, lambda: self._move_finished_run(job))  # another job runs: after it

    def import_model_file(self, path: str | None = None) -> bool:
        """Open a Keras model as an editable graph (checked and trial-loaded in a child process first)."""
        if not self._confirm_discard():
            return False
        if not path:
            path = file_actions.choose_file(self, "model", self.tr("Import model"), self.tr(MODEL_FILTER),
                                            project=self._own_path())
            if not path:
                return False
        self.document.undo_stack.setClean()  # already asked above; the window goes on while it loads

        def work(progress, cancelled):
            from studio.training.safe_load import open_untrusted
            from studio.training.imported import imported_project, record_import
            from studio.training.runs import reset_scratch
            model, metadata = open_untrusted(path, cancelled=cancelled)
            project, continued, notes = imported_project(model, metadata, import_model(model, name=model.name))
            reset_scratch()  # the new untitled project's runs folder: the imported model is its first run
            record_import(project, model, continued, Path(path))
            return model, continued, project, notes

        def finish(result) -> bool:
            model, continued, project, notes = result
            self.document.replace(project, fresh_runs=False)
            self.document.undo_stack.resetClean()  # an imported model is unsaved until the user saves it
            self.imported_model = model
            self.training.runner.source = (model, continued)  # Continue goes on from its weights and optimizer
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
        """Save the trained model (or, before training, the freshly built one) as .h5 or .keras."""
        from studio.training.model_files import save_model
        job = self.training.runner.job
        if not path:
            path = file_actions.choose_file(self, "model", self.tr("Export model"), self.tr(MODEL_FILTER), "model.h5",
                                            save=True, project=self._own_path())
            if not path:
                return False
        trained = job is not None and job.model is not None and not self.training.runner.running
        model, metadata = (job.model, job.metadata()) if trained else (None, None)
        graph = self.document.graph.copy()  # the edits made while it saves are not in the file

        def work(progress, cancelled):
            from studio.data.errors import DataError
            try:
                if model is not None:
                    save_model(model, path, metadata)
                else:
                    from studio.core.keras_bridge import build_model
                    save_model(build_model(graph), path, {"graph": graph.to_dict()})
            except Exception as exc:  # BuildError, ModelFileError: said, nothing lost
                raise DataError(str(exc)) from None

        def finish(_) -> bool:
            self.statusBar().showMessage(self.tr("Exported {0}").format(path), 4000)
            return True

        return self._run_job("export", self.tr("Exporting the model…"), work, finish, self.tr("Cannot export"))

    def _remember(self, path: str) -> None:
        file_actions.remember_recent(path)
        # Not at once: this may run inside the triggered signal of a recent-file action that
        # refilling the menu would delete under Qt's feet.
        QTimer.singleShot(0, self._fill_recent)

    def _fill_recent(self) -> None:
        """One entry per recent file; a file that no longer exists is shown greyed, with why."""
        self.recent_menu.clear()
        recent = file_actions.read_recent()
        for path in recent:
            action = self.recent_menu.addAction(path, lambda p=path: self.open_project(p))
            if not Path(path).is_file():
                action.setEnabled(False)
                action.setToolTip(self.tr("{0} no longer exists").format(path))
        if recent:
            self.recent_menu.addSeparator()
            self.recent_menu.addAction(self.tr("Clear Recent"), self._clear_recent)
        else:
            self.recent_menu.addAction(self.tr("(none yet)")).setEnabled(False)
        self.recent_menu.setToolTipsVisible(True)

    def _clear_recent(self) -> None:
        file_actions.write_recent([])
        self._fill_recent()

    def closeEvent(self, event) -> None:
        if not self._confirm_discard():
            event.ignore()
            return
        file_actions.save_window_state(self)
        self.shutdown()
        event.accept()

    def shutdown(self) -> None:
        """Stop everything that runs, without waiting on any of it for long (quitting takes well under 2 s).

        Background file jobs are cancelled (their threads are daemons), the
        loader child and TensorBoard are killed, the training and tuning jobs
        are told to stop; the untitled project's scratch runs are removed.
        """
        from studio.core.recovery import remove_recovery
        from studio.training.runs import remove_scratch_folders
        from studio.training.safe_load import stop_loader
        self.autosave_timer.stop()
        self.jobs.cancel()
        self.tensorboard_starter.cancel()
        stop_loader()
        if self.tensorboard is not None:
            self.tensorboard.stop()
        self.tune.stop()
        self.training.runner.shutdown()
        remove_recovery()  # a clean exit leaves nothing to recover
        remove_scratch_folders()
