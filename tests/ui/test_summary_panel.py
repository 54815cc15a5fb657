"""The Summary tab shows Keras' summary of the graph's model and follows edits (issue 17)."""

from pathlib import Path

from studio.ui import commands

MNIST = Path(__file__).resolve().parents[2] / "resources" / "examples" / "mnist_mlp.studio.json"


def _cell(panel, row, column):
    return panel.table.item(row, column).text()


def test_the_summary_tab_shows_the_rows_and_totals_and_follows_an_edit(window, qtbot):
    window.document.open(MNIST)
    panel = window.summary_panel
    window.tabs.setCurrentWidget(panel)
    qtbot.waitUntil(lambda: panel.summary is not None and panel.summary.total == 266_610, timeout=60_000)
    assert panel.table.rowCount() == 6
    assert [_cell(panel, 3, c) for c in range(5)] == ["dense", "Dense", "(None, 300)", "235,500", "flatten"]
    assert "Total params: 266,610" in panel.totals.text()
    assert "Non-trainable params: 0" in panel.totals.text()
    assert not panel.table.editTriggers()  # read-only

    window.document.push(commands.SetParam(window.document.graph, "dense", "units", 10))
    qtbot.waitUntil(lambda: panel.summary.total == 784 * 10 + 10 + 10 * 100 + 100 + 1010, timeout=60_000)
    assert _cell(panel, 3, 2) == "(None, 10)" and _cell(panel, 3, 3) == "7,850"
    assert "Total params: 9,960" in panel.totals.text()


def test_a_hidden_summary_tab_builds_nothing(window, qtbot):
    window.document.open(MNIST)
    panel = window.summary_panel
    window.tabs.setCurrentWidget(window.training)
    qtbot.wait(0)  # the debounce timer may fire; nothing is built while hidden
    panel.refresh()
    assert panel.summary is None and not panel.worker.busy


def test_a_graph_that_does_not_build_is_said_without_a_traceback_by_the_child(window, qtbot):
    window.document.open(MNIST)
    panel = window.summary_panel
    window.tabs.setCurrentWidget(panel)
    qtbot.waitUntil(lambda: panel.summary is not None, timeout=60_000)
    with qtbot.waitSignal(panel.refreshed, timeout=60_000) as shown:
        window.document.push(commands.SetParam(window.document.graph, "dense", "units", -3))
    assert shown.args == [None] and panel.table.rowCount() == 0
    assert panel.note.text().startswith("The model cannot be built yet: ")
    assert "dense.units: units must be >= 1, got -3" in panel.note.text() and "Traceback" not in panel.note.text()
