"""Files given to the window from outside: ``studio FILE…`` (what a file manager runs on a double-click) and a
file dropped from the file manager onto the window.

Each kind goes through the File menu's own code path, so that it says the same
things: a project (``.studio.json``) as File > Open, an assignment pack
(``.studio-pack``) as File > Open Assignment, a Keras model (``.h5``, ``.keras``)
as File > Import Model (the safe, child-process load), and a CSV file as
choosing it on the Data tab of a new project. A file that cannot be opened is
said in the window, which stays open.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox

# File name endings and the kind of file each is (the longest ending is looked at first).
KINDS = ((".studio.json", "project"), (".studio-pack", "assignment"), (".h5", "model"), (".keras", "model"),
         (".csv", "csv"), (".tsv", "csv"), (".txt", "csv"))


def file_kind(path: str | Path) -> str | None:
    """"project", "assignment", "model" or "csv" by the file's name; None for a name the studio does not open."""
    name = Path(path).name.lower()
    return next((kind for ending, kind in KINDS if name.endswith(ending)), None)


def local_path(path: str) -> str:
    """A ``file://`` URL as the local file it names; anything else as it is."""
    if path.startswith("file:"):
        from PySide6.QtCore import QUrl
        local = QUrl(path).toLocalFile()
        return local or path
    return path


def same_path(a, b) -> bool:
    return os.path.normcase(os.path.abspath(local_path(str(a)))) == os.path.normcase(os.path.abspath(str(b)))


def open_files(window, paths) -> bool:
    """Open the first of ``paths`` in ``window`` (``studio FILE…``); see ``WindowOpen.open_files``."""
    return window.open_files([str(p) for p in paths])


class WindowOpen:
    """Opening files from the command line and from drops, for ``studio.ui.main_window.MainWindow``."""

    def open_files(self, paths: list[str]) -> bool:
        """Open the first of ``paths`` that can be opened (each that cannot says why in its own box); when there
        are more, the status bar says which one was opened and names the others. ``file://`` URLs (some
        launchers pass them) are the files they name.

        Returns whether it opened (for a model or a pack: whether its loading started).
        """
        paths = [local_path(p) for p in paths]
        if not paths:
            return False
        opened, failed = None, []
        for path in paths:  # the first that opens; a file that cannot be opened has said why in its own box
            if self.open_path(path):
                opened = path
                break
            failed.append(path)
            if len(paths) == 1:
                return False
        if len(paths) > 1:
            rest = [Path(p).name for p in paths if p != opened]
            if opened is not None:
                rest = rest[len(failed):]
            others = ", ".join(rest[:3]) + (self.tr(" and {0} more").format(len(rest) - 3) if len(rest) > 3 else "")
            if opened is None:
                note = self.tr("None of the {0} files could be opened.").format(len(paths))
            elif failed:
                note = self.tr("{0} could not be opened; opened {1} instead: the studio opens one file at a time"
                               ).format(", ".join(Path(p).name for p in failed), Path(opened).name)
                note += self.tr(" (not opened: {0}).").format(others) if rest else "."
            else:
                note = self.tr("Opened {0} only: the studio opens one file at a time (not opened: {1}).").format(
                    Path(opened).name, others)
            if self.jobs.busy:  # said when the model or pack is open, not overwritten by its "Imported …"
                def said(_kind, _ok):
                    self.job_ended.disconnect(said)
                    self.statusBar().showMessage(note, 15000)
                self.job_ended.connect(said)
            else:
                self.statusBar().showMessage(note, 15000)
        return opened is not None

    def open_path(self, path: str) -> bool:
        """Open one file as the File menu would open a file of its kind."""
        kind = file_kind(path)
        if kind == "project":
            return self.open_project(path)
        if kind == "assignment":
            return self.open_assignment(path)
        if kind == "model":
            return self.import_model_file(path)
        if kind == "csv":
            return self.open_csv(path)
        QMessageBox.warning(self, self.tr("Cannot open"), self.tr(
            "{0}: not a file Perceptron Studio opens. It opens projects (.studio.json), assignments (.studio-pack), "
            "Keras models (.h5, .keras) and CSV files (.csv, .tsv, .txt).").format(path))
        return False

    def open_csv(self, path: str) -> bool:
        """A new project with this CSV file chosen on the Data tab (its format detected, its columns shown)."""
        if not Path(path).is_file():
            QMessageBox.warning(self, self.tr("Cannot open"), self.tr("{0}: there is no such file.").format(path))
            return False
        if not self._confirm_discard():
            return False
        self.document.new()
        self.data_panel.choose_file(Path(path), "csv")
        self.tabs.setCurrentWidget(self.data_panel)
        self.statusBar().showMessage(self.tr("New project with the data of {0}").format(path), 8000)
        return True

    # -- drops from the file manager ------------------------------------------------------------

    def _dropped_files(self, event) -> list[str]:
        mime = event.mimeData()
        if not mime.hasUrls():
            return []
        return [url.toLocalFile() for url in mime.urls() if url.isLocalFile() and url.toLocalFile()]

    def dragEnterEvent(self, event) -> None:
        if self._dropped_files(event):
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event) -> None:
        if self._dropped_files(event):
            event.acceptProposedAction()
        else:
            super().dragMoveEvent(event)

    def dropEvent(self, event) -> None:
        paths = self._dropped_files(event)
        if not paths:
            super().dropEvent(event)
            return
        event.acceptProposedAction()
        # Opened once the drop is over: a question (save the changes first?) must not hold the file manager's drag
        QTimer.singleShot(0, self, lambda: self.open_files(paths))
