"""The prediction library loads neither Qt nor TensorFlow on import: a window can use it before Keras loads."""

import subprocess
import sys


def test_importing_the_prediction_modules_loads_no_qt_and_no_tensorflow():
    code = ("import sys, studio.prediction.model_source, studio.prediction.tabular, studio.prediction.images, "
            "studio.cli.predict; print('\\n'.join(sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert not {m for m in out if m.split(".")[0] in {"tensorflow", "keras", "PySide6", "shiboken6", "PIL"}}
