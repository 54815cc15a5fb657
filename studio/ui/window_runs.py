"""The main window's runs: a finished training joins the Runs list; runs move beside a project when it is
first saved, are deleted, shown in TensorBoard and written as a report.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox

from studio.ui.language import epochs as count_epochs


class WindowRuns:
    """Run handling of ``studio.ui.main_window.MainWindow``."""

    def _trained(self, result, results) -> None:
        from studio.training.runs import run_metrics, run_record
        job = self.training.runner.job
        self._move_finished_run(job)
        folder = str(job.run_dir) if job.run_dir is not None else None
        name = Path(folder).name if folder else self.tr("run {0}").format(len(self.results.runs) + 1)
        label = self.tr("{0} · {1}").format(name, count_epochs(result.epochs_done))
        metrics = run_metrics(result.final, results.test)
        self.results.add_run(label, result.history, metrics, folder, run_record(job.project, result, metrics, results))
        self.results.show_results(results, self.training.status.text(), getattr(job, "edited_graph", None))
        self.results.mark_new()  # the curves stay in view; the Results tab is marked until opened

    def _load_runs(self) -> None:
        from studio.training.runs import list_runs
        self.results.load_runs(list_runs(self.document.project))

    def _show_newest_run(self) -> None:
        """A reopened project shows its newest recorded run: ticked in the runs list, its test metrics shown."""
        from studio.ui.run_results import show_newest_run
        show_newest_run(self.results)

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
        path = self._ask_path(path, "report", self.tr("Save run report"), self.tr("Web pages (*.html)"), "report.html",
                              save=True)
        if not path:
            return False

        def work(progress, cancelled):
            return write_report(run, path)

        def finish(written) -> bool:
            self.statusBar().showMessage(self.tr("Saved {0}").format(written), 6000)
            return True

        return self._run_job("report", self.tr("Writing the run report…"), work, finish,
                             self.tr("Cannot save the report"))
