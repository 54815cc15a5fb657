"""The main window's file work off the GUI thread: one job at a time, shown in the status bar with Cancel.

A job is ``work(progress, cancelled)`` on a ``studio.ui.background.Background``
thread and ``finish(result)`` back on the GUI thread; ``job_ended(kind, ok)``
says when it is over, and a failure is shown in a message box (``job_error``).
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox


class WindowJobs:
    """Background file jobs of ``studio.ui.main_window.MainWindow``."""

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
