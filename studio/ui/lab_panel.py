"""The Lab tab: the open lab's lesson, its interactive part, and "Check my work".

The check reads the lab folder and the project as it is open (unsaved edits
included) and runs off the GUI thread: a check may read a data set.
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QSplitter, QTextBrowser, QVBoxLayout, QWidget

from studio.classroom.labs import Lab, load_perceptron
from studio.ui import language
from studio.ui.background import Background
from studio.ui.document import ProjectDocument


class LabPanel(QWidget):
    checked = Signal(object)  # CheckResult
    collapse_requested = Signal()  # lab 3: collapse the trained model's linear layers

    def __init__(self, document: ProjectDocument, parent=None):
        super().__init__(parent)
        self.document = document
        self.lab: Lab | None = None
        self.folder: Path | None = None
        self.result = None
        self.title = QLabel(self.tr("No lab is open. Choose one with File > Labs…"), wordWrap=True)
        self.lesson = QTextBrowser(openExternalLinks=False)
        self.extra = QWidget()
        self.extra_layout = QVBoxLayout(self.extra)
        self.extra_layout.setContentsMargins(0, 0, 0, 0)
        self.perceptron = None
        self.activations = None
        self.check_button = QPushButton(self.tr("Check my work"))
        self.check_button.setEnabled(False)
        self.report = QTextBrowser()
        self.report.setMaximumHeight(180)
        split = QSplitter(Qt.Vertical)
        split.addWidget(self.lesson)
        split.addWidget(self.extra)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(split, stretch=1)
        layout.addWidget(self.check_button)
        layout.addWidget(self.report)
        self.worker = Background(self)
        self.worker.done.connect(self._show_result)
        self.worker.failed.connect(lambda text, _details: self._show_error(text))
        self.check_button.clicked.connect(self.check)
        self.extra.hide()

    # -- opening a lab ----------------------------------------------------------------------

    def training_started(self) -> None:
        """A new run: a collapse shown for the model trained before no longer describes the model."""
        if self.activations is not None:
            self.activations.result.clear()

    def set_lab(self, lab: Lab, folder: Path) -> None:
        self.lab, self.folder, self.result = lab, Path(folder), None
        lang = language.current()
        if lab.number:
            heading = self.tr("Lab {0}: {1}").format(lab.number, lab.text("title", lang))
        else:  # an assignment unpacked from a teacher's pack has no lab number
            heading = self.tr("Assignment: {0}").format(lab.text("title", lang))
        self.title.setText(f"<b>{html.escape(heading)}</b>")
        self.lesson.setMarkdown(lab.lesson(lang))
        self.report.clear()
        self.check_button.setEnabled(True)
        self._set_extra(lab)

    def _set_extra(self, lab: Lab) -> None:
        for widget in (self.perceptron, self.activations):
            if widget is not None:
                widget.hide()
        if lab.perceptron:
            if self.perceptron is None:
                from studio.ui.perceptron_view import PerceptronView
                self.perceptron = PerceptronView()
                self.extra_layout.addWidget(self.perceptron)
            self.perceptron.set_lab(load_perceptron(lab, self.folder), self.folder)
            self.perceptron.show()
        elif lab.kind == "activations":
            if self.activations is None:
                from studio.ui.activation_view import ActivationView
                self.activations = ActivationView()
                self.activations.collapse_requested.connect(self.collapse_requested)
                self.extra_layout.addWidget(self.activations)
            self.activations.result.clear()
            self.activations.show()
        self.extra.setVisible(bool(lab.perceptron) or lab.kind == "activations")

    # -- checking -----------------------------------------------------------------------------

    def check(self) -> None:
        if self.lab is None:
            return
        lab, folder = self.lab, self.folder
        project = None
        if lab.project:
            p = self.document.project
            project = p.copy()

        def work(progress, cancelled):
            from studio.classroom.lab_checks import check_lab
            return check_lab(lab, folder, project)

        self.check_button.setEnabled(False)
        self.report.setPlainText(self.tr("Checking…"))
        self.worker.start(work)

    def _show_result(self, result) -> None:
        self.result = result
        self.check_button.setEnabled(True)
        lang = language.current()
        rows = []
        for item in result.items:
            mark = "<span style='color:#2ca02c'>✔</span>" if item.ok else "<span style='color:#d62728'>✘</span>"
            row = f"{mark} {html.escape(item.text(lang))}"
            if not item.ok and item.hint(lang):
                hint = self.tr("Hint: {0}").format(item.hint(lang))
                row += f"<br><i>{html.escape(hint)}</i>"
            rows.append(f"<p>{row}</p>")
        verdict = self.tr("Passed — well done.") if result.passed else self.tr("Not passed yet.")
        self.report.setHtml(f"<p><b>{html.escape(verdict)}</b></p>" + "".join(rows))
        self.checked.emit(result)

    def _show_error(self, text: str) -> None:
        self.check_button.setEnabled(True)
        self.report.setPlainText(text)
