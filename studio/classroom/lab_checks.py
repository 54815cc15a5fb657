"""The check items a lab's ``lab.json`` can list, and ``check_lab`` that runs them.

Structure items look at the student's current project; result items look at
the newest finished run recorded beside it (``NAME.runs/``), and fail when the
project has changed since that run, so a pass always means "this model,
trained". Every item returns one line in English and Korean; a failed item
adds the lab's hint for it.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from studio.classroom.perceptron import load_perceptron_data, train_perceptron
from studio.core.advisor import DataFacts, advise
from studio.core.codegen import sequential_problem
from studio.core.graph import record_inputs
from studio.core.schema import learning_rate_of
from studio.core.project import Project
from studio.data.errors import DataError
from studio.training.data_source import TrainingData, first_output, load_training_data
from studio.training.runs import list_runs


_FINISHED = ("completed", "early_stopped", "stopped")


@dataclass
class ItemResult:
    ok: bool
    en: str
    ko: str
    hint_en: str = ""
    hint_ko: str = ""

    def text(self, language: str = "en") -> str:
        return self.ko if language == "ko" else self.en

    def hint(self, language: str = "en") -> str:
        return (self.hint_ko or self.hint_en) if language == "ko" else self.hint_en


@dataclass
class CheckResult:
    items: list[ItemResult] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return bool(self.items) and all(item.ok for item in self.items)

    def report(self, language: str = "en") -> str:
        lines = []
        for item in self.items:
            lines.append(f"{'PASS' if item.ok else 'FAIL'}  {item.text(language)}")
            if not item.ok and item.hint(language):
                lines.append(f"      {'힌트' if language == 'ko' else 'Hint'}: {item.hint(language)}")
        return "\n".join(lines)


@dataclass
class Attempt:
    """What the check looks at: the student's folder, project, runs and perceptron settings."""

    lab: object
    folder: Path
    project: Project | None
    runs: list[dict]
    perceptron: dict | None

    def __post_init__(self):
        # Learning-rate finder sweeps are runs of the project, but not models a lab check can judge.
        self.runs = [r for r in self.runs if r.get("kind") != "finder"]

    def newest_run(self) -> dict | None:
        finished = [r for r in self.runs if r.get("reason") in _FINISHED]
        return finished[-1] if finished else None

    def changed_since(self, run: dict) -> bool:
        """True when the current model or settings are not the ones the run trained."""
        if self.project is None:
            return False
        return (_model_signature(self.project.graph.to_dict()) != _model_signature(run.get("graph", {}))
                or _settings(self.project.training) != _settings(run.get("training", {})))


def _settings(training: dict) -> dict:
    """The training settings that change what a model learns; the number of epochs is left out."""
    return {k: v for k, v in (training or {}).items() if k != "epochs"}


def _model_signature(graph: dict) -> list:
    """Layers and their settings, leaving out the feature statistics training writes and positions."""
    layers = []
    for layer in graph.get("layers", []):
        if layer.get("class_name") == "Normalization":
            continue
        config = {k: v for k, v in (layer.get("config") or {}).items() if k not in ("mean", "variance")}
        layers.append((layer.get("name"), layer.get("class_name"), repr(sorted(config.items()))))
    return sorted(layers) + [tuple(record_inputs(graph)), tuple(graph.get("outputs", []))]


# -- the items ----------------------------------------------------------------------------

def _graph(attempt: Attempt):
    if attempt.project is None:
        raise _Missing("the lab's project is missing", "실습 프로젝트가 없습니다")
    return attempt.project.graph


class _Missing(Exception):
    def __init__(self, en: str, ko: str):
        super().__init__(en)
        self.en, self.ko = en, ko


