"""Train / validation / test splits (stratified for classes) and class weights."""

from __future__ import annotations

import numpy as np

from studio.data.errors import DataError


def check_fractions(validation: float, test: float) -> None:
    for name, value in (("validation", validation), ("test", test)):
        if not 0 <= value < 1:
            raise DataError(f"the {name} share must be from 0 up to (not including) 1, got {value:g}")
    if validation + test >= 1:
        raise DataError(f"validation ({validation:.0%}) and test ({test:.0%}) leave nothing to train on")


def _counts(n: int, validation: float, test: float) -> tuple[int, int]:
    n_test = int(round(n * test))
    n_val = int(round(n * validation))
    return n_val, n_test


def split_indices(n: int, validation: float, test: float, seed: int,
                  strata: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Index arrays (train, validation, test), each in ascending order; which rows go where is random.

    With ``strata`` (class indices) each class is split in the same
    proportions, so rare classes appear in every split when they can.
    """
    check_fractions(validation, test)
    rng = np.random.default_rng(seed)
    groups = [np.arange(n)] if strata is None else [np.flatnonzero(strata == c) for c in np.unique(strata)]
    chosen = np.zeros(n, dtype=np.int8)  # 0 train, 1 validation, 2 test
    for group in groups:
        group = rng.permutation(group)
        n_val, n_test = _counts(len(group), validation, test)
        chosen[group[:n_test]] = 2
        chosen[group[n_test:n_test + n_val]] = 1
    # Each split keeps the file's row order: gathering rows in order is several times faster
    # than at random, and training shuffles every epoch anyway.
    train, val, test_idx = (np.flatnonzero(chosen == k) for k in range(3))
    needed = [("training", train, True), ("validation", val, validation > 0), ("test", test_idx, test > 0)]
    for name, idx, wanted in needed:
        if wanted and len(idx) == 0:
            raise DataError(f"{n} row{'s' if n != 1 else ''} are too few: the {name} split would be "
                            "empty. Use more data or change the split")
    return train, val, test_idx


def balanced_class_weights(y: np.ndarray, n_classes: int) -> dict[int, float]:
    """n_samples / (n_classes * count) per class, as scikit-learn's 'balanced'."""
    counts = np.bincount(y.astype(int), minlength=n_classes)
    return {c: float(len(y) / (n_classes * counts[c])) if counts[c] else 0.0 for c in range(n_classes)}
