"""Does the data fit the model's inputs? The one rule the engine refuses by and the window warns by.

``input_columns`` says which encoded feature columns feed each Input (all of
them for a single Input, else the data section's ``inputs`` mapping) and
``width_mismatches`` which Inputs take another number of features than their
columns give. The engine raises the first mismatch as its error; the window
shows every one before Train, with a fix that sets the Input's shape.
"""

from __future__ import annotations

from dataclasses import dataclass

from studio.core.errors import UserError
from studio.core.graph import Graph


class InputMappingError(UserError):
    """The data section does not say (or says wrongly) which columns feed an Input."""


@dataclass(frozen=True)
class WidthMismatch:
    input: str
    takes: int
    gives: int
    features: tuple[str, ...]

    def __str__(self) -> str:
        columns = ", ".join(self.features)
        if not _is_width(self.takes):
            return (f"input {self.input!r} has no proper width (its shape ends in {self.takes!r}, not a "
                    f"whole number); its columns give {self.gives} features ({columns})")
        return f"input {self.input!r} takes {self.takes} features but its columns give {self.gives} ({columns})"

    def fixed_shape(self, graph: Graph) -> list[int]:
        """The Input's shape with its last axis set to the data's feature count."""
        shape = graph.node(self.input).config.get("shape")
        shape = list(shape) if isinstance(shape, (list, tuple)) and shape else [self.takes]
        return [*shape[:-1], self.gives]


def _is_width(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def input_columns(graph: Graph, mapping: dict | None, feature_names: list[str]) -> dict[str, list[int]]:
    """Which encoded feature columns feed each Input; raises InputMappingError."""
    inputs = graph.inputs
    if not mapping:
        if len(inputs) != 1:
            raise InputMappingError(f"the model has {len(inputs)} inputs ({', '.join(inputs)}); say which "
                                    "columns feed each one in the data settings")
        mapping = {inputs[0]: feature_names}
    columns = {}
    for name in inputs:
        if name not in mapping:
            raise InputMappingError(f"no columns are chosen for input {name!r}")
        cols = []
        for column in mapping[name]:
            matches = [i for i, f in enumerate(feature_names) if f == column or f.startswith(f"{column}=")]
            if not matches:
                raise InputMappingError(f"input {name!r}: there is no feature {column!r}")
            cols += matches
        columns[name] = cols
    return columns


def width_mismatches(graph: Graph, columns: dict[str, list[int]], feature_names: list[str]) -> list[WidthMismatch]:
    """The Inputs whose last axis is not the number of feature columns that feed them."""
    found = []
    for name, cols in columns.items():
        shape = graph.node(name).config.get("shape") or []
        width = shape[-1] if isinstance(shape, (list, tuple)) and shape else shape or None
        if not _is_width(width) or width != len(cols):
            found.append(WidthMismatch(name, width, len(cols), tuple(feature_names[c] for c in cols)))
    return found


def data_mismatches(graph: Graph, mapping: dict | None, feature_names: list[str]) -> list[WidthMismatch]:
    """Every width mismatch; none where the mapping itself is wrong (the engine says that at Train)."""
    try:
        return width_mismatches(graph, input_columns(graph, mapping, feature_names), feature_names)
    except InputMappingError:
        return []
