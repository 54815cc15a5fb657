"""The studio's core: graph model, layer catalog, validation, shapes, Keras round trip, project files.

No Qt here, and TensorFlow only when a function needs Keras.
"""

from studio.core.catalog import CATALOG, CATEGORIES, LayerSpec, ParamSpec, UnknownLayerError, spec_for
from studio.core.graph import Graph, GraphError, Node
from studio.core.project import Project, ProjectError, load_project, save_project
from studio.core.validation import Problem, Report, validate

__all__ = [
    "CATALOG", "CATEGORIES", "Graph", "GraphError", "LayerSpec", "Node", "ParamSpec", "Problem",
    "Project", "ProjectError", "Report", "UnknownLayerError", "load_project", "save_project",
    "spec_for", "validate",
]
