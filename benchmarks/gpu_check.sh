#!/usr/bin/env bash
# A prepared check for a machine with a GPU, at most about 5 minutes: is the GPU found, and how long does one
# MNIST epoch of the example take on it against this machine's CPU (the same engine, the same seed)?
# Record the output in docs/benchmarks.md ("GPU check") with the machine.
#
#   benchmarks/gpu_check.sh            # uses .venv (make .venv/.installed first)
#   PY=/path/to/python benchmarks/gpu_check.sh
#
# TensorFlow finds an NVIDIA GPU only with its CUDA libraries: pip install 'tensorflow[and-cuda]' in the
# environment (the studio's own requirements install the CPU build's dependencies only).
set -uo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}" TF_CPP_MIN_LOG_LEVEL=2
limit() { timeout --kill-after=10 "$@"; }

echo "== machine"
uname -srm; nproc; command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,memory.total,driver_version \
    --format=csv,noheader || echo "nvidia-smi: not found"
limit 60 "$PY" -c 'import tensorflow as tf; print("TensorFlow", tf.__version__, "built with CUDA:",
tf.test.is_built_with_cuda(), "GPUs:", tf.config.list_physical_devices("GPU"))' || { echo "TensorFlow did not start"; exit 2; }

echo "== one epoch on the GPU"
gpu=$(limit 150 "$PY" benchmarks/device_epoch.py | tail -1)
echo "$gpu"
echo "== one epoch on the CPU"
cpu=$(CUDA_VISIBLE_DEVICES="" limit 150 "$PY" benchmarks/device_epoch.py | tail -1)
echo "$cpu"

"$PY" - "$gpu" "$cpu" <<'PYEOF'
import json, sys
try:
    gpu, cpu = (json.loads(text) for text in sys.argv[1:3])
except ValueError:
    sys.exit("a run did not finish; see its output above")
if not gpu["gpus"]:
    sys.exit("no GPU was found by TensorFlow: the epoch ran on the CPU both times")
print(f"== {gpu['device']}: {gpu['epoch_seconds']:.2f} s per epoch against {cpu['epoch_seconds']:.2f} s on the CPU: "
      f"{cpu['epoch_seconds'] / gpu['epoch_seconds']:.2f}x; test accuracy {gpu['test_accuracy']} / {cpu['test_accuracy']}")
PYEOF
