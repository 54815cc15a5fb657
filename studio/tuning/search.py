"""Hyperparameter search: keras-tuner's oracles choose, the studio's engine trains each trial.

The search varies an MLP built from the project's graph: the layers before
the first Dense layer (Input, Rescaling, Flatten, Normalization, ...) and the
output layer are kept; between them go N hidden Dense layers (each optionally
followed by Dropout). The search space, the objective and the budget are
plain data (the project's ``tuning`` section, see ``TuningSettings``).

keras-tuner's RandomSearch, Hyperband and BayesianOptimization oracles pick
the hyperparameters; each trial is a ``TrainingJob`` on data loaded once,
recorded as a run in the project's runs folder (``kind: "trial"``), with the
tuner's own files in ``NAME.runs/tuning-<time>/``. ``stop()`` ends the
current trial after its current steps and starts no other.
"""

from __future__ import annotations

import copy
import math
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from studio.core import metrics
from studio.core.codegen import sequential_problem
from studio.core.errors import UserError
from studio.core.graph import Graph
from studio.core.layout import auto_layout
from studio.core.schema import with_learning_rate
from studio.core.project import Project
from studio.data.errors import DataError
from studio.training.data_source import first_output, load_training_data, scale_inputs
from studio.training.engine import Reporter, TrainingJob
from studio.training.settings import OPTIMIZERS

ALGORITHMS = ("random", "hyperband", "bayesian")
ACTIVATIONS = ("relu", "tanh", "sigmoid", "elu", "selu", "gelu", "swish")


class SearchError(UserError):
    """A search that cannot start; the message says what to change."""


@dataclass
class TuningSettings:
    """The search space and budget, as stored in the project's ``tuning`` section."""

    layers: tuple[int, int] = (1, 3)
    units: tuple[int, int, int] = (16, 256, 16)          # min, max, step
    activations: tuple[str, ...] = ("relu",)
    learning_rate: tuple[float, float] = (1e-4, 1e-2)     # log-uniform
    batch_sizes: tuple[int, ...] = (32,)
    optimizers: tuple[str, ...] = ("Adam",)
    dropout: tuple[float, float] = (0.0, 0.0)             # (0, 0): no Dropout layers
    objective: str = "val_accuracy"
    max_trials: int = 10
    max_epochs: int = 5
    algorithm: str = "random"
    seed: int = 42

    @classmethod
    def from_dict(cls, data: dict | None) -> "TuningSettings":
        data = dict(data or {})
        known = set(cls.__dataclass_fields__)
        unknown = set(data) - known
        if unknown:
            raise SearchError(f"unknown tuning setting(s): {', '.join(sorted(unknown))}")
        for key, value in list(data.items()):
            if isinstance(value, list):
                data[key] = tuple(value)
        settings = cls(**data)
        settings.check()
        return settings

    def to_dict(self) -> dict:
        return {name: (list(v) if isinstance(v, tuple) else v)
                for name, v in ((n, getattr(self, n)) for n in self.__dataclass_fields__)}

    @property
    def direction(self) -> str:
        return metrics.direction(self.objective)

    def check(self) -> None:
        def whole(name, value, lo=1):
            if not isinstance(value, int) or isinstance(value, bool) or value < lo:
                raise SearchError(f"{name} must be a whole number >= {lo}, got {value!r}")

        lo, hi = self.layers
        whole("the fewest hidden layers", lo, 0)
        whole("the most hidden layers", hi, max(lo, 1))
        u_lo, u_hi, step = self.units
        whole("the fewest neurons", u_lo)
        whole("the most neurons", u_hi, u_lo)
        whole("the neuron step", step)
        if not self.activations or any(a not in ACTIVATIONS for a in self.activations):
            raise SearchError(f"choose activations among {', '.join(ACTIVATIONS)}; got {list(self.activations)}")
        r_lo, r_hi = self.learning_rate
        if not (isinstance(r_lo, (int, float)) and isinstance(r_hi, (int, float)) and 0 < r_lo <= r_hi < 10):
            raise SearchError(f"the learning rate range must satisfy 0 < low <= high < 10; got {r_lo!r} to {r_hi!r}")
        if not self.batch_sizes:
            raise SearchError("choose at least one batch size")
        for size in self.batch_sizes:
            whole("a batch size", size)
        if not self.optimizers or any(o not in OPTIMIZERS for o in self.optimizers):
            raise SearchError(f"choose optimizers among {', '.join(OPTIMIZERS)}; got {list(self.optimizers)}")
        d_lo, d_hi = self.dropout
        if not (0 <= d_lo <= d_hi < 1):
            raise SearchError(f"the dropout range must satisfy 0 <= low <= high < 1; got {d_lo} to {d_hi}")
        if self.algorithm not in ALGORITHMS:
            raise SearchError(f"unknown algorithm {self.algorithm!r}; choose {', '.join(ALGORITHMS)}")
        whole("the number of trials", self.max_trials)
        whole("the epochs per trial", self.max_epochs)
        if not self.objective.startswith("val_"):
            raise SearchError(f"the objective must be a validation metric such as val_accuracy or val_loss; "
                              f"got {self.objective!r}")


