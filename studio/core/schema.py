"""The sections of a project file: every field's type, range and default, and the one check of them.

A project file is untrusted: a hand-edited ``"seed": "abc"`` used to open,
pass ``studio check`` and crash the window's seed box or ``model.fit``
later. Each section (``training``, ``data``, ``tuning``) is declared here as
plain data, a ``Record`` of ``Field``s, and ``problems()`` checks a section
against it without ever raising, returning one line per problem that names
the field::

    training.seed: the seed must be a whole number between 0 and 2**31-1, not 'abc'

The same declarations are read by everyone who checks a project: opening it
(``studio.core.project``), ``studio check`` and the training engine
(``studio.training.settings``, ``studio.training.data_source``). Defaults
live in the fields too: ``TRAINING.value(section, "epochs")`` is a setting as
it will be used (the section's, or the default), read by the engine's
``TrainingSettings``, the Training tab, the callbacks editor and the report,
none of which keeps a copy; ``optimizer_of`` and ``learning_rate_of`` are the
one path to the optimizer and its rate. The data section's defaults depend on
its source and are ``studio.data.defaults``'s; the tuning section's are
``studio.tuning.search.TuningSettings``'s.

What this module checks needs neither Keras nor the data layer, so it runs
when the window opens a file, before TensorFlow has loaded. Values whose
allowed set is owned by a higher layer (loss and metric names, data sources,
tasks, missing-value policies) are checked there, after these types.

The kinds of values these declarations are made of (``Whole``, ``Number``,
``Record`` ...) and how a value is shown in a message are ``studio.core.kinds``.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from studio.core.kinds import AnyOf, Choice, Field, Flag, Kind, ListOf, MapOf, Nullable, Number, Record, Text, Whole


# -- the sections -------------------------------------------------------------------------------

# The bounds are the window's (its boxes cannot show more): a file holding more would be shown as
# something else than what trains. 2**31-1 also leaves the engine room for ``seed + epoch``.
SEED = Whole(0, 2 ** 31 - 1, hi_text="2**31-1")
MAX_EPOCHS = 100_000
MAX_BATCH = 65_536

OPTIMIZERS = ("SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adamax", "Nadam")
SCHEDULES = ("ExponentialDecay", "PiecewiseConstantDecay")

#: A Keras object by name ("mse") or as its config ({"class_name": "Huber", "config": {"delta": 2}}).
KERAS_OBJECT = AnyOf((Text(), Record({"class_name": Field(Text()), "config": Field(MapOf())},
                                     what="a Keras object", required=("class_name",))),
                     text="a name or {\"class_name\": ..., \"config\": {...}}")

_MONITOR = Field(Text(), "val_loss", "the monitored value")


def _callback(what: str, **fields) -> AnyOf:
    """A callback is on with ``true`` or with its options, off with ``false`` or absent."""
    return AnyOf((Flag(), Record(fields, what=what)), text="true, false or an object of options")


CALLBACKS = Record({
    "early_stopping": Field(_callback(
        "early stopping", monitor=_MONITOR,
        patience=Field(Whole(0, 10_000), 5, "the patience"),
        min_delta=Field(Number(0), 0.0, "the smallest improvement"),
        restore_best_weights=Field(Flag(), True))),
    "model_checkpoint": Field(_callback("the checkpoint", monitor=_MONITOR)),
    "reduce_lr_on_plateau": Field(_callback(
        "the learning-rate reduction", monitor=_MONITOR,
        factor=Field(Number(0, 1, lo_open=True, hi_open=True), 0.5, "the factor"),
        patience=Field(Whole(0, 10_000), 3, "the patience"),
        min_lr=Field(Number(0), 0.0, "the smallest learning rate"))),
    "terminate_on_nan": Field(_callback("stopping on NaN")),
    "tensorboard": Field(_callback("the TensorBoard log")),
    "csv_logger": Field(_callback("the CSV log")),
}, what="the callbacks")

_METRICS = ListOf(KERAS_OBJECT, longest=100)


@dataclass(frozen=True)
class Loss(Kind):
    """One loss (a name or a class config), or one per output ({output name: loss}); '' or null: unset."""

    text: str = "a loss name, {\"class_name\": ..., \"config\": {...}} or one loss for each output"

    def problems(self, value, path, label, out):
        if value is None or value == "":
            return
        if isinstance(value, dict) and "class_name" in value:  # studio.core.loss_defaults.per_output
            KERAS_OBJECT.problems(value, path, label, out)
        elif isinstance(value, dict):
            MapOf(Nullable(KERAS_OBJECT), longest=1000).problems(value, path, label, out)
        elif not isinstance(value, str):
            out.append(self.must(path, label, self.text, value))


def callback_options(name: str) -> Record:
    """The options a callback takes (its fields with their defaults)."""
    return next(k for k in CALLBACKS.fields[name].kind.kinds if isinstance(k, Record))


def callback_defaults(name: str) -> dict:
    """The default of every option of callback ``name``, as the engine applies them."""
    return callback_options(name).defaults()

TRAINING = Record({
    "loss": Field(Loss(), None, "the loss"),
    "loss_weights": Field(Nullable(MapOf(Number(0), longest=1000)), None),
    "optimizer": Field(Record({
        "class_name": Field(Choice(OPTIMIZERS, "optimizer")),
        "config": Field(MapOf(longest=100)),
    }, what="the optimizer", required=("class_name",)), {"class_name": "Adam", "config": {}}),
    "schedule": Field(Nullable(Record({
        "class_name": Field(Choice(SCHEDULES, "learning-rate schedule")),
        "config": Field(MapOf(longest=100)),
    }, what="the learning-rate schedule", required=("class_name",))), None),
    "metrics": Field(AnyOf((_METRICS, MapOf(_METRICS, longest=1000)),
                           text="a list of metrics, or one list for each output"), []),
    "epochs": Field(Whole(1, MAX_EPOCHS), 10, "epochs"),
    "batch_size": Field(Whole(1, MAX_BATCH), 32, "the batch size"),
    "seed": Field(SEED, 42, "the seed"),
    "callbacks": Field(Nullable(CALLBACKS), {"terminate_on_nan": True}),
}, what="the training settings")

#: The learning rate, where a training section keeps it (checked here, defaulted by Keras per optimizer).
LEARNING_RATE = Field(Number(0, lo_open=True), label="the learning rate")


def optimizer_of(training) -> dict:
    """The optimizer a training section trains with, a fresh ``{"class_name", "config"}`` (the default
    optimizer where the section names none; ``config`` always a dict)."""
    optimizer = TRAINING.value(training, "optimizer")
    if not isinstance(optimizer, dict):
        optimizer = TRAINING.default("optimizer")
    optimizer.setdefault("class_name", TRAINING.default("optimizer")["class_name"])
    if not isinstance(optimizer.get("config"), dict):
        optimizer["config"] = {}
    return optimizer


def learning_rate_of(training):
    """The learning rate a training section sets (``optimizer.config.learning_rate``), or None: then
    Keras' own default for the optimizer applies."""
    return optimizer_of(training)["config"].get("learning_rate")


