"""The task advisor: does the output layer, loss and input handling fit the data's task?

Each finding explains why in one or two sentences, in English and Korean, and
may carry a fix: a short list of edits that the application applies as one
undoable step (and ``apply_fix`` applies to a plain graph, for the CLI and
tests). Edits:

- ``("param", node, key, value)``: set a layer parameter;
- ``("training", key, value)``: set a training setting;
- ``("insert_after", node, class_name, config)``: put a new layer between
  ``node`` and every layer it feeds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from studio.core.data_fit import data_mismatches
from studio.core.graph import Graph
from studio.core.layout import insert_after
from studio.core.loss_defaults import effective_loss, per_output
from studio.core.validation import validate

LINEAR = (None, "linear")
CLASS_LOSSES = ("sparse_categorical_crossentropy", "categorical_crossentropy", "binary_crossentropy")
REGRESSION_LOSSES = ("mean_squared_error", "mean_absolute_error", "huber", "mse", "mae",
                     "mean_squared_logarithmic_error", "log_cosh")
SCALERS = ("Rescaling", "Normalization", "BatchNormalization")


@dataclass
class DataFacts:
    """What the advisor needs to know of the data.

    task: regression, binary, multiclass or multilabel; classes: how many
    (label columns for multilabel, targets for regression); labels: "integer"
    or "one_hot"; positive: every target value >= 0 (regression); raw_pixels:
    image inputs with values 0..255 that nothing in the data pipeline scales;
    feature_names: the encoded feature columns a table gives the model (None
    for images), checked against the Inputs' shapes by ``studio.core.data_fit``.
    """

    task: str
    classes: int = 1
    labels: str = "integer"
    positive: bool = False
    raw_pixels: bool = False
    feature_names: tuple[str, ...] | None = None


@dataclass
class Finding:
    code: str
    node: str | None
    en: str
    ko: str
    fix: list[tuple] = field(default_factory=list)
    fix_label: str = ""
    severity: str = "warning"  # "error": training would refuse (the status bar counts it as a problem)

    def text(self, language: str = "en") -> str:
        return self.ko if language == "ko" else self.en

    def fix_text(self, language: str = "en") -> str:
        """The fix button's label in ``language``."""
        if language != "ko":
            return self.fix_label
        label = self.fix_label
        for pattern, korean in _FIX_LABELS_KO:
            match = re.fullmatch(pattern, label)
            if match:
                return korean.format(*match.groups())
        return label


_FIX_LABELS_KO = (
    (r"Set (.+)'s shape to (\d+) \(the data's features\)", "{0}의 shape을 {1}(데이터의 특성 수)로 설정"),
    (r"Set units to (\d+)", "유닛 수를 {0}(으)로 설정"),
    (r"Use (.+)", "{0} 사용"),
    (r"Remove the activation", "활성화 함수 제거"),
    (r"Add (.+)", "{0} 추가"),
)


def facts_for_images(classes: int) -> DataFacts:
    return DataFacts("multiclass", classes, "integer", raw_pixels=True)


def advise(graph: Graph, training: dict, facts: DataFacts, data: dict | None = None) -> list[Finding]:
    """Findings for the first output (and every output for the loss), most important first.

    The loss judged is the one that will train: the project's, or where it names
    none the default the engine and the Training tab use (``data`` is the
    project's data section, which that default reads).
    """
    findings: list[Finding] = _data_width(graph, facts, data)
    report = validate(graph)
    outputs = graph.outputs
    if outputs:
        out = graph.node(outputs[0])
        if out.class_name == "Dense":
            findings += _output_layer(out.name, out.config, facts)
        used = effective_loss(training, graph, data)
        loss = used.get(outputs[0]) if per_output(used) else used
        findings += _loss(loss, out.config.get("units") if out.class_name == "Dense" else None, facts,
                          multi=per_output(used), output=outputs[0])
    findings += _inputs(graph, report, facts)
    findings += _linear_stacks(graph)
    return findings


# -- the data's features and the Inputs -------------------------------------------------------

