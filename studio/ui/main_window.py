"""The main window: its panels and docks and the state it shows; the panels do the work.

What its menus do is in mixins of their own: ``window_menus`` (the menus),
``window_files`` (project and model files, nothing lost), ``window_open`` (files
given on the command line or dropped from the file manager), ``window_runs``
(the Runs list, moving runs, TensorBoard, reports), ``window_labs`` (labs and
assignments) and ``window_jobs`` (file work off the GUI thread).
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QTabWidget

from studio.ui.advisor_panel import AdvisorPanel
from studio.ui import file_actions
from studio.ui.background import Background, BusyIndicator
from studio.ui.canvas import CanvasScene, CanvasView, NodeItem
from studio.ui.code_panel import CodePanel
from studio.ui.data_panel import DataPanel
from studio.ui.document import ProjectDocument
from studio.ui.inspector import InspectorPanel
from studio.ui.lab_panel import LabPanel
from studio.ui.layer_checks import LayerChecks
from studio.ui.palette import PalettePanel
from studio.ui.problems_button import ProblemsButton
from studio.ui.results_panel import ResultsPanel
from studio.ui.predict_panel import PredictPanel
from studio.ui.summary_panel import SummaryPanel
from studio.ui.training_panel import TrainingPanel
from studio.ui.tune_panel import TunePanel
from studio.ui.window_files import WindowFiles
from studio.ui.window_jobs import WindowJobs
from studio.ui.window_labs import WindowLabs
from studio.ui.window_menus import WindowMenus
from studio.ui.window_open import WindowOpen
from studio.ui.window_runs import WindowRuns

AUTOSAVE_MS = 60_000  # the recovery file is rewritten every minute while there are unsaved changes


class MainWindow(WindowMenus, WindowFiles, WindowOpen, WindowRuns, WindowLabs, WindowJobs, QMainWindow):
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
        self.predict = PredictPanel(self.document, self.training.runner)
        tabs.addTab(self.predict, self.tr("Predict"))
        self.advisor = AdvisorPanel(self.document)
        tabs.addTab(self.advisor, self.tr("Advisor"))
        self.code = CodePanel(self.document, self.training.runner)
        tabs.addTab(self.code, self.tr("Code"))
        self.summary_panel = SummaryPanel(self.document, self.training.runner)
        tabs.addTab(self.summary_panel, self.tr("Summary"))
        self.tune = TunePanel(self.document, busy=lambda: self.training.runner.running, runner=self.training.runner)
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
        self.training.runner.loaded.connect(self.tensorflow_loaded)  # TensorFlow is loaded in the child only
        self.document.layer_checks = LayerChecks(self.training.runner, self)  # and Keras judges layers there
        self.document.layer_checks.answered.connect(self.document.revalidate)
        self.training.runner.unavailable.connect(
            lambda why: self.tf_label.setText(self.tr("TensorFlow failed to load: {0}").format(why)))
        self.palette.layer_chosen.connect(
            lambda name: self.scene.add_layer_below(name, self.view.mapToScene(self.view.viewport().rect().center())))
        self.scene.selectionChanged.connect(self._selection_changed)
        self.scene.message.connect(lambda text: self.statusBar().showMessage(text, 6000))
        self.training.message.connect(lambda text: self.statusBar().showMessage(text, 6000))
        self.code.message.connect(lambda text: self.statusBar().showMessage(text, 6000))
        self.lab.collapse_requested.connect(self._collapse)
        self.training.runner.started.connect(lambda _info: self.lab.training_started())
        self.tune.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.tune.runs_changed.connect(self._load_runs)
        self.training.blocked = lambda: self.tune.running is not None
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
        self.setAcceptDrops(True)  # a project, pack, model or CSV file dropped from the file manager
        self._update_facts()
        self._validated(self.document.report)
        self._update_title()
        self.resize(1400, 860)
        # Wide enough that every tab's title is in view (nine tabs; no scroll arrows hiding Tune and Lab),
        # at most half the window.
        tabs_width = self.tabs.tabBar().sizeHint().width() + 24
        self.resizeDocks([train_dock], [min(max(440, tabs_width), self.width() // 2)], Qt.Horizontal)
        file_actions.restore_window_state(self)  # size, maximised, docks as the user left them

    def _dock(self, title, widget, area) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(title)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

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

    def tensorflow_loaded(self, devices: list) -> None:
        gpu = [d for d in devices if d.startswith("GPU")]
        self.tf_label.setText(self.tr("TensorFlow ready · training on {0}").format("GPU" if gpu else "CPU"))
        self.training.tensorflow_ready()
        if not any(editor.hasFocus() for editor in self.inspector.editors.values()):  # never under the user's typing
            self.inspector.show_node(self.inspector.node_name)  # activations and initializers are lists now
        self.document.revalidate()

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
