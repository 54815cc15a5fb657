"""Training one project under TensorFlow's own distribution: ``studio train --distribute``.

``mirrored`` is ``tf.distribute.MirroredStrategy`` over every local GPU (one
CPU device where there is none); ``multi-worker`` is
``MultiWorkerMirroredStrategy`` over the cluster the standard ``TF_CONFIG``
describes, or Slurm's when ``TF_CONFIG`` is not set and the process runs in a
Slurm job. The project's batch size is the global batch: every replica takes
its share of each batch and the gradients are summed across them, so the
result is what one process computes with that batch (tests/training/
test_distribute_train.py checks it on two loopback workers).

Keras 3.15 does not train under ``MultiWorkerMirroredStrategy`` as shipped
(keras-team/keras#20585): it reduces a whole data batch before the first step,
reduces scalar metrics along an axis they lack, and its multi-step loop puts
collectives inside a ``while`` loop. ``_patch_keras`` replaces the first two
for the process that trains (nothing else runs in it) and the third is avoided
by one step per execution. Only the chief writes: the run folder, its record
and the model; the other workers train and write nothing.

A CSV file streamed from disk (larger than the memory the studio may use) is
read whole by every worker in the same seeded order, and tf.distribute gives
each worker its share of every global batch, as for data in memory; so the
steps are the same on every worker (reading only its own rows would give
each worker a different number of batches, and the collectives would wait).
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass

from studio.training.errors import TrainingError

KINDS = ("mirrored", "multi-worker")
#: Seconds a collective waits for a worker before the job ends (a worker that died, a network cut).
COLLECTIVE_TIMEOUT = 300


class DistributeError(TrainingError):
    """The cluster cannot be set up as the environment describes it, or a worker was lost."""


@dataclass
class Placement:
    """Where this process trains: its strategy, and which of the workers it is."""

    kind: str
    strategy: object
    workers: int = 1
    index: int = 0  # this process among the workers (the chief is 0)
    chief: bool = True
    steps_per_execution: int | None = None  # None: the engine's own

    def describe(self) -> str:
        replicas = self.strategy.num_replicas_in_sync
        who = "the chief" if self.chief else f"worker {self.index}"
        return (f"{self.kind}: {replicas} replica{'s' if replicas != 1 else ''} on {self.workers} "
                f"worker{'s' if self.workers != 1 else ''}; this process is {who}")


def cluster_from(environ=None) -> tuple[dict, str, int] | None:
    """The cluster, task type and index that ``TF_CONFIG`` in ``environ`` describes (None: not set).

    A value that is not such a description raises DistributeError naming what is wrong.
    """
    environ = os.environ if environ is None else environ
    text = environ.get("TF_CONFIG", "").strip()
    if not text:
        return None
    try:
        config = json.loads(text)
    except ValueError as exc:
        raise DistributeError(f"TF_CONFIG is not JSON ({exc.msg} at character {exc.pos})") from None
    cluster = config.get("cluster") if isinstance(config, dict) else None
    task = config.get("task") if isinstance(config, dict) else None
    if not isinstance(cluster, dict) or not cluster or not all(
            isinstance(v, list) and v and all(isinstance(a, str) and ":" in a for a in v) for v in cluster.values()):
        raise DistributeError('TF_CONFIG needs "cluster": {"worker": ["host:port", ...]} (a list of host:port '
                              'per job)')
    unknown = sorted(set(cluster) - {"chief", "worker"})
    if unknown:
        raise DistributeError(f"TF_CONFIG's cluster has job {unknown[0]!r}; multi-worker training uses "
                              f"'chief' and 'worker' only")
    if not isinstance(task, dict) or not isinstance(task.get("type"), str) or \
            not isinstance(task.get("index"), int) or isinstance(task.get("index"), bool):
        raise DistributeError('TF_CONFIG needs "task": {"type": "worker", "index": N} for this process')
    kind, index = task["type"], task["index"]
    if kind not in cluster or not 0 <= index < len(cluster[kind]):
        raise DistributeError(f"TF_CONFIG's task ({kind} {index}) is not in its cluster "
                              f"({', '.join(f'{len(v)} {k}' for k, v in cluster.items())})")
    return cluster, kind, index


def place(kind: str, environ=None) -> Placement:
    """The strategy for ``kind`` (one of KINDS), made before any model is built (TensorFlow's rule)."""
    import tensorflow as tf
    environ = os.environ if environ is None else environ
    if kind == "mirrored":
        return Placement(kind, tf.distribute.MirroredStrategy())
    if kind != "multi-worker":
        raise DistributeError(f"unknown distribution {kind!r}; choose one of {', '.join(KINDS)}")
    described = cluster_from(environ)
    if described is not None:
        cluster, task, index = described
        resolver = tf.distribute.cluster_resolver.TFConfigClusterResolver()
        chief = task == "chief" or (task == "worker" and index == 0 and "chief" not in cluster)
        position = index + (len(cluster.get("chief", [])) if task == "worker" else 0)
        workers = sum(len(v) for v in cluster.values())
    elif environ.get("SLURM_JOB_ID"):
        resolver = tf.distribute.cluster_resolver.SlurmClusterResolver()
        position = int(environ.get("SLURM_PROCID", "0"))
        workers = int(environ.get("SLURM_NTASKS", "1"))
        chief = position == 0
    else:
        raise DistributeError("multi-worker training needs TF_CONFIG describing the cluster (or a Slurm job); "
                              "see docs/scale-out.md")
    _patch_keras()
    options = tf.distribute.experimental.CommunicationOptions(timeout_seconds=COLLECTIVE_TIMEOUT)
    strategy = tf.distribute.MultiWorkerMirroredStrategy(cluster_resolver=resolver, communication_options=options)
    return Placement(kind, strategy, workers, position, chief, steps_per_execution=1)


def lost_worker(error: BaseException) -> DistributeError | None:
    """One line for a training error that means another worker stopped (None: some other error)."""
    import tensorflow as tf
    if not isinstance(error, (tf.errors.UnavailableError, tf.errors.DeadlineExceededError,
                              tf.errors.CancelledError, tf.errors.AbortedError)):
        return None
    text = str(error)
    named = next((m for pattern in _LOST_TASK for m in [re.search(pattern, text)] if m), None)
    who = f"{named.group(1)} {named.group(2)}" if named else "another worker"
    return DistributeError(f"the job ended because {who} stopped or could not be reached; nothing was "
                           f"recorded (start every worker again)")


#: Where TensorFlow's error text names the task that went away, most telling first: the peer a collective
#: was reading from, the tasks the coordination service found without heartbeats.
_LOST_TASK = (r"remote target /job:(\w+)(?:/replica:\d+)?/task:(\d+)",
              r"unhealthy[^/]*/job:(\w+)(?:/replica:\d+)?/task:(\d+)")


def localize(job) -> None:
    """Give ``job`` (trained under a strategy) a plain model with the same weights and optimizer state.

    The chief evaluates, predicts and saves it alone: under the strategy each of
    those would be a collective that waits for the other workers.
    """
    from studio.core.keras_bridge import build_model
    from studio.training.optimizer_state import restore_state, saved_state
    trained = job.model
    weights, state = trained.get_weights(), saved_state(trained)
    job.strategy = None
    model = build_model(job.project.graph)
    model.set_weights(weights)
    job.model = model
    job._compile()
    if state is not None:
        model.optimizer.build(model.trainable_variables)
        restore_state(model, state)


def barrier(placement: Placement) -> None:
    """Wait until every worker gets here: the others wait while the chief records the run."""
    if placement.workers <= 1:
        return
    import tensorflow as tf
    strategy = placement.strategy

    @tf.function
    def together():
        return strategy.reduce("SUM", strategy.run(lambda: tf.constant(1.0)), axis=None)
    together()


_patched = False


def _patch_keras() -> None:
    """Let Keras 3's TensorFlow trainer run under MultiWorkerMirroredStrategy (keras-team/keras#20585)."""
    global _patched
    if _patched:
        return
    from keras import tree
    from keras.src.backend.tensorflow import trainer

    reduce_per_replica = trainer.reduce_per_replica

    def reduce_scalars_too(values, strategy, reduction="auto"):
        # Keras reduces each log "MEAN" along axis 0, which a scalar metric lacks
        if reduction in ("auto", "mean") and trainer._collective_all_reduce_multi_worker(strategy):
            return tree.map_structure(lambda v: strategy.reduce("MEAN", v, axis=None), values)
        return reduce_per_replica(values, strategy, reduction)

    def symbolic_build(self, iterator=None, data_batch=None):
        # Keras reduces the first distributed batch across workers to build the metrics; it needs only
        # the batch's shapes and dtypes, which the dataset's element spec has. (Reading a batch would
        # also start one more pass over a streamed file, whose shuffle would then differ from one
        # process's.)
        if self._distribute_strategy is None:
            return
        if iterator is not None:
            data_batch = iterator.data_adapter.get_tf_dataset().element_spec
        with self.distribute_strategy.scope():
            self._symbolic_build(data_batch=data_batch)

    trainer.reduce_per_replica = reduce_scalars_too
    trainer.TensorFlowTrainer._maybe_symbolic_build = symbolic_build
    _patched = True
