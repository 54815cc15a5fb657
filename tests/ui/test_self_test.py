"""`studio --self-test` runs the whole flow in a fresh process and says so."""

import os
import subprocess
import sys


def test_self_test_passes_offscreen():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-m", "studio", "--self-test"], capture_output=True, text=True,
                            env=env, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = [line for line in result.stdout.splitlines() if line.startswith(("ok", "FAIL"))]
    assert len(lines) == 4 and all(line.startswith("ok") for line in lines)
    assert result.stdout.strip().endswith("self-test passed")
