"""Fuzzing project files: random type changes in the bundled examples never get past the checks as a traceback.

Each case takes an example project (or a lab's), gives one to three random fields a value
of another type (text, numbers, huge and negative whole numbers, NaN,
infinities, lists, objects, null, nesting 40 or 200,000 deep), and then reads
it and checks it as ``studio check`` and the engine do. Allowed outcomes: a
ProjectError when read, or problems from the checks, every one a single line;
anything else (a TypeError, a RecursionError, ...) fails the test. A few cases
that pass every check are built as Keras models, which must then succeed.
Fixed seed, so a failure is reproducible by its case number.
"""

import copy
import json
import random

import pytest
from conftest import EXAMPLES, ROOT

from studio.core import registries
from studio.core.keras_bridge import build_model
from studio.core.project import ProjectError, parse_json, project_from_dict
from studio.core.validation import validate
from studio.training.settings import project_problems

CASES = 300
BUILT = 5  # cases that pass every check and are built as Keras models (a build takes ~0.3 s)


def _paths(value, path=()):
    """Every (path) to a value inside a project dict, containers included."""
    found = [path] if path else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found += _paths(item, (*path, i))
    return found


def _nested(depth):
    value = 1
    for _ in range(depth):
        value = [value]
    return value


def _random_value(rng: random.Random):
    return rng.choice([
        lambda: "abc", lambda: "", lambda: "x" * 5000, lambda: "a/b", lambda: "<script>",
        lambda: 0, lambda: -1, lambda: 7, lambda: 2 ** 70, lambda: -(2 ** 70), lambda: 10 ** 30,
        lambda: 0.5, lambda: -3.5, lambda: 1e308, lambda: float("nan"), lambda: float("inf"),
        lambda: True, lambda: False, lambda: None,
        lambda: [], lambda: [1, 2], lambda: ["a", "b"], lambda: [[1], [2]], lambda: [None],
        lambda: {}, lambda: {"a": 1}, lambda: {"class_name": "GlorotUniform", "config": {"x": 1}},
        lambda: {"class_name": 5}, lambda: _nested(40),
    ])()


def _mutate(project: dict, rng: random.Random) -> tuple[dict, list]:
    project = copy.deepcopy(project)
    changed = []
    for _ in range(rng.randint(1, 3)):
        path = rng.choice(_paths(project))
        parent = project
        for key in path[:-1]:
            parent = parent[key]
        if rng.random() < 0.1 and isinstance(parent, dict):  # an extra key beside it
            parent[f"extra_{rng.randint(0, 9)}"] = _random_value(rng)
        else:
            parent[path[-1]] = _random_value(rng)
        changed.append(path)
    return project, changed


def _one_line(text: str, case: int):
    assert text and "\n" not in text and "Traceback" not in text, f"case {case}: {text!r}"
    assert len(text) < 600, f"case {case}: a message of {len(text)} characters"


@pytest.fixture(scope="module")
def examples():
    registries.keras()  # the Keras-level checks are part of what is fuzzed
    # The examples, and the labs' projects for the sections the examples leave out (tuning, more callbacks).
    paths = [*EXAMPLES, *sorted((ROOT / "resources" / "labs").glob("*/*.studio.json"))]
    return [json.loads(path.read_text(encoding="utf-8")) for path in paths]


def test_random_type_changes_give_messages_never_tracebacks(examples):
    rng = random.Random(15)
    outcomes = {"refused when read": 0, "problems": 0, "passed": 0, "built": 0}
    for case in range(CASES):
        data, changed = _mutate(rng.choice(examples), rng)
        text = json.dumps(data)  # NaN and Infinity as Python writes them: what a hand-edited file may hold
        if case % 50 == 0:  # nesting far deeper than the parser's recursion limit
            text = text[:-1] + ', "deep": ' + "[" * 200_000 + "]" * 200_000 + "}"
        try:
            project = project_from_dict(parse_json(text, "fuzz"), "fuzz")
        except ProjectError as exc:
            outcomes["refused when read"] += 1
            for line in str(exc).splitlines():
                _one_line(line, case)
            continue
        report = validate(project.graph)
        problems = [str(p) for p in report.errors] + project_problems(project)
        for line in problems:
            _one_line(line, case)
        if problems:
            outcomes["problems"] += 1
            continue
        outcomes["passed"] += 1
        graph_changed = any(path[0] == "graph" for path in changed)
        if graph_changed and outcomes["built"] < BUILT and report.total_params < 1_000_000:
            model = build_model(project.graph)  # what passed the check must build
            assert model.count_params() == report.total_params, f"case {case}"
            outcomes["built"] += 1
    # The fuzzing reaches every outcome, so none of them is untested by accident.
    assert all(outcomes.values()), outcomes


def test_values_are_never_quoted_at_length():
    """A message quotes a short piece of a value at most: never a long text, never a container's content."""
    data = json.loads(EXAMPLES[0].read_text(encoding="utf-8"))
    data["data"] = {"source": "csv", "path": ["secret"] * 3, "target": "root:x:0:0:" + "y" * 500}
    data["training"]["seed"] = {"password": "hunter2"}
    with pytest.raises(ProjectError) as info:
        project_from_dict(data, "p")
    message = str(info.value)
    assert "secret" not in message and "hunter2" not in message and "y" * 50 not in message
    assert "data.path" in message and "training.seed" in message
