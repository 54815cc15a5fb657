"""Build the one-folder application with PyInstaller, add the desktop file and icon, make a .tar.gz.

    .venv/bin/python packaging/build.py        (what `make package` runs)

Prints the build time, the bundle's size (and its largest parts) and the
archive's size, for docs/benchmarks.md. Output: dist/perceptron-studio/ and
dist/perceptron-studio-<version>-<platform>.tar.gz.
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


def size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from studio import __version__
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
                           "--distpath", str(DIST), "--workpath", str(ROOT / "build" / "pyinstaller"),
                           str(ROOT / "packaging" / "perceptron-studio.spec")], cwd=ROOT)
    if done.returncode != 0:
        print(f"PyInstaller failed (exit code {done.returncode})", file=sys.stderr)
        return done.returncode
    build_seconds = time.perf_counter() - start
    share = BUNDLE / "share"
    (share / "applications").mkdir(parents=True, exist_ok=True)
    (share / "icons").mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "packaging" / "perceptron-studio.desktop", share / "applications")
    shutil.copy(ROOT / "resources" / "icons" / "perceptron-studio.png", share / "icons")
    archive = DIST / f"perceptron-studio-{__version__}-{platform.system().lower()}-{platform.machine()}.tar.gz"
    start_archive = time.perf_counter()
    with tarfile.open(archive, "w:gz", compresslevel=6) as tar:
        tar.add(BUNDLE, arcname="perceptron-studio")
    archive_seconds = time.perf_counter() - start_archive
    internal = BUNDLE / "_internal"
    parts = sorted(((size(p) if p.is_dir() else p.stat().st_size, p.name) for p in internal.iterdir()),
                   reverse=True)[:8] if internal.is_dir() else []
    print(f"build: {build_seconds:.0f} s; bundle: {size(BUNDLE) / 2**20:.0f} MiB in {BUNDLE}")
    print(f"archive: {archive.stat().st_size / 2**20:.0f} MiB ({archive.name}, {archive_seconds:.0f} s)")
    print("largest parts: " + ", ".join(f"{name} {n / 2**20:.0f} MiB" for n, name in parts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
