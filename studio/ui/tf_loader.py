"""Load TensorFlow and Keras in the background so the window can appear first."""

from __future__ import annotations

from PySide6.QtCore import QThread, Signal

from studio.core import registries


class KerasLoader(QThread):
    loaded = Signal(list)      # the devices, e.g. ["CPU"] or ["CPU", "GPU:0"]
    failed = Signal(str)

    def run(self) -> None:
        try:
            registries.keras()
            for registry in ("activations", "initializers", "regularizers"):
                registries.names(registry)
            self.loaded.emit(registries.devices())
        except Exception as exc:  # reported in the status bar; the editor keeps working
            self.failed.emit(f"{type(exc).__name__}: {exc}")
