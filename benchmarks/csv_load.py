"""A 1,000,000 x 20 numeric CSV to training-ready float32 arrays, against bare pandas.

Targets: time within 1.2x of a bare ``pandas.read_csv`` of the same file;
peak memory within 2.5x of the final arrays. Each measurement runs in its
own process so that peak memory (ru_maxrss) is its own; the two alternate,
and the time ratio is the median of the ratios of each alternating pair (so a
busy spell on a shared machine spoils one pair, not the comparison). CPU
seconds are reported too: on a two-core machine the studio reads large
unquoted files as two ranges at once, so its wall time only beats its CPU
time where a second core is free.

    .venv/bin/python benchmarks/csv_load.py [--rows N] [--runs N]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

CHILD = r"""
import json, resource, sys, time
import numpy as np, pandas as pd
from studio.data.csv_file import load_csv
from studio.data.tabular import TabularOptions, prepare
path, mode = sys.argv[1], sys.argv[2]
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
start, cpu = time.perf_counter(), time.process_time()
if mode == "pandas":
    frame = pd.read_csv(path)
    arrays = frame.memory_usage(index=False).sum()
else:
    data = prepare(load_csv(path).frame, TabularOptions("c19", validation=0.1, test=0.1))
    arrays = sum(a.nbytes for s in (data.train, data.validation, data.test) for a in (s.x, s.y))
elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - base
print(json.dumps({"seconds": elapsed, "cpu": cpu, "peak": peak, "arrays": int(arrays)}))
"""


def write_csv(path: Path, rows: int) -> None:
    rng = np.random.default_rng(0)
    with open(path, "w") as f:
        f.write(",".join(f"c{i}" for i in range(20)) + "\n")
        for start in range(0, rows, 100_000):
            block = rng.normal(size=(min(100_000, rows - start), 20)).round(6)
            np.savetxt(f, block, delimiter=",", fmt="%.6f")


def run(path: Path, mode: str) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, str(path), mode], capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5, help="alternating pairs (default 5)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "numbers.csv"
        write_csv(path, args.rows)
        print(f"{args.rows:,} x 20 CSV, {path.stat().st_size / 1e6:.0f} MB; Python {platform.python_version()}, "
              f"{platform.machine()}, {os.cpu_count()} cores")
        results = {"pandas": [], "studio": []}
        for _ in range(args.runs):
            for mode in results:
                results[mode].append(run(path, mode))
    med = {mode: {k: statistics.median(r[k] for r in runs) for k in runs[0]} for mode, runs in results.items()}
    pandas, studio = med["pandas"], med["studio"]
    ratios = [s["seconds"] / p["seconds"] for p, s in zip(results["pandas"], results["studio"])]
    cpu_ratios = [s["cpu"] / p["cpu"] for p, s in zip(results["pandas"], results["studio"])]
    print(f"bare pandas.read_csv : {pandas['seconds']:.2f} s ({pandas['cpu']:.2f} s CPU), "
          f"peak {pandas['peak'] / 1e6:.0f} MB")
    print(f"studio load+prepare  : {studio['seconds']:.2f} s ({studio['cpu']:.2f} s CPU), "
          f"peak {studio['peak'] / 1e6:.0f} MB, arrays {studio['arrays'] / 1e6:.0f} MB")
    print(f"pair ratios {', '.join(f'{r:.2f}' for r in ratios)}")
    print(f"time ratio {statistics.median(ratios):.2f} (median of {len(ratios)} pairs; target <= 1.2); "
          f"CPU ratio {statistics.median(cpu_ratios):.2f}; "
          f"peak / arrays {studio['peak'] / studio['arrays']:.2f} (target <= 2.5)")


if __name__ == "__main__":
    main()
