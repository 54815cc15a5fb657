"""200 damaged copies of a real .h5 go through the import path: each opens or is refused; nothing dies or hangs."""

import time

import numpy as np

from studio.core.keras_bridge import build_model
from studio.training.model_files import ModelFileError, save_model
from studio.training.safe_load import _loader, open_untrusted
from training.corrupt import corrupt
from training.helpers import mlp_project

COPIES = 200


def test_damaged_model_files_are_opened_or_refused_never_fatal(tmp_path):
    project = mlp_project(tmp_path)
    original = tmp_path / "model.h5"
    save_model(build_model(project.graph), original, {"graph": project.graph.to_dict()})
    data = original.read_bytes()
    rng = np.random.default_rng(2026)
    outcomes, kinds = {"opened": 0, "refused": 0}, {}
    crashed_or_hung = 0
    start = time.perf_counter()
    for i in range(COPIES):
        damaged, kind = corrupt(data, rng)
        path = tmp_path / f"damaged-{i}.h5"
        path.write_bytes(damaged)
        kinds[kind] = kinds.get(kind, 0) + 1
        try:
            model, _ = open_untrusted(path, timeout=60)
            assert model.count_params() == 67  # whatever opens is the model, not something else
            outcomes["opened"] += 1
        except ModelFileError as exc:  # the only other outcome allowed: a message naming the file
            assert str(path) in str(exc), str(exc)
            outcomes["refused"] += 1
            crashed_or_hung += "crashed the loader" in str(exc) or "did not finish" in str(exc)
        path.unlink()
    elapsed = time.perf_counter() - start
    assert sum(outcomes.values()) == COPIES and outcomes["refused"] > COPIES // 2
    assert len(kinds) == 6
    assert elapsed < 600, f"{COPIES} files took {elapsed:.0f} s"
    # the original still opens afterwards: the loader recovered from whatever the damaged files did to it
    model, _ = open_untrusted(original)
    assert model.count_params() == 67
    print(outcomes, kinds, f"{crashed_or_hung} crashed or hung the child", f"{elapsed:.1f} s")


def test_a_loader_that_dies_is_replaced(tmp_path):
    project = mlp_project(tmp_path)
    original = tmp_path / "model.h5"
    save_model(build_model(project.graph), original, {"graph": project.graph.to_dict()})
    open_untrusted(original)
    _loader.process.kill()  # as if a file had crashed it
    _loader.process.wait()
    model, _ = open_untrusted(original)
    assert model.count_params() == 67


def test_a_file_name_with_a_newline_cannot_shift_the_loaders_answers(tmp_path):
    """The loader child once read one path per line: a name with a newline became two requests, and every later
    file got the answer meant for the one before (a damaged file then got an 'ok' and was opened here)."""
    project = mlp_project(tmp_path)
    good = tmp_path / "model.h5"
    save_model(build_model(project.graph), good, {"graph": project.graph.to_dict()})
    odd = tmp_path / "first line\nsecond line.h5"
    odd.write_bytes(good.read_bytes())
    model, _ = open_untrusted(odd)
    assert model.count_params() == 67  # the file itself was checked and opened
    damaged = tmp_path / "damaged.h5"
    damaged.write_bytes(b"\x89HDF\r\n\x1a\n" + b"\0" * 64)
    try:
        open_untrusted(damaged)
    except ModelFileError as exc:
        assert str(damaged) in str(exc)  # its own verdict, not a previous file's
    else:
        raise AssertionError("a damaged file was opened")
    model, _ = open_untrusted(good)
    assert model.count_params() == 67


def test_a_folder_a_pipe_or_a_device_named_h5_is_said_as_what_it_is(tmp_path):
    import os
    folder = tmp_path / "model.h5"
    folder.mkdir()
    fifo = tmp_path / "pipe.h5"
    os.mkfifo(fifo)
    for path, said in ((folder, "this is a folder"), (fifo, "not a regular file"), (tmp_path / "gone.h5",
                                                                                     "there is no such file")):
        try:
            open_untrusted(path)
        except ModelFileError as exc:
            assert said in str(exc) and str(path) in str(exc)
        else:
            raise AssertionError(f"{path} was opened")
