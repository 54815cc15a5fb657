"""Keras callbacks from the settings' ``callbacks`` section, using Keras' own classes.

The one replacement is the checkpoint: Keras' ModelCheckpoint writes the file
in place, so a crash mid-write would destroy the best model so far; this one
saves through the engine's atomic model writer.
"""

from __future__ import annotations

import math
from pathlib import Path


def build_callbacks(keras, config: dict, run_dir: Path | None) -> list:
    callbacks = []
    if config.get("early_stopping"):
        cfg = _options(config["early_stopping"])
        callbacks.append(keras.callbacks.EarlyStopping(
            monitor=cfg.get("monitor", "val_loss"), patience=int(cfg.get("patience", 5)),
            min_delta=float(cfg.get("min_delta", 0.0)), restore_best_weights=bool(cfg.get("restore_best_weights", True))))
    if config.get("reduce_lr_on_plateau"):
        cfg = _options(config["reduce_lr_on_plateau"])
        callbacks.append(keras.callbacks.ReduceLROnPlateau(
            monitor=cfg.get("monitor", "val_loss"), factor=float(cfg.get("factor", 0.5)),
            patience=int(cfg.get("patience", 3)), min_lr=float(cfg.get("min_lr", 0.0))))
    needs_folder = [name for name in ("model_checkpoint", "tensorboard", "csv_logger") if config.get(name)]
    if needs_folder and run_dir is None:
        return callbacks  # nowhere to write: a run without a project folder skips them
    if config.get("model_checkpoint"):
        cfg = _options(config["model_checkpoint"])
        callbacks.append(_checkpoint(keras, Path(run_dir) / "best.h5", cfg.get("monitor", "val_loss")))
    if config.get("tensorboard"):
        callbacks.append(keras.callbacks.TensorBoard(log_dir=str(Path(run_dir) / "tensorboard")))
    if config.get("csv_logger"):
        callbacks.append(keras.callbacks.CSVLogger(str(Path(run_dir) / "history.csv")))
    return callbacks


def _options(value) -> dict:
    return value if isinstance(value, dict) else {}


def _checkpoint(keras, path: Path, monitor: str):
    from studio.training.model_files import save_model

    class AtomicCheckpoint(keras.callbacks.Callback):
        """Saves the best model so far (by ``monitor``), atomically."""

        def __init__(self):
            super().__init__()
            self.best = math.inf
            self.higher_is_better = any(word in monitor for word in ("acc", "auc", "precision", "recall"))

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
