"""Plain-text and JSON summaries of a data source, for the CLI and the data panel, and the facts of it the
advisor reads (``data_facts``)."""

from __future__ import annotations

from studio.data.columns import describe_columns
from studio.data.csv_file import CsvTable
from studio.data.errors import DataError, cut
from studio.data.images import ImageDataset
from studio.data.tabular import TabularOptions, feature_names, infer_task

_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}


def csv_summary(table: CsvTable, target: list[str] | None = None) -> tuple[list[str], dict]:
    """Lines to print and a JSON-ready dict describing a loaded CSV file."""
    infos = describe_columns(table.frame)
    fmt = table.format
    lines = [f"File: {table.path}", f"Detected: {fmt.describe()}",
             f"Rows: {table.rows:,}   Columns: {len(infos)}", ""]
    width = max([len("Column")] + [len(i.name) for i in infos])
    lines.append(f"{'Column'.ljust(width)}  {'Type':<11}  {'Missing':>7}  {'Infinite':>8}  Distinct")
    for info in infos:
        distinct = f"{info.distinct:,}" if info.kind != "numeric" or info.integer else "many"
        lines.append(f"{info.name.ljust(width)}  {info.kind:<11}  {info.missing:>7,}  {info.infinite:>8,}  {distinct}")
    result = {
        "path": str(table.path), "rows": table.rows, "columns": len(infos),
        "delimiter": fmt.delimiter, "encoding": fmt.encoding, "decimal": fmt.decimal, "header": fmt.header,
        "missing": int(sum(i.missing for i in infos)), "infinite": int(sum(i.infinite for i in infos)),
        "column_types": {i.name: i.kind for i in infos},
    }
    lines += [f"Note: {note}" for note in table.notes]
    if target:
        missing = [t for t in target if t not in table.frame.columns]
        if missing:
            raise DataError(f"{table.path}: there is no column {missing[0]!r}")
        chosen = [next(i for i in infos if i.name == t) for t in target]
        task = infer_task(chosen)
        detail = ""
        if task in ("binary", "multiclass"):
            classes = [str(int(c)) if isinstance(c, float) and c.is_integer() else cut(c)
                       for c in chosen[0].categories]
            detail = f" ({len(classes)} classes: {', '.join(classes[:10])}{', ...' if len(classes) > 10 else ''})"
        lines += ["", f"Target {', '.join(target)}: suggested task {task}{detail}"]
        result.update(target=target, task=task)
    return lines, result


def image_summary(data: ImageDataset) -> tuple[list[str], dict]:
    shape = "x".join(map(str, data.image_shape))
    lines = [f"Data set: {data.name}", f"Images: {len(data.x_train):,} train, {len(data.x_test):,} test, "
             f"{shape} pixels (uint8)", f"Classes ({len(data.class_names)}): {', '.join(data.class_names)}",
             "Suggested task multiclass; scale pixels in the model with Rescaling(1/255)"]
    columns = 1
    for size in data.image_shape:
        columns *= size
    result = {"name": data.name, "rows": len(data.x_train) + len(data.x_test), "train": len(data.x_train),
              "test": len(data.x_test), "columns": columns, "image_shape": list(data.image_shape),
              "delimiter": None, "encoding": None, "missing": 0, "task": "multiclass",
              "classes": list(data.class_names)}
    return lines, result


def data_facts(data: dict, frame=None, infos=(), class_names=None):
    """What the advisor knows of the data (``studio.core.advisor.DataFacts``), or None while it cannot say.

    ``data`` is the project's data section as it is now; ``frame`` and ``infos`` (its
    ``describe_columns``) are the table read for it, ``class_names`` an image set's classes
    when there is no table. The task is the section's, else inferred from the target
    column; a regression target with no negative value is ``positive``. None when there
    is neither, or the target is no column of the table, or its features cannot be read:
    the Data tab says what is wrong then.
    """
    from studio.core.advisor import DataFacts, facts_for_images
    if frame is None:
        return facts_for_images(len(class_names)) if class_names is not None else None
    target = data.get("target")
    info = next((i for i in infos if i.name == target), None)
    if info is None:
        return None
    try:
        task = data.get("task") or infer_task([info])
        names = feature_names(frame, TabularOptions(target, features=data.get("features")), infos)
    except DataError:
        return None
    classes = len(info.categories) if task in ("binary", "multiclass") else 1
    positive = task == "regression" and bool((frame[target].dropna() >= 0).all())
    return DataFacts(task, classes, "integer", positive=positive, feature_names=tuple(names))
