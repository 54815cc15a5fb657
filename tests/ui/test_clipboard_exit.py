"""A process that copied layers ends cleanly (Qt deleted the clipboard's data after Python had gone: a segfault)."""

import subprocess
import sys

from PySide6.QtCore import QPointF
from PySide6.QtGui import QGuiApplication

from studio.ui import clipboard

COPY_AND_EXIT = """
from PySide6.QtCore import QPointF
from PySide6.QtWidgets import QApplication
from studio.ui.canvas import CanvasScene
from studio.ui.document import ProjectDocument
app = QApplication([])
scene = CanvasScene(ProjectDocument())
scene.add_layer("Dense", QPointF(0, 0))
for item in scene.nodes.values():
    item.setSelected(True)
assert scene.copy_selected()
print("copied")
"""


def test_a_process_that_copied_layers_exits_without_a_crash():
    done = subprocess.run([sys.executable, "-c", COPY_AND_EXIT], capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stdout.strip()) == (0, "copied"), done.stderr[-2000:]


def test_text_copied_after_the_layers_stays_on_the_clipboard_at_exit(window):
    window.scene.add_layer("Dense", QPointF(0, 0))
    for item in window.scene.nodes.values():
        item.setSelected(True)
    assert window.scene.copy_selected()
    QGuiApplication.clipboard().setText("code from the Code tab")
    clipboard.clear_ours()  # what Python runs at exit
    assert QGuiApplication.clipboard().text() == "code from the Code tab"
