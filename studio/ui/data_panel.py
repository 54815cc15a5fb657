"""Choose the data: the bundled MNIST (or a subset) or a CSV file with its target column."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (QComboBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton,
                               QSpinBox, QWidget)

from studio.data.errors import DataError
from studio.data.sniff import sniff
from studio.ui import commands
from studio.ui.document import ProjectDocument

SOURCES = (("mnist", "MNIST digits (bundled)"), ("csv", "CSV file"))


class DataPanel(QWidget):
    def __init__(self, document: ProjectDocument, parent=None):
        super().__init__(parent)
        self.document = document
        self.source = QComboBox()
        for key, label in SOURCES:
            self.source.addItem(label, key)
        self.limit = QSpinBox(minimum=0, maximum=60000, singleStep=1000, specialValueText="all 60,000")
        self.path = QLineEdit(readOnly=True, placeholderText="no file chosen")
        browse = QPushButton("Choose…")
        row = QHBoxLayout()
        row.addWidget(self.path)
        row.addWidget(browse)
        self.target = QComboBox()
        self.detected = QLabel()
        self.detected.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow("Source", self.source)
        form.addRow("Training images", self.limit)
        form.addRow("CSV file", row)
        form.addRow("Target column", self.target)
        form.addRow(self.detected)
        self.source.activated.connect(lambda _: self._set_source(self.source.currentData()))
        self.limit.valueChanged.connect(lambda v: self._set("limit", v or None))
        browse.clicked.connect(self._browse)
        self.target.activated.connect(lambda _: self._set("target", self.target.currentText()))
        document.graph_replaced.connect(self.load)
        self.load()

    def _set(self, key, value) -> None:
        data = self.document.project.data
        if data.get(key) != value:
            self.document.push(commands.SetSection(data, key, value, f"data {key}"))

    def _set_source(self, source: str) -> None:
        self._set("source", source)
        self.load()

    def load(self) -> None:
        data = self.document.project.data
        source = data.get("source", "mnist")
        self.source.setCurrentIndex(max(self.source.findData(source), 0))
        self.limit.blockSignals(True)
        self.limit.setValue(int(data.get("limit") or 0))
        self.limit.blockSignals(False)
        csv = source == "csv"
        self.limit.setEnabled(not csv)
        self.target.setEnabled(csv)
        path = self.document.project.data_path() if csv else None
        self.path.setText(str(path or ""))
        self.target.clear()
        self.detected.clear()
        if path is not None:
            self.show_columns(path, data.get("target"))

    def show_columns(self, path: Path, target) -> None:
        try:
            fmt = sniff(path)  # reads the first 256 KiB only
        except DataError as exc:
            self.detected.setText(f"<span style='color:#d62728'>{exc}</span>")
            return
        self.target.addItems(fmt.columns)
        if isinstance(target, str) and target in fmt.columns:
            self.target.setCurrentText(target)
        self.detected.setText(f"Detected: {fmt.describe()}; {len(fmt.columns)} columns")

    def _browse(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Choose a CSV file", "", "CSV files (*.csv *.tsv *.txt);;All files (*)")
        if name:
            self.choose_csv(Path(name))

    def choose_csv(self, path: Path) -> None:
        self.document.push(commands.SetSection(self.document.project.data, "source", "csv", "data source"))
        self.document.push(commands.SetSection(self.document.project.data, "path", str(path.resolve()), "data file"))
        self.load()
        if self.target.count():
            self._set("target", self.target.itemText(self.target.count() - 1))
            self.target.setCurrentIndex(self.target.count() - 1)


if __name__ == "__main__":
    from studio.ui.preview import preview
    preview(lambda: DataPanel(ProjectDocument()))
