"""The window's child process: ``python -m studio.service FOLDER``.

It is the training child (``studio.training.child``) with the learning-rate finder and the search
(``studio.tuning.host``), and it answers the window's calls for the rest of its TensorFlow work, so that none
of it runs in the window's process: the Predict tab's predictions (a drawing, an image file, the form's row, a
CSV file) and File > Export Model (an .h5 or .keras file, or a checked TensorFlow Lite, ONNX or SavedModel
export), the activations lab's collapse of a linear stack, File > Import Model, the Summary tab's
table of the model training builds, what Keras refuses in a layer's settings, and the exported script. A call names its model by file (``{"path", "own"}``: own is a file this studio wrote; any other is
checked in a loader child first) and carries the project it was trained for; the value it answers is plain
(numbers, strings, lists), never a Keras object.
"""

from __future__ import annotations

import dataclasses
import sys
import threading
from pathlib import Path

from studio.training import child
from studio.tuning.host import TuningHost

KEPT_MODELS = 2  # models kept loaded between calls (the one predicted with, and the one before it)


class WindowHost(TuningHost):
    def __init__(self, out, folder: Path):
        super().__init__(out, folder)
        self._models: dict[tuple, object] = {}  # (path, mtime, size, own, project) -> TrainedModel
        self._models_lock = threading.Lock()

    def tasks(self) -> dict:
        return {**super().tasks(), "predict_describe": self.predict_describe, "predict_drawing": self.predict_drawing,
                "predict_image": self.predict_image, "predict_rows": self.predict_rows,
                "predict_csv": self.predict_csv, "export_model": self.export_model,
                "export_deploy": self.export_deploy, "linear_chain": self.linear_chain,
                "import_model": self.import_model, "summarize": self.summarize,
                "layer_problems": self.layer_problems, "export_script": self.export_script}

    # -- the model a call names ------------------------------------------------------------------

    def trained(self, args: dict):
        """The TrainedModel of a call's ``model`` {path, own} and ``project``, loaded once while its file is
        unchanged."""
        from studio.prediction.model_source import TrainedModel
        from studio.training.model_files import ModelFileError, load_model
        from studio.training.safe_load import open_untrusted
        named = args.get("model") or {}
        path, own = Path(str(named.get("path"))), bool(named.get("own"))
        try:
            stat = path.stat()
        except OSError as exc:  # deleted or moved since: the user's to know, in one line
            raise ModelFileError(f"{path}: the model file cannot be read ({exc.strerror or exc})") from None
        project = child.project_of(args) if isinstance(args.get("project"), dict) else None
        key = (str(path), stat.st_mtime_ns, stat.st_size, own, repr(args.get("project")), args.get("path"))
        with self._models_lock:
            if key in self._models:
                return self._models[key]
        model, metadata = (load_model if own else open_untrusted)(path)
        loaded = TrainedModel(model, metadata if isinstance(metadata, dict) else {}, path, project)
        with self._models_lock:
            self._models[key] = loaded
            while len(self._models) > KEPT_MODELS:
                self._models.pop(next(iter(self._models)))
        return loaded

    # -- the Predict tab ---------------------------------------------------------------------------

    def predict_describe(self, args: dict, call=None) -> dict:
        """What the Predict tab's form shows for a model trained on a table: its features, their ranges in the
        project's data file and those no Input takes. For the drawing pad (``images``) the model is only
        opened: there is no form."""
        from studio.prediction.tabular import feature_ranges, tabular_spec, unused_features
        source = self.trained(args)
        if args.get("images"):
            return {"features": [], "ranges": {}, "unused": []}
        spec = tabular_spec(source)
        return {"features": spec.encoder.features, "ranges": feature_ranges(source),
                "unused": sorted(unused_features(spec))}

    def predict_drawing(self, args: dict, call=None) -> dict:
        import numpy as np

        from studio.prediction.images import drawing_probabilities
        return drawing_probabilities(self.trained(args), np.asarray(args["drawing"], dtype=np.float32))

    def predict_image(self, args: dict, call=None) -> dict:
        """An image file as the model sees it (white on black, centred by its mass like MNIST digits) and its
        class probabilities."""
        from studio.prediction.images import digit_from_image, drawing_probabilities, read_image
        field = digit_from_image(read_image(str(args["image"])))
        return {"field": field, "probabilities": drawing_probabilities(self.trained(args), field, centre=False)}

    def predict_rows(self, args: dict, call=None) -> dict:
        import pandas as pd

        from studio.prediction.tabular import predict_frame
        rows = [{str(k): str(v) for k, v in row.items()} for row in args.get("rows") or [] if isinstance(row, dict)]
        return dataclasses.asdict(predict_frame(self.trained(args), pd.DataFrame(rows, dtype=str)))

    def predict_csv(self, args: dict, call=None) -> dict:
        from studio.prediction.tabular import predict_csv
        return dataclasses.asdict(predict_csv(self.trained(args), str(args["csv"])))

    # -- File > Export Model -------------------------------------------------------------------------

    def export_model(self, args: dict, call=None) -> str:
        """The trained model (``model``) written again as .h5 or .keras at ``out``, its metadata kept; with no
        model, the model the graph builds (``graph``), untrained."""
        from studio.core.graph import Graph
        from studio.core.keras_bridge import build_model
        from studio.data.errors import DataError
        from studio.training.model_files import save_model
        try:
            if args.get("model"):
                source = self.trained(args)
                save_model(source.model, str(args["out"]), source.metadata)
            else:
                graph = Graph.from_dict(args["graph"])
                save_model(build_model(graph), str(args["out"]), {"graph": graph.to_dict()})
        except Exception as exc:  # BuildError, ModelFileError: said, nothing lost
            raise DataError(str(exc)) from None
        return str(args["out"])

    def export_deploy(self, args: dict, call=None) -> dict:
        """The trained model exported as ``fmt`` at ``out`` and checked against Keras on the project's test
        rows (studio.exports.deploy); the check's DeployResult as a dict."""
        from studio.exports.deploy import export_model, verification_rows
        source = self.trained(args)
        rows, rows_from = verification_rows(source.model, source.project)
        result = export_model(source.model, str(args["fmt"]), str(args["out"]), rows, rows_from=rows_from,
                              cancelled=call.cancelled if call else None,
                              progress=(lambda fraction, _text: call.progress(fraction)) if call else None)
        return dataclasses.asdict(result)

    # -- File > Import Model ---------------------------------------------------------------------------

    def import_model(self, args: dict, call=None) -> dict:
        """A Keras model file from anywhere (``file``; checked and trial-loaded in a loader child first) as an
        untitled project whose first run is the model: {project, continued (the metadata Continue goes on
        with), notes, model (the run's model file)}. ``scratch`` is the window's folder for untitled runs."""
        from studio.core.keras_bridge import import_model
        from studio.training.imported import imported_project, record_import
        from studio.training.runs import MODEL_FILE
        from studio.training.safe_load import open_untrusted
        self.use_places(args)
        model, metadata = open_untrusted(str(args["file"]), cancelled=call.cancelled if call else None)
        project, continued, notes = imported_project(model, metadata, import_model(model, name=model.name))
        run = record_import(project, model, continued, Path(str(args["file"])))
        return {"project": project.to_dict(), "continued": continued, "notes": notes, "model": str(run / MODEL_FILE)}

    # -- the Summary tab --------------------------------------------------------------------------------

    def summarize(self, args: dict, call=None) -> dict:
        """Keras' summary of the model that training ``project`` builds (studio.core.model_summary)."""
        from studio.core.model_summary import summarize_project
        from studio.data.defaults import data_settings
        project = child.project_of(args)
        return dataclasses.asdict(summarize_project(project, data_settings(project.data)))  # BuildError: a line

    # -- the window's checks and its code export -----------------------------------------------------

    def layer_problems(self, args: dict, call=None) -> list:
        """What Keras refuses in each of ``layers`` ([class name, config], at most MAX_LAYERS): [setting or
        None, message] or None each, in order (keras_bridge.layer_problem)."""
        from studio.core.catalog import CATALOG
        from studio.core.graph import Node
        from studio.core.keras_bridge import layer_problem
        from studio.core.validation import MAX_LAYERS
        layers = args.get("layers")
        if not isinstance(layers, list) or len(layers) > MAX_LAYERS:
            raise ValueError(f"layer_problems takes a list of at most {MAX_LAYERS} [class name, config] pairs")
        out = []
        for entry in layers:
            class_name, config = entry if isinstance(entry, list) and len(entry) == 2 else (None, None)
            if class_name not in CATALOG or class_name == "Input" or not isinstance(config, dict):
                out.append(None)  # the window's own checks say what is wrong with these
                continue
            problem = layer_problem(Node("probe", class_name, config))
            out.append(list(problem) if problem is not None else None)
        return out

    def export_script(self, args: dict, call=None) -> str:
        """File > Export Script: the project's runnable script written to ``target`` (studio.exports.script)."""
        from studio.exports.script import export_script
        return str(export_script(child.project_of(args), str(args.get("style")), Path(str(args["target"]))))

    # -- labs ----------------------------------------------------------------------------------------

    def linear_chain(self, args: dict, call=None) -> list[dict]:
        """The trained model's longest run of Dense layers that computes one linear function
        (studio.classroom.activations.linear_chain), each {name, kernel, bias}."""
        import numpy as np

        from studio.classroom.activations import linear_chain
        model = self.trained(args).model
        dense = [{"name": layer.name, "activation": layer.get_config().get("activation"),
                  "kernel": layer.kernel.numpy(),
                  "bias": layer.bias.numpy() if layer.use_bias else np.zeros(layer.units, np.float32)}
                 for layer in model.layers if type(layer).__name__ == "Dense"]
        return [{key: layer[key] for key in ("name", "kernel", "bias")} for layer in linear_chain(dense)]


if __name__ == "__main__":
    sys.exit(child.main(host=WindowHost))
