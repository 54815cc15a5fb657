"""A trained model exported for deployment, and checked: written, loaded back in its own runtime, compared.

Formats: ``h5`` and ``keras`` (the studio's own model files), ``savedmodel``
(a TensorFlow SavedModel folder, Keras' ``model.export(format="tf_saved_model")``),
``tflite`` (a TensorFlow Lite / LiteRT flat buffer converted from that
SavedModel) and ``onnx`` (converted by tf2onnx from the SavedModel's frozen
serving function; Keras' own ``model.export(format="onnx")`` turns the
constants of a Normalization layer, which every CSV project has, into extra
inputs, so it is not used). ONNX needs the optional ``deploy`` extra
(``pip install perceptron-studio[deploy]``: onnx, onnxruntime, tf2onnx).

Every export is composed under a temporary name beside its target and checked
there: it is loaded in its own runtime (Keras, ``tf.saved_model.load``, the
TFLite interpreter, onnxruntime), fed up to ``ROWS`` rows of real input by
input name, and every output is compared with Keras' own predictions. Only an
export within ``TOLERANCE`` (see ``allowed_difference``) is renamed into place (a SavedModel folder in one
step), so a failed check never replaces an earlier export. The check is
recorded beside it, ``PATH.verify.json`` (``{"format", "version", "check"}``), and returned as ``DeployResult``.

Nothing here imports Qt; TensorFlow is imported when an export runs. The UI
runs ``export_model`` in a background task: ``progress(fraction, message)`` is
called between the steps and ``cancelled()`` is polled there (it raises
``studio.data.errors.Cancelled``).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from studio.core.errors import UserError
from studio.core.files import atomic_write, atomic_write_text, replace_folder, staging_folder
from studio.data.errors import Cancelled

FORMATS = ("h5", "keras", "savedmodel", "tflite", "onnx")
#: The file name ending each format is given where the user named none.
SUFFIXES = {"h5": ".h5", "keras": ".keras", "savedmodel": "", "tflite": ".tflite", "onnx": ".onnx"}
ROWS = 100  # rows compared at most
# The largest difference allowed for float32 outputs: 1e-4 for outputs within [-1, 1] (probabilities, scaled
# values); for larger ones 1e-4 of the output's largest magnitude, since float32 itself holds a value near 1000
# only to about 6e-5 (an mpg regression checked on random inputs differs by 2.4e-4 in TFLite, at values of ~3000).
TOLERANCE = 1e-4
RANDOM_SEED = 0
RECORD_SUFFIX = ".verify.json"
RECORD_FORMAT = "perceptron-studio/deploy-verification"
ONNX_OPSET = 17
DEPLOY_PACKAGES = "onnx, onnxruntime and tf2onnx"

Progress = Callable[[float, str], None]


class DeployError(UserError):
    """An export that cannot be written, or whose check failed; the message says why, in one line."""


class FormatUnavailable(DeployError):
    """The format cannot be written here (a package missing) or cannot represent this model."""


@dataclass
class DeployResult:
    """What the check of one export found; shown to the user and written to ``PATH.verify.json``."""

    format: str
    path: str
    max_abs_difference: float
    rows: int
    runtime: str
    rows_from: str  # "the project's test split", "random inputs (seed 0)", "the given rows"
    tolerance: float = TOLERANCE
    outputs: dict[str, float] = field(default_factory=dict)  # the largest difference of each output
    allowed: dict[str, float] = field(default_factory=dict)  # what each output may differ by
    inputs: list[str] = field(default_factory=list)  # the names the export's inputs are fed by

    @property
    def passed(self) -> bool:
        return all(self.outputs[name] <= self.allowed.get(name, self.tolerance) for name in self.outputs)

    def to_dict(self) -> dict:
        return {**asdict(self), "passed": self.passed}

    def summary(self) -> str:
        return (f"{self.format}: {self.path} checked with {self.runtime} on {self.rows} rows of {self.rows_from}; "
                f"largest difference from Keras {self.max_abs_difference:.3g} (allowed {max(self.allowed.values()):.3g})")


def format_of(path: str | os.PathLike) -> str:
    """The format a path's ending names (``model.onnx``: onnx); a name without one of the endings is a
    SavedModel folder."""
    ending = Path(path).suffix.lower()
    return next((fmt for fmt, suffix in SUFFIXES.items() if suffix and suffix == ending), "savedmodel")


def record_path(path: str | os.PathLike) -> Path:
    """Where the check of the export at ``path`` is recorded."""
    path = Path(path)
    return path.with_name(path.name + RECORD_SUFFIX)


# -- the rows compared ------------------------------------------------------------------------

def input_names(model) -> list[str]:
    return [_tensor_name(t) for t in model.inputs]


def output_names(model) -> list[str]:
    names = getattr(model, "output_names", None)
    if names and len(names) == len(model.outputs):
        return list(names)
    return [_tensor_name(t) for t in model.outputs]


def _tensor_name(tensor) -> str:
    history = getattr(tensor, "_keras_history", None)
    if history is not None:
        return history.operation.name
    return tensor.name.split(":")[0]


def random_rows(model, rows: int = ROWS, seed: int = RANDOM_SEED) -> dict[str, np.ndarray]:
    """Inputs of the model's shapes (standard normal, float32), the same for the same seed."""
    rng = np.random.default_rng(seed)
    out = {}
    for name, tensor in zip(input_names(model), model.inputs):
        shape = tuple(1 if d is None else int(d) for d in tensor.shape[1:])
        out[name] = rng.standard_normal((rows, *shape)).astype(_dtype(tensor))
    return out