def item_perceptron(attempt: Attempt, spec: dict) -> ItemResult:
    settings = attempt.perceptron or {}
    try:
        data = load_perceptron_data(settings["data"], settings["features"], settings["target"],
                                    settings["positive"])
        run = train_perceptron(data, float(settings.get("learning_rate", 1.0)), int(settings.get("epochs", 10)),
                               int(settings.get("seed", 42)))
    except (DataError, KeyError, TypeError, ValueError) as exc:
        return ItemResult(False, f"The perceptron cannot run: {exc}", f"퍼셉트론을 실행할 수 없습니다: {exc}")
    need = float(spec.get("min_accuracy", 1.0))
    accuracy = run.accuracy(data)
    ok = accuracy >= need and (run.converged or not spec.get("converged", True))
    state_en = "converged" if run.converged else "did not converge"
    state_ko = "수렴했습니다" if run.converged else "수렴하지 않았습니다"
    return ItemResult(ok,
                      f"Perceptron on {', '.join(data.features)} for '{data.positive}': {state_en} after "
                      f"{len(run.errors)} epoch{'' if len(run.errors) == 1 else 's'}, training accuracy {accuracy:.3f} (needed {need:.2f})",
                      f"'{data.positive}'에 대한 퍼셉트론({', '.join(data.features)}): {len(run.errors)} 에포크 후 "
                      f"{state_ko}. 훈련 정확도 {accuracy:.3f} (기준 {need:.2f})")


def item_sequential(attempt: Attempt, spec: dict) -> ItemResult:
    problem = sequential_problem(_graph(attempt))
    return ItemResult(problem is None,
                      "The model is one straight chain of layers (Sequential API)"
                      + ("" if problem is None else f": {problem}"),
                      "모델이 층을 일렬로 쌓은 구조입니다 (Sequential API)"
                      + ("" if problem is None else f": {problem}"))


def item_inputs(attempt: Attempt, spec: dict) -> ItemResult:
    count = len(_graph(attempt).inputs)
    need = int(spec["count"])
    return ItemResult(count == need, f"The model has {need} input(s) (yours: {count})",
                      f"모델의 입력이 {need}개입니다 (현재 {count}개)")


def item_outputs(attempt: Attempt, spec: dict) -> ItemResult:
    count = len(_graph(attempt).outputs)
    need = int(spec.get("min", 1))
    return ItemResult(count >= need, f"The model has at least {need} outputs (yours: {count})",
                      f"모델의 출력이 {need}개 이상입니다 (현재 {count}개)")


def _nonlinear(activation) -> bool:
    return activation not in (None, "linear")


def item_hidden(attempt: Attempt, spec: dict) -> ItemResult:
    graph = _graph(attempt)
    hidden = [n for n in graph if n.class_name == "Dense" and n.name not in graph.outputs
              and _nonlinear(n.config.get("activation"))]
    hidden += [n for n in graph if n.class_name == "Activation" and _nonlinear(n.config.get("activation"))]
    need = int(spec.get("min", 1))
    return ItemResult(len(hidden) >= need,
                      f"At least {need} hidden layer(s) with a non-linear activation (yours: {len(hidden)})",
                      f"비선형 활성화 함수를 쓰는 은닉층이 {need}개 이상입니다 (현재 {len(hidden)}개)")


def _reaches_without(graph, start: str, goal: str, blocked: str) -> bool:
    """Whether ``start`` feeds ``goal`` along a path with no layer of class ``blocked``."""
    stack = [start]
    seen = set()
    while stack:
        name = stack.pop()
        if name == goal:
            return True
        if name in seen:
            continue
        seen.add(name)
        for dst, _ in graph.consumers(name):
            if dst == goal or graph.node(dst).class_name != blocked:
                stack.append(dst)
    return False


def item_wide_and_deep(attempt: Attempt, spec: dict) -> ItemResult:
    graph = _graph(attempt)
    merges = [n for n in graph if n.class_name == "Concatenate"]
    ok = False
    for merge in merges:
        wide = any(_reaches_without(graph, i, merge.name, "Dense") for i in graph.inputs)
        deep = any(graph.node(src).class_name in ("Dense", "Dropout", "BatchNormalization", "Activation")
                   for src in merge.inputs)
        ok = ok or (wide and deep)
    return ItemResult(ok, "A Concatenate joins a wide path (an input with no Dense layer on the way) and a deep "
                          "path (through Dense layers)",
                      "Concatenate 층이 넓은 경로(Dense 층을 거치지 않은 입력)와 깊은 경로(Dense 층을 거친 출력)를 "
                      "합칩니다")


