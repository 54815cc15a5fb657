"""Atomic writes keep a file's permissions; a new file gets the user's umask, not mkstemp's private 600."""

import os
import stat

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
