"""English and Korean: every interface string is translated, the files are current, the window switches."""

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication

from studio.ui import language

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "translations" / "studio_ko.ts"
BIN = Path(sys.executable).parent


def messages(path):
    """{(context, source): (translation, type)} of a .ts file."""
    found = {}
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            translation = message.find("translation")
            found[(name, message.findtext("source"))] = (translation.text, translation.get("type"))
    return found


def test_every_string_in_the_code_has_a_finished_korean_translation(tmp_path):
    """lupdate over today's sources finds nothing new, and nothing is left unfinished."""
    fresh = tmp_path / "studio_ko.ts"
    shutil.copy(TS, fresh)
    sources = sorted(str(p) for p in (ROOT / "studio" / "ui").glob("*.py"))
    subprocess.run([str(BIN / "pyside6-lupdate"), "-no-obsolete", "-locations", "none", *sources, "-ts",
                    str(fresh)], check=True, capture_output=True)
    committed, current = messages(TS), messages(fresh)
    assert set(current) == set(committed), "run `make translations` and translate the new strings"
    unfinished = [key for key, (text, kind) in committed.items() if kind == "unfinished" or not text]
    assert not unfinished
    assert len(committed) > 250


def test_placeholders_survive_translation():
    for (context, source), (text, _) in messages(TS).items():
        for n in range(6):
            if f"{{{n}" in source:
                assert f"{{{n}" in text, (context, source, text)


def test_compiled_translations_and_catalog_terms_are_current(tmp_path):
    qm = tmp_path / "studio_ko.qm"
    subprocess.run([str(BIN / "pyside6-lrelease"), str(TS), "-qm", str(qm)], check=True, capture_output=True)
    assert qm.read_bytes() == TS.with_suffix(".qm").read_bytes(), "run `make translations`"
    terms = (ROOT / "studio" / "ui" / "catalog_terms.py").read_text(encoding="utf-8")
    assert terms == language.catalog_terms_source(), "run `make translations`"


@pytest.fixture
def korean(qapp):
    assert language.install("ko") == "ko"
    yield
    language.install("en")


def test_the_window_switches_to_korean(korean, qtbot, tmp_path, monkeypatch):
    from studio.ui.main_window import MainWindow
    monkeypatch.setenv("HOME", str(tmp_path))
    assert language.install_fonts() == "NanumGothic"
    window = MainWindow()
    qtbot.addWidget(window)
    menus = [action.text() for action in window.menuBar().actions()]
    assert menus == ["파일(&F)", "편집(&E)", "보기(&V)"]
    tabs = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert tabs == ["데이터", "훈련", "결과", "예측", "도우미", "코드", "요약", "조정", "실습"]
    assert window.training.train_button.text() == "훈련 시작"
    assert window.advisor.language == "ko"
    assert QCoreApplication.translate("Catalog", "Number of neurons (outputs).") == "뉴런(출력)의 수."


def test_english_is_the_default_and_the_choice_is_remembered(qapp, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    from PySide6.QtCore import QSettings
    monkeypatch.setattr(language, "_SETTINGS", ("PerceptronStudioTest", "language"))
    QSettings(*language._SETTINGS).clear()
    assert language.chosen_language() is None
    language.choose_language("ko")
    assert language.chosen_language() == "ko"
    language.choose_language(None)
    assert language.chosen_language() is None
    assert language.install("en") == "en" and language.current() == "en"
    assert QCoreApplication.translate("MainWindow", "&File") == "&File"
