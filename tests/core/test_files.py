"""Atomic writes keep a file's permissions (a new file gets the user's umask, not mkstemp's private 600), and
what a killed save leaves is removed by the next one."""

import os
import stat
import subprocess
import sys
import time

import pytest

from studio.core import files
from studio.core.files import atomic_write_text


def _mode(path):
    return stat.S_IMODE(path.stat().st_mode)


def test_a_saved_file_keeps_its_mode_and_a_new_one_follows_the_umask(tmp_path):
    old = os.umask(0o022)
    try:
        fresh = tmp_path / "new.studio.json"
        atomic_write_text(fresh, "{}")
        assert _mode(fresh) == 0o644  # was 600
        shared = tmp_path / "shared.studio.json"
        shared.write_text("{}")
        shared.chmod(0o664)
        atomic_write_text(shared, '{"a": 1}')
        assert _mode(shared) == 0o664 and shared.read_text() == '{"a": 1}'
    finally:
        os.umask(old)
    assert not list(tmp_path.glob(".*.tmp"))


# -- what a killed save leaves, and who removes it (issue 15, item 17) ----------------------------

KILLED_MID_SAVE = r"""
import os, sys
from studio.core.files import atomic_write
def write(temp):
    with open(temp, "wb") as f:
        f.write(b"x" * 100_000)
    os._exit(9)  # killed after writing, before the rename
atomic_write(sys.argv[1], write, suffix=".h5")
"""


def _killed_save(target):
    child = subprocess.run([sys.executable, "-c", KILLED_MID_SAVE, str(target)])
    assert child.returncode == 9
    return child


def _age(path, seconds):
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_a_killed_saves_temporary_file_is_removed_by_the_next_save_there(tmp_path):
    target = tmp_path / "model.h5"
    target.write_bytes(b"old")
    _killed_save(target)
    (left,) = [p for p in tmp_path.iterdir() if p != target]
    assert left.name.startswith(".model.h5.studio-") and left.stat().st_size == 100_000
    assert target.read_bytes() == b"old"  # the previous file is intact
    files.atomic_write_text(tmp_path / "other.json", "{}")  # the next save in that folder
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.h5", "other.json"]


def test_only_the_studios_own_stale_names_are_removed(tmp_path):
    mine = tmp_path / f"{files.temp_prefix('model.h5')}abcdefgh.tmp.h5"  # this process: a save may be running
    mine.write_bytes(b"1")
    reused = tmp_path / f"{files.temp_prefix('run.json')}abcdefgh.tmp"  # this pid, but of a process before
    reused.write_bytes(b"6" * 100)
    _age(reused, time.time() - files._started(os.getpid()) + 60)  # written before this process started
    fresh = tmp_path / ".model.h5.studio-1-abcdefgh.tmp"  # pid 1 is alive, and it was touched just now
    fresh.write_bytes(b"2")
    old = tmp_path / ".run.json.studio-1-abcdefgh.tmp"  # alive, but nothing wrote it for minutes
    old.write_bytes(b"3")
    _age(old, 120)
    users = [tmp_path / name for name in (".model.h5.tmp", "notes.tmp", ".model.h5.studio.tmp", "tmpabcdefgh")]
    for path in users:
        path.write_bytes(b"theirs")
        _age(path, 3600)
    legacy_file = tmp_path / ".model.h5.k3j_x9ab.tmp"  # what earlier versions left: age is all there is to go by
    legacy_file.write_bytes(b"4" * 10)
    legacy_folder = tmp_path / "tmpq1w2e3r4"
    legacy_folder.mkdir()
    (legacy_folder / "model.h5").write_bytes(b"5" * 20)
    for path in (legacy_folder / "model.h5", legacy_folder, legacy_file):
        _age(path, 120)
    assert files.clean_stale(tmp_path) == 1 + 100 + 10 + 20
    assert mine.exists() and fresh.exists() and not old.exists() and not reused.exists()
    assert not legacy_file.exists() and not legacy_folder.exists()
    assert all(path.exists() for path in users)


def test_a_folder_is_replaced_in_one_step(tmp_path):
    target = tmp_path / "run"
    target.mkdir()
    (target / "run.json").write_text("old")
    staged = files.staging_folder(target)
    assert staged.parent == tmp_path and staged.name.startswith(".run.studio-")
    (staged / "run.json").write_text("new")
    files.replace_folder(staged, target)
    assert (target / "run.json").read_text() == "new" and os.listdir(tmp_path) == ["run"]


def test_without_an_exchange_a_previous_folder_set_aside_comes_back_after_a_crash(tmp_path, monkeypatch):
    target = tmp_path / "run"
    target.mkdir()
    (target / "run.json").write_text("old")
    monkeypatch.setattr(files, "_exchange", lambda a, b: False)
    staged = files.staging_folder(target)
    real_rename = os.rename
    calls = []

    def crash_on_second(a, b):
        calls.append(b)
        if len(calls) == 2:
            raise KeyboardInterrupt  # the process ends between the two renames
        real_rename(a, b)
    monkeypatch.setattr(files.os, "rename", crash_on_second)
    with pytest.raises(KeyboardInterrupt):
        files.replace_folder(staged, target)
    monkeypatch.setattr(files.os, "rename", real_rename)
    assert not target.exists()
    monkeypatch.setattr(files, "_alive", lambda pid: False)
    monkeypatch.setattr(files.os, "getpid", lambda: -1)  # as the next process sees it
    files.clean_stale(tmp_path)
    assert (target / "run.json").read_text() == "old" and os.listdir(tmp_path) == ["run"]


def test_check_writable_says_what_and_where_in_one_line(tmp_path, monkeypatch):
    files.check_writable(tmp_path / "new" / "folder", needed=1)
    assert os.listdir(tmp_path) == []  # a check makes nothing
    (tmp_path / "a-file").write_text("")
    with pytest.raises(files.NotWritable, match=r"a-file/folder: cannot write there \(Not a directory\)$"):
        files.check_writable(tmp_path / "a-file" / "folder")

    def read_only(*args, **kwargs):
        raise OSError(30, "Read-only file system")
    monkeypatch.setattr(files.tempfile, "mkstemp", read_only)
    with pytest.raises(files.NotWritable, match=r"folder: cannot write there \(Read-only file system\)$"):
        files.check_writable(tmp_path / "new" / "folder")
    monkeypatch.undo()
    monkeypatch.setattr(files.shutil, "disk_usage", lambda p: type("U", (), {"free": 2_000_000})())
    with pytest.raises(files.NotWritable, match=r"not enough free space \(2.0 MB free, about 27.0 MB needed\)"):
        files.check_writable(tmp_path, needed=27_000_000)
