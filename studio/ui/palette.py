"""The layer palette: the catalog grouped by category, searchable, dragged onto the canvas."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtGui import QDrag
from PySide6.QtWidgets import QLineEdit, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from studio.core.catalog import CATALOG, CATEGORIES
from studio.ui.canvas import LAYER_MIME
from studio.ui.language import translate


class _LayerTree(QTreeWidget):
    def startDrag(self, actions):
        item = self.currentItem()
        class_name = item.data(0, Qt.UserRole) if item else None
        if not class_name:
            return
        mime = QMimeData()
        mime.setData(LAYER_MIME, class_name.encode())
        drag = QDrag(self)
        drag.setMimeData(mime)
        drag.exec(Qt.CopyAction)


class PalettePanel(QWidget):
    """Emits ``layer_chosen`` on double-click (the window adds it at the canvas centre)."""

    layer_chosen = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.search = QLineEdit(placeholderText=self.tr("Search layers…"))
        self.search.setClearButtonEnabled(True)
        self.tree = _LayerTree()
        self.tree.setHeaderHidden(True)
        self.tree.setDragEnabled(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.search)
        layout.addWidget(self.tree)
        for category in CATEGORIES:
            group = QTreeWidgetItem(self.tree, [translate("Catalog", category)])
            group.setFlags(Qt.ItemIsEnabled)
            for spec in CATALOG.values():
                if spec.category == category:
                    item = QTreeWidgetItem(group, [spec.class_name])
                    item.setData(0, Qt.UserRole, spec.class_name)
                    item.setToolTip(0, translate("Catalog", spec.help))
        self.tree.expandAll()
        self.search.textChanged.connect(self.filter)
        self.tree.itemDoubleClicked.connect(self._double_clicked)

    def filter(self, text: str) -> None:
        text = text.strip().lower()
        for i in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(i)
            shown = 0
            for j in range(group.childCount()):
                child = group.child(j)
                match = not text or text in child.text(0).lower() or text in child.toolTip(0).lower()
                child.setHidden(not match)
                shown += match
            group.setHidden(shown == 0)

    def _double_clicked(self, item, column) -> None:
        class_name = item.data(0, Qt.UserRole)
        if class_name:
            self.layer_chosen.emit(class_name)


if __name__ == "__main__":
    from studio.ui.preview import preview
    preview(PalettePanel)