def _loss_key(loss) -> str:
    name = loss.get("class_name", "") if isinstance(loss, dict) else str(loss)
    key = re.sub(r"[^a-z]", "", name.lower())
    return {"mse": "meansquarederror", "mae": "meanabsoluteerror"}.get(key, key)


def item_loss(attempt: Attempt, spec: dict) -> ItemResult:
    graph = _graph(attempt)
    loss = attempt.project.training.get("loss")
    output = spec.get("output") or (graph.outputs[0] if graph.outputs else None)
    if isinstance(loss, dict) and "class_name" not in loss:
        loss = loss.get(output)
    allowed = spec["one_of"]
    ok = _loss_key(loss) in {_loss_key(a) for a in allowed}
    shown = loss.get("class_name") if isinstance(loss, dict) else loss
    return ItemResult(ok, f"The loss is one of {', '.join(allowed)} (yours: {shown})",
                      f"손실 함수가 {', '.join(allowed)} 중 하나입니다 (현재 {shown})")


def item_loss_weights(attempt: Attempt, spec: dict) -> ItemResult:
    graph = _graph(attempt)
    weights = attempt.project.training.get("loss_weights") or {}
    outputs = graph.outputs
    main = outputs[0] if outputs else None
    ok = (len(outputs) >= 2 and all(o in weights for o in outputs)
          and all(weights[main] > weights[o] for o in outputs[1:]))
    shown = ", ".join(f"{o}={weights.get(o, 'none')}" for o in outputs)
    return ItemResult(ok, f"Each output has a loss weight and the main output ({main}) weighs most (yours: {shown})",
                      f"출력마다 손실 가중치가 있고 주 출력({main})의 가중치가 가장 큽니다 (현재 {shown})")


def item_callbacks(attempt: Attempt, spec: dict) -> ItemResult:
    _graph(attempt)
    on = {name for name, value in (attempt.project.training.get("callbacks") or {}).items() if value}
    need = list(spec["required"])
    missing = [name for name in need if name not in on]
    return ItemResult(not missing, f"Callbacks on: {', '.join(need)}"
                      + (f" (missing: {', '.join(missing)})" if missing else ""),
                      f"콜백 사용: {', '.join(need)}" + (f" (빠진 것: {', '.join(missing)})" if missing else ""))


def _trained_run(attempt: Attempt) -> tuple[dict | None, ItemResult | None]:
    run = attempt.newest_run()
    if run is None:
        return None, ItemResult(False, "No finished training run yet: train the model first",
                                "끝난 훈련 기록이 아직 없습니다. 먼저 모델을 훈련하세요")
    if attempt.changed_since(run):
        return None, ItemResult(False, "The model or its settings changed after the last run: train it again so "
                                       "the check sees the current version",
                                "마지막 훈련 뒤에 모델이나 설정이 바뀌었습니다. 현재 버전을 확인하려면 다시 훈련하세요")
    return run, None


