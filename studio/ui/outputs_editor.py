"""Loss, loss weight and metrics for each model output, as a small table.

One output stores plain values (``"loss": "huber"``, ``"metrics": [...]``);
several store one entry per output name, which is what Keras' compile takes.
Where the project names no loss, the box shows the default the engine will
train with (studio.core.loss_defaults), in italics, and nothing is stored
until the user chooses a loss.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (QComboBox, QDoubleSpinBox, QHBoxLayout, QHeaderView, QLabel, QMenu, QTableWidget,
                               QTableWidgetItem, QToolButton, QVBoxLayout, QWidget)

from studio.core.loss_defaults import effective_loss, is_unset, per_output
from studio.ui import commands
from studio.ui.document import ProjectDocument
from studio.ui.language import translate

LOSSES = ("sparse_categorical_crossentropy", "categorical_crossentropy", "binary_crossentropy",
          "mean_squared_error", "mean_absolute_error", "huber")
METRICS = ("accuracy", "mean_absolute_error", "mean_squared_error", "root_mean_squared_error", "auc",
           "precision", "recall", "r2_score", "sparse_top_k_categorical_accuracy")


def box_text_width(box: QComboBox, texts) -> int:
    """The width a combo box needs to show the longest of ``texts`` whole, with its arrow."""
    return max(box.fontMetrics().horizontalAdvance(t) for t in texts) + 36


class OutputsEditor(QWidget):
    """Emits ``edited`` after it has pushed a change."""

    edited = Signal()

    def __init__(self, document: ProjectDocument, parent=None):
        super().__init__(parent)
        self.document = document
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels([self.tr("Output"), self.tr("Loss"), self.tr("Weight"),
                                              self.tr("Metrics")])
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.Stretch)
        for column in (0, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeToContents)
        # one output: its metrics on a row of their own under the table, so the loss gets the table's width
        self.metrics_row = QWidget()
        row = QHBoxLayout(self.metrics_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel(self.tr("Metrics")))
        self._metrics_slot = row
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addWidget(self.metrics_row)
        self.outputs: list[str] = []
        self.rows: list[tuple[QComboBox, QDoubleSpinBox, QToolButton]] = []
        self._typed: set[str] = set()  # outputs whose loss box the user has typed in
        self.load()

    # -- reading the project ---------------------------------------------------------------

    def load(self) -> None:
        """Show the project's values; rows are rebuilt only when the outputs changed."""
        outputs = list(self.document.graph.outputs) or [self.tr("(no output yet)")]
        if outputs != self.outputs:
            self._rebuild(outputs)
        project = self.document.project
        t = project.training
        weights, metrics = t.get("loss_weights") or {}, t.get("metrics", [])
        used = effective_loss(t, project.graph, project.data)  # what the engine will compile
        for name, (box, weight, button) in zip(self.outputs, self.rows):
            value = used.get(name, "") if per_output(used) else used
            chosen = metrics.get(name, []) if isinstance(metrics, dict) else metrics
            for w in (box, weight, button.menu()):
                w.blockSignals(True)
            box.setCurrentText(value if isinstance(value, str) else value.get("class_name", ""))
            box.lineEdit().setCursorPosition(0)  # a long name shows its start, not "…e_crossentropy"
            default = self._explicit_loss(name) is None
            font = box.font()
            font.setItalic(default)
            box.setFont(font)
            box.setToolTip(self.tr("The default loss for this output and task; choose one to fix it") if default
                           else self.tr("A Keras loss name; typed names are checked when training starts"))
            weight.setValue(float(weights.get(name, 1.0)))
            known = {a.text() for a in button.menu().actions()}
            for metric in chosen:
                if metric not in known:
                    self._add_metric(button.menu(), metric)
            for action in button.menu().actions():
                action.blockSignals(True)
                action.setChecked(action.text() in chosen)
                action.blockSignals(False)
            for w in (box, weight, button.menu()):
                w.blockSignals(False)
            self._label_metrics(button)

    def _rebuild(self, outputs: list[str]) -> None:
        self.outputs = outputs
        self.table.setRowCount(len(outputs))
        self.rows = []
        for row, name in enumerate(outputs):
            label = QTableWidgetItem(name)
            label.setFlags(Qt.ItemIsEnabled)
            self.table.setItem(row, 0, label)
            box = QComboBox(editable=True)
            box.addItems(LOSSES)
            weight = QDoubleSpinBox(minimum=0.0, maximum=1000.0, singleStep=0.1, decimals=3)
            weight.setEnabled(len(outputs) > 1)
            weight.setToolTip(self.tr("How much this output's loss counts in the total loss"))
            button = QToolButton()
            button.setPopupMode(QToolButton.InstantPopup)
            menu = QMenu(button)
            for metric in METRICS:
                self._add_metric(menu, metric)
            button.setMenu(menu)
            self.table.setCellWidget(row, 1, box)
            self.table.setCellWidget(row, 2, weight)
            if len(outputs) == 1:
                while self._metrics_slot.count() > 1:  # the last single output's button
                    old = self._metrics_slot.takeAt(1).widget()
                    if old is not None:
                        old.deleteLater()
                self._metrics_slot.addWidget(button, stretch=1)
            else:
                self.table.setCellWidget(row, 3, button)
            box.activated.connect(lambda _, n=name: self._store(n))
            box.lineEdit().textEdited.connect(lambda _, n=name: self._typed.add(n))
            box.lineEdit().editingFinished.connect(lambda n=name: self._store(n if n in self._typed else None))
            weight.editingFinished.connect(self._store)
            self.rows.append((box, weight, button))
        # nothing cut off: one output has no weight to set (the column goes), and the columns of widgets
        # take their widgets' width (ResizeToContents sees only text); the panel scrolls sideways if it must
        single = len(outputs) == 1
        self.table.setColumnHidden(2, single)
        self.table.setColumnHidden(3, single)
        self.metrics_row.setVisible(single)
        header = self.table.horizontalHeader()
        longest = box_text_width(self.rows[0][0], LOSSES) if self.rows else 0
        for box, _, button in self.rows:
            box.setMinimumWidth(longest)
            box.view().setFont(self.font())  # the list reads at the window's size, not the cell's
            button.setMinimumWidth(button.fontMetrics().horizontalAdvance("mean_absolute_error") + 24)
        first = max([header.sectionSizeHint(0)] + [self.table.fontMetrics().horizontalAdvance(n) + 16
                                                   for n in outputs])
        header.setSectionResizeMode(0, QHeaderView.Fixed)
        header.setSectionResizeMode(3, QHeaderView.Fixed)
        self.table.setColumnWidth(0, first)
        self.table.setColumnWidth(3, max((b.minimumWidth() for _, _, b in self.rows), default=80))
        self.table.setMinimumWidth(first + longest + 8 + (0 if single else self.table.columnWidth(2) +
                                                              self.table.columnWidth(3)))
        self.table.resizeRowsToContents()
        self.table.setFixedHeight(self.table.horizontalHeader().sizeHint().height() + 4 +
                                  sum(self.table.rowHeight(r) for r in range(len(outputs))))

    def _add_metric(self, menu: QMenu, metric: str) -> None:
        action = QAction(metric, menu, checkable=True)
        action.toggled.connect(lambda _=False: self._store())
        menu.addAction(action)

    @staticmethod
    def _label_metrics(button: QToolButton) -> None:
        chosen = [a.text() for a in button.menu().actions() if a.isChecked()]
        text = ", ".join(chosen) or translate("OutputsEditor", "none")
        button.setToolTip(text)
        room = max(button.minimumWidth() - 24, 40)  # never "ac…cy": the start of the list and an ellipsis
        button.setText(button.fontMetrics().elidedText(text, Qt.ElideRight, room))

    # -- writing the project ---------------------------------------------------------------

    def _explicit_loss(self, name: str):
        """The loss the project itself names for output ``name``, or None where it names none."""
        loss = self.document.project.training.get("loss")
        if per_output(loss):
            loss = loss.get(name)
        return None if is_unset(loss) else loss

    def values(self, chosen: str | None = None) -> tuple:
        """(loss, loss_weights, metrics) as the training section stores them.

        A loss is stored where the project names one already or where the user
        has just chosen it (output ``chosen``); a shown default stays unset.
        """
        losses = {}
        for n, (box, _, _) in zip(self.outputs, self.rows):
            explicit = self._explicit_loss(n)
            if n == chosen:
                losses[n] = box.currentText().strip()
            elif explicit is not None:
                losses[n] = explicit
        metrics = {n: [a.text() for a in b.menu().actions() if a.isChecked()]
                   for n, (_, _, b) in zip(self.outputs, self.rows)}
        if len(self.outputs) == 1:
            name = self.outputs[0]
            return losses.get(name), None, metrics[name]
        weights = {n: w.value() for n, (_, w, _) in zip(self.outputs, self.rows)}
        return losses or None, (None if all(v == 1.0 for v in weights.values()) else weights), metrics

    def _store(self, chosen: str | None = None) -> None:
        self._typed.discard(chosen)
        for _, _, button in self.rows:
            self._label_metrics(button)
        loss, weights, metrics = self.values(chosen)
        training = self.document.project.training
        changes = [(k, v) for k, v in (("loss", loss), ("loss_weights", weights), ("metrics", metrics))
                   if training.get(k) != v and not (k in ("loss", "loss_weights") and v is None
                                                    and k not in training)]
        if not changes:
            return
        self.document.undo_stack.beginMacro(self.tr("Set losses and metrics"))
        for key, value in changes:
            self.document.push(commands.SetSection(training, key, value, key.replace("_", " ")))
        self.document.undo_stack.endMacro()
        self.edited.emit()


if __name__ == "__main__":
    from studio.ui.preview import preview
    preview(lambda: OutputsEditor(ProjectDocument()))