def with_learning_rate(optimizer: dict, rate) -> dict:
    """A copy of ``optimizer`` that sets ``rate`` (None: the optimizer's own default)."""
    changed = copy.deepcopy(optimizer)
    config = changed["config"] = dict(changed.get("config") or {})
    if rate is None:
        config.pop("learning_rate", None)
    else:
        config["learning_rate"] = rate
    return changed

_SHARE = Number(0, 1, hi_open=True)
_NAMES = ListOf(Text(), longest=100_000)

#: Types only: which sources, tasks and missing-value policies exist is the data layer's
#: (studio.data.defaults, studio.data.tabular), checked by studio.training.data_source.
DATA = Record({
    "source": Field(Nullable(Text(empty=True)), label="the data source"),
    "path": Field(Nullable(Text()), label="the data path"),
    "target": Field(Nullable(AnyOf((Text(), ListOf(Text(), shortest=1, longest=10_000)),
                                   text="a column name or a list of column names")), label="the target"),
    "features": Field(Nullable(_NAMES), label="the features"),
    "inputs": Field(Nullable(MapOf(_NAMES, longest=1000)), label="the inputs"),
    "task": Field(Nullable(Text()), label="the task"),
    "missing": Field(Nullable(Text()), label="the missing-value policy"),
    "validation": Field(Nullable(_SHARE), label="the validation share"),
    "test": Field(Nullable(_SHARE), label="the test share"),
    "seed": Field(Nullable(SEED), label="the seed"),
    "normalize": Field(Nullable(Flag())),
    "class_weight": Field(Nullable(AnyOf((Choice(("balanced",), "class weighting"), MapOf(Number(0))),
                                         text="\"balanced\" or {class: weight}"))),
    "sample_weight": Field(Nullable(Text()), label="the sample-weight column"),
    "limit": Field(Nullable(Whole(1)), label="the image limit"),
    "format": Field(Nullable(Record({
        "encoding": Field(Nullable(Text())),
        "delimiter": Field(Nullable(Text())),
        "decimal": Field(Nullable(Text())),
        "header": Field(Nullable(Flag())),
    }, what="the CSV format"))),
}, what="the data section")

_RANGE = ListOf(Number(), length=2)
#: Types only: the search's own rules and defaults are studio.tuning.search.TuningSettings'.
TUNING = Record({
    "layers": Field(ListOf(Whole(0, 1000), length=2)),
    "units": Field(ListOf(Whole(1, 1_000_000), length=3)),
    "activations": Field(ListOf(Text(), longest=100)),
    "learning_rate": Field(_RANGE),
    "batch_sizes": Field(ListOf(Whole(1, MAX_BATCH), longest=100)),
    "optimizers": Field(ListOf(Text(), longest=100)),
    "dropout": Field(_RANGE),
    "objective": Field(Text()),
    "max_trials": Field(Whole(1, 100_000)),
    "max_epochs": Field(Whole(1, MAX_EPOCHS)),
    "algorithm": Field(Text()),
    "seed": Field(SEED, label="the seed"),
}, what="the tuning section")

SECTIONS = {"training": TRAINING, "data": DATA, "tuning": TUNING}


def section_problems(name: str, value) -> list[str]:
    """Every type problem of one section (``training``, ``data`` or ``tuning``), one line each."""
    out: list[str] = []
    SECTIONS[name].problems(value, name, "", out)
    return out


def project_problems(data: dict) -> list[str]:
    """Every type problem of the sections of a project dict (the graph is checked by studio.core.graph)."""
    out: list[str] = []
    for name in SECTIONS:
        if name in data:
            out += section_problems(name, data[name])
    return out