def project_rows(project, model, rows: int = ROWS) -> dict[str, np.ndarray]:
    """The first ``rows`` rows of the project's test split (its validation split where it has no test rows)."""
    from studio.training.data_source import load_training_data

    data = load_training_data(project)
    x = data.x_test
    if _length(x) == 0:
        x = data.x_val
    if _length(x) == 0:
        x = data.x_train
    return _by_name(model, x, rows)


def verification_rows(model, project=None, rows: int = ROWS, seed: int = RANDOM_SEED):
    """(inputs by name, where they came from): the project's test rows when a project is known, else random."""
    if project is not None:
        return project_rows(project, model, rows), "the project's test split"
    return random_rows(model, rows, seed), f"random inputs (seed {seed})"


def _length(x) -> int:
    if isinstance(x, dict):
        x = next(iter(x.values()), None)
    return 0 if x is None else len(x)


def _by_name(model, x, rows: int = ROWS) -> dict[str, np.ndarray]:
    names = input_names(model)
    if isinstance(x, dict):
        missing = [n for n in names if n not in x]
        if missing:
            raise DeployError(f"the rows have no values for input {', '.join(map(repr, missing))}")
        arrays = [x[n] for n in names]
    elif isinstance(x, (list, tuple)):
        arrays = list(x)
    else:
        arrays = [x]
    if len(arrays) != len(names):
        raise DeployError(f"the model has {len(names)} inputs but {len(arrays)} arrays of rows were given")
    out = {}
    for name, tensor, array in zip(names, model.inputs, arrays):
        array = np.asarray(array)[:rows]
        expected = tuple(tensor.shape[1:])
        if len(array.shape) - 1 == len(expected) and all(e is None or e == a for e, a in zip(expected, array.shape[1:])):
            out[name] = array.astype(_dtype(tensor), copy=False)
        elif all(e is not None for e in expected) and int(np.prod(expected)) == int(np.prod(array.shape[1:])):
            out[name] = array.reshape((len(array), *expected)).astype(_dtype(tensor), copy=False)
        else:
            raise DeployError(f"input {name!r} takes rows of shape {expected}, not {array.shape[1:]}")
    if not out or min(len(a) for a in out.values()) == 0:
        raise DeployError("there are no rows to check the export with")
    return out


def _dtype(tensor) -> str:
    dtype = getattr(tensor, "dtype", "float32")
    return getattr(dtype, "name", None) or str(dtype)


# -- the export -------------------------------------------------------------------------------

