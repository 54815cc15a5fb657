"""Run one panel on its own: ``python -m studio.ui.palette`` and friends."""

from __future__ import annotations

import sys


def preview(make) -> None:
    from PySide6.QtWidgets import QApplication
    app = QApplication.instance() or QApplication(sys.argv)
    widget = make()
    widget.resize(900, 600)
    widget.show()
    sys.exit(app.exec())
