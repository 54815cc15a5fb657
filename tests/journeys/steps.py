"""What a person does in the studio, in the words of a person: each step is real input.

Every step finds where a thing is on the screen (a palette entry, a port, a
combo box's item) from the live widgets, moves the pointer there through the
X server and waits for what the person would see change.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt

WAIT_MS = 20_000       # a click's effect, a data set's loading
TRAIN_MS = 240_000     # a short training run on two shared cores, TensorFlow's first graph build included


class Person:
    def __init__(self, window, hands, qtbot):
        self.window, self.hands, self.qtbot = window, hands, qtbot

    def wait(self, condition, timeout: int = WAIT_MS, why: str = "") -> None:
        try:
            self.qtbot.waitUntil(lambda: bool(condition()), timeout=timeout)
        except Exception:  # pytest-qt's TimeoutError: the picture shows what the person saw instead
            self.hands.shot("failed-" + (why or "wait").replace(" ", "-")[:40])
            raise AssertionError(f"waited {timeout / 1000:.0f} s for: {why}") from None

    def shot(self, name: str):
        return self.hands.shot(name)

    # -- the canvas ---------------------------------------------------------------------

    def _viewport_point(self, scene_point: QPointF) -> QPoint:
        return self.window.view.mapFromScene(scene_point)

    def palette_entry(self, class_name: str):
        tree = self.window.palette.tree
        items = [i for i in tree.findItems(class_name, Qt.MatchExactly | Qt.MatchRecursive) if i.parent()]
        assert items, f"{class_name} is not in the palette"
        tree.scrollToItem(items[0])
        return tree, tree.visualItemRect(items[0]).center()

    def drag_layer(self, class_name: str, to: QPoint) -> str:
        """Drag a layer from the palette to a point of the canvas' viewport; returns its name."""
        before = set(self.window.document.graph.names)
        tree, point = self.palette_entry(class_name)
        self.hands.drag(tree.viewport(), point, self.window.view.viewport(), to)
        self.wait(lambda: set(self.window.document.graph.names) - before, why=f"{class_name} on the canvas")
        (name,) = set(self.window.document.graph.names) - before
        return name

    def double_click_layer(self, class_name: str) -> str:
        before = set(self.window.document.graph.names)
        tree, point = self.palette_entry(class_name)
        self.hands.click(tree.viewport(), point, double=True)
        self.wait(lambda: set(self.window.document.graph.names) - before, why=f"{class_name} added")
        (name,) = set(self.window.document.graph.names) - before
        return name

    def port_point(self, name: str, is_input: bool) -> QPoint:
        item = self.window.scene.nodes[name]
        port = item.input_port if is_input else item.output_port
        return self._viewport_point(port.scenePos())

    def node_point(self, name: str) -> QPoint:
        item = self.window.scene.nodes[name]
        return self._viewport_point(item.mapToScene(item.boundingRect().center()))

    def connect(self, src: str, dst: str) -> None:
        """Drag from ``src``'s output port to ``dst``'s input port."""
        viewport = self.window.view.viewport()
        self.hands.drag(viewport, self.port_point(src, False), viewport, self.port_point(dst, True))
        self.wait(lambda: src in self.window.document.graph.node(dst).inputs, why=f"edge {src} -> {dst}")

    def select_node(self, name: str) -> None:
        # The Inspector offers Keras' lists once TensorFlow has loaded, and rebuilds its fields then.
        self.wait(lambda: self.window.training.ready, timeout=TRAIN_MS, why="TensorFlow loaded")
        self.hands.click(self.window.view.viewport(), self.node_point(name))
        self.wait(lambda: self.window.inspector.node_name == name, why=f"{name} in the inspector")

    # -- widgets ------------------------------------------------------------------------

    def settled(self, widget) -> None:
        """Wait until ``widget`` stays where it is on the screen (a panel may still be re-laying out)."""
        from PySide6.QtWidgets import QApplication
        seen = []

        def still():
            QApplication.processEvents()
            seen.append((widget.mapToGlobal(widget.rect().topLeft()), widget.size()))
            return len(seen) >= 3 and seen[-1] == seen[-2] == seen[-3]

        self.wait(still, why="the panel stops moving")

    def click(self, widget, point=None) -> None:
        self.wait(lambda: widget.isVisible() and widget.isEnabled(), why=f"{widget.objectName() or widget} enabled")
        self.settled(widget)
        self.hands.click(widget, point)

    def tab(self, tabs, widget) -> None:
        index = tabs.indexOf(widget)
        self.hands.click(tabs.tabBar(), tabs.tabBar().tabRect(index).center())
        self.wait(lambda: tabs.currentIndex() == index, why=f"tab {tabs.tabText(index)}")

    def choose(self, combo, text: str) -> None:
        """Open a combo box's list and click the entry that reads ``text``."""
        index = combo.findText(text)
        assert index >= 0, f"{text!r} is not offered; the entries are {[combo.itemText(i) for i in range(combo.count())]}"
        self.click(combo)
        view = combo.view()
        self.wait(lambda: view.isVisible(), why="the list opens")
        model_index = view.model().index(index, combo.modelColumn(), combo.rootModelIndex())
        view.scrollTo(model_index)
        self.hands.click(view.viewport(), view.visualRect(model_index).center())
        self.wait(lambda: not view.isVisible() and combo.currentIndex() == index, why=f"{text} chosen")

    def type_into(self, widget, text: str, enter: bool = True) -> None:
        """Click a field, select what it holds, type ``text`` (and Enter) as a person would."""
        self.click(widget)
        self.wait(lambda: widget.hasFocus(), why="the field has the focus")
        self.hands.key("ctrl+a")
        self.hands.type(text)
        if enter:
            self.hands.key("Return")

    # -- menus and dialogs ---------------------------------------------------------------

    def menu(self, *path: str) -> None:
        """Click through the menu bar: ``menu("File", "Save As…")`` (texts without the & marks)."""
        bar = self.window.menuBar()

        def find(actions, text):
            for action in actions:
                if action.text().replace("&", "") == text:
                    return action
            raise AssertionError(f"no menu entry {text!r} in {[a.text() for a in actions]}")

        action = find(bar.actions(), path[0])
        self.hands.click(bar, bar.actionGeometry(action).center())
        menu = action.menu()
        for text in path[1:]:
            self.wait(lambda m=menu: m.isVisible(), why=f"the {path[0]} menu opens")
            action = find(menu.actions(), text)
            submenu = action.menu()  # read before the click: the entry chosen may delete its action
            self.hands.click(menu, menu.actionGeometry(action).center())
            menu = submenu

    # A modal dialog runs its own event loop inside the click or key that opened it: the
    # steps in the dialog must be armed before that input, and they run inside that loop.

    def when_dialog(self, kind, handler) -> dict:
        """Arm ``handler(dialog)`` for the next visible modal ``kind``; returns its state for ``done``."""
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication
        state = {"done": False, "error": None, "kind": kind.__name__}
        timer = QTimer(self.window, interval=50)

        def poll():
            dialog = QApplication.activeModalWidget()
            if dialog is None or not isinstance(dialog, kind) or not dialog.isVisible():
                return
            timer.stop()
            try:
                handler(dialog)
            except BaseException as exc:  # raised again by done(), outside the dialog's loop
                state["error"] = exc
                if dialog.isVisible():
                    dialog.reject()  # else its loop would keep the test waiting until pytest's timeout
            finally:
                state["done"] = True

        timer.timeout.connect(poll)
        timer.start()
        state["timer"] = timer
        return state

    def done(self, state: dict, timeout: int = WAIT_MS) -> None:
        """Wait until an armed dialog has been dealt with (re-raising what went wrong in it)."""
        try:
            self.wait(lambda: state["done"], timeout=timeout, why=f"a {state['kind']} dealt with")
        finally:
            state["timer"].stop()
        if state["error"] is not None:
            raise state["error"]

    def file_dialog(self, path) -> dict:
        """Arm: type a full path into the next file dialog and press Enter."""
        from PySide6.QtWidgets import QFileDialog, QLineEdit

        def fill(dialog):
            name = dialog.findChild(QLineEdit, "fileNameEdit")
            self.wait(lambda: name.hasFocus(), why="the file name field has the focus")
            self.hands.key("ctrl+a")
            self.hands.type(str(path))
            self.hands.key("Return")
            self.wait(lambda: not dialog.isVisible(), why="the file dialog closes")

        return self.when_dialog(QFileDialog, fill)

    def answer(self, button_text: str) -> dict:
        """Arm: click the button that reads ``button_text`` in the next message box."""
        from PySide6.QtWidgets import QMessageBox

        def click(box):
            buttons = [b for b in box.buttons() if b.text().replace("&", "") == button_text]
            assert buttons, f"no {button_text!r} in {[b.text() for b in box.buttons()]}: {box.text()}"
            self.hands.click(buttons[0])
            self.wait(lambda: not box.isVisible(), why="the question closes")

        return self.when_dialog(QMessageBox, click)

    # -- bigger steps ------------------------------------------------------------------------

    def build_chain(self, layers) -> list[str]:
        """Drag each (class name, {parameter: typed text}) from the palette, connect them, set them."""
        viewport = self.window.view.viewport()
        names = [self.drag_layer(class_name, QPoint(viewport.width() // 2, 60 + row * 110))
                 for row, (class_name, _) in enumerate(layers)]
        for src, dst in zip(names, names[1:]):
            self.connect(src, dst)
        for name, (_, params) in zip(names, layers):
            if params:
                self.select_node(name)
                for key, text in params.items():
                    editor = self.window.inspector.editors[key]
                    if hasattr(editor, "findText"):
                        self.choose(editor, text)
                    else:
                        self.type_into(editor, text)
        self.wait(lambda: self.window.document.report.ok, why="the model is valid")
        return names

    def open_csv(self, path):
        """Data tab, Source "CSV file", Choose…, the file typed into the dialog; returns the panel once read."""
        panel = self.window.data_panel
        self.tab(self.window.tabs, panel)
        self.choose(panel.source, panel.source.itemText(panel.source.findData("csv")))
        dialog = self.file_dialog(path)
        self.click(panel.browse)
        self.done(dialog)
        self.wait(lambda: panel.table is not None and panel.target.count() > 0, why="the CSV read")
        return panel

    def train(self, epochs: int | None = None, continuing: bool = False) -> None:
        """Training tab, epochs typed, Train (or Continue), and wait until the run has finished."""
        training = self.window.training
        self.tab(self.window.tabs, training)
        if epochs is not None:
            self.type_into(training.epochs, str(epochs))
            self.wait(lambda: self.window.document.project.training.get("epochs") == epochs, why="epochs set")
        self.wait(lambda: training.ready, timeout=TRAIN_MS, why="TensorFlow loaded")
        runs = len(self.window.results.runs)
        self.click(training.continue_button if continuing else training.train_button)
        failed = training.tr("Training failed")
        self.wait(lambda: not training.runner.running and (len(self.window.results.runs) > runs
                                                           or training.status.text() == failed),
                  timeout=TRAIN_MS, why="the training run finished")
        assert len(self.window.results.runs) > runs, f"training failed: {getattr(training, 'error_box', None) and training.error_box.text()}"
