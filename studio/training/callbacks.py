"""Keras callbacks from the settings' ``callbacks`` section, using Keras' own classes.

The one replacement is the checkpoint: Keras' ModelCheckpoint writes the file
in place, so a crash mid-write would destroy the best model so far; this one
saves through the engine's atomic model writer.
"""

from __future__ import annotations

import math
from pathlib import Path

from studio.core.metrics import lower_is_better
from studio.core.schema import callback_defaults


def build_callbacks(keras, config: dict, run_dir: Path | None) -> list:
    """The Keras callbacks a (checked) ``callbacks`` section turns on; options it leaves out take the
    schema's defaults (studio.core.schema.CALLBACKS)."""
    callbacks = []
    config = config or {}
    if config.get("early_stopping"):
        cfg = _options("early_stopping", config["early_stopping"])
        callbacks.append(keras.callbacks.EarlyStopping(
            monitor=cfg["monitor"], patience=int(cfg["patience"]), min_delta=float(cfg["min_delta"]),
            restore_best_weights=bool(cfg["restore_best_weights"])))
    if config.get("reduce_lr_on_plateau"):
        cfg = _options("reduce_lr_on_plateau", config["reduce_lr_on_plateau"])
        callbacks.append(keras.callbacks.ReduceLROnPlateau(
            monitor=cfg["monitor"], factor=float(cfg["factor"]), patience=int(cfg["patience"]),
            min_lr=float(cfg["min_lr"])))
    needs_folder = [name for name in ("model_checkpoint", "tensorboard", "csv_logger") if config.get(name)]
    if needs_folder and run_dir is None:
        return callbacks  # nowhere to write: a run without a project folder skips them
    if config.get("model_checkpoint"):
        cfg = _options("model_checkpoint", config["model_checkpoint"])
        callbacks.append(_checkpoint(keras, Path(run_dir) / "best.h5", cfg["monitor"]))
    if config.get("tensorboard"):
        callbacks.append(keras.callbacks.TensorBoard(log_dir=str(Path(run_dir) / "tensorboard")))
    if config.get("csv_logger"):
        callbacks.append(keras.callbacks.CSVLogger(str(Path(run_dir) / "history.csv")))
    return callbacks


def _options(name: str, value) -> dict:
    """The callback's options: the schema's defaults, overridden by those the project gives."""
    given = {key: v for key, v in value.items() if v is not None} if isinstance(value, dict) else {}
    return {**callback_defaults(name), **given}


def _checkpoint(keras, path: Path, monitor: str):
    from studio.training.model_files import save_model

    class AtomicCheckpoint(keras.callbacks.Callback):
        """Saves the best model so far (by ``monitor``), atomically."""

        def __init__(self):
            super().__init__()
            self.best = math.inf
            self.higher_is_better = not lower_is_better(monitor)

        def on_epoch_end(self, epoch, logs=None):
            value = (logs or {}).get(monitor)
            if value is None or not math.isfinite(value):
                return
            score = -value if self.higher_is_better else value
            if score < self.best:
                self.best = score
                path.parent.mkdir(parents=True, exist_ok=True)
                save_model(self.model, path, {"epoch": epoch + 1, monitor: float(value)})

    return AtomicCheckpoint()
