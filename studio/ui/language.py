"""The interface language: English or Korean, following the system locale unless the user chose one.

Every user-visible string in ``studio.ui`` goes through Qt's translation
system (``self.tr`` or ``translate``); the Korean translation is
``resources/translations/studio_ko.qm``, compiled from ``studio_ko.ts``
(``make translations``). Texts that live below the UI (advisor findings, lab
checks, lessons) carry both languages and are picked with ``current()``.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, QTranslator

from studio.resources import resource

LANGUAGES = {"en": "English", "ko": "한국어"}
_SETTINGS = ("PerceptronStudio", "studio")
_installed: list[QTranslator] = []
_current = "en"


def system_language() -> str:
    return "ko" if QLocale.system().language() == QLocale.Korean else "en"


def chosen_language() -> str | None:
    """The language the user picked in the menu, or None to follow the system."""
    value = QSettings(*_SETTINGS).value("language")
    return value if value in LANGUAGES else None


def choose_language(language: str | None) -> None:
    """Remember the user's choice (None: follow the system); it applies on the next start."""
    settings = QSettings(*_SETTINGS)
    if language is None:
        settings.remove("language")
    else:
        settings.setValue("language", language)


def current() -> str:
    """The language the interface was started in."""
    return _current


def translations_folder():
    return resource("translations")


def install(language: str | None = None) -> str:
    """Load the translators for ``language`` (default: chosen, else system) into the running app."""
    global _current
    app = QCoreApplication.instance()
    language = language or chosen_language() or system_language()
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    _current = "en"
    if language == "en":
        return _current
    ours = QTranslator(app)
    if not ours.load(str(translations_folder() / f"studio_{language}.qm")):
        return _current  # no translation: stay in English rather than show a mix
    app.installTranslator(ours)
    _installed.append(ours)
    qt_base = QTranslator(app)  # Qt's own dialogs and buttons (OK, Cancel, ...)
    if qt_base.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.TranslationsPath)):
        app.installTranslator(qt_base)
        _installed.append(qt_base)
    _current = language
    return _current


def translate(context: str, text: str) -> str:
    return QCoreApplication.translate(context, text)
