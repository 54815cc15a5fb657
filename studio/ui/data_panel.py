"""Choose the data: MNIST (bundled), another MNIST-format set, or a CSV file with its settings.

Files load off the GUI thread (studio.ui.background) with progress and
Cancel; the panel then shows a preview (a table over the DataFrame, or a grid
of sample images) and every setting the data section stores, detected values
first, each overridable and undoable.

The panel shows the project's data section and nothing else: where the section
sets nothing it shows the defaults of ``studio.data.defaults``, the ones the
engine trains with; a project with no source shows "choose the data" rather
than a source it does not have.
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtWidgets import (QComboBox, QDoubleSpinBox, QFormLayout, QHBoxLayout, QLabel,
                               QLineEdit, QListWidget, QListWidgetItem, QProgressBar, QPushButton, QSpinBox,
                               QStackedWidget, QTableView, QVBoxLayout, QWidget)

from studio.data.defaults import MISSING_POLICIES, TASKS, data_settings
from studio.data.defaults import SOURCES as SOURCE_NAMES
from studio.data.errors import cut
from studio.ui import commands, file_actions, language
from studio.ui.language import translate
from studio.ui.background import Background
from studio.ui.document import ProjectDocument
from studio.ui.frame_model import FrameModel
from studio.ui.image_grid import ImageGrid

SOURCES = (("mnist", QT_TRANSLATE_NOOP("DataPanel", "MNIST digits (bundled)")),
           ("images", QT_TRANSLATE_NOOP("DataPanel", "MNIST-format files…")),
           ("csv", QT_TRANSLATE_NOOP("DataPanel", "CSV file")))
ENCODINGS = (("utf-8", QT_TRANSLATE_NOOP("DataPanel", "utf-8 (Unicode)")),
             ("utf-8-sig", QT_TRANSLATE_NOOP("DataPanel", "utf-8-sig (Unicode with a byte-order mark)")),
             ("cp949", QT_TRANSLATE_NOOP("DataPanel", "cp949 (Korean, Excel on Windows)")),
             ("euc-kr", QT_TRANSLATE_NOOP("DataPanel", "euc-kr (Korean)")),
             ("shift_jis", QT_TRANSLATE_NOOP("DataPanel", "shift_jis (Japanese)")),
             ("cp932", QT_TRANSLATE_NOOP("DataPanel", "cp932 (Japanese, Excel on Windows)")),
             ("gb18030", QT_TRANSLATE_NOOP("DataPanel", "gb18030 (Chinese, simplified)")),
             ("big5", QT_TRANSLATE_NOOP("DataPanel", "big5 (Chinese, traditional)")),
             ("cp1252", QT_TRANSLATE_NOOP("DataPanel", "cp1252 (Western European, Windows)")),
             ("latin-1", QT_TRANSLATE_NOOP("DataPanel", "latin-1 (ISO 8859-1)")),
             ("utf-16", QT_TRANSLATE_NOOP("DataPanel", "utf-16 (Unicode, two bytes)")))
DELIMITERS = ((",", QT_TRANSLATE_NOOP("DataPanel", "comma")), (";", QT_TRANSLATE_NOOP("DataPanel", "semicolon")),
              ("\t", QT_TRANSLATE_NOOP("DataPanel", "tab")), ("|", QT_TRANSLATE_NOOP("DataPanel", "pipe")))
MISSING_LABELS = {"drop": QT_TRANSLATE_NOOP("DataPanel", "drop the row"),
                  "mean": QT_TRANSLATE_NOOP("DataPanel", "fill with the mean"),
                  "median": QT_TRANSLATE_NOOP("DataPanel", "fill with the median"),
                  "most_frequent": QT_TRANSLATE_NOOP("DataPanel", "fill with the most frequent"),
                  "error": QT_TRANSLATE_NOOP("DataPanel", "stop with an error")}
MISSING = tuple((policy, MISSING_LABELS[policy]) for policy in MISSING_POLICIES)  # every policy, with its words
SAMPLES = 40
DETECTED = QT_TRANSLATE_NOOP("DataPanel", "detected")


def _combo(items, auto: str | None = DETECTED) -> QComboBox:
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
        self._job_key = None     # the same for the read in progress
        self.source = _combo([(k, v) for k, v in SOURCES], auto=None)
        self.source.setPlaceholderText(self.tr("Choose the data…"))  # shown while the project has none
        self._detected = {}       # what detection found in the shown file, by format key
        self.path = QLineEdit(readOnly=True, placeholderText=self.tr("no file chosen"))
        self.browse = QPushButton(self.tr("Choose…"))
        row = QHBoxLayout()
        row.addWidget(self.path, stretch=1)
        row.addWidget(self.browse)
        # A project from someone else may name any file on this machine as its data: say so.
        self.outside = QLabel()
        self.outside.setWordWrap(True)
        self.outside.setStyleSheet("color: #8a5a00;")
        self.outside.hide()
        top = QFormLayout()
        top.addRow(self.tr("Source"), self.source)
        top.addRow(self.tr("File"), row)
        top.addRow("", self.outside)
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
        self.summary.setAlignment(Qt.AlignLeft | Qt.AlignTop)  # under the Source row when it is alone
        self.summary.setTextInteractionFlags(Qt.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.busy)
        layout.addWidget(self.summary)
        layout.addWidget(self.pages, stretch=1)
        layout.addStretch(0)  # takes the room while the pages are hidden (no data yet)
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
        self.encoding = _combo(ENCODINGS)
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
        for box in (self.encoding, self.delimiter, self.decimal, self.header):
            # Narrow enough for the dock; the list opens as wide as its longest entry.
            box.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(14)
            box.view().setMinimumWidth(box.view().sizeHintForColumn(0) + 24)
        self.encoding.setToolTip(self.tr("How the file stores its characters; Excel writes cp949 on Korean "
                                         "Windows, cp1252 in Western Europe, utf-8 when saved as “CSV UTF-8”"))
        self.delimiter.setToolTip(self.tr("The character between two values of a row"))
        self.decimal.setToolTip(self.tr("The mark between the whole and the fractional part of a number"))
        self.header.setToolTip(self.tr("Whether the first row holds the column names"))
        splits = QHBoxLayout()
        splits.addWidget(QLabel(self.tr("validation")))
        splits.addWidget(self.validation)
        splits.addWidget(QLabel(self.tr("test")))
        splits.addWidget(self.test)
        form = QFormLayout()
        form.addRow(self.tr("Encoding"), self.encoding)
        form.addRow(self.tr("Delimiter"), self.delimiter)
        form.addRow(self.tr("Decimal mark"), self.decimal)
        form.addRow(self.tr("Header"), self.header)
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
        """Store one setting; one that would not change what the engine uses is not an edit."""
        if key not in ("source", "path") and self._source() is None:
            return  # a widget of a hidden page (editingFinished as it hides): no data to set this on
        if data_settings(self.data).get(key) != value:
            self.document.push(commands.SetSection(self.data, key, value, f"data {key}"))
        if reload:
            self.load()

    def _set_format(self, key: str, value) -> None:
        fmt = {k: v for k, v in dict(self.data.get("format") or {}, **{key: value}).items() if v is not None}
        self._set("format", fmt or None, reload=True)

    def _targets(self) -> list[str]:
        """The stored target as a list of columns: "species" and ["species"] are the same target."""
        target = self.data.get("target")
        if isinstance(target, str):
            return [target] if target else []
        return [t for t in target if isinstance(t, str)] if isinstance(target, list) else []

    def _target_chosen(self) -> None:
        if self._targets() != [self.target.currentText()]:  # the same column in the other form is no edit
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

    def _source(self) -> str | None:
        """The project's data source; None where it has none (or one this studio does not know)."""
        source = self.data.get("source")
        return source if source in SOURCE_NAMES else None

    def _key(self) -> tuple:
        source = self._source()
        path = self.document.project.data_path() if source in ("images", "csv") else None
        return source, str(path or ""), repr(sorted((self.data.get("format") or {}).items()))

    def load(self) -> None:
        """Show the data section; (re)read the file when the source, file or format changed."""
        self.refresh()
        key = self._key()
        if key == self._loaded_key or (not self.isVisible() and key[0] != "csv"):
            # A hidden panel reads an image set when it is first shown; a CSV file (small, quick) is read at
            # once, so that the advisor and the problems button can check the model against it.
            return
        if key[:2] != (self._loaded_key or (None, None))[:2]:
            self._detected = {}  # another file: nothing detected in it yet
            self._show_detected()
        self._loaded_key = key
        source, path, _ = key
        self.table, self.infos = None, []
        self.samples.clear()
        self.target.clear()
        self.features.clear()
        self.preview_model.set_frame(None)
        self.summary.setToolTip("")
        self.busy.hide()  # a read still running is for what was shown before; _loaded drops it
        if source is None:
            unknown = self.data.get("source")
            if unknown:
                self.summary.setText(self.tr("This project names a data source the studio does not know "
                                             "({0}). Choose the data in <b>Source</b>.").format(unknown))
            else:
                self.summary.setText(self.tr("This project has no data yet. Choose it in <b>Source</b>: the "
                                             "bundled MNIST digits, MNIST-format files or a CSV file."))
            return
        if source != "mnist" and not path:
            self.summary.setText(self.tr("Choose a file with “Choose…”."))
            return
        self._job_key = key
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
        source = self._source()
        data = data_settings(dict(self.data, source=source))  # what the engine will use
        csv = source == "csv"
        widgets = (self.source, self.limit, self.image_validation, self.encoding, self.delimiter, self.decimal,
                   self.header, self.task, self.validation, self.test, self.missing, self.class_weight, self.target)
        for w in widgets:
            w.blockSignals(True)
        self.source.setCurrentIndex(self.source.findData(source) if source else -1)  # -1: "Choose the data…"
        self.pages.setCurrentIndex(1 if csv else 0)
        self.pages.setVisible(source is not None)
        self.browse.setEnabled(source != "mnist")
        path = self.document.project.data_path() if source in ("images", "csv") else None
        self.path.setText(str(path or (self.tr("bundled with the studio") if source == "mnist" else "")))
        outside = self.document.project.data_outside()
        self.outside.setText(self.tr("This file lies outside the project's folder. Train only if you know "
                                     "why the project reads it; a copy of the project elsewhere will not find "
                                     "it.") if outside else "")
        self.outside.setVisible(outside is not None)
        self.limit.setValue(int(data.get("limit") or 0))
        fmt = data.get("format") or {}
        for key, box in (("encoding", self.encoding), ("delimiter", self.delimiter), ("decimal", self.decimal),
                         ("header", self.header)):
            box.setCurrentIndex(max(box.findData(fmt.get(key)), 0))
        self.task.setCurrentIndex(max(self.task.findData(data.get("task")), 0))
        if source is not None:
            self.image_validation.setValue(round(100 * float(data["validation"])))
            self.validation.setValue(100 * float(data["validation"]))
            self.test.setValue(100 * float(data.get("test") or 0))
            self.missing.setCurrentIndex(max(self.missing.findData(data.get("missing")), 0))
        self.class_weight.setCurrentIndex(max(self.class_weight.findData(data.get("class_weight")), 0))
        targets = self._targets()
        if targets and self.target.findText(targets[0]) >= 0:
            self.target.setCurrentText(targets[0])
        for w in widgets:
            w.blockSignals(False)
        if self.table is not None:
            self._fill_features()
            self._describe()

    def _format_boxes(self) -> tuple:
        return (("encoding", self.encoding), ("delimiter", self.delimiter), ("decimal", self.decimal),
                ("header", self.header))

    def _show_detected(self) -> None:
        """The first entry of each format list says what detection found: "detected: cp949"."""
        for key, box in self._format_boxes():
            if key not in self._detected:
                box.setItemText(0, translate("DataPanel", DETECTED))
                continue
            value = self._detected[key]
            index = box.findData(value) if key != "encoding" else -1
            shown = box.itemText(index) if index > 0 else str(value)
            box.setItemText(0, self.tr("detected: {0}").format(shown))

    def _fill_features(self) -> None:
        target = self.target.currentText()
        chosen = self.data.get("features")
        self.features.blockSignals(True)
        self.features.clear()
        for info in self.infos:
            if info.name == target or info.name in self._targets():  # every stored target column
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
        total = getattr(table, "total_rows", None)  # a file too large to load: its first rows are shown
        rows = self.tr("<b>about {0} rows</b> (the first {1} shown)").format(f"{total:,}", f"{table.rows:,}") \
            if total else self.tr("<b>{0} rows</b>").format(f"{table.rows:,}")
        lines = [self.tr("{0}, {1} columns · {2}").format(rows, len(self.infos), table.format.describe())]
        target = next((i for i in self.infos if i.name == self.target.currentText()), None)
        if target is not None:
            try:
                task = infer_task([target])
                if task in ("binary", "multiclass"):
                    line = self.tr("Target <b>{0}</b>: suggested task {1} with {2} classes")
                else:
                    line = self.tr("Target <b>{0}</b>: suggested task {1}")
                lines.append(line.format(html.escape(cut(target.name)), language.term(task), len(target.categories)))
            except DataError as exc:  # the summary is rich text: a file's column names are escaped
                lines.append(f"<span style='color:#d62728'>{html.escape(str(exc))}</span>")
        missing = sum(i.missing for i in self.infos)
        if missing:
            lines.append(self.tr("{0} missing values (shaded in the preview)").format(f"{missing:,}"))
        lines += [self.tr("Note: {0}").format(html.escape(note)) for note in table.notes]
        self.summary.setText("<br>".join(lines))

    # -- loading -------------------------------------------------------------------------------

    def _loaded(self, result) -> None:
        if self._job_key != self._loaded_key:
            return  # read for a data section the project no longer has
        self.busy.hide()
        kind, payload = result
        if kind == "csv":
            self.table, self.infos = payload
            fmt = self.table.format
            self._detected.update({key: getattr(fmt, key) for key in fmt.detected})
            self._show_detected()
            self.preview_model.set_frame(self.table.frame, 2 if self.table.format.header else 1)
            self.preview.resizeColumnsToContents()
            names = [i.name for i in self.infos]
            self.target.clear()
            self.target.addItems(names)
            if names and not (self._targets() and set(self._targets()) <= set(names)):
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
        if self._job_key != self._loaded_key:
            return
        self.busy.hide()
        self._loaded_key = None  # try again on the next change
        self.summary.setText(f"<span style='color:#d62728'>{html.escape(message)}</span>")
        if details:
            self.summary.setToolTip(details)

    def _cancelled(self) -> None:
        if self._job_key != self._loaded_key:
            return
        self.busy.hide()
        self._loaded_key = None
        self.summary.setText(self.tr("Reading was cancelled."))

    def _browse(self) -> None:
        if self.data.get("source") == "images":
            name = file_actions.choose_file(self, "images", self.tr("Choose the folder with the four MNIST-format files"), folder=True, project=self.document.path)
        else:
            name = file_actions.choose_file(self, "csv", self.tr("Choose a CSV file"), self.tr("CSV files (*.csv *.tsv *.txt);;All files (*)"), project=self.document.path)
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
    from studio.data.csv_file import TooLargeError, load_csv
    settings = {"encoding": fmt.get("encoding"), "delimiter": fmt.get("delimiter"), "decimal": fmt.get("decimal"),
                "header": fmt.get("header")}
    try:
        table = load_csv(path, progress=progress, cancelled=cancelled, **settings)
    except TooLargeError as exc:  # training streams it from disk; the tab shows its first rows
        from studio.data.csv_head import csv_head
        table = csv_head(path, exc, **settings)
    return "csv", (table, describe_columns(table.frame))


def _read_images(where: str):
    from studio.data.images import load_image_dataset
    return "images", load_image_dataset(where)


if __name__ == "__main__":
    from studio.ui.preview import preview
    preview(lambda: DataPanel(ProjectDocument()))
