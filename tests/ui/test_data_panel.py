"""The data panel: files read off the GUI thread, preview, detected settings overridden, undo, cancel."""

import numpy as np
import pandas as pd
from PySide6.QtCore import Qt

from studio.ui.data_panel import DataPanel
from studio.ui.document import ProjectDocument


def panel_for(qtbot) -> DataPanel:
    panel = DataPanel(ProjectDocument())
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def choose(panel, qtbot, path, source="csv"):
    with qtbot.waitSignal(panel.loaded, timeout=30_000) as loaded:
        panel.choose_file(path, source)
    return loaded.args[0]


def test_a_csv_file_is_previewed_with_its_detected_settings(qtbot, tmp_path):
    path = tmp_path / "fish.csv"
    path.write_text("id,length,weight,colour,species\n"
                    "1,39.1,0.5,red,perch\n2,,0.7,blue,pike\n3,41.25,0.9,red,perch\n4,12.5,1.1,blue,pike\n")
    panel = panel_for(qtbot)
    table = choose(panel, qtbot, path)
    assert table.rows == 4
    model = panel.preview_model
    assert model.data(model.index(0, 1)) == "39.1"  # not float32's 39.099998
    assert model.data(model.index(1, 1)) == "" and model.data(model.index(1, 1), Qt.BackgroundRole) is not None
    assert model.headerData(0, Qt.Vertical) == "2"  # the file's line
    data = panel.document.project.data
    assert data["source"] == "csv" and data["target"] == "species"
    assert "suggested task binary with 2 classes" in panel.summary.text()
    assert "1 missing value" in panel.summary.text()
    names = [panel.features.item(i).text() for i in range(panel.features.count())]
    assert names == ["id", "length", "weight", "colour"]
    panel.features.item(3).setCheckState(Qt.Unchecked)
    assert data["features"] == ["id", "length", "weight"]  # id is a small integer column here, so it was ticked
    panel.document.undo_stack.undo()
    assert data.get("features") is None and panel.features.item(3).checkState() == Qt.Checked


def test_settings_are_stored_and_a_format_override_rereads_the_file(qtbot, tmp_path):
    path = tmp_path / "semi.csv"
    path.write_text("a;b;y\n1,5;2;0\n2,5;3;1\n3,5;1;0\n4,5;0;1\n")
    panel = panel_for(qtbot)
    choose(panel, qtbot, path)
    assert panel.preview_model.data(panel.preview_model.index(0, 0)) == "1.5"  # decimal comma detected
    panel.missing.setCurrentIndex(panel.missing.findData("median"))
    panel.missing.activated.emit(panel.missing.currentIndex())
    panel.validation.setValue(20)
    panel.validation.editingFinished.emit()
    data = panel.document.project.data
    assert data["missing"] == "median" and abs(data["validation"] - 0.2) < 1e-9
    with qtbot.waitSignal(panel.loaded, timeout=30_000):
        panel.decimal.setCurrentIndex(panel.decimal.findData("."))
        panel.decimal.activated.emit(panel.decimal.currentIndex())
    assert data["format"] == {"decimal": "."}
    assert panel.preview_model.data(panel.preview_model.index(0, 0)) == "1,5"  # now read as text
    with qtbot.waitSignal(panel.loaded, timeout=30_000):
        panel.document.undo_stack.undo()  # back to the detected decimal comma
    assert panel.preview_model.data(panel.preview_model.index(0, 0)) == "1.5" and not data.get("format")


def test_a_bad_file_is_explained_in_the_panel(qtbot, tmp_path):
    path = tmp_path / "picture.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    panel = panel_for(qtbot)
    with qtbot.waitSignal(panel.loader.failed, timeout=30_000) as failed:
        panel.choose_file(path)
    assert "PNG" in failed.args[0] and failed.args[1] == ""  # a user error: no traceback
    assert "PNG" in panel.summary.text() and panel.busy.isHidden()


def test_reading_a_large_file_can_be_cancelled(qtbot, tmp_path):
    path = tmp_path / "big.csv"
    rng = np.random.default_rng(0)
    pd.DataFrame(rng.normal(size=(300_000, 3)), columns=["a", "b", "c"]).to_csv(path, index=False)
    panel = panel_for(qtbot)
    with qtbot.waitSignal(panel.loader.cancelled, timeout=30_000):
        panel.choose_file(path)
        assert not panel.busy.isHidden()
        panel.cancel.click()
    assert "cancelled" in panel.summary.text() and panel.table is None


def choose_source(panel, qtbot, source):
    """As the user does: pick an entry of the Source list."""
    box = panel.source
    box.setCurrentIndex(box.findData(source))
    box.activated.emit(box.currentIndex())


def test_mnist_shows_sample_images_with_their_labels(qtbot):
    panel = panel_for(qtbot)
    choose_source(panel, qtbot, "mnist")
    qtbot.waitUntil(lambda: panel.samples.count() == 40, timeout=30_000)
    assert panel.samples.item(0).text() == "5"  # MNIST's first training digit
    assert "60,000 training" in panel.summary.text()
    assert panel.document.project.data == {"source": "mnist"}


def test_a_huge_cell_and_markup_in_column_names_are_shown_short_and_as_text(qtbot, tmp_path):
    """A 60 MB cell once held the window 17 s (Qt measured it) and `studio data` printed all of it."""
    from studio.data.summary import csv_summary
    from studio.ui.frame_model import SHOWN_CHARACTERS
    path = tmp_path / "odd.csv"
    big = "A" * 2_000_000
    path.write_text("x,<b>kind</b>\n" + "".join(f"{i},{'setosa' if i % 2 else 'virginica'}\n" for i in range(8))
                    + f"9,{big}\n")
    panel = panel_for(qtbot)
    choose(panel, qtbot, path)
    shown = [panel.preview.model().data(panel.preview.model().index(r, 1)) for r in range(9)]
    assert max(len(s) for s in shown) == SHOWN_CHARACTERS and shown[-1].endswith("…")
    panel.target.setCurrentText("<b>kind</b>")
    panel.target.activated.emit(panel.target.currentIndex())
    assert "&lt;b&gt;kind&lt;/b&gt;" in panel.summary.text()  # the name as text, not bold markup
    from studio.data.csv_file import load_csv
    lines, _ = csv_summary(load_csv(path), ["<b>kind</b>"])
    assert len("\n".join(lines)) < 10_000 and "3 classes" in lines[-1]
