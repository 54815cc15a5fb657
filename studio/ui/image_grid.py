"""A grid of small grey-scale images with captions (MNIST samples, misclassified digits)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import QListView, QListWidget, QListWidgetItem


def to_pixmap(image: np.ndarray, size: int) -> QPixmap:
    """A (h, w) or (h, w, 1) array (uint8 or 0..1 floats) as a square pixmap of ``size`` pixels."""
    a = np.asarray(image)
    if a.ndim == 3 and a.shape[-1] == 1:
        a = a[..., 0]
    if a.dtype != np.uint8:
        a = np.clip(a * (255.0 if a.max() <= 1.0 else 1.0), 0, 255).astype(np.uint8)
    a = np.ascontiguousarray(a)
    qimage = QImage(a.data, a.shape[1], a.shape[0], a.strides[0], QImage.Format_Grayscale8).copy()
    return QPixmap.fromImage(qimage).scaled(size, size, Qt.KeepAspectRatio, Qt.FastTransformation)


class ImageGrid(QListWidget):
    def __init__(self, size: int = 56, parent=None):
        super().__init__(parent)
        self.size = size
        self.setViewMode(QListView.IconMode)
        self.setIconSize(QSize(size, size))
        self.setResizeMode(QListView.Adjust)
        self.setMovement(QListView.Static)
        self.setUniformItemSizes(True)
        self.setGridSize(QSize(size + 34, size + 34))
        self.setSelectionMode(QListWidget.NoSelection)

    def set_images(self, images, captions: list[str], tips: list[str] | None = None) -> None:
        self.clear()
        for i, (image, caption) in enumerate(zip(images, captions)):
            item = QListWidgetItem(QIcon(to_pixmap(image, self.size)), caption)
            item.setTextAlignment(Qt.AlignHCenter)
            if tips:
                item.setToolTip(tips[i])
            self.addItem(item)
