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


def _build_module():
    import importlib.util
    spec = importlib.util.spec_from_file_location("studio_build", ROOT / "packaging" / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_bundle_carries_the_file_types_and_install_sh(tmp_path):
    build = _build_module()
    places = {place: source for source, place in build.DESKTOP_FILES}
    assert {"share/mime/packages/perceptron-studio.xml", "install.sh", "share/applications/perceptron-studio.desktop",
            "share/icons/perceptron-studio.png"} <= set(places)
    assert all(source.is_file() for source in places.values())
    written = build.add_desktop_files(tmp_path / "bundle")  # what finish() does after PyInstaller
    assert sorted(p.relative_to(tmp_path / "bundle").as_posix() for p in written) == sorted(places)
    assert (tmp_path / "bundle" / "install.sh").stat().st_mode & 0o111


def test_the_desktop_entry_names_both_file_types_of_the_mime_xml():
    import xml.etree.ElementTree as ET
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str
    entry.read(ROOT / "packaging" / "perceptron-studio.desktop", encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["Exec"] == "perceptron-studio %f"
    declared = [t for t in section["MimeType"].split(";") if t]
    ns = {"m": "http://www.freedesktop.org/standards/shared-mime-info"}
    root = ET.parse(ROOT / "packaging" / "perceptron-studio-mime.xml").getroot()
    globs = {t.get("type"): [g.get("pattern") for g in t.findall("m:glob", ns)] for t in root.findall("m:mime-type", ns)}
    assert globs == {"application/x-perceptron-studio+json": ["*.studio.json"],
                     "application/x-perceptron-studio-pack": ["*.studio-pack"]}
    # the studio's own types, then the files it also opens that have types of their own: CSV and HDF5 models
    assert declared == [*globs, "text/csv", "application/x-hdf"]


def test_install_sh_installs_what_xdg_mime_needs(tmp_path):
    import os
    import shutil
    missing = [tool for tool in ("sh", "update-mime-database", "xdg-mime", "gio") if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"needs {', '.join(missing)} (Debian: shared-mime-info xdg-utils libglib2.0-bin)")
    bundle = tmp_path / "unpacked dir" / "perceptron-studio"  # a space in the path, as in "My Programs"
    _build_module().add_desktop_files(bundle)
    program = bundle / "perceptron-studio"
    program.write_text("#!/bin/sh\n")
    program.chmod(0o755)
    prefix, home = tmp_path / "prefix", tmp_path / "home"
    home.mkdir()
    env = dict(os.environ, HOME=str(home))
    env.pop("XDG_DATA_HOME", None)
    done = subprocess.run(["sh", str(bundle / "install.sh"), "--prefix", str(prefix)], capture_output=True, text=True,
                          env=env)
    assert done.returncode == 0, done.stderr
    share = prefix / "share"
    assert (share / "mime" / "packages" / "perceptron-studio.xml").is_file()
    assert (share / "icons" / "hicolor" / "256x256" / "apps" / "perceptron-studio.png").is_file()
    assert "*.studio.json" in (share / "mime" / "globs2").read_text()  # update-mime-database ran on it
    installed = configparser.ConfigParser(interpolation=None)
    installed.optionxform = str
    installed.read(share / "applications" / "perceptron-studio.desktop", encoding="utf-8")
    assert installed["Desktop Entry"]["Exec"] == f'"{program}" %f'
    assert (prefix / "bin" / "perceptron-studio").resolve() == program
    assert not any(home.iterdir())  # --prefix: nothing under ~/.local
    (tmp_path / "x.studio.json").write_text("{}")
    (tmp_path / "x.studio-pack").write_bytes(b"PK\x05\x06" + bytes(18))  # an empty zip, as a pack is a zip
    query = dict(env, XDG_DATA_DIRS=str(share), XDG_DATA_HOME=str(tmp_path / "none"), XDG_CURRENT_DESKTOP="GNOME")
    for name, expected in (("x.studio.json", "application/x-perceptron-studio+json"),
                           ("x.studio-pack", "application/x-perceptron-studio-pack")):
        found = subprocess.run(["xdg-mime", "query", "filetype", str(tmp_path / name)], capture_output=True,
                               text=True, env=query)
        assert found.stdout.strip() == expected, (found.stdout, found.stderr)
