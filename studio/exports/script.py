"""A project as a standalone Python script: ``build_model()``, the same data, compile and fit.

The script needs only Keras, NumPy and pandas. Its ``build_model()`` comes from
``studio.core.codegen`` in the chosen API style; its ``load_data()`` reads the
project's data source the way the studio does (same columns, encoding, class
order, missing-value policy and seeded split), with the learned feature
scaling already in the model's Normalization layers. Everything that runs
is in ``main()``, called only under ``if __name__ == "__main__":``, so
importing the script only defines things (and a test or a notebook can call
``main(["--epochs", "1"])``).
"""

from __future__ import annotations

import inspect
import textwrap
from pathlib import Path

from studio import __version__
from studio.core import registries
from studio.core.codegen import (ExportError, as_float, identifier, in_docstring, literal, model_code,
                                 model_module)
from studio.core.files import atomic_write_text
from studio.core.project import Project
from studio.data.csv_file import load_csv
from studio.data.errors import DataError
from studio.resources import resource
from studio.training.data_source import load_training_data, scale_inputs
from studio.training.engine import wants_one_hot
from studio.training.settings import SettingsError, TrainingSettings

__all__ = ["ExportError", "export_script", "script_text"]


def export_script(project: Project, style: str, target: str | Path) -> Path:
    """Write the script for ``project`` atomically; returns the path written."""
    text = script_text(project, style)
    target = Path(target)
    try:
        atomic_write_text(target, text)
    except OSError as exc:
        raise ExportError(f"{target}: cannot write ({exc.strerror or exc})") from None
    return target


def script_text(project: Project, style: str, with_data: bool = True) -> str:
    """The whole script. With ``with_data`` False, only the model (for a live view without data).

    Raises:
        ExportError: the graph, settings or data cannot be exported; the
            message says what to fix.
    """
    project = project.copy()
    if not with_data:
        return model_module(project.graph, style, _title(project, style) + "\n\n" + _MODEL_ONLY)
    try:
        data = load_training_data(project)  # checks the data
        scale_inputs(project.graph, data)  # the scaling the studio adds before training, in this copy
        data_code = _data_code(project, data)
    except DataError as exc:
        raise ExportError(f"the data cannot be read: {exc}") from None
    model = model_code(project.graph, style)
    header = _header(project, style)
    training = _training_code(project, data.class_weight)
    return "\n\n".join([header + _imports(project.data.get("source")), data_code, model, training])


_MODEL_ONLY = "The model only; File > Export Code... writes a script that also loads the data and trains."


def _title(project: Project, style: str) -> str:
    """The script's first line, as text (model_module and _header make it safe inside the docstring)."""
    name = project.path.name if project.path else project.graph.name
    return f"{project.graph.name}: exported from Perceptron Studio {__version__} ({name}), {style} API."


def _header(project: Project, style: str) -> str:
    return (f'"""{in_docstring(_title(project, style))}\n\nRun it to train the model on the same data: '
            "python THIS_FILE.py [--epochs N] [--max-rows N].\n"
            'Importing this file only defines build_model(), load_data(), compile_model() and main().\n"""\n\n')


def _imports(source: str) -> str:
    standard = ["import argparse"] + (["import gzip"] if source != "csv" else []) + ["from pathlib import Path"]
    third = ["import keras", "import numpy as np"] + (["import pandas as pd"] if source == "csv" else [])
    return "\n".join(standard) + "\n\n" + "\n".join(third) + "\nfrom keras import layers\n"


# -- data ------------------------------------------------------------------------------

_SPLIT = '''\
def split_indices(n, validation, test, seed, strata=None):
    """Seeded train/validation/test row indices, each class split in the same proportions."""
    rng = np.random.default_rng(seed)
    groups = [np.arange(n)] if strata is None else [np.flatnonzero(strata == c) for c in np.unique(strata)]
    chosen = np.zeros(n, dtype=np.int8)  # 0 train, 1 validation, 2 test
    for group in groups:
        group = rng.permutation(group)
        n_test, n_val = int(round(len(group) * test)), int(round(len(group) * validation))
        chosen[group[:n_test]] = 2
        chosen[group[n_test:n_test + n_val]] = 1
    return tuple(np.flatnonzero(chosen == k) for k in range(3))
'''

