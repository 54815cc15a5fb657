"""File > Labs…: the ten labs with their summaries; Open continues the student's copy, Start Over keeps it aside."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QLabel, QListWidget, QListWidgetItem, QPushButton,
                               QVBoxLayout)

from studio.classroom.labs import Lab, labs_home, list_labs, work_folder
from studio.ui import language


class LabBrowser(QDialog):
    """Pick a lab; ``chosen`` and ``restart`` say what to open after ``exec()``."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Labs"))
        self.resize(640, 520)
        self.chosen: Lab | None = None
        self.restart = False
        lang = language.current()
        self.labs = list_labs()
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.setSpacing(3)
        for lab in self.labs:
            started = work_folder(lab).exists()
            head = f"{lab.number}. {lab.text('title', lang)}"
            if started:
                head += "  " + self.tr("(started)")
            item = QListWidgetItem(f"{head}\n{lab.text('summary', lang)}")
            item.setData(Qt.UserRole, lab.id)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        where = QLabel(self.tr("Your work is kept in {0}").format(labs_home()), wordWrap=True)
        where.setTextInteractionFlags(Qt.TextSelectableByMouse)
        buttons = QDialogButtonBox(QDialogButtonBox.Cancel)
        self.open_button = buttons.addButton(self.tr("Open"), QDialogButtonBox.AcceptRole)
        self.restart_button = QPushButton(self.tr("Start Over"))
        self.restart_button.setToolTip(self.tr("Put your copy of this lab aside (it is kept) and start afresh"))
        buttons.addButton(self.restart_button, QDialogButtonBox.ActionRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.restart_button.clicked.connect(self._restart)
        self.list.itemDoubleClicked.connect(lambda _: self.accept())
        self.list.currentRowChanged.connect(self._row_changed)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, stretch=1)
        layout.addWidget(where)
        layout.addWidget(buttons)
        self._row_changed(0)

    def _row_changed(self, row: int) -> None:
        lab = self.labs[row] if 0 <= row < len(self.labs) else None
        self.restart_button.setEnabled(lab is not None and work_folder(lab).exists())

    def _restart(self) -> None:
        self.restart = True
        self.accept()

    def accept(self) -> None:
        row = self.list.currentRow()
        self.chosen = self.labs[row] if 0 <= row < len(self.labs) else None
        super().accept()
