"""Every error the studio raises for a user's mistake derives from the one UserError base."""

import importlib
import inspect
import pkgutil

import studio
from studio.core.errors import UserError
from studio.data.errors import Cancelled

NOT_A_MISTAKE = {Cancelled}  # the user asked a load to stop: said as "cancelled", not as an error
# signals caught inside the module that raises them, turned there into the module's UserError or a note
# exceptions that never reach a user: control flow inside one module (csv_ranges: "read it in one pass instead")
INTERNAL = {"StateNotKept", "ManifestProblem", "_Missing", "Overflow", "_QuoteSeen"}


def studio_exceptions():
    found = {}
    for module in pkgutil.walk_packages(studio.__path__, "studio."):
        if module.name.startswith("studio.ui") or module.name.endswith("__main__"):
            continue  # the window's modules need Qt; they define no errors of their own
        for _, value in inspect.getmembers(importlib.import_module(module.name), inspect.isclass):
            if issubclass(value, BaseException) and value.__module__ == module.name:
                found[value.__qualname__] = value
    return found


def test_every_user_error_of_every_layer_is_a_user_error():
    found = studio_exceptions()
    assert {"DataError", "ProjectError", "GraphError", "TrainingError", "SettingsError", "LabError",
            "SearchError", "ReportError", "ModelFileError"} <= set(found)
    stray = sorted(name for name, cls in found.items()
                   if not issubclass(cls, UserError) and cls not in NOT_A_MISTAKE and name not in INTERNAL)
    assert stray == []


def test_a_user_error_is_still_what_callers_caught_before():
    from studio.core.catalog import UnknownLayerError
    from studio.core.files import NotWritable
    assert issubclass(UserError, ValueError)
    assert issubclass(NotWritable, OSError) and issubclass(UnknownLayerError, KeyError)
    assert "unknown layer class 'Dens'" in str(UnknownLayerError("Dens"))