def export_model(model, fmt: str, path: str | os.PathLike, verify_rows=None, *, rows_from: str | None = None,
                 progress: Progress | None = None, cancelled: Callable[[], bool] | None = None,
                 metadata: dict | None = None) -> DeployResult:
    """Write ``model`` as ``fmt`` at ``path``, check it against Keras and record the check; returns it.

    ``verify_rows``: the inputs to compare on (an array, a list of arrays or a
    dict by input name; the first ``ROWS`` rows are used), or None for random
    inputs of the model's shapes with a fixed seed (``verification_rows`` gives
    a project's test rows). ``metadata`` goes into an .h5 or .keras file as
    ``save_model`` writes it. Raises ``FormatUnavailable`` where the format
    cannot be written here or cannot hold the model, ``DeployError`` where the
    check fails (nothing is then put at ``path``), ``Cancelled`` when
    ``cancelled()`` says so between the steps.
    """
    if fmt not in FORMATS:
        raise DeployError(f"unknown export format {fmt!r}; expected {', '.join(FORMATS)}")
    path = Path(path)
    report = _Steps(progress, cancelled)
    if verify_rows is None:
        x, rows_from = random_rows(model), rows_from or f"random inputs (seed {RANDOM_SEED})"
    else:
        x, rows_from = _by_name(model, verify_rows), rows_from or "the given rows"
    if fmt == "onnx":
        _require_onnx()
    if path.is_dir() and fmt != "savedmodel":
        raise DeployError(f"{path}: is a folder; a .{fmt} export is one file")
    if path.exists() and not path.is_dir() and fmt == "savedmodel":
        raise DeployError(f"{path}: is a file; a SavedModel is a folder")
    if not path.parent.is_dir():
        raise DeployError(f"{path.parent}: there is no such folder")
    report(0.05, "predicting with Keras")
    expected = _keras_outputs(model, x)
    writer = {"h5": _write_model_file, "keras": _write_model_file, "savedmodel": None,
              "tflite": _write_tflite, "onnx": _write_onnx}[fmt]
    try:
        if fmt == "savedmodel":
            result = _export_savedmodel(model, path, x, expected, report)
        else:
            box = {}

            def write(temp: str) -> None:
                report(0.2, f"writing {fmt}")
                writer(model, Path(temp), fmt, metadata)
                report(0.7, "loading the export back and comparing")
                box["found"] = _check(fmt, Path(temp), model, x, expected)
            atomic_write(path, write, suffix=SUFFIXES[fmt])
            result = box["found"]
    except (Cancelled, UserError):
        raise
    except OSError as exc:
        raise DeployError(f"{path}: cannot write the {fmt} export ({exc.strerror or exc})") from None
    except Exception as exc:  # a converter's failure: the format cannot hold this model
        raise FormatUnavailable(f"{path}: the model cannot be exported as {fmt} ({_first_line(exc)})") from None
    runtime, differences, allowed = result
    found = DeployResult(fmt, str(path), max(differences.values()), _length(x), runtime, rows_from,
                         outputs=differences, allowed=allowed, inputs=list(x))
    report(0.95, "recording the check")
    atomic_write_text(record_path(path), json.dumps({"format": RECORD_FORMAT, "version": 1, "check": found.to_dict()},
                                                    indent=1) + "\n")
    report(1.0, "done")
    return found


def export_current_model(project, fmt: str, path: str | os.PathLike, *, progress: Progress | None = None,
                         cancelled: Callable[[], bool] | None = None) -> DeployResult:
    """Export the project's current trained model (``studio.training.current_model``), checked on its test rows.

    The one call for a background task: the model file is opened as an untrusted one
    (``studio.training.safe_load.open_untrusted``, which ``cancelled()`` can stop), then ``export_model``.
    Where the project's data cannot be read any more, the check uses random inputs and says so in the result.
    """
    from studio.training.current_model import model_file
    from studio.training.safe_load import open_untrusted

    if fmt not in FORMATS:
        raise DeployError(f"unknown export format {fmt!r}; expected {', '.join(FORMATS)}")
    source = model_file(project)
    if source is None:
        where = f"{project.path}: " if getattr(project, "path", None) else ""
        raise DeployError(f"{where}the project has no trained model yet; train it first")
    steps = _Steps(progress, cancelled)
    steps(0.0, "opening the trained model")
    model, metadata = open_untrusted(source, cancelled=cancelled)
    steps(0.02, "reading the project's test rows")
    try:
        rows, rows_from = verification_rows(model, project)
    except UserError as exc:
        rows, rows_from = None, f"random inputs (seed {RANDOM_SEED}), as the project's data cannot be read: {exc}"
    return export_model(model, fmt, path, rows, rows_from=rows_from, progress=progress, cancelled=cancelled,
                        metadata=metadata)


class _Steps:
    def __init__(self, progress, cancelled):
        self.progress, self.cancelled = progress, cancelled

    def __call__(self, fraction: float, message: str) -> None:
        if self.cancelled is not None and self.cancelled():
            raise Cancelled()
        if self.progress is not None:
            self.progress(fraction, message)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:300]


def _require_onnx() -> None:
    try:
        import onnx  # noqa: F401
        import onnxruntime  # noqa: F401
        import tf2onnx  # noqa: F401
    except Exception as exc:  # ImportError, or a package built for another protobuf or numpy
        raise FormatUnavailable(f"ONNX export needs {DEPLOY_PACKAGES} (pip install 'perceptron-studio[deploy]'); "
                                f"{_first_line(exc)}") from None


