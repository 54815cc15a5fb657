"""The Data tab with a CSV larger than the memory that can be used: columns from its first rows, and a note."""

from studio.data import csv_file
from studio.ui.data_panel import DataPanel
from studio.ui.document import ProjectDocument


def test_a_file_too_large_to_load_is_previewed_from_its_first_rows(qtbot, tmp_path, monkeypatch):
    path = tmp_path / "large.csv"
    path.write_text("a,b,kind\n" + "".join(f"{i},{i * 0.5},{'xyz'[i % 3]}\n" for i in range(300)))
    monkeypatch.setattr(csv_file, "_MEMORY_SHARE", 0.0)  # nothing may be loaded whole
    panel = DataPanel(ProjectDocument())
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.loaded, timeout=30_000) as loaded:
        panel.choose_file(path, "csv")
    table = loaded.args[0]
    assert table.rows == 300
    assert panel.document.project.data["target"] == "kind"
    text = panel.summary.text()
    assert "too large to load" in text and "training streams the whole file" in text
    assert "<b>about 300 rows</b> (the first 300 shown), 3 columns" in text
