"""A run as one self-contained HTML file, for handing in: model, curves, metrics, confusion, environment.

Everything comes from the run folder (``run.json`` and ``history.json``, as
``runs.record_run`` writes them), so a report can be made at any time after
the run, on any machine, without TensorFlow. The curves are inline SVG; the
file has no scripts and loads nothing.
"""

from __future__ import annotations

import html
import json
import math
from pathlib import Path

from studio.core import schema
from studio.core.errors import UserError
from studio.core.files import atomic_write_text
from studio.core.graph import Graph, GraphError
from studio.core.shapes import fmt
from studio.core.validation import validate
from studio.data.defaults import IMAGE_SOURCES, data_settings

COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b")


class ReportError(UserError):
    """A run folder that cannot be reported; the message says why."""


def write_report(run_dir: str | Path, target: str | Path | None = None) -> Path:
    """Write the report of the run in ``run_dir`` (default: ``run_dir/report.html``); returns the path."""
    run_dir = Path(run_dir)
    target = Path(target) if target else run_dir / "report.html"
    text = report_html(run_dir)
    try:
        atomic_write_text(target, text)
    except OSError as exc:
        raise ReportError(f"{target}: cannot write ({exc.strerror or exc})") from None
    return target


def _read(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ReportError(f"{path}: cannot read ({exc.strerror or exc}); is this a run folder?") from None
    except ValueError as exc:
        raise ReportError(f"{path}: damaged ({exc})") from None
    except RecursionError:
        raise ReportError(f"{path}: damaged (nested too deep to be a run record)") from None


def report_html(run_dir: Path) -> str:
    run = _read(run_dir / "run.json")
    if not isinstance(run, dict) or run.get("format") != "perceptron-studio/run":
        raise ReportError(f"{run_dir / 'run.json'}: not a Perceptron Studio run record")
    history = _read(run_dir / "history.json") if (run_dir / "history.json").is_file() else {}
    # A record is a file that may have been edited: every value is escaped, and a section of the wrong
    # type is left out as not recorded rather than failing the report.
    history = {str(k): [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
               for k, values in _section(history).items() if isinstance(values, list)}
    name = Path(str(run.get("project") or "model")).name
    title = f"{name} — run {run_dir.name}"
    parts = [
        f"<h1>{_e(title)}</h1>",
        f"<p>{_e(run.get('created', ''))} · {_e(_reason(run))} after {_e(_epochs(run.get('epochs')))}"
        + (f" · <b>error:</b> {_e(run['error'])}" if run.get("error") else "") + "</p>",
        "<h2>Final metrics</h2>", _metrics_table({k: _section(v) for k, v in _section(run.get("metrics")).items()}),
        "<h2>Curves</h2>", _curves(history),
        "<h2>Model</h2>", _model_table(_section(run.get("graph"))),
        "<h2>Training settings</h2>", _settings_table(_section(run.get("training")), _section(run.get("data"))),
    ]
    matrix, names = run.get("confusion"), run.get("class_names")
    if _square_counts(matrix):
        names = [str(n) for n in names] if isinstance(names, list) and len(names) == len(matrix) else []
        parts += ["<h2>Confusion matrix (test split)</h2>", _confusion(matrix, names)]
    parts += ["<h2>Environment</h2>", _key_values(_section(run.get("environment")) or {"recorded": "not recorded"})]
    return _PAGE.format(title=_e(title), body="\n".join(parts))


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font-family: "Noto Sans", "Nanum Gothic", "Segoe UI", Helvetica, Arial, sans-serif; margin: 2em auto;
       max-width: 60em; color: #222; }}
table {{ border-collapse: collapse; margin: 0.5em 0 1em; }}
th, td {{ border: 1px solid #ccc; padding: 0.2em 0.6em; text-align: left; }}
td.n {{ text-align: right; font-variant-numeric: tabular-nums; }}
th {{ background: #f3f3f3; }}
.curves {{ display: flex; flex-wrap: wrap; gap: 1em; }}
.diag {{ background: #dff0d8; }}
</style></head>
<body>
{body}
<p style="color:#777">Made by Perceptron Studio from the run folder.</p>
</body></html>
"""


def _e(value) -> str:
    return html.escape(str(value))


def _section(value) -> dict:
    return value if isinstance(value, dict) else {}


def _square_counts(matrix) -> bool:
    return isinstance(matrix, list) and bool(matrix) and all(
        isinstance(row, list) and len(row) == len(matrix) and all(
            isinstance(c, (int, float)) and not isinstance(c, bool) and math.isfinite(c) for c in row)
        for row in matrix)


def _epochs(count) -> str:
    if not isinstance(count, int) or isinstance(count, bool):
        return "? epochs"  # not recorded
    return "1 epoch" if count == 1 else f"{count} epochs"


def _reason(run: dict) -> str:
    return {"completed": "completed", "stopped": "stopped by the user", "early_stopped": "stopped early",
            "nan": "stopped: the loss became NaN", "error": "failed"}.get(str(run.get("reason")), str(run.get("reason")))


def _number(value) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{value:.4g}" if math.isfinite(value) else str(value)
    return _e(value)


def _metrics_table(metrics: dict) -> str:
    splits = [s for s in ("train", "validation", "test") if metrics.get(s)]
    names = list(dict.fromkeys(k for s in splits for k in metrics[s]))
    if not names:
        return "<p>No metrics were recorded.</p>"
    rows = ["<tr><th>metric</th>" + "".join(f"<th>{s}</th>" for s in splits) + "</tr>"]
    for name in names:
        cells = "".join(f"<td class='n'>{_number(metrics[s][name]) if name in metrics[s] else ''}</td>"
                        for s in splits)
        rows.append(f"<tr><td>{_e(name)}</td>{cells}</tr>")
    return "<table>" + "".join(rows) + "</table>"


def _curves(history: dict) -> str:
    """One SVG chart per metric, training and validation together."""
    bases = list(dict.fromkeys(k[4:] if k.startswith("val_") else k for k in history if k != "learning_rate"))
    charts = [_chart(base, {k: history[k] for k in (base, f"val_{base}") if history.get(k)}) for base in bases]
    charts = [c for c in charts if c]
    return f"<div class='curves'>{''.join(charts)}</div>" if charts else "<p>No per-epoch history.</p>"


def _chart(title: str, series: dict[str, list[float]], width: int = 420, height: int = 240) -> str:
    values = [v for s in series.values() for v in s if isinstance(v, (int, float)) and math.isfinite(v)]
    if not values:
        return ""
    left, right, top, bottom = 56, 10, 24, 34
    epochs = max(len(s) for s in series.values())
    lo, hi = min(values), max(values)
    if hi == lo:
        hi, lo = hi + 0.5, lo - 0.5
    sx = (width - left - right) / max(epochs - 1, 1)
    sy = (height - top - bottom) / (hi - lo)

    def point(i, v):
        return f"{left + i * sx:.1f},{height - bottom - (v - lo) * sy:.1f}"

    out = [f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' role='img' "
           f"aria-label='{_e(title)} per epoch'>",
           f"<text x='{left}' y='16' font-size='13' font-weight='bold'>{_e(title)}</text>",
           f"<rect x='{left}' y='{top}' width='{width - left - right}' height='{height - top - bottom}' "
           "fill='none' stroke='#bbb'/>"]
    for k in range(5):  # y ticks
        v = lo + (hi - lo) * k / 4
        y = height - bottom - (v - lo) * sy
        out.append(f"<text x='{left - 4}' y='{y + 4:.1f}' font-size='10' text-anchor='end'>{v:.3g}</text>")
        out.append(f"<line x1='{left}' x2='{width - right}' y1='{y:.1f}' y2='{y:.1f}' stroke='#eee'/>")
    for k in sorted({0, (epochs - 1) // 2, epochs - 1}):  # x ticks: epochs are counted from 1
        out.append(f"<text x='{left + k * sx:.1f}' y='{height - bottom + 14}' font-size='10' "
                   f"text-anchor='middle'>{k + 1}</text>")
    out.append(f"<text x='{(left + width - right) / 2}' y='{height - 4}' font-size='10' "
               "text-anchor='middle'>epoch</text>")
    for n, (key, values_) in enumerate(series.items()):
        colour = COLOURS[0] if not key.startswith("val_") else COLOURS[1]
        points = " ".join(point(i, v) for i, v in enumerate(values_)
                          if isinstance(v, (int, float)) and math.isfinite(v))
        out.append(f"<polyline fill='none' stroke='{colour}' stroke-width='2' points='{points}'/>")
        out.append(f"<text x='{width - right - 4}' y='{top + 14 + 13 * n}' font-size='11' text-anchor='end' "
                   f"fill='{colour}'>{_e('validation' if key.startswith('val_') else 'training')}</text>")
    out.append("</svg>")
    return "".join(out)


def _model_table(graph_dict: dict) -> str:
    try:
        graph = Graph.from_dict(graph_dict)
    except GraphError as exc:
        return f"<p>The model in the record cannot be read: {_e(exc)}</p>"
    report = validate(graph)
    rows = ["<tr><th>layer</th><th>class</th><th>output shape</th><th>parameters</th><th>settings</th></tr>"]
    for name in report.order or [n.name for n in graph]:
        node = graph.node(name)
        shape = report.shapes.get(name)
        params = "" if shape is None or shape.params is None else f"{shape.params:,}"
        settings = ", ".join(f"{k}={v}" for k, v in node.config.items()
                             if k in ("units", "activation", "rate", "filters", "kernel_size", "scale", "shape"))
        rows.append(f"<tr><td>{_e(name)}{' (output)' if name in graph.outputs else ''}</td><td>{_e(node.class_name)}"
                    f"</td><td>{_e(fmt(shape.shape if shape else None))}</td><td class='n'>{params}</td>"
                    f"<td>{_e(settings)}</td></tr>")
    total = f"<p>Total parameters: <b>{report.total_params:,}</b></p>"
    return "<table>" + "".join(rows) + "</table>" + total


def _settings_table(training: dict, data: dict) -> str:
    data = data_settings(data)  # the defaults the run used where the project set none
    optimizer = schema.optimizer_of(training)
    rate = optimizer["config"].get("learning_rate")
    values = {
        "optimizer": optimizer["class_name"],
        "learning rate": "default" if rate is None else rate,
        "loss": json.dumps(training.get("loss"), ensure_ascii=False),
        "loss weights": json.dumps(training.get("loss_weights"), ensure_ascii=False),
        "metrics": json.dumps(training.get("metrics"), ensure_ascii=False),
        "epochs": training.get("epochs"), "batch size": training.get("batch_size"), "seed": schema.TRAINING.value(training, "seed"),
        "callbacks": ", ".join(str(k) for k, v in _section(training.get("callbacks")).items() if v) or "none",
        "data": str(data.get("source") or "?") + (f" ({Path(str(data['path'])).name})" if data.get("path") else ""),
        "target": data.get("target", ""), "split seed": data.get("seed", ""),
        "validation / test": f"{data.get('validation', '')} / {data.get('test', '')}",
    }
    if data.get("source") in IMAGE_SOURCES:
        values["training images"] = data.get("limit") or "all"
        values["validation / test"] = f"{data.get('validation', '')} / the set's own test images"
    return _key_values(values)


def _key_values(values: dict) -> str:
    rows = "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in values.items())
    return f"<table>{rows}</table>"


def _confusion(matrix: list[list[int]], names: list[str]) -> str:
    names = names or [str(i) for i in range(len(matrix))]
    head = "<tr><th>true ↓ / predicted →</th>" + "".join(f"<th>{_e(n)}</th>" for n in names) + "</tr>"
    rows = [head]
    for i, row in enumerate(matrix):
        cells = "".join(f"<td class='n{' diag' if i == j else ''}'>{int(c):,}</td>" for j, c in enumerate(row))
        rows.append(f"<tr><th>{_e(names[i])}</th>{cells}</tr>")
    total = sum(sum(r) for r in matrix)
    right = sum(matrix[i][i] for i in range(len(matrix)))
    accuracy = f"<p>Accuracy from the matrix: {right:,} / {total:,} = {right / total:.4f}</p>" if total else ""
    return "<table>" + "".join(rows) + "</table>" + accuracy
