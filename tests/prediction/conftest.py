"""One tiny trained project for the whole folder: training it is the slow part."""

import pytest
from helpers_prediction import trained_colours_project


@pytest.fixture(scope="session")
def colours(tmp_path_factory):
    """(project, run folder) of a table project trained for one epoch (missing-value policy "drop")."""
    return trained_colours_project(tmp_path_factory.mktemp("colours"))


@pytest.fixture(scope="session")
def colours_model(colours):
    from studio.prediction.model_source import trained_model
    project, _ = colours
    return trained_model(project.path)
