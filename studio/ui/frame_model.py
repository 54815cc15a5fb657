"""A read-only Qt table model over the first rows of a DataFrame, numbers shown with %g."""

from __future__ import annotations

import numpy as np
import pandas as pd
from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QColor

PREVIEW_ROWS = 1000


class FrameModel(QAbstractTableModel):
    def __init__(self, frame: pd.DataFrame | None = None, parent=None, line_offset: int = 2):
        super().__init__(parent)
        self.frame = pd.DataFrame()
        self.line_offset = line_offset
        if frame is not None:
            self.set_frame(frame, line_offset)

    def set_frame(self, frame: pd.DataFrame, line_offset: int = 2) -> None:
        self.beginResetModel()
        self.frame = frame.head(PREVIEW_ROWS)
        self.line_offset = line_offset
        self._columns = [self.frame[c].to_numpy() for c in self.frame.columns]
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.frame)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.frame.columns)

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        value = self._columns[index.column()][index.row()]
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
            return str(self.frame.columns[section])
        return str(section + self.line_offset)  # the line in the file, as error messages say


def format_value(value) -> str:
    """Floats with %g (39.1, not the float32 39.099998); anything else as text."""
    if isinstance(value, (float, np.floating)):
        return f"{float(value):.7g}"
    return str(value)
