"""Choose the data: MNIST (bundled), another MNIST-format set, or a CSV file with its settings.

Files load off the GUI thread (studio.ui.background) with progress and
Cancel; the panel then shows a preview (a table over the DataFrame, or a grid
of sample images) and every setting the data section stores, detected values
first, each overridable and undoable.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtWidgets import (QComboBox, QDoubleSpinBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel,
                               QLineEdit, QListWidget, QListWidgetItem, QProgressBar, QPushButton, QSpinBox,
                               QStackedWidget, QTableView, QVBoxLayout, QWidget)

from studio.ui import commands, language
from studio.ui.language import translate
from studio.ui.background import Background
from studio.ui.document import ProjectDocument
from studio.ui.frame_model import FrameModel
from studio.ui.image_grid import ImageGrid

SOURCES = (("mnist", QT_TRANSLATE_NOOP("DataPanel", "MNIST digits (bundled)")),
           ("images", QT_TRANSLATE_NOOP("DataPanel", "MNIST-format files…")),
           ("csv", QT_TRANSLATE_NOOP("DataPanel", "CSV file")))
ENCODINGS = ("utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16")
DELIMITERS = ((",", QT_TRANSLATE_NOOP("DataPanel", "comma")), (";", QT_TRANSLATE_NOOP("DataPanel", "semicolon")),
              ("\t", QT_TRANSLATE_NOOP("DataPanel", "tab")), ("|", QT_TRANSLATE_NOOP("DataPanel", "pipe")))
TASKS = ("regression", "binary", "multiclass", "multilabel")
MISSING = (("drop", QT_TRANSLATE_NOOP("DataPanel", "drop the row")),
           ("mean", QT_TRANSLATE_NOOP("DataPanel", "fill with the mean")),
           ("median", QT_TRANSLATE_NOOP("DataPanel", "fill with the median")),
           ("most_frequent", QT_TRANSLATE_NOOP("DataPanel", "fill with the most frequent")),
           ("error", QT_TRANSLATE_NOOP("DataPanel", "stop with an error")))
SAMPLES = 40


def _combo(items, auto: str | None = QT_TRANSLATE_NOOP("DataPanel", "detected")) -> QComboBox:
    """A combo box of (value, label) pairs; labels are marked for translation where they are defined."""
    box = QComboBox()
    if auto:
        box.addItem(translate("DataPanel", auto), None)
    for value, label in items:
        box.addItem(translate("DataPanel", label), value)
    return box


class DataPanel(QWidget):
    """Emits ``loaded`` (a CsvTable or an ImageDataset) when a file has been read."""

    loaded = Signal(object)

    def __init__(self, document: ProjectDocument, parent=None):
        super().__init__(parent)
        self.document = document
        self.loader = Background(self)
        self.table = None        # the loaded CsvTable
        self.infos = []          # its ColumnInfo list
        self._loaded_key = None  # (source, path, format) of what is shown
        self.source = _combo([(k, v) for k, v in SOURCES], auto=None)
        self.path = QLineEdit(readOnly=True, placeholderText=self.tr("no file chosen"))
        self.browse = QPushButton(self.tr("Choose…"))
        row = QHBoxLayout()
        row.addWidget(self.path, stretch=1)
        row.addWidget(self.browse)
        top = QFormLayout()
        top.addRow(self.tr("Source"), self.source)
        top.addRow(self.tr("File"), row)
        self.pages = QStackedWidget()
        self.pages.addWidget(self._images_page())
        self.pages.addWidget(self._csv_page())
        self.progress = QProgressBar()
        self.cancel = QPushButton(self.tr("Cancel"))
        busy = QHBoxLayout()
        busy.addWidget(self.progress, stretch=1)
        busy.addWidget(self.cancel)
        self.busy = QWidget()
        self.busy.setLayout(busy)
        self.busy.hide()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.busy)
        layout.addWidget(self.summary)
        layout.addWidget(self.pages, stretch=1)
        self._connect()
        document.graph_replaced.connect(self.load)
        document.edited.connect(self.load)  # undo and redo show at once; a new file or format is read
        self.load()

    def _images_page(self) -> QWidget:
        page = QWidget()
        self.limit = QSpinBox(minimum=0, maximum=1_000_000, singleStep=1000, specialValueText=self.tr("all"))
        self.limit.setToolTip(self.tr("Train on the first N training images only (faster while trying ideas)"))
        self.image_validation = QSpinBox(minimum=1, maximum=50, suffix=" %")
        self.samples = ImageGrid(40)
        form = QFormLayout(page)
        form.addRow(self.tr("Training images"), self.limit)
        form.addRow(self.tr("Validation"), self.image_validation)
        form.addRow(self.samples)
        return page

    def _csv_page(self) -> QWidget:
        page = QWidget()
        self.encoding = _combo([(e, e) for e in ENCODINGS])
        self.delimiter = _combo(DELIMITERS)
        self.decimal = _combo([(".", QT_TRANSLATE_NOOP("DataPanel", "point .")),
                               (",", QT_TRANSLATE_NOOP("DataPanel", "comma ,"))])
        self.header = _combo([(True, QT_TRANSLATE_NOOP("DataPanel", "first row is the header")),
                              (False, QT_TRANSLATE_NOOP("DataPanel", "no header row"))])
        self.target = QComboBox()
        self.task = _combo([(t, t) for t in TASKS], auto=QT_TRANSLATE_NOOP("DataPanel", "suggested"))
        for i, t in enumerate(TASKS, start=1):
            self.task.setItemText(i, language.term(t))
        self.features = QListWidget()
        self.features.setToolTip(self.tr("Unticked columns are not fed to the model"))
        self.validation = QDoubleSpinBox(minimum=0, maximum=50, decimals=1, suffix=" %")
        self.test = QDoubleSpinBox(minimum=0, maximum=50, decimals=1, suffix=" %")
        self.missing = _combo(MISSING, auto=None)
        self.class_weight = _combo([("balanced", QT_TRANSLATE_NOOP("DataPanel", "balanced (rare classes count more)"))],
                                   auto=QT_TRANSLATE_NOOP("DataPanel", "none"))
        self.preview = QTableView()
        self.preview_model = FrameModel(parent=self)
        self.preview.setModel(self.preview_model)
        fmt = QHBoxLayout()
        for box in (self.encoding, self.delimiter, self.decimal, self.header):
            fmt.addWidget(box)
        splits = QHBoxLayout()
        splits.addWidget(QLabel(self.tr("validation")))
        splits.addWidget(self.validation)
        splits.addWidget(QLabel(self.tr("test")))
        splits.addWidget(self.test)
        form = QFormLayout()
        form.addRow(self.tr("Format"), fmt)
        form.addRow(self.tr("Target"), self.target)
        form.addRow(self.tr("Task"), self.task)
        form.addRow(self.tr("Split"), splits)
        form.addRow(self.tr("Missing values"), self.missing)
        form.addRow(self.tr("Class weights"), self.class_weight)
        form.addRow(self.tr("Features"), self.features)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(self.preview, stretch=1)
        return page

    def _connect(self) -> None:
        self.source.activated.connect(lambda _: self._set("source", self.source.currentData(), reload=True))
        self.browse.clicked.connect(self._browse)
        self.cancel.clicked.connect(self.loader.cancel)
        self.limit.valueChanged.connect(lambda v: self._set("limit", v or None))
        self.image_validation.valueChanged.connect(lambda v: self._set("validation", v / 100))
        for key, box in (("encoding", self.encoding), ("delimiter", self.delimiter), ("decimal", self.decimal),
                         ("header", self.header)):
            box.activated.connect(lambda _, k=key, b=box: self._set_format(k, b.currentData()))
        self.target.activated.connect(lambda _: self._target_chosen())
        self.task.activated.connect(lambda _: (self._set("task", self.task.currentData()),
                                               self.table is not None and self.loaded.emit(self.table)))
        self.validation.editingFinished.connect(lambda: self._set("validation", self.validation.value() / 100))
        self.test.editingFinished.connect(lambda: self._set("test", self.test.value() / 100))
        self.missing.activated.connect(lambda _: self._set("missing", self.missing.currentData()))
        self.class_weight.activated.connect(lambda _: self._set("class_weight", self.class_weight.currentData()))
        self.features.itemChanged.connect(lambda _: self._features_changed())
        self.loader.progress.connect(lambda f: self.progress.setValue(int(f * 1000)))
        self.loader.done.connect(self._loaded)
        self.loader.failed.connect(self._failed)
        self.loader.cancelled.connect(self._cancelled)

    # -- storing settings --------------------------------------------------------------------

    @property
    def data(self) -> dict:
        return self.document.project.data

    def _set(self, key: str, value, reload: bool = False) -> None:
        if self.data.get(key) != value or key not in self.data:
            if value is None and key not in self.data:
                return
            self.document.push(commands.SetSection(self.data, key, value, f"data {key}"))
        if reload:
            self.load()

    def _set_format(self, key: str, value) -> None:
        fmt = {k: v for k, v in dict(self.data.get("format") or {}, **{key: value}).items() if v is not None}
        self._set("format", fmt or None, reload=True)

    def _target_chosen(self) -> None:
        self._set("target", self.target.currentText())
        self._fill_features()
        self._describe()
        self.loaded.emit(self.table)  # the same rows, another meaning: the advisor looks again

    def _features_changed(self) -> None:
        items = [self.features.item(i) for i in range(self.features.count())]
        chosen = [i.text() for i in items if i.checkState() == Qt.Checked]
        self._set("features", None if len(chosen) == len(items) else chosen)
        self._describe()

    # -- showing settings --------------------------------------------------------------------

    def _key(self) -> tuple:
        source = self.data.get("source", "mnist")
        path = self.document.project.data_path() if source != "mnist" else None
        return source, str(path or ""), repr(sorted((self.data.get("format") or {}).items()))

    def load(self) -> None:
        """Show the data section; (re)read the file when the source, file or format changed."""
        self.refresh()
        key = self._key()
        if key == self._loaded_key or not self.isVisible():
            return  # a hidden panel reads when it is first shown
        self._loaded_key = key
        source, path, _ = key
        self.table, self.infos = None, []
        self.samples.clear()
        self.target.clear()
        self.features.clear()
        self.preview_model.set_frame(None)
        if source != "mnist" and not path:
            self.summary.setText(self.tr("Choose a file with “Choose…”."))
            return
        self.summary.setText(self.tr("Reading…"))
        self.progress.setRange(0, 1000)
        self.progress.setValue(0)
        self.busy.show()
        fmt = dict(self.data.get("format") or {})
        if source == "csv":
            self.loader.start(lambda progress, cancelled: _read_csv(Path(path), fmt, progress, cancelled))
        else:
            self.progress.setRange(0, 0)  # image sets load in one step
            self.loader.start(lambda progress, cancelled: _read_images(path or "mnist"))

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.load()

    def refresh(self) -> None:
        """Put the stored values into the widgets (after undo, redo or opening a project)."""
        data = self.data
        source = data.get("source", "mnist")
        csv = source == "csv"
        widgets = (self.source, self.limit, self.image_validation, self.encoding, self.delimiter, self.decimal,
                   self.header, self.task, self.validation, self.test, self.missing, self.class_weight, self.target)
        for w in widgets:
            w.blockSignals(True)
        self.source.setCurrentIndex(max(self.source.findData(source), 0))
        self.pages.setCurrentIndex(1 if csv else 0)
        self.browse.setEnabled(source != "mnist")
        path = self.document.project.data_path() if source != "mnist" else None
        self.path.setText(str(path or ("bundled with the studio" if source == "mnist" else "")))
        self.limit.setValue(int(data.get("limit") or 0))
        fmt = data.get("format") or {}
        for key, box in (("encoding", self.encoding), ("delimiter", self.delimiter), ("decimal", self.decimal),
                         ("header", self.header)):
            box.setCurrentIndex(max(box.findData(fmt.get(key)), 0))
        self.task.setCurrentIndex(max(self.task.findData(data.get("task")), 0))
        default_validation = 0.15 if csv else 0.1
        self.image_validation.setValue(round(100 * float(data.get("validation", default_validation))))
        self.validation.setValue(100 * float(data.get("validation", default_validation)))
        self.test.setValue(100 * float(data.get("test", 0.15)))
        self.missing.setCurrentIndex(max(self.missing.findData(data.get("missing", "drop")), 0))
        self.class_weight.setCurrentIndex(max(self.class_weight.findData(data.get("class_weight")), 0))
        target = data.get("target")
        if isinstance(target, str) and self.target.findText(target) >= 0:
            self.target.setCurrentText(target)
        for w in widgets:
            w.blockSignals(False)
        if self.table is not None:
            self._fill_features()
            self._describe()

    def _fill_features(self) -> None:
        target = self.target.currentText()
        chosen = self.data.get("features")
        self.features.blockSignals(True)
        self.features.clear()
        for info in self.infos:
            if info.name == target:
                continue
            item = QListWidgetItem(info.name)
            item.setToolTip(self.tr("{0}; {1} missing").format(info.kind, f"{info.missing:,}"))
            usable = info.kind not in ("identifier", "constant")
            on = (chosen is None and usable) or (chosen is not None and info.name in chosen)
            item.setCheckState(Qt.Checked if on else Qt.Unchecked)
            self.features.addItem(item)
        self.features.blockSignals(False)

    def _describe(self) -> None:
        """The detected format, the rows, and the task the target suggests."""
        from studio.data.errors import DataError
        from studio.data.tabular import infer_task
        table = self.table
        lines = [self.tr("<b>{0} rows</b>, {1} columns · {2}").format(f"{table.rows:,}", len(self.infos),
                                                                     table.format.describe())]
        target = next((i for i in self.infos if i.name == self.target.currentText()), None)
        if target is not None:
            try:
                task = infer_task([target])
                if task in ("binary", "multiclass"):
                    line = self.tr("Target <b>{0}</b>: suggested task {1} with {2} classes")
                else:
                    line = self.tr("Target <b>{0}</b>: suggested task {1}")
                lines.append(line.format(target.name, language.term(task), len(target.categories)))
            except DataError as exc:
                lines.append(f"<span style='color:#d62728'>{exc}</span>")
        missing = sum(i.missing for i in self.infos)
        if missing:
            lines.append(self.tr("{0} missing values (shaded in the preview)").format(f"{missing:,}"))
        lines += [self.tr("Note: {0}").format(note) for note in table.notes]
        self.summary.setText("<br>".join(lines))

    # -- loading -------------------------------------------------------------------------------

    def _loaded(self, result) -> None:
        self.busy.hide()
        kind, payload = result
        if kind == "csv":
            self.table, self.infos = payload
            self.preview_model.set_frame(self.table.frame, 2 if self.table.format.header else 1)
            self.preview.resizeColumnsToContents()
            names = [i.name for i in self.infos]
            self.target.clear()
            self.target.addItems(names)
            if self.data.get("target") not in names and names:
                self.target.setCurrentIndex(len(names) - 1)  # the last column is the usual target
                self._set("target", names[-1])
            self.refresh()
        else:
            data = payload
            self.samples.set_images(data.x_train[:SAMPLES], [data.class_names[int(y)] for y in data.y_train[:SAMPLES]])
            shape = "×".join(map(str, data.image_shape))
            self.summary.setText(self.tr("<b>{0}</b>: {1} training and {2} test images of {3} pixels; {4} classes: "
                                         "{5}").format(data.name, f"{len(data.x_train):,}", f"{len(data.x_test):,}",
                                                       shape, len(data.class_names), ", ".join(data.class_names)))
        self.loaded.emit(self.table if kind == "csv" else payload)

    def _failed(self, message: str, details: str) -> None:
        self.busy.hide()
        self._loaded_key = None  # try again on the next change
        self.summary.setText(f"<span style='color:#d62728'>{message}</span>")
        if details:
            self.summary.setToolTip(details)

    def _cancelled(self) -> None:
        self.busy.hide()
        self._loaded_key = None
        self.summary.setText(self.tr("Reading was cancelled."))

    def _browse(self) -> None:
        if self.data.get("source") == "images":
            name = QFileDialog.getExistingDirectory(self, self.tr("Choose the folder with the four MNIST-format files"))
        else:
            name, _ = QFileDialog.getOpenFileName(self, self.tr("Choose a CSV file"), "",
                                                  self.tr("CSV files (*.csv *.tsv *.txt);;All files (*)"))
        if name:
            self.choose_file(Path(name), "csv" if self.data.get("source", "mnist") != "images" else "images")

    def choose_file(self, path: Path, source: str = "csv") -> None:
        """Use a CSV file or an MNIST-format set; its format is detected afresh (one undo step)."""
        self.document.undo_stack.beginMacro(self.tr("Choose the data file"))
        self._set("source", source)
        self._set("path", str(path.resolve()))
        self._set("format", None)
        for key in ("target", "features", "task"):
            if key in self.data:
                self.document.push(commands.SetSection(self.data, key, None, f"data {key}"))
        self.document.undo_stack.endMacro()
        self.load()


def _read_csv(path: Path, fmt: dict, progress, cancelled):
    from studio.data.columns import describe_columns
    from studio.data.csv_file import load_csv
    table = load_csv(path, encoding=fmt.get("encoding"), delimiter=fmt.get("delimiter"),
                     decimal=fmt.get("decimal"), header=fmt.get("header"), progress=progress, cancelled=cancelled)
    return "csv", (table, describe_columns(table.frame))


def _read_images(where: str):
    from studio.data.images import load_image_dataset
    return "images", load_image_dataset(where)


if __name__ == "__main__":
    from studio.ui.preview import preview
    preview(lambda: DataPanel(ProjectDocument()))