_IDX = '''\
def read_idx(path):
    """One IDX file (gzip or plain), e.g. train-images-idx3-ubyte.gz, as an array of its shape."""
    raw = Path(path).read_bytes()
    if raw[:2] == b"\\x1f\\x8b":
        raw = gzip.decompress(raw)
    dims = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def find_idx(folder, split, kind):
    for path in sorted(Path(folder).iterdir()):
        name = path.name.lower()
        if name.startswith(split) and kind in name and "idx" in name:
            return path
    raise FileNotFoundError(f"no {split} {kind} IDX file in {folder}")
'''


def _data_code(project: Project, data) -> str:
    section = project.data
    source = section.get("source")
    if source in ("mnist", "images"):
        return _image_code(project, section, data)
    return _csv_code(project, section, data)


def _image_code(project: Project, section: dict, data) -> str:
    folder = resource("datasets", "mnist") if section["source"] == "mnist" else project.data_path()
    if folder is None or not Path(folder).is_dir():
        raise ExportError(f"the image set {folder} is not a folder of IDX files; the exported script reads "
                          "IDX folders only")
    shape = project.graph.node(project.graph.inputs[0]).config["shape"]
    limit = section.get("limit")
    return "\n".join([
        f"DATA_DIR = Path({str(Path(folder).resolve())!r})",
        f"CLASS_NAMES = {literal(list(data.class_names))}",
        f"INPUT_SHAPE = {literal(list(shape))}",
        f"VALIDATION, SEED, LIMIT = {literal(float(section.get('validation', 0.1)))}, "
        f"{int(section.get('seed', 42))}, {literal(limit)}",
        "", "", _SPLIT, "", _IDX, "",
        textwrap.dedent('''\
        def load_data(max_rows=None):
            """((x_train, y_train), (x_val, y_val), (x_test, y_test)): raw pixels and class indices."""
            x, y = read_idx(find_idx(DATA_DIR, "train", "images")), read_idx(find_idx(DATA_DIR, "train", "labels"))
            x_test = read_idx(find_idx(DATA_DIR, "t10k", "images"))
            y_test = read_idx(find_idx(DATA_DIR, "t10k", "labels"))
            if LIMIT:
                x, y = x[:LIMIT], y[:LIMIT]
                x_test, y_test = x_test[:max(LIMIT // 6, 1)], y_test[:max(LIMIT // 6, 1)]
            x, x_test = x.reshape((len(x), *INPUT_SHAPE)), x_test.reshape((len(x_test), *INPUT_SHAPE))
            y, y_test = y.astype(np.int64), y_test.astype(np.int64)
            train, val, _ = split_indices(len(y), VALIDATION, 0.0, SEED, y)
            if max_rows:
                train = train[:max_rows]
            return (x[train], y[train]), (x[val], y[val]), (x_test, y_test)
        ''')])


