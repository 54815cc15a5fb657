"""The data panel shows what the project's data section holds, and the engine trains on exactly that.

A fresh project has no data: the panel says so instead of showing MNIST as if
it were chosen (the first Train then failed with "the project has no data
yet" although the Data tab showed MNIST with sample images).
"""

import json

from PySide6.QtWidgets import QApplication, QFormLayout

from studio.core.graph import Graph
from studio.data.defaults import CSV_DEFAULTS, IMAGE_DEFAULTS
from studio.training.data_source import load_training_data
from studio.ui.data_panel import DataPanel
from studio.ui.document import ProjectDocument

from tests.ui.test_data_panel import choose, choose_source, panel_for


def mnist_graph(graph: Graph) -> None:
    graph.add_node("Input", {"shape": [28, 28]}, "pixels")
    graph.add_node("Flatten", {}, "flat")
    graph.add_node("Dense", {"units": 10, "activation": "softmax"}, "digits")
    graph.connect("pixels", "flat")
    graph.connect("flat", "digits")
    graph.set_output("digits")


def shows_no_data(panel: DataPanel) -> bool:
    return (panel.source.currentIndex() == -1 and panel.pages.isHidden() and panel.samples.count() == 0
            and "no data yet" in panel.summary.text() and panel.table is None)


def test_a_fresh_project_shows_that_it_has_no_data(qtbot):
    panel = panel_for(qtbot)
    assert panel.document.project.data == {}
    assert shows_no_data(panel)
    assert panel.source.placeholderText() == "Choose the data…"
    assert panel.browse.isEnabled()  # "Choose…" goes straight to a CSV file


def test_training_images_set_in_the_panel_are_what_the_engine_loads(qtbot):
    """Fresh window: choose MNIST, type 3000 training images; the engine loads MNIST with 3000 images."""
    panel = panel_for(qtbot)
    document = panel.document
    mnist_graph(document.graph)
    assert panel.pages.isHidden()  # no "Training images" to type into before there is a data set
    choose_source(panel, qtbot, "mnist")
    qtbot.waitUntil(lambda: panel.samples.count() == 40, timeout=30_000)
    assert not panel.pages.isHidden() and panel.source.currentData() == "mnist"
    panel.limit.setValue(3000)
    assert document.project.data == {"source": "mnist", "limit": 3000}
    assert panel.image_validation.value() == round(100 * IMAGE_DEFAULTS["validation"])
    data = load_training_data(document.project)
    assert len(data.x_train) + len(data.x_val) == 3000
    assert abs(len(data.x_val) / 3000 - IMAGE_DEFAULTS["validation"]) < 0.01  # the default the panel shows
    assert data.preprocessing["name"].lower().startswith("mnist")


def test_file_new_and_opening_a_project_without_data_show_what_the_project_holds(qtbot, tmp_path):
    panel = panel_for(qtbot)
    document = panel.document
    choose_source(panel, qtbot, "mnist")
    qtbot.waitUntil(lambda: panel.samples.count() == 40, timeout=30_000)
    document.new()
    assert shows_no_data(panel)
    # A project saved with no data section (an imported model, or an old file).
    choose_source(panel, qtbot, "mnist")
    qtbot.waitUntil(lambda: panel.samples.count() == 40, timeout=30_000)
    path = tmp_path / "empty.studio.json"
    saved = ProjectDocument()
    saved.save(path)
    assert json.loads(path.read_text())["data"] == {}
    document.open(path)
    assert shows_no_data(panel)
    # A data section that was written without its source (the old bug) is no data either.
    path.write_text(path.read_text().replace('"data": {}', '"data": {"limit": 3000}'))
    document.open(path)
    assert document.project.data == {"limit": 3000} and shows_no_data(panel)


def test_a_read_that_finishes_after_file_new_is_not_shown(qtbot):
    panel = panel_for(qtbot)
    choose_source(panel, qtbot, "mnist")  # the read starts in the background...
    panel.document.new()                  # ...and the project changes before it ends
    qtbot.waitUntil(lambda: not panel.loader.thread_alive, timeout=30_000)
    QApplication.processEvents()
    assert shows_no_data(panel) and panel.busy.isHidden()


def test_an_unknown_source_is_not_shown_as_another(qtbot):
    document = ProjectDocument()
    document.project.data.update(source="parquet", path="x.parquet")
    panel = DataPanel(document)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitExposed(panel)
    assert panel.source.currentIndex() == -1 and panel.pages.isHidden()
    assert "parquet" in panel.summary.text()


def test_csv_defaults_shown_are_the_engine_defaults(qtbot, tmp_path):
    path = tmp_path / "xy.csv"
    path.write_text("x,y\n" + "".join(f"{i},{i % 2}\n" for i in range(40)))
    panel = panel_for(qtbot)
    choose(panel, qtbot, path)
    assert panel.validation.value() == 100 * CSV_DEFAULTS["validation"]
    assert panel.test.value() == 100 * CSV_DEFAULTS["test"]
    assert panel.missing.currentData() == CSV_DEFAULTS["missing"]


