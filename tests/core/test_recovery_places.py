"""Recovery files live where the platform keeps application state; files an older version left are still found."""

import json
import sys

from studio.core import recovery
from studio.core.project import Project


def _left_behind(folder, pid=999_999_99):
    """A recovery file of a studio that is no longer running, as an older version wrote it."""
    folder.mkdir(parents=True)
    record = {"format": recovery.FORMAT, "version": recovery.VERSION, "pid": pid, "saved": 1.0, "original": None,
              "project": Project().to_dict()}
    path = folder / f"{pid}{recovery.SUFFIX}"
    path.write_text(json.dumps(record), encoding="utf-8")
    return path


def test_the_default_is_the_xdg_state_folder_and_the_old_place_is_still_searched(tmp_path, monkeypatch):
    monkeypatch.delenv("STUDIO_RECOVERY_DIR", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    if sys.platform.startswith("linux"):
        assert recovery.recovery_dir() == tmp_path / "state" / "perceptron-studio" / "recovery"
    assert not recovery.recovery_dir().is_relative_to(tmp_path / ".perceptron-studio")
    old = _left_behind(tmp_path / ".perceptron-studio" / "recovery")
    assert [r.path for r in recovery.find_recoveries()] == [old]
    written = recovery.write_recovery(Project())
    assert written.parent == recovery.recovery_dir()
    recovery.remove_recovery(old)
    assert not old.exists() and written.exists()
    recovery.remove_recovery()
    assert not written.exists()


def test_the_environment_variable_still_names_the_one_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("STUDIO_RECOVERY_DIR", str(tmp_path / "mine"))
    _left_behind(tmp_path / ".perceptron-studio" / "recovery")
    assert recovery.recovery_dir() == tmp_path / "mine"
    assert recovery.find_recoveries() == []  # only the folder it names
