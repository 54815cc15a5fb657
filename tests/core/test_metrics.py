"""One rule for whether a metric is better high or low."""

import pytest

from studio.core.metrics import direction, lower_is_better


@pytest.mark.parametrize("name", ["loss", "val_loss", "mae", "val_mse", "mean_absolute_error", "val_rmse",
                                  "root_mean_squared_error", "binary_crossentropy", "kl_divergence", "hinge"])
def test_losses_and_errors_are_better_low(name):
    assert lower_is_better(name) and direction(name) == "min"


@pytest.mark.parametrize("name", ["accuracy", "val_accuracy", "sparse_categorical_accuracy", "auc", "val_auc",
                                  "precision", "recall", "r2_score", "f1_score", "cosine_similarity", "iou"])
def test_scores_are_better_high(name):
    assert not lower_is_better(name) and direction(name) == "max"
