"""Safe writes: an interrupted save never destroys the previous file, and leaves nothing that stays.

Every temporary file and folder of the studio is named
``.NAME.studio-PID-RANDOM.tmp`` (plus the target's suffix, such as ``.h5``,
where a library picks the format from the name), beside its target, so that
one killed mid-save (``kill -9``, a power cut) can be recognised as the
studio's own and removed later: ``clean_stale`` removes those whose process
has gone, or that nothing has touched for a minute, and never a save that is
still running in this process. It runs before every save into a folder and
when a run starts.
"""

from __future__ import annotations

import ctypes
import errno
import os
import re
import shutil
import stat
import tempfile
import time
from pathlib import Path
from typing import Callable

from studio.core.errors import UserError

STALE_AFTER = 60.0  # seconds: a save that has not touched its temporary file for this long has ended

_MARK = "studio"
# .NAME.studio-PID-RANDOM.tmp[.h5|.keras] (a file, or a run folder being composed); .old: a run folder replaced
_TEMP = re.compile(rf"^\.(?P<name>.+)\.{_MARK}-(?P<pid>[0-9]+)-[a-z0-9_]+\.(?P<kind>tmp|old)(?:\.h5|\.keras)?$")
# what earlier versions left: atomic_write's .NAME.RANDOM.tmp, save_model's tmpRANDOM/model.h5
_LEGACY_FILE = re.compile(r"^\.(?P<name>.+\.(?:h5|keras|json|studio-pack))\.[a-z0-9_]{8}\.tmp$")
_LEGACY_FOLDER = re.compile(r"^tmp[a-z0-9_]{8}$")
_LEGACY_CONTENT = {"model.h5", "model.keras"}


class NotWritable(UserError, OSError):
    """A folder that cannot take what the studio means to write there; the message says why, in one line."""


def temp_prefix(name: str) -> str:
    """The start of a temporary name for ``name`` written by this process (see ``clean_stale``)."""
    return f".{name}.{_MARK}-{os.getpid()}-"


def atomic_write(path: str | os.PathLike, write: Callable[[str], None], suffix: str = "") -> None:
    """Call ``write(temp_path)``, then rename the temporary file over ``path``.

    The temporary file lives in the target's folder so that the rename is
    atomic, ends in ``suffix`` (for writers that pick the format from the
    name), is flushed to disk first and is removed if ``write`` fails. The file
    keeps its permissions (a new one gets the user's umask). Stale temporary
    files of earlier, killed saves in that folder are removed first.
    """
    path = Path(path)
    clean_stale(path.parent)
    fd, temp = tempfile.mkstemp(prefix=temp_prefix(path.name), suffix=".tmp" + suffix, dir=path.parent)
    os.close(fd)
    try:
        write(temp)
        with open(temp, "rb+") as f:
            os.fsync(f.fileno())
        os.chmod(temp, _mode_for(path))  # mkstemp makes it private (600); a save keeps the file's own mode
        os.replace(temp, path)
    except BaseException:
        try:
            os.unlink(temp)
        except FileNotFoundError:
            pass
        raise


def _mode_for(path: Path) -> int:
    """The existing file's permissions, or what the user's umask gives a new file (644 for umask 022)."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        return 0o666 & ~_umask()


def _umask() -> int:
    try:  # Linux says it without changing it (os.umask would, for a moment, for every thread)
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def atomic_write_text(path: str | os.PathLike, text: str) -> None:
    """Write UTF-8 text atomically."""
    def write(temp: str) -> None:
        with open(temp, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
    atomic_write(path, write)


# -- folders written as a whole ----------------------------------------------------------------

def staging_folder(target: str | os.PathLike) -> Path:
    """A new, empty temporary folder beside ``target``, to compose it in before ``replace_folder``; it has the
    permissions a folder the user makes would have (mkdtemp's are private to the owner)."""
    target = Path(target)
    clean_stale(target.parent)
    folder = Path(tempfile.mkdtemp(prefix=temp_prefix(target.name), suffix=".tmp", dir=target.parent))
    os.chmod(folder, 0o777 & ~_umask())
    return folder


def replace_folder(staged: str | os.PathLike, target: str | os.PathLike) -> None:
    """Put the folder ``staged`` at ``target`` in one step; a previous ``target`` is removed afterwards.

    Where ``target`` exists, the two are exchanged atomically (Linux
    ``renameat2(RENAME_EXCHANGE)``): at every moment ``target`` is either the
    previous folder or the new one, never a mix and never missing. Elsewhere the
    previous one is first renamed aside (``.NAME.studio-PID-RANDOM.old``, which
    ``clean_stale`` puts back if the process dies before the new one is in place).
    """
    staged, target = Path(staged), Path(target)
    if not target.exists():
        os.rename(staged, target)
        return
    if not _exchange(staged, target):
        aside = Path(tempfile.mkdtemp(prefix=temp_prefix(target.name), suffix=".old", dir=target.parent))
        os.rename(target, aside)  # replaces the empty folder mkdtemp made
        os.rename(staged, target)
        staged = aside
    shutil.rmtree(staged, ignore_errors=True)  # the previous folder


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically; False where the system cannot (then nothing was changed)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EPERM):  # a file system without it
        return False
    raise OSError(code, os.strerror(code), str(b))


def link_or_copy_tree(source: str | os.PathLike, target: str | os.PathLike) -> None:
    """Copy the folder ``source`` into the existing folder ``target``, as hard links where the system allows.

    Files are linked, not copied (the logs and checkpoints of a run cost no
    space twice); the studio never writes into a file in place, so the two
    folders stay independent.
    """
    source, target = Path(source), Path(target)

    def link(src, dst):
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)
    shutil.copytree(source, target, copy_function=link, dirs_exist_ok=True, symlinks=True)


