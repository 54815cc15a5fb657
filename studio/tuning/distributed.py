"""keras-tuner's own distributed search, for ``studio tune --distributed``.

One process is the chief: it runs the oracle (keras-tuner's gRPC server),
which hands out trials and keeps their results, and trains nothing. Every
other process is a tuner worker: it asks the chief for a trial, trains it with
the studio's engine on its own copy of the data and records it as a run in the
project's runs folder (a folder all of them share, as on a cluster's shared
disk). keras-tuner's variables say who is who: ``KERASTUNER_TUNER_ID``
("chief", or a name per worker), ``KERASTUNER_ORACLE_IP`` and
``KERASTUNER_ORACLE_PORT`` (where the chief listens).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from studio.core.errors import UserError

VARIABLES = ("KERASTUNER_TUNER_ID", "KERASTUNER_ORACLE_IP", "KERASTUNER_ORACLE_PORT")


class TuningClusterError(UserError):
    """keras-tuner's variables do not describe a distributed search."""


@dataclass(frozen=True)
class Role:
    """This process's part in a distributed search."""

    tuner_id: str
    address: str  # where the chief's oracle listens: host:port

    @property
    def chief(self) -> bool:
        return "chief" in self.tuner_id  # keras-tuner's own rule (distribute.utils.is_chief_oracle)

    def describe(self) -> str:
        return (f"distributed search: the chief oracle, listening on {self.address}" if self.chief
                else f"distributed search: tuner {self.tuner_id}, asking the oracle at {self.address}")


def role_from(environ=None) -> Role:
    """This process's role, from keras-tuner's variables; TuningClusterError says what is missing or wrong."""
    environ = os.environ if environ is None else environ
    missing = [name for name in VARIABLES if not environ.get(name, "").strip()]
    if missing:
        raise TuningClusterError(f"a distributed search needs {', '.join(missing)} set (the chief: "
                                 f"KERASTUNER_TUNER_ID=chief; each worker its own id); see docs/scale-out.md")
    tuner_id, ip, port = (environ[name].strip() for name in VARIABLES)
    if not re.fullmatch(r"[A-Za-z0-9_.-]{1,64}", tuner_id):
        raise TuningClusterError(f"KERASTUNER_TUNER_ID {tuner_id[:40]!r} is not a name (letters, digits, "
                                 f"'_', '-', '.')")
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise TuningClusterError(f"KERASTUNER_ORACLE_PORT {port[:20]!r} is not a port number (1-65535)")
    return Role(tuner_id, f"{ip}:{port}")


def chief_best(oracle, objective: str, runs: list[dict]) -> dict | None:
    """What the chief reports once every trial has ended: the best trial's values, objective and run.

    ``runs`` are the project's recorded runs, where each worker recorded its
    trials with the oracle's trial id.
    """
    finished = [t for t in oracle.trials.values() if t.status == "COMPLETED" and t.score is not None]
    best = oracle.get_best_trials(1)
    if not best or best[0].score is None:
        return None
    trial = best[0]
    values = {k: v for k, v in trial.hyperparameters.values.items() if not k.startswith("tuner/")}
    run = next((r for r in runs if r.get("kind") == "trial" and r.get("tuner_trial") == trial.trial_id), None)
    return {"best_hyperparameters": values, "best_objective": float(trial.score), "objective": objective,
            "trials": len(finished), "best_run": run["dir"] if run else None, "best_trial": trial.trial_id}
