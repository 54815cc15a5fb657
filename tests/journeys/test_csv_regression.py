"""Journey (b): a European CSV (semicolons, decimal commas) with a numeric target, trained as regression."""

from __future__ import annotations

import numpy as np

from training.helpers import recorded_model
from steps import Person


def write_european_csv(path, rows: int = 240) -> None:
    rng = np.random.default_rng(7)
    x1, x2 = rng.uniform(0, 10, rows), rng.uniform(-5, 5, rows)
    y = 3 * x1 - 2 * x2 + rng.normal(0, 0.5, rows)
    lines = ["Fläche;Höhe;Preis"] + [f"{a:.3f};{b:.3f};{c:.2f}".replace(".", ",") for a, b, c in zip(x1, x2, y)]
    path.write_text("\n".join(lines) + "\n", encoding="cp1252")


def test_semicolon_decimal_comma_regression(start_studio, hands, qtbot, tmp_path):
    csv = tmp_path / "preise.csv"
    write_european_csv(csv)
    window = start_studio()
    me = Person(window, hands, qtbot)
    me.build_chain([("Input", {"shape": "2"}), ("Dense", {"units": "16", "activation": "relu"}),
                    ("Dense", {"units": "1"})])
    me.shot("model")

    panel = me.open_csv(csv)
    data = window.document.project.data
    assert data.get("path") and data.get("source") == "csv"
    assert [panel.target.itemText(i) for i in range(panel.target.count())][-1] == "Preis"
    assert panel.preview_model.rowCount() > 0
    me.choose(panel.target, "Preis")
    me.wait(lambda: window.document.project.data.get("target") == "Preis", why="the target chosen")
    table = panel.table
    assert table.frame["Fläche"].dtype.kind == "f", "decimal commas are read as numbers"
    me.shot("csv-loaded")

    me.train(epochs=3)
    training = window.training
    shown = training.outputs.rows[0][0].currentText()
    used = recorded_model(training.runner.job).loss
    assert shown in str(used) or str(used) in shown, f"the Loss box says {shown}, training used {used}"
    assert "crossentropy" not in shown
    me.shot("trained")

    results = window.results
    me.tab(window.tabs, results)
    me.wait(lambda: results.scatter.isVisible(), why="predicted against true values")
    x, _ = results.scatter_points.getData()
    assert len(x) > 0
    me.shot("scatter")