def _keras_outputs(model, x: dict) -> list[np.ndarray]:
    out = model.predict(x if len(x) > 1 else next(iter(x.values())), verbose=0)
    if isinstance(out, dict):
        out = [out[name] for name in output_names(model)]
    elif not isinstance(out, (list, tuple)):
        out = [out]
    return [np.asarray(o) for o in out]


def allowed_difference(expected: np.ndarray) -> float:
    """What an output may differ from Keras' by: TOLERANCE, times its largest magnitude where that is above 1."""
    largest = float(np.nanmax(np.abs(expected))) if expected.size else 0.0
    return TOLERANCE * max(1.0, largest if np.isfinite(largest) else 1.0)


def _compare(model, expected: list[np.ndarray], found: list):
    differences, allowed = {}, {}
    for name, want, got in zip(output_names(model), expected, found):
        got = np.asarray(got)
        if got.shape != want.shape:
            raise DeployError(f"output {name!r} of the export has shape {got.shape}, Keras gives {want.shape}")
        diff = np.abs(got.astype(np.float64) - want.astype(np.float64))
        differences[name] = float(np.nanmax(diff)) if diff.size else 0.0
        if np.isnan(diff).any():
            differences[name] = float("inf")
        allowed[name] = allowed_difference(want)
    return differences, allowed


def _check(fmt: str, path: Path, model, x: dict, expected: list[np.ndarray]):
    """(runtime, largest difference per output) of the export at ``path``; raises DeployError past TOLERANCE."""
    runtime, found = {"h5": _run_keras, "keras": _run_keras, "savedmodel": _run_savedmodel,
                      "tflite": _run_tflite, "onnx": _run_onnx}[fmt](path, model, x)
    if len(found) != len(expected):
        raise DeployError(f"the {fmt} export has {len(found)} outputs, the model {len(expected)}")
    differences, allowed = _compare(model, expected, found)
    worst = max(differences, key=lambda name: differences[name] / allowed[name])
    if not differences[worst] <= allowed[worst]:
        raise DeployError(f"the {fmt} export differs from Keras by {differences[worst]:.3g} on output {worst!r} "
                          f"(allowed {allowed[worst]:.3g}); it was not written")
    return runtime, differences, allowed


# -- h5 / keras -------------------------------------------------------------------------------

def _write_model_file(model, temp: Path, fmt: str, metadata: dict | None) -> None:
    from studio.training.model_files import save_model
    save_model(model, temp, metadata)


def _run_keras(path: Path, model, x: dict):
    import keras

    from studio.training.model_files import load_model
    loaded, _ = load_model(path)
    return f"Keras {keras.__version__}", _keras_outputs(loaded, x)


# -- SavedModel -------------------------------------------------------------------------------

def _write_savedmodel(model, folder: Path) -> None:
    model.export(str(folder), format="tf_saved_model", verbose=False)


def _export_savedmodel(model, path: Path, x, expected, report):
    staged = staging_folder(path)
    try:
        report(0.2, "writing the SavedModel")
        _write_savedmodel(model, staged)
        report(0.7, "loading the export back and comparing")
        result = _check("savedmodel", staged, model, x, expected)
        replace_folder(staged, path)
        return result
    finally:
        shutil.rmtree(staged, ignore_errors=True)


def _serving_outputs(structured: dict, count: int) -> list[str]:
    """The serving function's output keys in the model's output order: Keras names them output_0, output_1, ..."""
    keys = list(structured)
    if len(keys) == count and all(f"output_{i}" in structured for i in range(count)):
        return [f"output_{i}" for i in range(count)]
    return sorted(keys)


def _run_savedmodel(path: Path, model, x: dict):
    import tensorflow as tf

    loaded = tf.saved_model.load(str(path))
    serve = loaded.signatures.get("serve") or loaded.signatures["serving_default"]
    out = serve(**{name: tf.constant(value) for name, value in x.items()})
    keys = _serving_outputs(out, len(model.outputs))
    return f"TensorFlow {tf.__version__} SavedModel", [out[k].numpy() for k in keys]


# -- TFLite -----------------------------------------------------------------------------------

