# The two commands of the README: `make run` and `make test` (the layering contracts of pyproject.toml, then the tests).
# Each creates .venv when it is missing and installs what it needs into it.

PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
PYTEST_ARGS ?=

.PHONY: run test journeys screenshots translations package package-test wheelhouse check-python clean

run: $(VENV)/.installed
	$(PY) -m studio

test: $(VENV)/.installed-test
	$(VENV)/bin/lint-imports --no-cache --no-logo
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest $(PYTEST_ARGS)
	$(MAKE) --no-print-directory journeys

# Whole user journeys in a real X server (Xvfb + openbox, Qt's xcb platform) driven with
# real input (xdotool); screenshots of every step go to build/journeys/.
journeys: $(VENV)/.installed-test
	STUDIO_JOURNEYS=1 $(PY) -m pytest tests/journeys $(PYTEST_ARGS)

# The pictures in the README: steps of the journeys, taken from the real X window.
screenshots: journeys
	$(PY) docs/screenshots.py --out docs/screenshots

# After changing user-visible text: refresh the .ts sources from the code (new strings appear
# unfinished; translate them with Qt Linguist, pyside6-linguist), then compile the .qm files.
TS = resources/translations/studio_ko.ts
translations: $(VENV)/.installed
	$(PY) -c 'from studio.ui.language import catalog_terms_source as s; open("studio/ui/catalog_terms.py", "w", encoding="utf-8").write(s())'
	$(VENV)/bin/pyside6-lupdate -no-obsolete -locations none -target-language ko_KR studio/ui/*.py -ts $(TS)
	$(VENV)/bin/pyside6-lrelease $(TS) -qm $(TS:.ts=.qm)

# The one-folder application (PyInstaller) and its .tar.gz under dist/; see docs/packaging.md.
package: $(VENV)/.installed-package
	$(PY) packaging/build.py

# The built application's self-test in an empty environment, as on a fresh lab machine.
package-test:
	@test -x dist/perceptron-studio/perceptron-studio || { echo "run make package first"; exit 1; }
	env -i PATH=/usr/bin:/bin QT_QPA_PLATFORM=offscreen HOME=$$(mktemp -d) \
		dist/perceptron-studio/perceptron-studio --self-test

# Every wheel the studio needs, for `pip install --no-index --find-links wheelhouse .` offline.
wheelhouse: | $(PY)
	$(PY) -m pip download --dest wheelhouse '.[test]' pip setuptools wheel

$(VENV)/.installed-package: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[package]'
	touch $@

check-python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Perceptron Studio needs Python 3.11 or newer; found " + sys.version.split()[0])'

$(PY): | check-python
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# The stamps are rebuilt when pyproject.toml changes, so a new dependency is
# installed by the next `make run` or `make test`.
$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

clean:
	rm -rf $(VENV) build dist wheelhouse *.egg-info .pytest_cache