def _data_width(graph: Graph, facts: DataFacts, data: dict | None) -> list[Finding]:
    """An Input that takes another number of features than the data gives: Train would refuse."""
    if facts.feature_names is None:
        return []
    found = []
    names = list(facts.feature_names)
    for miss in data_mismatches(graph, (data or {}).get("inputs"), names):
        shape = miss.fixed_shape(graph)
        features = ", ".join(miss.features)
        found.append(Finding(
            "input_width", miss.input,
            f"{miss.input} takes {miss.takes} features but the data gives {miss.gives} ({features}); "
            "training would stop at once. Set its shape to the data's features.",
            f"{miss.input}은(는) 특성 {miss.takes}개를 받지만 데이터는 {miss.gives}개({features})를 줍니다. "
            "이대로는 학습이 시작되지 않습니다. shape을 데이터의 특성 수로 맞추세요.",
            [("param", miss.input, "shape", shape)],
            f"Set {miss.input}'s shape to {miss.gives} (the data's features)", severity="error"))
    return found


# -- the output layer ---------------------------------------------------------------------------

def _output_layer(name: str, config: dict, facts: DataFacts) -> list[Finding]:
    units, activation = config.get("units"), config.get("activation")
    found = []
    if facts.task == "multiclass":
        if units != facts.classes:
            found.append(Finding(
                "units", name,
                f"The output layer has {units} units but the data has {facts.classes} classes: a classifier needs "
                "one output per class, so that each gets a probability.",
                f"출력층의 유닛이 {units}개인데 데이터의 클래스는 {facts.classes}개입니다. 분류 모델은 클래스마다 "
                "하나의 출력이 있어야 각 클래스의 확률을 낼 수 있습니다.",
                [("param", name, "units", facts.classes)], f"Set units to {facts.classes}"))
        if activation != "softmax":
            found.append(Finding(
                "activation", name,
                f"The classes are exclusive, so the output should use softmax, which turns the {facts.classes} "
                f"outputs into probabilities that sum to 1; it uses {activation or 'linear'}.",
                f"클래스가 서로 배타적이므로 출력층은 {facts.classes}개의 출력을 합이 1인 확률로 바꾸는 softmax를 "
                f"써야 합니다. 지금은 {activation or 'linear'}입니다.",
                [("param", name, "activation", "softmax")], "Use softmax"))
    elif facts.task in ("binary", "multilabel"):
        want = 1 if facts.task == "binary" else facts.classes
        if facts.task == "binary" and units == 2 and activation == "softmax":
            return found  # two softmax units are a valid binary classifier
        if units != want:
            found.append(Finding(
                "units", name,
                f"For {'a yes/no target' if facts.task == 'binary' else f'{want} independent labels'} the output "
                f"needs {want} unit{'s' if want != 1 else ''}, each the probability of one label; it has {units}.",
                f"{'예/아니오 타깃' if facts.task == 'binary' else f'{want}개의 독립적인 레이블'}에는 레이블마다 확률 "
                f"하나, 모두 {want}개의 출력 유닛이 필요합니다. 지금은 {units}개입니다.",
                [("param", name, "units", want)], f"Set units to {want}"))
        if activation != "sigmoid":
            found.append(Finding(
                "activation", name,
                "Each output is the probability of one label on its own, so the output should use sigmoid "
                f"(between 0 and 1); it uses {activation or 'linear'}.",
                "각 출력은 레이블 하나의 독립적인 확률이므로 출력층은 0과 1 사이 값을 내는 sigmoid를 써야 합니다. "
                f"지금은 {activation or 'linear'}입니다.",
                [("param", name, "activation", "sigmoid")], "Use sigmoid"))
    elif facts.task == "regression":
        if units != facts.classes:
            found.append(Finding(
                "units", name,
                f"The model predicts {facts.classes} value{'s' if facts.classes != 1 else ''}, so the output needs "
                f"{facts.classes} unit{'s' if facts.classes != 1 else ''}; it has {units}.",
                f"예측할 값이 {facts.classes}개이므로 출력 유닛도 {facts.classes}개여야 합니다. 지금은 {units}개입니다.",
                [("param", name, "units", facts.classes)], f"Set units to {facts.classes}"))
        allowed = LINEAR + (("softplus", "relu") if facts.positive else ())
        if activation not in allowed:
            why_en = ("squashes every prediction into a fixed range" if activation in ("sigmoid", "tanh", "softmax")
                      else "limits the values the model can predict")
            found.append(Finding(
                "activation", name,
                f"A regression output should have no activation: {activation} {why_en}. "
                + ("softplus or ReLU are fine only for targets that are never negative." if not facts.positive
                   else "For targets that are never negative, softplus or ReLU also work."),
                f"회귀 출력층에는 활성화 함수가 없어야 합니다. {activation}은(는) 예측할 수 있는 값의 범위를 제한합니다. "
                "softplus나 ReLU는 타깃이 음수가 아닐 때만 괜찮습니다.",
                [("param", name, "activation", "linear")], "Remove the activation"))
    return found