def _csv_code(project: Project, section: dict, data) -> str:
    if section.get("sample_weight"):
        raise ExportError("the project weights rows by the column "
                          f"{section['sample_weight']!r}; scripts with row weights are not exported")
    fmt = section.get("format") or {}
    table = load_csv(project.data_path(), encoding=fmt.get("encoding"), delimiter=fmt.get("delimiter"),
                     decimal=fmt.get("decimal"), header=fmt.get("header"))
    f = table.format
    pre = data.preprocessing
    targets = pre["targets"]
    columns = pre["feature_names"]
    inputs = {name: [columns.index(c) for c in cols] for name, cols in pre["inputs"].items()}
    read = {"sep": f.delimiter, "decimal": f.decimal, "encoding": f.encoding,
            "header": 0 if f.header else None}
    lines = [
        f"CSV_FILE = Path({str(project.data_path())!r})",
        f"READ_OPTIONS = {literal(read)}" + ("" if f.header else f"\nCOLUMNS = {literal(f.columns)}"),
        f"TASK = {pre['task']!r}",
        f"TARGETS = {literal(targets)}",
        f"CLASS_NAMES = {literal(pre['class_names'])}",
        "# How each feature is encoded: numbers as they are, categories one-hot; 'fill' replaces",
        "# a missing value (learned from the training rows).",
        "FEATURES = [\n" + "".join(f"    {literal(x)},\n" for x in pre["features"]) + "]",
        f"MISSING = {pre['missing']!r}  # drop rows with missing features, or fill them",
    ]
    if len(inputs) > 1 or next(iter(inputs.values())) != list(range(len(columns))):
        lines.append(f"INPUT_COLUMNS = {literal(inputs)}  # encoded columns feeding each input")
    lines += [
        f"VALIDATION, TEST, SEED = {literal(float(section.get('validation', 0.15)))}, "
        f"{literal(float(section.get('test', 0.15)))}, {int(section.get('seed', 42))}",
        f"OUTPUTS = {literal(project.graph.outputs)}",
        "", "", _SPLIT, "", _CSV_FUNCTIONS]
    return "\n".join(lines)


_CSV_FUNCTIONS = '''\
def numbers(column):
    values = pd.to_numeric(column, errors="coerce").astype(float)
    return values.where(np.isfinite(values))


def class_text(column):
    """Labels as the studio names classes: numbers without a trailing .0, text stripped."""
    if pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
        return column.map(lambda v: str(int(v)) if float(v).is_integer() else repr(float(v)))
    return column.astype(str).str.strip()


def encode(frame):
    """The feature matrix (rows, encoded columns) as float32."""
    parts = []
    for feature in FEATURES:
        column = frame[feature["name"]]
        if feature["kind"] == "categorical":
            text = column.astype(str).str.strip().where(column.notna(), feature["fill"])
            for category in feature["categories"]:
                parts.append((text == category).to_numpy(np.float32))
            continue
        if feature["kind"] == "boolean":
            lowered = column.astype(str).str.strip().str.lower()
            values = lowered.map({"true": 1.0, "false": 0.0, "1": 1.0, "0": 0.0, "1.0": 1.0, "0.0": 0.0})
            values = values.where(column.notna())
        else:
            values = numbers(column)
        parts.append(values.fillna(feature["fill"]).to_numpy(np.float32))
    return np.column_stack(parts)


def load_data(max_rows=None):
    """((x_train, y_train), (x_val, y_val), (x_test, y_test)), split as the studio splits."""
    frame = pd.read_csv(CSV_FILE, **READ_OPTIONS, **({"names": COLUMNS} if "COLUMNS" in globals() else {}))
    keep = frame[TARGETS].notna().all(axis=1)
    for name in TARGETS:
        if pd.api.types.is_numeric_dtype(frame[name]) and not pd.api.types.is_bool_dtype(frame[name]):
            keep &= np.isfinite(frame[name].astype(float))
    if MISSING == "drop":
        for feature in FEATURES:
            column = frame[feature["name"]]
            keep &= column.notna() if feature["kind"] != "numeric" else numbers(column).notna()
    frame = frame[keep.to_numpy()].reset_index(drop=True)
    if TASK in ("binary", "multiclass"):
        y = pd.Categorical(class_text(frame[TARGETS[0]]), categories=CLASS_NAMES).codes.astype(np.int64)
    else:
        y = frame[TARGETS].astype(float).to_numpy(np.float32)
        y = y[:, 0] if len(TARGETS) == 1 else y
    x = encode(frame)
    strata = y if TASK in ("binary", "multiclass") else None
    train, val, test = split_indices(len(frame), VALIDATION, TEST, SEED, strata)
    if max_rows:
        train = train[:max_rows]

    def inputs(rows):
        if "INPUT_COLUMNS" not in globals():
            return x[rows]
        parts = {name: x[rows][:, columns] for name, columns in INPUT_COLUMNS.items()}
        return next(iter(parts.values())) if len(parts) == 1 else parts

    def targets(rows):
        return y[rows] if len(OUTPUTS) == 1 else {name: y[rows] for name in OUTPUTS}

    return tuple((inputs(rows), targets(rows)) for rows in (train, val, test))
'''


