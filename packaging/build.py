"""Build the one-folder application with PyInstaller, add the desktop entry, icon, file types and install.sh,
make a .tar.gz.

    .venv/bin/python packaging/build.py        (what `make package` runs)

Prints the build time, the bundle's size (and its largest parts) and the
archive's size, for docs/benchmarks.md. Output: dist/perceptron-studio/ and
dist/perceptron-studio-<version>-<platform>.tar.gz.

On Linux TensorFlow's shared libraries are stripped of their static symbol
tables (``strip --strip-unneeded``): TensorFlow ships them unstripped, and the
tables are not used at run time (the dynamic symbols stay). Only TensorFlow's:
stripping the libraries auditwheel repaired (``numpy.libs``, ``scipy.libs``)
breaks them ("ELF load command address/offset not page-aligned").
``--finish-only`` strips and archives an existing dist/perceptron-studio
without rebuilding.
"""

from __future__ import annotations

import platform
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DIST = ROOT / "dist"
BUNDLE = DIST / "perceptron-studio"


#: What the bundle holds besides PyInstaller's output, for the desktop: (file in the checkout, place in the bundle).
#: install.sh puts the share/ files where the desktop looks (docs/packaging.md).
DESKTOP_FILES = (
    (ROOT / "packaging" / "perceptron-studio.desktop", "share/applications/perceptron-studio.desktop"),
    (ROOT / "resources" / "icons" / "perceptron-studio.png", "share/icons/perceptron-studio.png"),
    (ROOT / "packaging" / "perceptron-studio-mime.xml", "share/mime/packages/perceptron-studio.xml"),
    (ROOT / "packaging" / "install.sh", "install.sh"),
)


def add_desktop_files(bundle: Path) -> list[Path]:
    """Copy ``DESKTOP_FILES`` into ``bundle``; install.sh stays executable. Returns the files written."""
    written = []
    for source, place in DESKTOP_FILES:
        target = bundle / place
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, target)
        if source.suffix == ".sh":
            target.chmod(0o755)
        written.append(target)
    return written


def size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def strip_libraries(bundle: Path) -> int:
    """Strip TensorFlow's ELF shared libraries in ``bundle``; returns the bytes saved."""
    tool = shutil.which("strip")
    folder = bundle / "_internal" / "tensorflow"
    if tool is None or platform.system() != "Linux" or not folder.is_dir():
        return 0
    saved = 0
    for path in folder.rglob("*.so*"):
        if not path.is_file() or path.is_symlink():
            continue
        with open(path, "rb") as f:
            if f.read(4) != b"\x7fELF":
                continue
        before = path.stat().st_size
        if subprocess.run([tool, "--strip-unneeded", str(path)], capture_output=True).returncode == 0:
            saved += before - path.stat().st_size
    return saved


def main() -> int:
    sys.path.insert(0, str(ROOT))
    if sys.argv[1:] == ["--finish-only"]:
        return finish(None)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
                           "--distpath", str(DIST), "--workpath", str(ROOT / "build" / "pyinstaller"),
                           str(ROOT / "packaging" / "perceptron-studio.spec")], cwd=ROOT)
    if done.returncode != 0:
        print(f"PyInstaller failed (exit code {done.returncode})", file=sys.stderr)
        return done.returncode
    return finish(time.perf_counter() - start)


def finish(build_seconds: float | None) -> int:
    from studio import __version__
    unstripped = size(BUNDLE)
    saved = strip_libraries(BUNDLE)
    add_desktop_files(BUNDLE)
    archive = DIST / f"perceptron-studio-{__version__}-{platform.system().lower()}-{platform.machine()}.tar.gz"
    start_archive = time.perf_counter()
    with tarfile.open(archive, "w:gz", compresslevel=6) as tar:
        tar.add(BUNDLE, arcname="perceptron-studio")
    archive_seconds = time.perf_counter() - start_archive
    internal = BUNDLE / "_internal"
    parts = sorted(((size(p) if p.is_dir() else p.stat().st_size, p.name) for p in internal.iterdir()),
                   reverse=True)[:8] if internal.is_dir() else []
    built = f"build: {build_seconds:.0f} s; " if build_seconds is not None else ""
    print(f"{built}bundle: {size(BUNDLE) / 2**20:.0f} MiB in {BUNDLE} ({unstripped / 2**20:.0f} MiB before "
          f"stripping, {saved / 2**20:.0f} MiB saved)")
    print(f"archive: {archive.stat().st_size / 2**20:.0f} MiB ({archive.name}, {archive_seconds:.0f} s)")
    print("largest parts: " + ", ".join(f"{name} {n / 2**20:.0f} MiB" for n, name in parts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
