"""The default of every setting in a project's data section, defined once.

The data panel shows these where the project sets nothing, the training engine
trains with them, and the run report prints them; none of them keeps its own
copy. A project with no ``source`` has no data: nothing here pretends it has
one (the panel asks the user to choose, the engine says there is none).

Importing this module is cheap (no NumPy, no pandas): the window reads it at
start-up.
"""

from __future__ import annotations

IMAGE_SOURCES = ("mnist", "images")
SOURCES = (*IMAGE_SOURCES, "csv")

#: What a CSV target can be learned as (``data.task``; unset: inferred from the target column).
TASKS = ("regression", "binary", "multiclass", "multilabel")
#: What happens to a row with a missing feature (``data.missing``): dropped, filled (studio.data.encoding
#: computes the fill from the training rows) or refused.
MISSING_POLICIES = ("drop", "mean", "median", "most_frequent", "error")

#: Image sets (MNIST and other MNIST-format sets): all training images, a
#: tenth of them held out for validation; the test set is the set's own.
IMAGE_DEFAULTS = {"limit": None, "validation": 0.1, "seed": 42}

#: CSV files: 15 % validation and 15 % test rows, rows with missing features
#: dropped, features standardised by a Normalization layer, no class weights.
CSV_DEFAULTS = {"validation": 0.15, "test": 0.15, "seed": 42, "missing": "drop", "normalize": True,
                "class_weight": None}


def defaults_for(source: str | None) -> dict:
    """The defaults of one source (empty for no source or an unknown one)."""
    if source in IMAGE_SOURCES:
        return dict(IMAGE_DEFAULTS)
    if source == "csv":
        return dict(CSV_DEFAULTS)
    return {}


def data_settings(section: dict | None) -> dict:
    """The data section as it will be used: every setting it leaves unset (absent or None) filled from
    the defaults of its source."""
    section = dict(section or {})
    merged = defaults_for(section.get("source"))
    merged.update({key: value for key, value in section.items() if value is not None or key not in merged})
    return merged