def item_metric(attempt: Attempt, spec: dict) -> ItemResult:
    """A recorded metric of the newest run (``best``: of the best of all runs) against a bound."""
    split, name = spec.get("split", "test"), spec["name"]
    label = {"test": ("test", "테스트"), "validation": ("validation", "검증"), "train": ("training", "훈련")}[split]
    higher = "min" in spec
    bound = ("at least", "이상", spec["min"]) if higher else ("at most", "이하", spec["max"])
    what_en = f"{'Best ' if spec.get('best') else ''}{label[0]} {name} {bound[0]} {bound[2]}"
    what_ko = f"{'가장 좋은 ' if spec.get('best') else ''}{label[1]} {name} {bound[2]} {bound[1]}"
    if spec.get("best"):
        runs = [r for r in attempt.runs if r.get("reason") in _FINISHED]
        if not runs:
            return ItemResult(False, f"{what_en}: no finished training run yet; train the model first",
                              f"{what_ko}: 끝난 훈련 기록이 아직 없습니다. 먼저 모델을 훈련하세요")
    else:
        run, failure = _trained_run(attempt)
        if failure is not None:
            return ItemResult(False, f"{what_en}: {failure.en}", f"{what_ko}: {failure.ko}")
        runs = [run]
    values = [v for v in ((r.get("metrics", {}).get(split) or {}).get(name) for r in runs)
              if isinstance(v, (int, float)) and math.isfinite(v)]
    if not values:
        return ItemResult(False, f"{what_en} (yours: not measured)", f"{what_ko} (현재: 측정되지 않음)")
    value = max(values) if higher else min(values)
    ok = value >= spec["min"] if higher else value <= spec["max"]
    return ItemResult(ok, f"{what_en} (yours: {value:.4g})", f"{what_ko} (현재 {value:.4g})")


def item_early_stop(attempt: Attempt, spec: dict) -> ItemResult:
    run, failure = _trained_run(attempt)
    if failure is not None:
        return failure
    stopped = run.get("reason") == "early_stopped"
    best = Path(run["dir"]) / "best.h5"
    ok = stopped and best.is_file()
    return ItemResult(ok, f"The last run stopped early ({'yes' if stopped else 'no'}) and saved its best model "
                          f"({'yes' if best.is_file() else 'no'})",
                      f"마지막 훈련이 조기 종료되었고({'예' if stopped else '아니오'}) 최고 모델을 저장했습니다"
                      f"({'예' if best.is_file() else '아니오'})")


def _run_signature(run: dict) -> tuple:
    graph = run.get("graph", {})
    dense = [layer.get("config", {}).get("units") for layer in graph.get("layers", [])
             if layer.get("class_name") == "Dense"]
    training = run.get("training", {})
    optimizer = training.get("optimizer") if isinstance(training.get("optimizer"), dict) else {}
    return tuple(dense), learning_rate_of(training), training.get("batch_size"), optimizer.get("class_name")


def item_runs(attempt: Attempt, spec: dict) -> ItemResult:
    finished = [r for r in attempt.runs if r.get("reason") in _FINISHED]
    if spec.get("tensorboard"):
        finished = [r for r in finished if any((Path(r["dir"]) / "tensorboard").rglob("events.out.tfevents*"))]
    distinct = len({_run_signature(r) for r in finished})
    need = int(spec.get("min", 2))
    what_en = "runs with TensorBoard logs" if spec.get("tensorboard") else "runs"
    what_ko = "TensorBoard 기록이 있는 훈련" if spec.get("tensorboard") else "훈련"
    return ItemResult(distinct >= need,
                      f"At least {need} {what_en} with different layers, neurons, learning rate or batch size "
                      f"(yours: {distinct})",
                      f"층, 뉴런 수, 학습률 또는 배치 크기가 서로 다른 {what_ko}이 {need}개 이상입니다 (현재 {distinct}개)")


def item_locked(attempt: Attempt, spec: dict) -> ItemResult:
    """Settings an assignment fixes ({"data.target": "species", "training.seed": 42, ...}) are unchanged."""
    _graph(attempt)
    sections = {"data": attempt.project.data, "training": attempt.project.training}
    changed = []
    for dotted, want in spec["values"].items():
        section, _, rest = dotted.partition(".")
        value = sections.get(section, {})
        for part in rest.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        if value != want:
            changed.append((dotted, json.dumps(want, ensure_ascii=False), json.dumps(value, ensure_ascii=False)))
    if not changed:
        return ItemResult(True, "The settings the assignment fixes are unchanged",
                          "과제에서 정한 설정이 바뀌지 않았습니다")
    return ItemResult(False, "Settings the assignment fixes were changed: " +
                      "; ".join(f"{d} should be {w} (now {v})" for d, w, v in changed),
                      "과제에서 정한 설정이 바뀌었습니다: " +
                      "; ".join(f"{d}은(는) {w}이어야 합니다(현재 {v})" for d, w, v in changed))


