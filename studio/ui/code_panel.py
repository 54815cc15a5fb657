"""The live code pane: the graph as Keras code in the chosen API, updated as the graph changes.

The pane shows ``build_model()`` (generating it needs no data and no Keras).
"Export Script…" writes the whole runnable script, data loading included:
the window's training child writes it (the training settings are checked by
Keras, which the window never loads).
"""

from __future__ import annotations


from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton,
                               QVBoxLayout, QWidget)

from studio.core.codegen import STYLES, ExportError, model_module, sequential_problem
from studio.ui import file_actions, language
from studio.ui.document import ProjectDocument

REFRESH_MS = 250  # typing in the inspector does not regenerate on every key


class CodePanel(QWidget):
    message = Signal(str)
    exported = Signal(str)  # the script's path, once written

    def __init__(self, document: ProjectDocument, runner=None, parent=None):
        super().__init__(parent)
        if runner is None:  # the panel on its own: a training child of its own
            from studio.ui.worker import TrainingRunner
            runner = TrainingRunner(self)
        self.document, self.runner = document, runner
        self.exporting = False
        self.style = QComboBox()
        for style in STYLES:
            self.style.addItem(language.term(style.capitalize()), style)
        self.style.setCurrentIndex(STYLES.index("functional"))
        self.note = QLabel(wordWrap=True)
        self.note.setStyleSheet("color: #b35900;")
        self.code = QPlainTextEdit(readOnly=True)
        self.code.setFont(QFontDatabase.systemFont(QFontDatabase.FixedFont))
        self.code.setLineWrapMode(QPlainTextEdit.NoWrap)
        self.copy_button = QPushButton(self.tr("Copy"))
        self.export_button = QPushButton(self.tr("Export Script…"))
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Keras API:")))
        top.addWidget(self.style, stretch=1)
        top.addWidget(self.copy_button)
        top.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.note)
        layout.addWidget(self.code, stretch=1)
        self.timer = QTimer(self, singleShot=True, interval=REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self.style.currentIndexChanged.connect(self.refresh)
        self.copy_button.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.code.toPlainText()))
        self.export_button.clicked.connect(lambda: self.export())
        document.edited.connect(self.timer.start)
        document.graph_replaced.connect(self.timer.start)
        self.refresh()

    @property
    def chosen_style(self) -> str:
        return self.style.currentData()

    def refresh(self) -> None:
        """Regenerate the code for the graph as it is now."""
        graph = self.document.graph
        sequential = sequential_problem(graph) is None if len(graph) else True
        self.style.model().item(STYLES.index("sequential")).setEnabled(sequential)
        style = self.chosen_style
        note = ""
        if style == "sequential" and not sequential:
            note = self.tr("Sequential needs one straight chain of layers; this model branches. Showing the "
                           "Functional API.")
            style = "functional"
        title = self.tr("{0}: the {1} API. File > Export Code... writes a runnable script that also "
                        "loads the data and trains.").format(graph.name, language.term(style.capitalize()))
        try:
            text = model_module(graph, style, title)
        except ExportError as exc:
            text, note = "", str(exc)
        self.note.setText(note)
        self.note.setVisible(bool(note))
        if text != self.code.toPlainText():
            position = self.code.verticalScrollBar().value()
            self.code.setPlainText(text)
            self.code.verticalScrollBar().setValue(position)

    def export(self, path: str | None = None) -> None:
        """Write the runnable script (data loading included) to ``path``, asking where when not given."""
        if not path:
            name = f"{self.document.graph.name}.py"
            path = file_actions.choose_file(self, "script", self.tr("Export script"), self.tr("Python scripts (*.py)"),
                                            name, save=True, project=self.document.path)
            if not path:
                return
        project = self.document.project
        args = {"project": project.to_dict(), "path": str(project.path) if project.path else None,
                "style": self.chosen_style, "target": str(path)}
        self.export_button.setEnabled(False)
        self.exporting = True
        # an ExportError is a message, not a crash
        self.runner.call("export_script", args, self._exported, lambda text, _details: self._export_failed(text))

    def _exported(self, path) -> None:
        self.export_button.setEnabled(True)
        self.exporting = False
        self.message.emit(self.tr("Exported {0}").format(path))
        self.exported.emit(str(path))

    def _export_failed(self, text: str) -> None:
        self.export_button.setEnabled(True)
        self.exporting = False
        self.note.setText(text)
        self.note.setVisible(True)
        self.message.emit(text)
