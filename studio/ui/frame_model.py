"""A read-only Qt table model over the first rows of a DataFrame, numbers shown with %g.

pandas is imported on first use only, so building the window does not load it.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QColor

from studio.data.errors import cut

PREVIEW_ROWS = 1000


class FrameModel(QAbstractTableModel):
    def __init__(self, frame=None, parent=None, line_offset: int = 2):
        super().__init__(parent)
        self.frame = None
        self._names: list[str] = []
        self._columns: list[np.ndarray] = []
        self.line_offset = line_offset
        self.set_frame(frame, line_offset)

    def set_frame(self, frame, line_offset: int = 2) -> None:
        """Show the first PREVIEW_ROWS rows of a DataFrame (None: nothing)."""
        self.beginResetModel()
        self.frame = None if frame is None else frame.head(PREVIEW_ROWS)
        self.line_offset = line_offset
        self._names = [] if frame is None else [str(c) for c in self.frame.columns]
        self._columns = [] if frame is None else [self.frame[c].to_numpy() for c in self.frame.columns]
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() or not self._columns else len(self._columns[0])

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        value = self._columns[index.column()][index.row()]
        import pandas as pd
        missing = bool(pd.isna(value))
        if role == Qt.DisplayRole:
            return "" if missing else format_value(value)
        if role == Qt.BackgroundRole and missing:
            return QColor("#fde2e2")
        if role == Qt.ToolTipRole and missing:
            return "missing value"
        if role == Qt.TextAlignmentRole:
            numeric = isinstance(value, (int, float, np.number)) and not isinstance(value, (bool, np.bool_))
            return int((Qt.AlignRight if numeric else Qt.AlignLeft) | Qt.AlignVCenter)
        return None

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if role != Qt.DisplayRole:
            return None
        if orientation == Qt.Horizontal:
            return self._names[section]
        return str(section + self.line_offset)  # the line in the file, as error messages say


SHOWN_CHARACTERS = 200  # of one cell: a 60 MB cell once held the window for 17 s while Qt measured it


def format_value(value) -> str:
    """Floats with %g (39.1, not the float32 39.099998); anything else as text, cut to a readable length."""
    if isinstance(value, (float, np.floating)):
        return f"{float(value):.7g}"
    return cut(value, SHOWN_CHARACTERS)
