"""Feed damaged copies of a real .h5 model through the studio's import path and count what happens.

Every copy must either open (the same model) or be refused with a message;
the studio's process must never die or hang. Prints the outcome counts by
kind of damage, how many copies crashed or hung the loader child (which is
then replaced), and the time per file.

    .venv/bin/python benchmarks/corrupt_models.py [--copies 1000] [--seed 7]
"""

from __future__ import annotations

import argparse
import collections
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import numpy as np  # noqa: E402

from studio.core.keras_bridge import build_model  # noqa: E402
from studio.core.project import load_project  # noqa: E402
from studio.training.model_files import ModelFileError, save_model  # noqa: E402
from studio.training.safe_load import open_untrusted  # noqa: E402
from training.corrupt import corrupt  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="studio-corrupt-"))
    project = load_project(ROOT / "resources" / "examples" / "wide_deep.studio.json")
    original = folder / "wide_deep.h5"
    save_model(build_model(project.graph), original, {"graph": project.graph.to_dict()})
    data = original.read_bytes()
    expected = build_model(project.graph).count_params()
    rng = np.random.default_rng(args.seed)
    table = collections.defaultdict(collections.Counter)
    wrong, fatal = 0, 0
    start = time.perf_counter()
    for i in range(args.copies):
        damaged, kind = corrupt(data, rng)
        path = folder / f"damaged-{i}.h5"
        path.write_bytes(damaged)
        try:
            model, _ = open_untrusted(path, timeout=60)
            table[kind]["opened"] += 1
            wrong += model.count_params() != expected
        except ModelFileError as exc:
            text = str(exc)
            outcome = ("child crashed" if "crashed the loader" in text else "child hung" if "did not finish" in text
                       else "refused")
            table[kind][outcome] += 1
        except Exception as exc:  # must never happen: counted and named
            fatal += 1
            table[kind][f"unexpected {type(exc).__name__}"] += 1
        path.unlink()
        if (i + 1) % 100 == 0:  # partial results survive an interrupted run
            totals = collections.Counter()
            for counts in table.values():
                totals.update(counts)
            print(f"{i + 1} files, {time.perf_counter() - start:.0f} s: {dict(totals)}", flush=True)
    elapsed = time.perf_counter() - start
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"{args.copies} damaged copies of a {len(data):,}-byte .h5 in {elapsed:.0f} s "
          f"({1000 * elapsed / args.copies:.0f} ms per file)")
    outcomes = sorted({o for counts in table.values() for o in counts})
    print("| damage | " + " | ".join(outcomes) + " |")
    print("| --- |" + " --- |" * len(outcomes))
    for kind in sorted(table):
        print(f"| {kind} | " + " | ".join(str(table[kind][o]) for o in outcomes) + " |")
    totals = collections.Counter()
    for counts in table.values():
        totals.update(counts)
    print("| all | " + " | ".join(str(totals[o]) for o in outcomes) + " |")
    print(f"opened as a different model: {wrong}; unexpected errors: {fatal}")


if __name__ == "__main__":
    main()