# -- what killed saves left ----------------------------------------------------------------------

def clean_stale(folder: str | os.PathLike) -> int:
    """Remove the studio's own temporary files and folders in ``folder`` that no save still writes.

    One is stale when the process named in it has gone (or its number now
    belongs to a process that started after the file was last written), or
    nothing has written to it for ``STALE_AFTER`` seconds; this process's own
    are never touched (a save may be running on another thread). A previous
    run folder set aside by an interrupted ``replace_folder`` is put back where
    its folder is missing. Names that are not the studio's own are never
    touched. Returns the bytes removed; never raises.
    """
    removed = 0
    try:
        entries = [e for e in os.scandir(folder) if e.name.startswith((".", "tmp"))]
    except OSError:
        return 0
    now = time.time()
    for entry in entries:
        try:
            match = _TEMP.match(entry.name)
            if match:
                if not _stale(int(match["pid"]), _touched(entry.path), now):
                    continue
                original = Path(folder) / match["name"]
                if match["kind"] == "old" and entry.is_dir(follow_symlinks=False) and not original.exists():
                    os.rename(entry.path, original)  # killed between the two renames: the previous run comes back
                    continue
            elif not _legacy(entry) or now - _touched(entry.path) < STALE_AFTER:
                continue
            removed += _size(entry.path)
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
        except OSError:
            continue  # gone meanwhile, or not ours to remove: left as it is
    return removed


def _legacy(entry: os.DirEntry) -> bool:
    if _LEGACY_FILE.match(entry.name):
        return entry.is_file(follow_symlinks=False)
    if _LEGACY_FOLDER.match(entry.name) and entry.is_dir(follow_symlinks=False):
        content = os.listdir(entry.path)
        return bool(content) and set(content) <= _LEGACY_CONTENT
    return False


def _stale(pid: int, touched: float, now: float) -> bool:
    """Whether a temporary file that process ``pid`` made, last written at ``touched``, is no save's any more."""
    started = _started(pid)
    if started is None:
        return True  # that process has gone
    if started > touched + 2:  # seconds of slack: Linux gives the boot time in whole seconds
        return True  # the number was given to a process that started after the file was last written
    if pid == os.getpid():
        return False  # a save of this process, perhaps on another thread
    return now - touched > STALE_AFTER


def _started(pid: int) -> float | None:
    """When process ``pid`` started (seconds since the epoch): None when there is none, 0.0 when unknown."""
    if not _alive(pid):
        return None
    try:  # Linux: field 22 of /proc/PID/stat, in clock ticks after the boot time of /proc/stat
        with open(f"/proc/{pid}/stat", "rb") as f:
            ticks = int(f.read().rsplit(b")", 1)[1].split()[19])
        with open("/proc/stat", "rb") as f:
            boot = next(int(line.split()[1]) for line in f if line.startswith(b"btime"))
        return boot + ticks / os.sysconf("SC_CLK_TCK")
    except FileNotFoundError:
        return None  # it ended meanwhile
    except (OSError, ValueError, IndexError, StopIteration):
        return 0.0


def _alive(pid: int) -> bool:
    if os.name == "nt":  # os.kill there ends the process instead of asking about it
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True  # someone else's process (or cannot tell): it may be saving
    return True


def _touched(path: str) -> float:
    """The newest modification time of ``path`` and, for a folder, of everything in it."""
    newest = os.lstat(path).st_mtime
    if os.path.isdir(path) and not os.path.islink(path):
        for root, dirs, files in os.walk(path):
            for name in dirs + files:
                try:
                    newest = max(newest, os.lstat(os.path.join(root, name)).st_mtime)
                except OSError:
                    pass
    return newest


def _size(path: str) -> int:
    if not os.path.isdir(path) or os.path.islink(path):
        return os.lstat(path).st_size
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_size
            except OSError:
                pass
    return total


# -- before a long job writes -----------------------------------------------------------------

def check_writable(folder: str | os.PathLike, needed: int = 0) -> None:
    """Raise NotWritable unless a new file can be made in ``folder`` and its disk has ``needed`` bytes free.

    A folder that does not exist yet is not made: its nearest existing parent must take it.
    """
    folder = Path(folder)
    existing = folder
    while not existing.exists() and existing.parent != existing:
        existing = existing.parent
    try:
        if not existing.is_dir():
            raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(existing))
        fd, probe = tempfile.mkstemp(prefix=temp_prefix("probe"), suffix=".tmp", dir=existing)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise NotWritable(f"{folder}: cannot write there ({exc.strerror or exc})") from None
    if needed > 0:
        try:
            free = shutil.disk_usage(existing).free
        except OSError:
            return
        if free < needed:
            raise NotWritable(f"{folder}: not enough free space ({_megabytes(free)} free, about "
                              f"{_megabytes(needed)} needed)")


def _megabytes(size: int) -> str:
    return f"{size / 1e6:.1f} MB"


def not_a_regular_file(path: str | os.PathLike, what: str) -> str | None:
    """Why ``path`` cannot be read as ``what`` ("a model file"), in words, or None for a regular file.

    A folder, a pipe, a device or a socket is said at once: reading a pipe (or /dev/zero) never ends.
    """
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "there is no such file"
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the name
        return f"cannot read the file ({getattr(exc, 'strerror', None) or exc})"
    if stat.S_ISDIR(mode):
        return f"this is a folder, not {what}"
    if not stat.S_ISREG(mode):
        return f"not a regular file (a pipe, a device or a socket), not {what}"
    return None

