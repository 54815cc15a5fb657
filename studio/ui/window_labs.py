"""The main window's labs and assignments: choose and open a lab, open a teacher's pack, export one, and
the Lab tab's requests (collapse the trained layers).
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from studio.ui import language


class WindowLabs:
    """Labs of ``studio.ui.main_window.MainWindow``."""

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
                return self.open_project(str(folder / lab.project), asked=True)
            self._show_lab(lab, folder)
            return True

        return self._run_job("lab", self.tr("Opening lab {0}…").format(lab.number), work, finish,
                             self.tr("Cannot open the lab"))

    def open_assignment(self, path: str | None = None) -> bool:
        """Unpack a teacher's .studio-pack into the labs folder and open it with its instructions."""
        from studio.classroom.labs import load_lab
        from studio.classroom.pack_open import open_pack
        path = self._file_to_open(path, "assignment", self.tr("Open assignment"),
                                  self.tr("Assignments (*.studio-pack)"))
        if not path:
            return False
        self.document.undo_stack.setClean()  # already asked above; the window goes on while it unpacks

        notes = []  # one line when the student's earlier copy is opened, or this pack is put beside another

        def work(progress, cancelled):
            folder = open_pack(path, progress=progress, cancelled=cancelled, told=notes.append)  # unzips
            return folder, load_lab(folder)

        def finish(result) -> bool:
            folder, lab = result
            opened = self.open_project(str(folder / lab.project), asked=True)
            if opened:  # where the student's work goes: a copy in the labs folder, not the pack
                self.statusBar().showMessage(notes[-1] if notes else self.tr(
                    "Opened the assignment “{0}”: your copy is in {1}; Check my work is on the Lab tab").format(
                    lab.text("title", language.current()), folder), 15000)
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
        name = self.document.path.name.replace(".studio.json", ".studio-pack")
        path = self._ask_path(path, "assignment", self.tr("Export as assignment"),
                              self.tr("Assignments (*.studio-pack)"), name, save=True)
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

    def _show_lab(self, lab, folder) -> None:
        self.lab.set_lab(lab, folder)
        self.tabs.setCurrentWidget(self.lab)

    def _collapse(self) -> None:
        job = self.training.runner.job
        if job is None or job.model_path is None or self.training.runner.running:
            self.lab.activations.result.setText(self.tr("Train the model first; then its trained layers can be collapsed."))
            return
        view = self.lab.activations  # the child reads the layers from the trained model's file
        self.training.runner.call("linear_chain", {"model": {"path": str(job.model_path), "own": True}},
                                  view.collapse, lambda text, _details: view.result.setText(text))