@dataclass
class Trial:
    """One trial as the application and the CLI show it."""

    number: int
    trial_id: str
    hyperparameters: dict
    status: str = "running"              # running, completed, failed, stopped
    objective: float | None = None
    history: dict = field(default_factory=dict)
    run_dir: str | None = None
    message: str = ""


@dataclass
class SearchReporter:
    """Plain callables called from the search thread; each is optional."""

    trial_started: Callable[[Trial], None] | None = None
    trial_ended: Callable[[Trial], None] | None = None
    progress: Callable[[dict], None] | None = None        # the engine's per-batch progress
    epoch_ended: Callable[[int, dict], None] | None = None


# -- the MLP the search varies --------------------------------------------------------------------

def template(graph: Graph) -> tuple[list[str], str]:
    """(the layers kept before the hidden part, the output layer) of a chain the search can vary."""
    problem = sequential_problem(graph)
    if problem:
        raise SearchError(f"the search varies the hidden layers of a straight chain of layers: {problem}")
    from studio.core.validation import validate
    order = validate(graph).order
    output = graph.outputs[0]
    if graph.node(output).class_name != "Dense":
        raise SearchError(f"the output layer {output!r} is a {graph.node(output).class_name}; the search needs a "
                          "Dense output layer")
    stem = []
    for name in order:
        if name == output or graph.node(name).class_name in ("Dense", "Dropout", "Activation",
                                                               "BatchNormalization"):
            break
        stem.append(name)
    return stem, output


def build_graph(graph: Graph, values: dict) -> Graph:
    """The project's graph with its hidden part replaced as ``values`` says."""
    stem, output = template(graph)
    new = Graph(graph.name)
    previous = None
    for name in stem:
        node = graph.node(name)
        new.add_node(node.class_name, copy.deepcopy(node.config), name=name)
        if previous is not None:
            new.connect(previous, name)
        previous = name
    for i in range(values["layers"]):
        dense = new.add_node("Dense", {"units": values["units"], "activation": values["activation"]},
                             name=f"hidden{i + 1}")
        new.connect(previous, dense)
        previous = dense
        if values.get("dropout", 0) > 0:
            drop = new.add_node("Dropout", {"rate": values["dropout"]}, name=f"dropout{i + 1}")
            new.connect(previous, drop)
            previous = drop
    out = graph.node(output)
    new.add_node("Dense", copy.deepcopy(out.config), name=output)
    new.connect(previous, output)
    new.set_output(output)
    auto_layout(new)
    return new


def training_for(training: dict, values: dict) -> dict:
    """The project's training settings with the searched optimizer, learning rate and batch size."""
    settings = copy.deepcopy(training)
    searched = {"class_name": values["optimizer"], "config": {}}
    settings["optimizer"] = with_learning_rate(searched, values["learning_rate"])
    settings.pop("schedule", None)
    settings["batch_size"] = values["batch_size"]
    return settings


def declare(hp, settings: TuningSettings) -> dict:
    """Declare the search space on keras-tuner's HyperParameters; returns this trial's values."""
    lo, hi = settings.layers
    u_lo, u_hi, step = settings.units
    d_lo, d_hi = settings.dropout
    r_lo, r_hi = settings.learning_rate
    values = {
        "layers": hp.Int("layers", lo, hi) if hi > lo else hp.Fixed("layers", lo),
        "units": hp.Int("units", u_lo, u_hi, step=step) if u_hi > u_lo else hp.Fixed("units", u_lo),
        "activation": hp.Choice("activation", list(settings.activations)),
        "learning_rate": (hp.Float("learning_rate", r_lo, r_hi, sampling="log") if r_hi > r_lo
                          else hp.Fixed("learning_rate", r_lo)),
        "batch_size": hp.Choice("batch_size", list(settings.batch_sizes)),
        "optimizer": hp.Choice("optimizer", list(settings.optimizers)),
    }
    if d_hi > 0:
        values["dropout"] = hp.Float("dropout", d_lo, d_hi, step=0.05) if d_hi > d_lo else hp.Fixed("dropout", d_lo)
    return values


