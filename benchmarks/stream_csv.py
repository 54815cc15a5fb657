"""One epoch of a small MLP on CSV files larger than the memory allowed, streamed from disk.

Targets (issue 18): a CSV of at least 2 GB trains one epoch with a peak memory
(ru_maxrss of the process: Python, TensorFlow and the data) under 1.5 GB, and
the peak does not grow with the file's size. Each size trains in its own
process with a forced memory limit of 64 MB, so the in-memory path refuses it
and the streaming path takes it (``--memory-limit-mb``); the files (20 numeric columns, the last a
regression target) are written to a temporary folder and deleted afterwards.

So that writing a 2 GB file takes seconds rather than minutes, the file cycles
through 4 blocks of 65,536 random rows; the reader does not know or care.

    .venv/bin/python benchmarks/stream_csv.py [--sizes-mb 1000 2100] [--batch-size 4096]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

CHILD = r"""
import json, resource, sys, time
from studio.core.graph import Graph
from studio.core.project import Project
from studio.training.data_source import load_training_data
from studio.training.engine import TrainingJob
path, batch, limit = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
g = Graph("stream")
i = g.add_node("Input", {"shape": [19]})
h = g.add_node("Dense", {"units": 32, "activation": "relu"})
o = g.add_node("Dense", {"units": 1})
g.connect(i, h)
g.connect(h, o)
g.set_output(o)
project = Project(g, {"source": "csv", "path": path, "target": "c19"},
                  {"loss": "mse", "optimizer": {"class_name": "Adam", "config": {"learning_rate": 0.001}},
                   "epochs": 1, "batch_size": batch, "seed": 1})
start = time.perf_counter()
data = load_training_data(project, memory_limit=limit)
scanned = time.perf_counter()
assert data.stream is not None, "the file was loaded, not streamed"
job = TrainingJob(project, data=data)
result = job.train(1)
trained = time.perf_counter()
test = job.evaluate()
done = time.perf_counter()
print(json.dumps({"rows": data.rows, "scan_s": scanned - start, "epoch_s": trained - scanned,
                  "evaluate_s": done - trained, "loss": job.history.get("loss", [None])[-1],
                  "test_loss": test.get("loss"), "reason": result.reason,
                  "peak_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}))
"""

BLOCK_ROWS = 65_536


def write_csv(path: Path, megabytes: float) -> int:
    """A numeric CSV of about ``megabytes`` MB; the rows it holds."""
    rng = np.random.default_rng(0)
    blocks = []
    for _ in range(4):
        x = rng.normal(size=(BLOCK_ROWS, 19))
        y = x[:, :3].sum(axis=1) + 0.1 * rng.normal(size=BLOCK_ROWS)
        frame = pd.DataFrame(np.column_stack([x, y]), columns=[f"c{i}" for i in range(20)])
        blocks.append(frame.to_csv(index=False, header=False, float_format="%.5f").encode())
    target, rows = int(megabytes * 1e6), 0
    with open(path, "wb") as f:
        f.write((",".join(f"c{i}" for i in range(20)) + "\n").encode())
        while f.tell() < target:
            f.write(blocks[(rows // BLOCK_ROWS) % len(blocks)])
            rows += BLOCK_ROWS
    return rows


def run(path: Path, batch: int, limit: int) -> dict:
    env = dict(os.environ, CUDA_VISIBLE_DEVICES=os.environ.get("CUDA_VISIBLE_DEVICES", ""),
               TF_CPP_MIN_LOG_LEVEL="2")
    out = subprocess.run([sys.executable, "-c", CHILD, str(path), str(batch), str(limit)], capture_output=True, text=True,
                         env=env)
    if out.returncode:
        raise SystemExit(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes-mb", type=float, nargs="+", default=[1000, 2100])
    parser.add_argument("--batch-size", type=int, default=4096)
    parser.add_argument("--memory-limit-mb", type=int, default=64, help="the limit forced on the load")
    parser.add_argument("--folder", default=None, help="where the files are written (default: a temp folder)")
    args = parser.parse_args()
    print(f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} cores; "
          f"batch {args.batch_size}, memory limit forced to {args.memory_limit_mb} MB")
    with tempfile.TemporaryDirectory(dir=args.folder) as folder:
        for megabytes in args.sizes_mb:
            path = Path(folder) / f"numbers_{int(megabytes)}.csv"
            started = time.perf_counter()
            rows = write_csv(path, megabytes)
            size, written = path.stat().st_size, time.perf_counter() - started
            r = run(path, args.batch_size, args.memory_limit_mb * 1024 ** 2)
            path.unlink()
            print(f"{size / 1e9:.2f} GB, {rows:,} rows: peak RSS {r['peak_rss'] / 1e9:.2f} GB; scan {r['scan_s']:.0f} s, "
                  f"epoch {r['epoch_s']:.0f} s, evaluate {r['evaluate_s']:.0f} s; loss {r['loss']:.3f}, "
                  f"test loss {r['test_loss']:.3f} ({r['reason']}); file written in {written:.0f} s", flush=True)


if __name__ == "__main__":
    main()
