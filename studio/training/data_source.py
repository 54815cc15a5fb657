"""Turn a project's ``data`` section into arrays shaped for its model's inputs and outputs.

Sources: ``{"source": "mnist"}``, ``{"source": "images", "path": ...}`` (any
MNIST-format set) and ``{"source": "csv", "path": ..., "target": ...}``.

Loading never changes the project. For a CSV file the feature scaling's
statistics (from the training split only) come back in ``TrainingData.scaling``;
``scale_inputs`` writes them into a graph as a Normalization layer after each
Input, and the engine does that to its own copy of the graph before it builds
the model, so the saved model scales raw inputs itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from studio.core.data_fit import InputMappingError, input_columns, width_mismatches
from studio.core import kinds, schema
from studio.core.normalization import set_input_normalization
from studio.core.graph import Graph
from studio.core.project import Project
from studio.data.csv_file import TooLargeError, load_csv
from studio.data.defaults import MISSING_POLICIES, SOURCES, TASKS, data_settings
from studio.data.errors import DataError
from studio.data.images import load_image_dataset
from studio.data.split import split_indices
from studio.data.tabular import TabularOptions, prepare


@dataclass
class TrainingData:
    """Arrays for fit/evaluate; x and y are arrays, or dicts by input/output name."""

    task: str
    class_names: list[str]
    x_train: Any
    y_train: Any
    x_val: Any
    y_val: Any
    x_test: Any
    y_test: Any
    sample_weight: np.ndarray | None = None
    class_weight: dict[int, float] | None = None
    preprocessing: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    images_test: np.ndarray | None = None  # raw test images, for showing mistakes
    test_total: int | None = None  # an image set's whole test split, where "limit" used only part of it
    # per Input name: (mean, variance) of its columns in the training split; empty when not normalized
    scaling: dict[str, tuple[list[float], list[float]]] = field(default_factory=dict)
    # a CSV file too large for memory, read from disk each epoch; x_*/y_* then hold a bounded sample
    # of each split (for checks, plots and the confusion matrix) and test_total the whole test split
    stream: Any = None
    inputs: dict[str, list[int]] | None = None  # which encoded columns feed each Input (streamed data)
    outputs: list[str] | None = None

    @property
    def train_size(self) -> int:
        if self.stream is not None:
            return self.stream.counts["train"]
        return len(first_output(self.y_train))

    @property
    def rows(self) -> int:
        """Rows used in all three splits together."""
        if self.stream is not None:
            return sum(self.stream.counts.values())
        return sum(len(first_output(y)) for y in (self.y_train, self.y_val, self.y_test))

    def split_dataset(self, split: str, batch_size: int, one_hot: bool, seed: int = 0,
                      shard: tuple[int, int] | None = None):
        """A streamed split ("train", "validation", "test") as a tf.data.Dataset shaped for the model."""
        return self.stream.dataset(split, batch_size, inputs=self.inputs, outputs=self.outputs, one_hot=one_hot,
                                   shuffle=split == "train", seed=seed, shard=shard)

    def fit_arguments(self, batch_size: int, one_hot: bool, seed: int = 0) -> dict:
        """``model.fit`` arguments for streamed data: the training and validation datasets (the rows'
        sample and class weights are inside them). Under multi-worker training every worker reads the
        whole file in the same seeded order, and tf.distribute gives each its share of every batch."""
        has_val = self.stream.counts["validation"] > 0
        return {"x": self.split_dataset("train", batch_size, one_hot, seed),
                "validation_data": self.split_dataset("validation", batch_size, one_hot, seed) if has_val else None,
                "shuffle": False}  # the training dataset shuffles itself, within a bounded buffer


def first_output(value):
    """The labels of the first output: ``value`` itself, or its first entry when it is a dict by output name."""
    return next(iter(value.values())) if isinstance(value, dict) else value


def _per_output(y, outputs: list[str]):
    return y if len(outputs) == 1 else {name: y for name in outputs}


def data_problems(section: dict) -> list[str]:
    """Every problem of a data section's values, one line each naming the field (nothing is read).

    Types are the schema's (studio.core.schema.DATA, checked when a project
    opens); which sources, tasks and missing-value policies exist is the data
    layer's own lists. Used by ``studio check`` and before loading.
    """
    out = schema.section_problems("data", section)
    if out:
        return out
    for key, allowed, noun in (("source", SOURCES, "data source"), ("task", TASKS, "task"),
                               ("missing", MISSING_POLICIES, "missing-value policy")):
        if section.get(key) is not None:
            kinds.Choice(allowed, noun).problems(section[key], f"data.{key}", "", out)
    return out


def load_training_data(project: Project, memory_limit: int | None = None) -> TrainingData:
    """Read the project's data source and shape it for the graph's inputs and outputs.

    The project is left as it is; the scaling learned from the training split
    is in the result's ``scaling`` (see ``scale_inputs``). A CSV file that would
    take more than ``memory_limit`` bytes (default: half the memory available
    now) is streamed from disk instead of loaded (``TrainingData.stream``).
    """
    problems = data_problems(project.data)
    if problems:
        raise DataError(kinds.summary(problems))
    section = data_settings(project.data)  # the one set of defaults the data panel shows
    source = section.get("source")
    if source in ("mnist", "images"):
        return _images(project, section)
    if source == "csv":
        return _csv(project, section, memory_limit)
    if not source:
        raise DataError("the project has no data yet; choose it in the Data tab (the bundled MNIST digits, "
                        "MNIST-format files or a CSV file)")
    raise DataError(f"unknown data source {source!r}; expected {', '.join(SOURCES)}")


TRAIN_PER_TEST_IMAGE = 6  # MNIST's own 60,000 training to 10,000 test images


def test_images_kept(limit: int) -> int:
    """Test images used when "limit" keeps the first ``limit`` training images: the same share of the
    test split (MNIST's 6 to 1), so a quick run is also evaluated quickly; at least one."""
    return max(int(limit) // TRAIN_PER_TEST_IMAGE, 1)


def _images(project: Project, section: dict) -> TrainingData:
    graph = project.graph
    if len(graph.inputs) != 1:
        raise DataError(f"an image set feeds one input, but the model has {len(graph.inputs)}")
    where = "mnist" if section["source"] == "mnist" else str(project.data_path())
    data = load_image_dataset(where)
    x, y, x_test, y_test = data.x_train, data.y_train, data.x_test, data.y_test
    limit = section.get("limit")
    test_total = len(y_test)
    if limit:
        x, y = x[:limit], y[:limit]
        kept = test_images_kept(limit)
        x_test, y_test = x_test[:kept], y_test[:kept]
    shape = tuple(graph.node(graph.inputs[0]).config["shape"])
    if tuple(x.shape[1:]) != shape:
        if int(np.prod(shape)) != int(np.prod(x.shape[1:])):
            raise DataError(f"the images are {x.shape[1:]} but input {graph.inputs[0]!r} takes {shape}")
        x, x_test = x.reshape((len(x), *shape)), x_test.reshape((len(x_test), *shape))
    train, val, _ = split_indices(len(y), float(section["validation"]), 0.0, int(section["seed"]), y)
    outputs = graph.outputs
    preprocessing = {"kind": "images", "name": data.name, "task": "multiclass",
                     "class_names": list(data.class_names), "image_shape": list(data.image_shape)}
    return TrainingData("multiclass", list(data.class_names), x[train], _per_output(y[train], outputs),
                        x[val], _per_output(y[val], outputs), x_test, _per_output(y_test, outputs),
                        preprocessing=preprocessing, images_test=data.x_test[:len(y_test)],
                        test_total=test_total)


def scale_inputs(graph: Graph, data: TrainingData) -> None:
    """Write ``data.scaling`` into ``graph``: a Normalization layer after each scaled Input (an existing
    one there gets the statistics). Nothing happens for data without scaling (images, normalize off)."""
    for name, (mean, variance) in data.scaling.items():
        set_input_normalization(graph, name, mean, variance)


def _csv(project: Project, section: dict, memory_limit: int | None = None) -> TrainingData:
    path = project.data_path()
    if path is None:
        raise DataError("the CSV source has no 'path'")
    fmt = section.get("format") or {}
    settings = {"encoding": fmt.get("encoding"), "delimiter": fmt.get("delimiter"), "decimal": fmt.get("decimal"),
                "header": fmt.get("header")}
    options = TabularOptions(
        target=section.get("target") or [], features=section.get("features"), task=section.get("task"),
        missing=section["missing"], validation=float(section["validation"]),
        test=float(section["test"]), seed=int(section["seed"]),
        class_weight=section.get("class_weight"), sample_weight=section.get("sample_weight"))
    try:
        table = load_csv(path, memory_limit=memory_limit, **settings)
    except TooLargeError:
        return _streamed_csv(project, section, path, options, settings)
    data = prepare(table.frame, options, line_offset=2 if table.format.header else 1)
    graph = project.graph
    columns = _input_columns(graph, section, data.feature_names)
    xs = {}
    for split, block in (("train", data.train.x), ("val", data.validation.x), ("test", data.test.x)):
        xs[split] = {name: np.ascontiguousarray(block[:, cols]) for name, cols in columns.items()}
        if len(xs[split]) == 1:
            xs[split] = next(iter(xs[split].values()))
    scaling = {}
    if section["normalize"]:
        mean, variance = data.normalization()
        scaling = {name: ([mean[c] for c in cols], [variance[c] for c in cols])
                   for name, cols in columns.items()}
    outputs = graph.outputs
    preprocessing = dict(data.preprocessing, inputs={name: [data.feature_names[c] for c in cols]
                                                     for name, cols in columns.items()})
    return TrainingData(data.task, data.class_names, xs["train"], _per_output(data.train.y, outputs),
                        xs["val"], _per_output(data.validation.y, outputs), xs["test"],
                        _per_output(data.test.y, outputs), data.train.sample_weight, data.class_weight,
                        preprocessing, data.warnings, scaling=scaling)


def _streamed_csv(project: Project, section: dict, path, options: TabularOptions, settings: dict) -> TrainingData:
    """A CSV file too large for memory: scanned once (twice to drop rows with missing features), then
    streamed each epoch; the arrays hold a bounded sample of each split."""
    from studio.data.streaming import scan_csv
    stream = scan_csv(path, options, **settings)
    graph = project.graph
    columns = _input_columns(graph, section, stream.feature_names)
    outputs = graph.outputs
    arrays = {}
    for split, sample in stream.samples.items():
        x, y, _ = stream.encode(sample) if len(sample) else _empty(stream)
        xs = {name: np.ascontiguousarray(x[:, cols]) for name, cols in columns.items()}
        arrays[split] = (next(iter(xs.values())) if len(xs) == 1 else xs, _per_output(y, outputs))
    scaling = {}
    if section["normalize"]:
        scaling = {name: ([stream.mean[c] for c in cols], [stream.variance[c] for c in cols])
                   for name, cols in columns.items()}
    preprocessing = dict(stream.preprocessing, inputs={name: [stream.feature_names[c] for c in cols]
                                                       for name, cols in columns.items()})
    test = stream.counts["test"]
    shown = len(first_output(arrays["test"][1]))
    notes = [stream.describe()]
    if test > shown:
        notes.append(f"the confusion matrix and the plots of the test split use a sample of {shown:,} of its "
                     f"{test:,} rows; the test metrics use them all")
    return TrainingData(stream.task, stream.class_names, *arrays["train"], *arrays["validation"], *arrays["test"],
                        None, stream.class_weight, preprocessing, stream.warnings + notes, test_total=test,
                        scaling=scaling, stream=stream, inputs=columns, outputs=outputs)


def _empty(stream):
    width = len(stream.feature_names)
    x = np.empty((0, width), np.float32)
    if stream.task in ("binary", "multiclass"):
        return x, np.empty(0, np.int64), None
    k = len(stream.options.targets)
    return x, np.empty((0,) if stream.task == "regression" and k == 1 else (0, k), np.float32), None


def _input_columns(graph, section: dict, feature_names: list[str]) -> dict[str, list[int]]:
    """Which encoded feature columns feed each Input (the rule the window checks before Train)."""
    try:
        columns = input_columns(graph, section.get("inputs"), feature_names)
    except InputMappingError as exc:
        raise DataError(str(exc)) from None
    mismatches = width_mismatches(graph, columns, feature_names)
    if mismatches:
        raise DataError(str(mismatches[0]))
    return columns
