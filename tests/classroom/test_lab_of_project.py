"""Which lab a project file belongs to (studio.classroom.labs.lab_of_project): the window opens its lesson."""

import json

from studio.classroom.labs import find_lab, lab_of_project, list_labs, start_lab


def _lab_with_project():
    return next(lab for lab in list_labs() if lab.project)


def test_a_started_lab_is_the_studios_own_definition(tmp_path):
    lab = _lab_with_project()
    folder = start_lab(lab, home=tmp_path)
    found = lab_of_project(folder / lab.project, home=tmp_path)
    assert found is not None and found.id == lab.id and found.folder == find_lab(lab.id).folder


def test_a_lab_folder_elsewhere_is_its_own_lab_json(tmp_path):
    lab = _lab_with_project()
    copy = start_lab(lab, home=tmp_path / "elsewhere")  # e.g. an assignment unpacked by an older studio
    found = lab_of_project(copy / lab.project, home=tmp_path / "home")
    assert found is not None and found.id == lab.id and found.folder == copy


def test_no_lab_beside_a_plain_project_or_a_broken_lab_json(tmp_path):
    assert lab_of_project(tmp_path / "mine.studio.json", home=tmp_path) is None
    (tmp_path / "lab.json").write_text(json.dumps({"id": 3}), encoding="utf-8")
    assert lab_of_project(tmp_path / "mine.studio.json", home=tmp_path / "home") is None