# -- the loss -----------------------------------------------------------------------------------

def _loss(loss, units, facts: DataFacts, multi: bool, output: str) -> list[Finding]:
    if not isinstance(loss, str):
        return []
    key = ("loss", output) if multi else "loss"

    def fix(value):
        return [("training", key, value)]

    if facts.task == "regression" and loss in CLASS_LOSSES:
        return [Finding("loss", None,
                        f"{loss} compares class probabilities, but the target is a number; use mean squared error "
                        "(or Huber when there are outliers).",
                        f"{loss}는 클래스 확률을 비교하는 손실인데 타깃은 수치입니다. 평균 제곱 오차(이상치가 있으면 "
                        "Huber)를 쓰세요.", fix("mean_squared_error"), "Use mean squared error")]
    if facts.task in ("binary", "multiclass", "multilabel") and loss in REGRESSION_LOSSES:
        right = _class_loss(facts, units)
        return [Finding("loss", None,
                        f"{loss} measures distances between numbers; for classes, cross-entropy trains faster and "
                        f"gives calibrated probabilities: use {right}.",
                        f"{loss}는 수치 사이의 거리를 재는 손실입니다. 분류에는 더 빨리 학습되고 확률을 제대로 내는 "
                        f"크로스 엔트로피를 쓰세요: {right}.", fix(right), f"Use {right}")]
    if facts.task in ("binary", "multilabel") and units == 1 or facts.task == "multilabel":
        if loss != "binary_crossentropy" and loss in CLASS_LOSSES:
            return [Finding("loss", None,
                            "A sigmoid output gives one probability per label; its loss is binary cross-entropy.",
                            "sigmoid 출력은 레이블마다 확률 하나를 내므로 손실은 이진 크로스 엔트로피입니다.",
                            fix("binary_crossentropy"), "Use binary_crossentropy")]
        return []
    if facts.task == "multiclass":
        if loss == "binary_crossentropy":
            right = _class_loss(facts, units)
            return [Finding("loss", None,
                            "Binary cross-entropy treats each class as a separate yes/no question; for one class out "
                            f"of {facts.classes}, use {right}.",
                            f"이진 크로스 엔트로피는 클래스마다 따로 예/아니오를 묻습니다. {facts.classes}개 중 하나를 "
                            f"고르는 문제에는 {right}를 쓰세요.", fix(right), f"Use {right}")]
        if facts.labels == "integer" and loss == "categorical_crossentropy":
            return [Finding("loss_form", None,
                            "The labels are class numbers (0, 1, 2, ...): sparse categorical cross-entropy takes them "
                            "as they are; categorical cross-entropy needs one-hot vectors (the studio converts them, "
                            "at the cost of memory).",
                            "레이블이 클래스 번호(0, 1, 2, ...)입니다. 희소 범주형 크로스 엔트로피는 그대로 받고, 범주형 "
                            "크로스 엔트로피는 원-핫 벡터가 필요합니다(스튜디오가 변환하지만 메모리가 더 듭니다).",
                            fix("sparse_categorical_crossentropy"), "Use sparse_categorical_crossentropy")]
        if facts.labels == "one_hot" and loss == "sparse_categorical_crossentropy":
            return [Finding("loss_form", None,
                            "The labels are one-hot vectors; sparse categorical cross-entropy expects class numbers. "
                            "Use categorical cross-entropy.",
                            "레이블이 원-핫 벡터인데 희소 범주형 크로스 엔트로피는 클래스 번호를 기대합니다. 범주형 "
                            "크로스 엔트로피를 쓰세요.", fix("categorical_crossentropy"),
                            "Use categorical_crossentropy")]
    return []


def _class_loss(facts: DataFacts, units) -> str:
    if facts.task == "multilabel" or (facts.task == "binary" and units in (1, None)):
        return "binary_crossentropy"
    return "categorical_crossentropy" if facts.labels == "one_hot" else "sparse_categorical_crossentropy"


