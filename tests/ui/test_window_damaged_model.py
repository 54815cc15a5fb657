"""File > Import Model on a studio file whose weights no longer match their checksum says so in the window."""

import h5py
from PySide6.QtWidgets import QMessageBox

from studio.training.model_files import save_model
from training.test_model_checksum import flip_bit, kernel_of, tiny


def test_importing_a_damaged_studio_model_warns_in_the_window(window, qtbot, tmp_path, monkeypatch):
    path = save_model(tiny(), tmp_path / "model.h5")
    with h5py.File(path, "r") as f:
        kernel = kernel_of(f["model_weights"], "hidden")
    flip_bit(path, f"model_weights/{kernel}")
    said = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda parent, title, text, *a: said.append((title, text))))
    with qtbot.waitSignal(window.job_ended, timeout=60_000) as ended:
        assert window.import_model_file(str(path))
    assert ended.args == ["import", True]  # it opens (the weights are there), but not silently
    ((title, text),) = said
    assert title == "Damaged model file" and str(path) in text and "no longer match the checksum" in text
