"""Journey (f): the window in Korean with a CSV saved by Excel on Korean Windows (cp949)."""

from __future__ import annotations

from steps import Person

ROWS = [("5.1", "1.4", "부채붓꽃"), ("4.9", "1.4", "부채붓꽃"), ("7.0", "4.7", "버시컬러"), ("6.4", "4.5", "버시컬러"),
        ("6.3", "6.0", "버지니카"), ("5.8", "5.1", "버지니카")] * 10


def test_korean_window_with_a_cp949_csv(start_studio, hands, qtbot, tmp_path):
    csv = tmp_path / "붓꽃.csv"
    text = "꽃받침 길이,꽃잎 길이,품종\r\n" + "".join(f"{a},{b},{c}\r\n" for a, b, c in ROWS)
    csv.write_bytes(text.encode("cp949"))
    window = start_studio(language="ko")
    me = Person(window, hands, qtbot)
    me.shot("korean-start")
    assert window.tabs.tabText(window.tabs.indexOf(window.training)) != "Training", "the tabs are in Korean"

    panel = me.open_csv(csv)
    columns = [panel.target.itemText(i) for i in range(panel.target.count())]
    assert columns == ["꽃받침 길이", "꽃잎 길이", "품종"], columns
    me.choose(panel.target, "품종")
    me.wait(lambda: window.document.project.data.get("target") == "품종", why="the target chosen")
    classes = sorted(panel.table.frame["품종"].dropna().unique())
    assert classes == sorted({"부채붓꽃", "버시컬러", "버지니카"}), classes
    me.shot("cp949-loaded")
    training = window.training
    me.tab(window.tabs, training)
    from PySide6.QtWidgets import QAbstractButton, QComboBox, QLabel
    shown = [w.text() for w in training.findChildren(QLabel) + training.findChildren(QAbstractButton) if w.isVisible()]
    shown += [box.itemText(i) for box in training.findChildren(QComboBox) for i in range(box.count())]
    english = {"(no output yet)", "Train", "Stop", "Continue", "Optimizer", "Learning rate", "Epochs", "Ready"}
    assert not english & set(shown), english & set(shown)
    me.shot("korean-training-tab")
