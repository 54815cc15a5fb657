"""What the bundle relies on, checked without building it (make package / package-test build and run it)."""

import configparser
import subprocess
import sys
from pathlib import Path

import pytest

from studio import children

ROOT = Path(__file__).resolve().parents[1]


def test_child_commands_in_a_checkout_and_in_the_bundle(monkeypatch):
    assert children.module_command("studio.training.safe_load", "--serve") == [
        sys.executable, "-m", "studio.training.safe_load", "--serve"]
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert children.module_command("tensorboard.main", "--port", "1") == [
        sys.executable, "--run-module", "tensorboard.main", "--port", "1"]
    with pytest.raises(ValueError, match="not a module the studio starts"):
        children.module_command("os")


def test_the_launcher_runs_only_the_studios_child_modules(tmp_path):
    launcher = ROOT / "packaging" / "launcher.py"
    refused = subprocess.run([sys.executable, str(launcher), "--run-module", "http.server"], capture_output=True,
                             text=True, cwd=ROOT)
    assert refused.returncode != 0 and "is not one of studio.training.safe_load" in refused.stderr
    missing = subprocess.run([sys.executable, str(launcher), "--run-module", "studio.training.safe_load",
                              str(tmp_path / "none.h5")], capture_output=True, text=True, cwd=ROOT)
    assert missing.returncode == 1 and "there is no such file" in missing.stdout
    version = subprocess.run([sys.executable, str(launcher), "--version"], capture_output=True, text=True, cwd=ROOT)
    assert version.stdout.startswith("Perceptron Studio ")


def test_the_desktop_entry_and_the_spec_name_what_the_bundle_needs():
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str
    entry.read(ROOT / "packaging" / "perceptron-studio.desktop", encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["Exec"].startswith("perceptron-studio") and section["Icon"] == "perceptron-studio"
    assert section["Name[ko]"] == "퍼셉트론 스튜디오"
    assert (ROOT / "resources" / "icons" / "perceptron-studio.png").is_file()
    spec = (ROOT / "packaging" / "perceptron-studio.spec").read_text(encoding="utf-8")
    assert '(str(ROOT / "resources"), "resources")' in spec and "launcher.py" in spec