# -- compile and train -------------------------------------------------------------------

def _python_object(module: str, value) -> str:
    """A Keras object written as its class with keyword arguments; names from the project are checked to be
    plain names (a value from a file never becomes code), values are literals."""
    if isinstance(value, dict):
        config = value.get("config") or {}
        if not isinstance(config, dict):
            raise ExportError(f"the {module} entry {value.get('class_name')!r} has a config that is not an object")
        args = ", ".join(f"{identifier(k, 'the argument')}={literal(v)}" for k, v in config.items())
        return f"keras.{module}.{identifier(value.get('class_name'), 'the class')}({args})"
    return literal(value)


# A schedule's arguments that are floats; they have no default to tell it.
_SCHEDULE_FLOATS = {"initial_learning_rate", "decay_rate", "alpha", "end_learning_rate", "power",
                    "warmup_target"}


def _float_arguments(class_name: str, config: dict) -> dict:
    """The optimizer's config with whole numbers written as floats where Keras' default is a float.

    A project file may say ``"momentum": 0``; Keras refuses an int there.
    """
    keras = registries.keras()
    try:
        parameters = inspect.signature(getattr(keras.optimizers, class_name)).parameters
    except (AttributeError, TypeError, ValueError):
        parameters = {}
    out = {}
    for key, value in config.items():
        default = parameters[key].default if key in parameters else None
        out[key] = as_float(value) if isinstance(default, float) or key == "learning_rate" else value
    return out


def _schedule(schedule: dict) -> dict:
    config = {k: as_float(v) if k in _SCHEDULE_FLOATS else v for k, v in (schedule.get("config") or {}).items()}
    if schedule.get("class_name") == "PiecewiseConstantDecay" and isinstance(config.get("values"), list):
        config["values"] = [as_float(v) for v in config["values"]]
    return {"class_name": schedule["class_name"], "config": config}


