"""The main window's menus: File (with Open Recent), Edit, View (with the panels and the language).

Each menu entry is one line of ``_actions``: its text, what it calls and its
shortcut; what the entries do lives in the other ``window_*`` modules.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMessageBox

from studio.ui import file_actions, language


class WindowMenus:
    """The menus of ``studio.ui.main_window.MainWindow``, built once when it opens."""

    def _actions(self) -> None:
        def add(menu, text, slot, shortcut=None):
            action = QAction(text, self)
            if shortcut is not None:
                action.setShortcut(shortcut)
            # called with no arguments: triggered(checked) would reach a slot's first parameter (paste's "at")
            action.triggered.connect(lambda _checked=False: slot())
            menu.addAction(action)
            return action

        file = self.menuBar().addMenu(self.tr("&File"))
        add(file, self.tr("&New"), self.new_project, QKeySequence.New)
        add(file, self.tr("&Open…"), self.open_project, QKeySequence.Open)
        self.recent_menu = file.addMenu(self.tr("Open &Recent"))
        self._fill_recent()
        self.examples_menu = file.addMenu(self.tr("Open E&xample"))
        for path in examples():
            self.examples_menu.addAction(path.name, lambda p=str(path): self.open_project(p))
        add(file, self.tr("&Save"), self.save, QKeySequence.Save)
        add(file, self.tr("Save &As…"), self.save_as, QKeySequence.SaveAs)
        file.addSeparator()
        add(file, self.tr("&Import Model…"), self.import_model_file)
        add(file, self.tr("&Export Model…"), self.export_model_file)
        add(file, self.tr("Export &Code…"), lambda: self.code.export())
        file.addSeparator()
        add(file, self.tr("&Labs…"), self.choose_lab, "Ctrl+Shift+L")
        add(file, self.tr("Open &Assignment…"), self.open_assignment)
        add(file, self.tr("Export as Assi&gnment…"), self.export_assignment)
        add(file, self.tr("Save Run &Report…"), self.save_report)
        file.addSeparator()
        add(file, self.tr("&Quit"), self.close, QKeySequence.Quit)
        edit = self.menuBar().addMenu(self.tr("&Edit"))
        undo = self.document.undo_stack.createUndoAction(self, self.tr("&Undo"))
        undo.setShortcut(QKeySequence.Undo)
        redo = self.document.undo_stack.createRedoAction(self, self.tr("&Redo"))
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])  # both, on every platform
        edit.addAction(undo)
        edit.addAction(redo)
        edit.addSeparator()
        add(edit, self.tr("Cu&t"), self.scene.cut_selected, QKeySequence.Cut)
        add(edit, self.tr("&Copy"), self.scene.copy_selected, QKeySequence.Copy)
        add(edit, self.tr("&Paste"), self.scene.paste, QKeySequence.Paste)
        add(edit, self.tr("&Delete"), self.scene.delete_selected, QKeySequence.Delete)
        add(edit, self.tr("Select &All"), lambda: [i.setSelected(True) for i in self.scene.nodes.values()], QKeySequence.SelectAll)
        view = self.menuBar().addMenu(self.tr("&View"))
        add(view, self.tr("Automatic &Layout"), self.scene.auto_layout, "Ctrl+L")
        add(view, self.tr("&Fit to Window"), self.view.fit, "Ctrl+0")
        add(view, self.tr("Zoom &In"), lambda: self.view.zoom(1.2), QKeySequence.ZoomIn)
        add(view, self.tr("Zoom &Out"), lambda: self.view.zoom(1 / 1.2), QKeySequence.ZoomOut)
        view.addSeparator()
        for dock in self.findChildren(QDockWidget):  # Layers, Inspector, Train: a closed panel comes back here
            view.addAction(dock.toggleViewAction())
        view.addSeparator()
        languages = view.addMenu(self.tr("&Language"))
        group = QActionGroup(self)
        chosen = language.chosen_language()
        for code, name in [(None, self.tr("System default")), *language.LANGUAGES.items()]:
            action = languages.addAction(name, lambda c=code: self.set_language(c))
            action.setCheckable(True)
            action.setChecked(code == chosen)
            group.addAction(action)

    def _remember(self, path: str) -> None:
        file_actions.remember_recent(path)
        # Not at once: this may run inside the triggered signal of a recent-file action that
        # refilling the menu would delete under Qt's feet.
        QTimer.singleShot(0, self._fill_recent)

    def _fill_recent(self) -> None:
        """One entry per recent file; a file that no longer exists is shown greyed, with why."""
        self.recent_menu.clear()
        recent = file_actions.read_recent()
        for path in recent:
            action = self.recent_menu.addAction(path, lambda p=path: self.open_project(p))
            if not Path(path).is_file():
                action.setEnabled(False)
                action.setToolTip(self.tr("{0} no longer exists").format(path))
        if recent:
            self.recent_menu.addSeparator()
            self.recent_menu.addAction(self.tr("Clear Recent"), self._clear_recent)
        else:
            self.recent_menu.addAction(self.tr("(none yet)")).setEnabled(False)
        self.recent_menu.setToolTipsVisible(True)

    def _clear_recent(self) -> None:
        file_actions.write_recent([])
        self._fill_recent()

    def set_language(self, code: str | None) -> None:
        language.choose_language(code)
        QMessageBox.information(self, self.tr("Language"), self.tr("The studio will use the new language the next time it starts."))


def examples() -> list[Path]:
    """The example projects the studio ships (``resources/examples``); saving one asks where (Save As)."""
    from studio.resources import resource
    return sorted(Path(resource("examples")).glob("*.studio.json"))