def test_the_format_rows_are_labelled_and_say_what_was_detected(qtbot, tmp_path):
    path = tmp_path / "꽃.csv"
    path.write_bytes("꽃잎 길이;품종\r\n1,4;부채붓꽃\r\n4,7;버시컬러\r\n6,0;버지니카\r\n".encode("cp949"))
    panel = panel_for(qtbot)
    form = panel.encoding.parentWidget().findChild(QFormLayout)
    labels = {box: form.labelForField(box).text()
              for box in (panel.encoding, panel.delimiter, panel.decimal, panel.header)}
    assert list(labels.values()) == ["Encoding", "Delimiter", "Decimal mark", "Header"]
    assert panel.encoding.itemText(0) == "detected"  # nothing read yet
    table = choose(panel, qtbot, path)
    assert list(table.frame.columns) == ["꽃잎 길이", "품종"]
    assert panel.encoding.itemText(0) == "detected: cp949"
    assert panel.delimiter.itemText(0) == "detected: semicolon"
    assert panel.decimal.itemText(0) == "detected: comma ,"
    assert panel.header.itemText(0) == "detected: first row is the header"
    offered = [panel.encoding.itemData(i) for i in range(panel.encoding.count())]
    for name in ("cp949", "euc-kr", "shift_jis", "gb18030", "cp1252", "latin-1", "utf-16", "utf-8"):
        assert name in offered
    # Overriding the encoding re-reads the file; the first entry still says what was detected.
    with qtbot.waitSignal(panel.loaded, timeout=30_000):
        panel.encoding.setCurrentIndex(panel.encoding.findData("euc-kr"))
        panel.encoding.activated.emit(panel.encoding.currentIndex())
    assert panel.document.project.data["format"] == {"encoding": "euc-kr"}
    assert panel.encoding.itemText(0) == "detected: cp949" and panel.encoding.currentData() == "euc-kr"


def test_leaving_a_field_unchanged_is_not_an_edit_and_new_projects_stay_clean(qtbot, tmp_path):
    """editingFinished fires when a field loses focus or hides: it must not write the shown default."""
    path = tmp_path / "xy.csv"
    path.write_text("x,y\n" + "".join(f"{i},{i % 2}\n" for i in range(40)))
    panel = panel_for(qtbot)
    choose(panel, qtbot, path)
    steps = panel.document.undo_stack.count()
    panel.validation.editingFinished.emit()  # focus left the field, the value is the default
    panel.test.editingFinished.emit()
    assert panel.document.undo_stack.count() == steps and "validation" not in panel.document.project.data
    panel.document.new()
    panel.validation.editingFinished.emit()  # the hidden page's field loses focus after File > New
    assert panel.document.project.data == {} and not panel.document.dirty


def test_a_csv_project_is_read_without_opening_the_data_tab(window, qtbot):
    """The model is checked against its data (the input's features) as soon as the project opens."""
    from studio.resources import resource
    lab5 = next(resource("labs").glob("05*"))
    window.tabs.setCurrentWidget(window.training)
    with qtbot.waitSignal(window.data_panel.loaded, timeout=30_000):
        assert window.open_project(str(next(lab5.glob("*.studio.json"))))
    assert not window.data_panel.isVisible(), "read while the Data tab stayed hidden"
    assert window.data_panel.table is not None


def test_a_data_file_outside_the_projects_folder_is_said(qtbot, tmp_path):
    """A project from someone else may name any file on this machine as its CSV (issue 15, item 5)."""
    from studio.core.project import load_project, save_project
    panel = panel_for(qtbot)
    outside = tmp_path / "elsewhere" / "points.csv"
    outside.parent.mkdir()
    outside.write_text("x,y\n1,0\n2,1\n3,0\n4,1\n")
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "inside.csv").write_text(outside.read_text())
    document = panel.document
    document.project.data.update(source="csv", path=str(outside), target="y")
    document.save(folder / "p.studio.json")
    document.open(folder / "p.studio.json")
    assert load_project(folder / "p.studio.json").data_outside() == outside.resolve()
    assert panel.outside.isVisibleTo(panel) and "outside the project's folder" in panel.outside.text()
    project = load_project(folder / "p.studio.json")
    project.data["path"] = "inside.csv"
    save_project(project, project.path)
    document.open(folder / "p.studio.json")
    assert project.data_outside() is None and not panel.outside.isVisibleTo(panel)
    from studio.resources import resource
    project.data["path"] = str(resource("datasets", "iris.csv"))  # a data set shipped with the studio
    assert project.data_outside() is None


def test_studio_check_notes_a_data_file_outside_the_projects_folder(tmp_path, capsys):
    from studio.cli import main
    from studio.core.project import load_project, save_project
    from studio.resources import resource
    project = load_project(resource("examples", "wide_deep.studio.json"))
    (tmp_path / "copy").mkdir()
    project.data["path"] = str(resource("datasets", "auto_mpg.csv"))
    project.path = None
    save_project(project, tmp_path / "copy" / "wide.studio.json")
    assert main(["check", str(tmp_path / "copy" / "wide.studio.json")]) == 0
    assert "outside the project's folder" not in capsys.readouterr().out  # the studio's own data set
    secret = tmp_path / "secret.csv"
    secret.write_bytes(resource("datasets", "auto_mpg.csv").read_bytes())
    project.data["path"] = str(secret)
    save_project(project, tmp_path / "copy" / "wide.studio.json")
    assert main(["check", str(tmp_path / "copy" / "wide.studio.json")]) == 0
    assert f"note: the data file {secret} lies outside the project's folder" in capsys.readouterr().out