# -- the search ---------------------------------------------------------------------------------

class Search:
    """One search over a project; ``run()`` blocks (call it from a worker thread), ``stop()`` is thread-safe."""

    def __init__(self, project: Project, settings: TuningSettings | None = None,
                 reporter: SearchReporter | None = None, folder: Path | None = None, role=None):
        """``role`` (studio.tuning.distributed.Role): this process's part in keras-tuner's distributed
        search, whose chief oracle hands out the trials and counts the budget (None: a search of its own)."""
        from studio.training.runs import runs_folder
        self.project = project
        self.role = role
        self.settings = settings or TuningSettings.from_dict(project.tuning)
        self.reporter = reporter or SearchReporter()
        self.trials: list[Trial] = []
        self.best: Trial | None = None
        self._stop = threading.Event()
        self._job: TrainingJob | None = None
        template(project.graph)  # refuse early, with the reason
        self.folder = folder or runs_folder(project)
        self.data = None          # loaded once, in run()
        self.stem_graph = None    # the project's graph with the scaling learned from the data

    def stop(self) -> None:
        self._stop.set()
        job = self._job
        if job is not None:
            job.stop()

    def _prepare(self) -> None:
        try:
            self.data = load_training_data(self.project)  # once for every trial
        except DataError as exc:
            raise SearchError(str(exc)) from None
        self.stem_graph = self.project.graph.copy()
        scale_inputs(self.stem_graph, self.data)  # the scaling learned here: in every trial's graph
        if len(first_output(self.data.y_val)) == 0:
            raise SearchError("the search compares trials on the validation split; give it some rows "
                              "(Data tab, validation %)")

    def run(self) -> Trial | None:
        """Run the trials; returns the best (None when no trial finished)."""
        import keras_tuner as kt

        from studio.core import registries
        registries.keras()
        self._prepare()
        tuner = self._tuner()
        try:
            tuner.search(verbose=0)  # the studio reports trials itself
        except kt.errors.FatalError as exc:
            if not self._stop.is_set() and str(exc) != _BUDGET_SPENT:
                raise SearchError(f"the search stopped: {exc}") from None
        return self.best

    def serve(self) -> dict | None:
        """The chief of a distributed search: keras-tuner's oracle hands out trials until the budget is
        spent and every worker has ended (it trains nothing); then what ``distributed.chief_best`` says."""
        from studio.training.runs import list_runs
        from studio.core import registries
        from studio.tuning.distributed import chief_best
        registries.keras()
        tuner = self._tuner()
        tuner.search(verbose=0)  # blocks while the oracle serves the workers
        return chief_best(tuner.oracle, self.settings.objective, list_runs(self.project))

    def _tuner(self):
        import keras_tuner as kt
        s = self.settings
        objective = kt.Objective(s.objective, direction=s.direction)
        space = kt.HyperParameters()
        declare(space, s)  # the whole space up front: Hyperband and Bayesian sample from it
        common = {"objective": objective, "seed": s.seed, "hyperparameters": space}
        if s.algorithm == "random":
            oracle = kt.oracles.RandomSearchOracle(max_trials=s.max_trials, **common)
        elif s.algorithm == "bayesian":
            oracle = kt.oracles.BayesianOptimizationOracle(max_trials=s.max_trials, **common)
        else:
            oracle = kt.oracles.HyperbandOracle(max_epochs=s.max_epochs, factor=3, hyperband_iterations=1, **common)
        directory = self._tuner_directory()
        return _StudioTuner(self, oracle=oracle, directory=str(directory), project_name="tuner", overwrite=True)

    def _tuner_directory(self) -> Path:
        import tempfile
        import time
        if self.folder is None:
            return Path(tempfile.mkdtemp(prefix="studio-tuning-"))
        own = f"-{self.role.tuner_id}" if self.role is not None else ""  # each process of a distributed search
        path = Path(self.folder) / f"tuning-{time.strftime('%Y%m%d-%H%M%S')}{own}"
        path.mkdir(parents=True, exist_ok=True)
        return path

    # -- one trial (called by the tuner) --------------------------------------------------------

    def run_trial(self, kt_trial) -> dict:
        import keras_tuner as kt

        from studio.training.runs import new_run_dir, record_run, run_metrics
        if self._stop.is_set():
            raise kt.errors.FatalError("stopped")
        if self.role is None and len(self.trials) >= self.settings.max_trials:  # else the chief counts
            raise kt.errors.FatalError(_BUDGET_SPENT)
        values = declare(kt_trial.hyperparameters, self.settings)
        epochs = kt_trial.hyperparameters.values.get("tuner/epochs", self.settings.max_epochs)
        trial = Trial(len(self.trials) + 1, kt_trial.trial_id, dict(values))
        self.trials.append(trial)
        variant = self.project.copy(graph=build_graph(self.stem_graph, values),
                                    training=training_for(self.project.training, values))
        variant.training["epochs"] = int(epochs)
        _call(self.reporter.trial_started, trial)
        job = TrainingJob(variant, data=self.data)
        # train() clears its stop flag when it starts, so a stop asked for meanwhile is passed on then.
        job.reporter = Reporter(started=lambda info: self._stop.is_set() and job.stop(),
                                progress=self.reporter.progress, epoch_ended=self.reporter.epoch_ended)
        job.run_dir = new_run_dir(self.project) if self.folder is not None else None
        self._job = job
        try:
            result = job.train()
        finally:
            self._job = None
        trial.history = dict(result.history)
        if result.reason == "error":
            trial.status, trial.message = "failed", str(result.error)
            _call(self.reporter.trial_ended, trial)
            raise kt.errors.FailedTrialError(trial.message)
        values_seen = [v for v in result.history.get(self.settings.objective, []) if math.isfinite(v)]
        if not values_seen:
            trial.status = "failed"
            trial.message = (f"the run has no {self.settings.objective}; the metrics are "
                             f"{', '.join(result.history) or 'none'}")
            _call(self.reporter.trial_ended, trial)
            raise kt.errors.FatalError(trial.message)
        trial.objective = max(values_seen) if self.settings.direction == "max" else min(values_seen)
        trial.status = "stopped" if result.reason == "stopped" else "completed"
        if job.run_dir is not None:
            trial.run_dir = str(job.run_dir)
            shared = {"tuner_trial": kt_trial.trial_id, "tuner": self.role.tuner_id} if self.role is not None else {}
            record_run(job.run_dir, variant, result, run_metrics(result.final, {}),
                       extra={"kind": "trial", "trial": trial.number, "hyperparameters": trial.hyperparameters,
                              **shared})
        if trial.status == "completed" and (self.best is None or self._better(trial.objective, self.best.objective)):
            self.best = trial
        _call(self.reporter.trial_ended, trial)
        if trial.status == "stopped":
            raise kt.errors.FatalError("stopped")
        return {self.settings.objective: trial.objective}

    def _better(self, a: float, b: float) -> bool:
        return a > b if self.settings.direction == "max" else a < b


