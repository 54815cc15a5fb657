"""``studio FILE…`` (what a file manager runs on a double-click) reaches the application with the files, while
every command still parses as one."""

import pytest

from studio import cli


@pytest.fixture
def app_started(monkeypatch):
    started = []
    import studio.ui.app
    monkeypatch.setattr(studio.ui.app, "run_app", lambda args: started.append(args.files) or 0)
    return started


@pytest.mark.parametrize("argv", [["x.studio.json"], ["/tmp/a b/y.studio-pack"], ["m.h5", "data.csv"],
                                  ["x.keras"], ["C:\\Users\\me\\model.keras"]])
def test_a_file_reaches_the_app(argv, app_started):
    args = cli.build_parser().parse_args(argv)
    assert args.command is None and args.func is cli.cmd_app and args.files == argv
    assert cli.main(argv) == 0 and app_started == [argv]


def test_a_file_without_a_dot_that_exists_is_a_file(tmp_path, monkeypatch, app_started):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes").write_text("x")
    assert cli.main(["notes"]) == 0 and app_started == [["notes"]]


def test_commands_still_parse_and_a_mistyped_one_is_still_refused(capsys):
    parser = cli.build_parser()
    checked = parser.parse_args(["check", "x.studio.json"])
    assert checked.command == "check" and checked.files == []
    trained = parser.parse_args(["train", "x.studio.json", "--epochs", "2"])
    assert trained.command == "train" and trained.epochs == 2
    assert parser.parse_args([]).files == [] and parser.parse_args([]).func is cli.cmd_app
    with pytest.raises(SystemExit):
        parser.parse_args(["trian"])
    assert "invalid choice: 'trian'" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        parser.parse_args(["train"])
    assert capsys.readouterr().err.startswith("usage: studio train")  # the subcommand's usage, not the app's