def item_advisor(attempt: Attempt, spec: dict) -> ItemResult:
    graph = _graph(attempt)
    try:
        data = load_training_data(attempt.project.copy(graph=graph))
    except DataError as exc:
        return ItemResult(False, f"The data cannot be read: {exc}", f"데이터를 읽을 수 없습니다: {exc}")
    findings = advise(graph, attempt.project.training, facts_for(data), attempt.project.data)
    if not findings:
        return ItemResult(True, "The task advisor finds nothing wrong with the outputs, loss and layers",
                          "작업 도우미가 출력, 손실, 층에서 문제를 찾지 못했습니다")
    first = findings[0]
    return ItemResult(False, f"The task advisor has {len(findings)} finding(s); first: {first.en}",
                      f"작업 도우미가 {len(findings)}개의 문제를 찾았습니다. 첫 번째: {first.ko}")


def facts_for(data: TrainingData) -> DataFacts:
    """What the advisor needs to know of loaded training data."""
    if data.preprocessing.get("kind") == "images":
        return DataFacts("multiclass", len(data.class_names), "integer", raw_pixels=True)
    y = first_output(data.y_train)
    if data.task == "regression":
        width = 1 if y.ndim == 1 else y.shape[1]
        return DataFacts("regression", width, positive=bool(len(y)) and float(y.min()) >= 0)
    return DataFacts(data.task, len(data.class_names), "integer")


ITEMS = {
    "perceptron": item_perceptron,
    "sequential": item_sequential,
    "inputs": item_inputs,
    "outputs": item_outputs,
    "hidden": item_hidden,
    "wide_and_deep": item_wide_and_deep,
    "loss": item_loss,
    "loss_weights": item_loss_weights,
    "callbacks": item_callbacks,
    "metric": item_metric,
    "early_stop": item_early_stop,
    "runs": item_runs,
    "advisor": item_advisor,
    "locked": item_locked,
}


def unknown_check_kind(items: list) -> str | None:
    """What is wrong with the kinds of a lab's check items (None when every one is a kind listed in ITEMS)."""
    for i, item in enumerate(items):
        kind = item.get("kind") if isinstance(item, dict) else None
        if not isinstance(kind, str) or kind not in ITEMS:
            said = f"an unknown kind {kind[:30]!r}" if isinstance(kind, str) else "no known kind"
            return f"check item {i + 1} has {said}; known: {', '.join(ITEMS)}"
    return None


def attempt_for(lab, folder: Path) -> Attempt:
    """Read the student's folder: the project (if the lab has one), its runs, perceptron settings.

    ``lab`` is a ``studio.classroom.labs.Lab``, which reads its own folder (``Lab.read_work``): the checks sit
    below the labs, since loading a lab validates its check kinds here (``unknown_check_kind``)."""
    project, perceptron = lab.read_work(folder)
    return Attempt(lab, folder, project, list_runs(project) if project is not None else [], perceptron)


def check_lab(lab, folder: Path, project: Project | None = None) -> CheckResult:
    """Run every check item of ``lab`` on the student's ``folder``.

    ``project`` is the project as it is open in the application (it may have
    unsaved edits); by default the folder's project file is read.
    """
    attempt = attempt_for(lab, Path(folder))
    if project is not None:  # the open project and its runs, judged as the folder's would be
        attempt = replace(attempt, project=project, runs=list_runs(project))
    result = CheckResult()
    for spec in lab.check:
        try:
            item = ITEMS[spec["kind"]](attempt, spec)
        except _Missing as missing:
            item = ItemResult(False, missing.en, missing.ko)
        if not item.ok:
            hint = spec.get("hint") or {}
            item.hint_en, item.hint_ko = hint.get("en", ""), hint.get("ko", "")
        result.items.append(item)
    return result