_BUDGET_SPENT = "the trial budget is spent"


def _call(callback, *args) -> None:
    if callback is not None:
        callback(*args)


def _tuner_class():
    import keras_tuner as kt

    class StudioTuner(kt.engine.base_tuner.BaseTuner):
        """keras-tuner's bookkeeping; the studio's Search trains."""

        def __init__(self, search: Search, **kwargs):
            self.search_owner = search
            super().__init__(**kwargs)

        def run_trial(self, trial, *args, **kwargs):
            return self.search_owner.run_trial(trial)

        def save_model(self, trial_id, model, step=0):
            pass  # each trial's model is in its run folder (model files are written by the caller)

        def load_model(self, trial):
            raise NotImplementedError("load a trial's model from its run folder")

    return StudioTuner


def _StudioTuner(search: Search, **kwargs):  # noqa: N802 (a factory that reads like the class)
    return _tuner_class()(search, **kwargs)


def apply_values(project: Project, values: dict) -> tuple[Graph, dict]:
    """The graph and training settings a trial's hyperparameters give, for applying to the project."""
    return build_graph(project.graph, values), training_for(project.training, values)


__all__ = ["ALGORITHMS", "Search", "SearchError", "SearchReporter", "Trial", "TuningSettings", "apply_values",
           "build_graph"]
