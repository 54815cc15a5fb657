"""The task advisor in the window: findings for the current graph and data, each with a one-click fix.

A fix is pushed as one undo macro of the ordinary commands, so Undo takes it back.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from studio.core.advisor import DataFacts, Finding
from studio.core.layout import insert_after
from studio.ui import commands, language
from studio.ui.document import ProjectDocument


class AdvisorPanel(QWidget):
    def __init__(self, document: ProjectDocument, parent=None):
        super().__init__(parent)
        self.document = document
        self.language = language.current()
        self.findings: list[Finding] = []
        self.buttons: list[QPushButton] = []
        self.header = QLabel()
        self.header.setWordWrap(True)
        self.list = QWidget()
        self.rows = QVBoxLayout(self.list)
        self.rows.addStretch(1)
        scroll = QScrollArea(widgetResizable=True, frameShape=QFrame.NoFrame)
        scroll.setWidget(self.list)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(scroll, stretch=1)
        document.validated.connect(lambda _: self.refresh())  # the document checks after every edit
        self.refresh()

    @property
    def facts(self) -> DataFacts | None:
        return self.document.facts

    def set_facts(self, facts: DataFacts | None) -> None:
        self.document.set_facts(facts)

    def refresh(self) -> None:
        while self.rows.count() > 1:
            item = self.rows.takeAt(0)
            item.widget().deleteLater()
        self.buttons = []
        if self.facts is None:
            self.findings = []
            self.header.setText(self.tr("Open the Data tab and choose the data: the advisor checks the output layer, "
                                        "loss and inputs against it."))
            return
        self.findings = list(self.document.findings)  # the same findings the status bar counts
        task = language.term(self.facts.task)
        if self.facts.task != "regression":
            task = self.tr("{0}, {1} classes").format(task, self.facts.classes)
        count = len(self.findings)
        verdict = (self.tr("The model fits the task.") if not count else self.tr("1 suggestion.") if count == 1
                   else self.tr("{0} suggestions.").format(count))
        self.header.setText(self.tr("<b>Data:</b> {0}. {1}").format(task, verdict))
        for finding in self.findings:
            row = QFrame(frameShape=QFrame.StyledPanel)
            box = QVBoxLayout(row)
            text = QLabel((f"<b>{finding.node}</b>: " if finding.node else "") + finding.text(self.language))
            text.setWordWrap(True)
            text.setToolTip(finding.text("ko" if self.language == "en" else "en"))
            box.addWidget(text)
            if finding.fix:
                button = QPushButton(finding.fix_text(self.language))
                button.clicked.connect(lambda _=False, f=finding: self.apply(f))
                box.addWidget(button, alignment=Qt.AlignLeft)
                self.buttons.append(button)
            self.rows.insertWidget(self.rows.count() - 1, row)

    def apply(self, finding: Finding) -> None:
        """Push the finding's fix as one undoable step."""
        apply_finding(self.document, finding)


def apply_finding(doc: ProjectDocument, finding: Finding) -> None:
    """Push an advisor finding's fix as one undoable step (the Advisor's and the problems button's Fix)."""
    graph, training = doc.graph, doc.project.training
    doc.undo_stack.beginMacro(finding.fix_label)
    for edit in finding.fix:
        if edit[0] == "param":
            doc.push(commands.SetParam(graph, edit[1], edit[2], edit[3]))
        elif edit[0] == "training":
            key, value = edit[1], edit[2]
            if isinstance(key, tuple):
                doc.push(commands.SetSection(training[key[0]], key[1], value, f"{key[0]} of {key[1]}"))
            else:
                doc.push(commands.SetSection(training, key, value, key))
        elif edit[0] == "insert_after":  # a row below, the layers below moved down: one undoable replacement
            changed = graph.copy()
            insert_after(changed, edit[1], edit[2], edit[3])
            doc.push(commands.ReplaceGraph(graph, changed, finding.fix_label))
    doc.undo_stack.endMacro()