def _write_tflite(model, temp: Path, fmt: str, metadata) -> None:
    import tensorflow as tf

    folder = Path(tempfile.mkdtemp(prefix="studio-tflite-"))
    try:
        _write_savedmodel(model, folder / "model")
        converter = tf.lite.TFLiteConverter.from_saved_model(str(folder / "model"))
        temp.write_bytes(converter.convert())
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _interpreter(path: Path):
    try:
        from ai_edge_litert.interpreter import Interpreter
        import ai_edge_litert
        name = f"LiteRT {getattr(ai_edge_litert, '__version__', '')}".strip()  # TensorFlow's own is deprecated
    except ImportError:
        import warnings

        import tensorflow as tf
        with warnings.catch_warnings():  # "tf.lite.Interpreter is deprecated": LiteRT is used where installed
            warnings.simplefilter("ignore")
            return tf.lite.Interpreter(model_path=str(path)), f"TensorFlow Lite {tf.__version__}"
    return Interpreter(model_path=str(path)), name


def _run_tflite(path: Path, model, x: dict):
    interpreter, runtime = _interpreter(path)
    runner = interpreter.get_signature_runner()
    wanted = runner.get_input_details()
    missing = [n for n in wanted if n not in x]
    if missing:
        raise DeployError(f"the TFLite export takes inputs {sorted(wanted)}, the model {sorted(x)}")
    out = runner(**{name: x[name] for name in wanted})
    keys = _serving_outputs(out, len(model.outputs))
    return runtime, [out[k] for k in keys]


# -- ONNX -------------------------------------------------------------------------------------

def _write_onnx(model, temp: Path, fmt: str, metadata) -> None:
    import tensorflow as tf
    import tf2onnx
    from tensorflow.python.framework.convert_to_constants import convert_variables_to_constants_v2

    folder = Path(tempfile.mkdtemp(prefix="studio-onnx-"))
    try:
        _write_savedmodel(model, folder / "model")
        loaded = tf.saved_model.load(str(folder / "model"))
        serve = loaded.signatures.get("serve") or loaded.signatures["serving_default"]
        frozen = convert_variables_to_constants_v2(serve)
        # the frozen function's inputs and outputs follow the signature's keys, sorted (tf.nest's order)
        in_keys = sorted(serve.structured_input_signature[1])
        out_keys = sorted(serve.structured_outputs)
        order = _serving_outputs(serve.structured_outputs, len(model.outputs))
        names = dict(zip(order, output_names(model)))
        tf_in = [t.name for t in frozen.inputs if t.dtype != tf.resource]
        tf_out = [t.name for t in frozen.outputs]
        proto, _ = tf2onnx.convert.from_graph_def(frozen.graph.as_graph_def(), input_names=tf_in,
                                                  output_names=tf_out, opset=ONNX_OPSET)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    rename = {t: t.split(":")[0] if t.split(":")[0] in in_keys else k for t, k in zip(tf_in, in_keys)}
    rename.update((t, names[k]) for t, k in zip(tf_out, out_keys))
    _rename(proto, rename)
    proto.graph.output.sort(key=lambda o: output_names(model).index(o.name))
    import onnx
    onnx.save_model(proto, str(temp))


def _rename(proto, rename: dict[str, str]) -> None:
    """Give the ONNX graph's inputs and outputs the Keras model's names (tf2onnx keeps TensorFlow's "x:0")."""
    graph = proto.graph
    for value in list(graph.input) + list(graph.output):
        value.name = rename.get(value.name, value.name)
    for node in graph.node:
        node.input[:] = [rename.get(n, n) for n in node.input]
        node.output[:] = [rename.get(n, n) for n in node.output]


def _run_onnx(path: Path, model, x: dict):
    import onnxruntime as ort

    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    wanted = [i.name for i in session.get_inputs()]
    missing = [n for n in wanted if n not in x]
    if missing:
        raise DeployError(f"the ONNX export takes inputs {wanted}, the model {sorted(x)}")
    names = [o.name for o in session.get_outputs()]
    out = dict(zip(names, session.run(names, {n: x[n] for n in wanted})))
    order = [n for n in output_names(model) if n in out] or names
    return f"onnxruntime {ort.__version__}", [out[n] for n in order]


def result_json(result: DeployResult) -> str:
    """The one-line JSON summary the command line prints last."""
    return json.dumps(result.to_dict())


__all__ = ["DEPLOY_PACKAGES", "FORMATS", "ROWS", "SUFFIXES", "TOLERANCE", "DeployError", "DeployResult",
           "FormatUnavailable", "allowed_difference", "export_current_model", "export_model", "project_rows", "random_rows", "record_path", "result_json",
           "verification_rows"]