# -- inputs and hidden layers ---------------------------------------------------------------------

def _path_from(graph: Graph, start: str) -> list[str]:
    """The chain of single consumers after ``start`` (stops where the graph branches)."""
    chain, name = [], start
    while True:
        consumers = graph.consumers(name)
        if len(consumers) != 1:
            return chain
        name = consumers[0][0]
        chain.append(name)


def _inputs(graph: Graph, report, facts: DataFacts) -> list[Finding]:
    found = []
    for name in graph.inputs:
        chain = _path_from(graph, name)
        shape = graph.node(name).config.get("shape") or []
        before_dense = []
        for layer in chain:
            if graph.node(layer).class_name in ("Dense", "Conv2D"):
                first = layer
                break
            before_dense.append(graph.node(layer).class_name)
        else:
            continue
        if facts.raw_pixels and not any(c in SCALERS for c in before_dense):
            found.append(Finding(
                "unscaled", name,
                "The pixels go from 0 to 255 and nothing scales them: large inputs make the first weights' "
                "gradients large and training unstable. Add Rescaling(1/255) after the input.",
                "픽셀 값이 0에서 255까지인데 스케일을 조정하는 층이 없습니다. 큰 입력은 첫 가중치의 그레이디언트를 "
                "키워 학습을 불안정하게 합니다. 입력 뒤에 Rescaling(1/255)을 추가하세요.",
                [("insert_after", name, "Rescaling", {"scale": 1 / 255, "offset": 0.0})], "Add Rescaling(1/255)"))
        if graph.node(first).class_name == "Dense" and len(shape) >= 2 and "Flatten" not in before_dense \
                and "GlobalAveragePooling2D" not in before_dense and "Reshape" not in before_dense:
            found.append(Finding(
                "flatten", first,
                f"The input is {len(shape)}-dimensional ({'×'.join(map(str, shape))}); a Dense layer on it works on "
                "the last axis only (each row of an image separately). Add Flatten before the first Dense layer.",
                f"입력이 {len(shape)}차원({'×'.join(map(str, shape))})입니다. Dense 층은 마지막 축에만 적용되어 "
                "이미지의 각 행을 따로 처리합니다. 첫 Dense 층 앞에 Flatten을 추가하세요.",
                [("insert_after", chain[chain.index(first) - 1] if chain.index(first) else name, "Flatten", {})],
                "Add Flatten"))
    return found


def _linear_stacks(graph: Graph) -> list[Finding]:
    """A Dense layer without activation feeding (through shape-only layers) another Dense layer."""
    found = []
    outputs = set(graph.outputs)
    for node in graph:
        if node.class_name != "Dense" or node.config.get("activation") not in LINEAR or node.name in outputs:
            continue
        chain = _path_from(graph, node.name)
        nxt = next((graph.node(n) for n in chain if graph.node(n).class_name not in ("Dropout", "Flatten")), None)
        if nxt is not None and nxt.class_name == "Dense":
            found.append(Finding(
                "linear", node.name,
                f"{node.name} has no activation and feeds {nxt.name}: two linear layers in a row are the same as "
                "one linear layer, so the extra layer adds parameters but no power. Give it a non-linearity such "
                "as ReLU.",
                f"{node.name}에 활성화 함수가 없고 {nxt.name}로 이어집니다. 선형 층 두 개를 연달아 쌓으면 선형 층 하나와 "
                "같아서 파라미터만 늘고 표현력은 그대로입니다. ReLU 같은 비선형 함수를 쓰세요.",
                [("param", node.name, "activation", "relu")], "Use ReLU"))
    return found


# -- applying a fix to plain data (the application uses undoable commands instead) ----------------------

def apply_fix(graph: Graph, training: dict, fix: list[tuple]) -> None:
    for edit in fix:
        kind = edit[0]
        if kind == "param":
            graph.set_param(edit[1], edit[2], edit[3])
        elif kind == "training":
            key, value = edit[1], edit[2]
            if isinstance(key, tuple):
                training.setdefault(key[0], {})[key[1]] = value
            else:
                training[key] = value
        elif kind == "insert_after":
            insert_after(graph, edit[1], edit[2], edit[3])
        else:
            raise ValueError(f"unknown fix edit {kind!r}")