def _training_code(project: Project, class_weight: dict | None) -> str:
    try:
        settings = TrainingSettings.for_project(project)  # the engine's loss, default included
        settings.check(project.graph.outputs)
        args = settings.compile_arguments(project.graph.outputs)
    except (SettingsError, TypeError) as exc:
        raise ExportError(f"the training settings cannot be exported: {exc}") from None
    optimizer = _float_arguments(settings.optimizer["class_name"], settings.optimizer.get("config") or {})
    if settings.schedule is not None:
        schedule = _python_object("optimizers.schedules", _schedule(settings.schedule))
        optimizer_class = identifier(settings.optimizer["class_name"], "the optimizer class")
        optimizer_text = (f"keras.optimizers.{optimizer_class}("
                          + ", ".join([f"learning_rate={schedule}"] +
                                      [f"{identifier(k, 'the optimizer argument')}={literal(v)}"
                                       for k, v in optimizer.items() if k != "learning_rate"]) + ")")
    else:
        optimizer_text = _python_object("optimizers", {"class_name": settings.optimizer["class_name"],
                                                       "config": optimizer})
    loss = args["loss"]
    loss_text = ("{" + ", ".join(f"{k!r}: {_python_object('losses', v)}" for k, v in loss.items()) + "}"
                 if isinstance(loss, dict) else _python_object("losses", loss))
    one_hot = wants_one_hot(loss)  # the engine's rule, so the script feeds the targets the same way
    compile_lines = [f"        optimizer={optimizer_text},", f"        loss={loss_text},"]
    if args["loss_weights"]:
        compile_lines.append(f"        loss_weights={literal(args['loss_weights'])},")
    if args["metrics"]:
        compile_lines.append(f"        metrics={literal(args['metrics'])},")
    callbacks = _callbacks_code(settings.callbacks or {})
    fit_extra = ""
    if class_weight and len(project.graph.outputs) == 1:
        fit_extra = f"\n        class_weight={literal({int(k): v for k, v in class_weight.items()})},"
    one_hot_code = ""
    if one_hot:
        one_hot_code = textwrap.dedent('''\

            # Categorical cross-entropy takes one-hot targets: class 3 -> [0, 0, 0, 1, 0, ...].
            def one_hot(y):
                if isinstance(y, dict):
                    return {k: keras.utils.to_categorical(v, len(CLASS_NAMES)) for k, v in y.items()}
                return keras.utils.to_categorical(y, len(CLASS_NAMES))
            y_train, y_val, y_test = one_hot(y_train), one_hot(y_val), one_hot(y_test)
        ''').replace("\n", "\n    ").rstrip() + "\n"
    return "\n".join([
        "def compile_model(model):",
        "    model.compile(",
        *compile_lines,
        "    )",
        "    return model",
        "",
        "",
        "def main(argv=None):",
        '    """Train and evaluate as the project does; returns the model and its test metrics."""',
        '    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])',
        f'    parser.add_argument("--epochs", type=int, default={literal(int(settings.epochs))})',
        '    parser.add_argument("--max-rows", type=int, default=None, help="train on the first N training rows")',
        '    args = parser.parse_args(argv)',
        f"    keras.utils.set_random_seed({literal(int(settings.seed))})",
        "    (x_train, y_train), (x_val, y_val), (x_test, y_test) = load_data(args.max_rows)",
        one_hot_code,
        "    model = compile_model(build_model())",
        "    model.summary()",
        f"    callbacks = {callbacks}",
        "    history = model.fit(",
        "        x_train, y_train, validation_data=(x_val, y_val) if VALIDATION else None,",
        f"        epochs=args.epochs, batch_size={literal(int(settings.batch_size))}, callbacks=callbacks,{fit_extra}",
        "    )",
        "    results = model.evaluate(x_test, y_test, return_dict=True, verbose=0)",
        "    print(results)",
        "    return model, results",
        "",
        "",
        'if __name__ == "__main__":',
        "    main()",
        "",
    ]).replace("\n\n\n    model = compile", "\n    model = compile").replace(
        "load_data(args.max_rows)\n\n    model", "load_data(args.max_rows)\n    model")


def _callbacks_code(config: dict) -> str:
    items = []
    if config.get("early_stopping"):
        cfg = config["early_stopping"] if isinstance(config["early_stopping"], dict) else {}
        items.append(f"keras.callbacks.EarlyStopping(monitor={cfg.get('monitor', 'val_loss')!r}, "
                     f"patience={int(cfg.get('patience', 5))}, "
                     f"restore_best_weights={bool(cfg.get('restore_best_weights', True))})")
    if config.get("reduce_lr_on_plateau"):
        cfg = config["reduce_lr_on_plateau"] if isinstance(config["reduce_lr_on_plateau"], dict) else {}
        items.append(f"keras.callbacks.ReduceLROnPlateau(monitor={cfg.get('monitor', 'val_loss')!r}, "
                     f"factor={literal(float(cfg.get('factor', 0.5)))}, patience={int(cfg.get('patience', 3))})")
    if config.get("model_checkpoint"):
        cfg = config["model_checkpoint"] if isinstance(config["model_checkpoint"], dict) else {}
        items.append(f"keras.callbacks.ModelCheckpoint('best.keras', monitor={cfg.get('monitor', 'val_loss')!r}, "
                     "save_best_only=True)")
    if config.get("terminate_on_nan"):
        items.append("keras.callbacks.TerminateOnNaN()")
    if config.get("tensorboard"):
        items.append("keras.callbacks.TensorBoard(log_dir='logs')")
    if config.get("csv_logger"):
        items.append("keras.callbacks.CSVLogger('history.csv')")
    if not items:
        return "[]"
    return "[\n" + "".join(f"        {item},\n" for item in items) + "    ]"
