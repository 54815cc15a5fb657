"""`studio data`: what was detected, the column table, and one JSON object last."""

import json

from studio.cli import main
from studio.resources import resource


def last_json(out: str) -> dict:
    return json.loads(out.strip().splitlines()[-1])


def test_data_on_a_csv_with_a_target(capsys):
    assert main(["data", str(resource("datasets", "penguins.csv")), "--target", "species"]) == 0
    out = capsys.readouterr().out
    assert "Detected: encoding utf-8, delimiter comma" in out
    assert "Target species: suggested task multiclass (3 classes: Adelie, Chinstrap, Gentoo)" in out
    result = last_json(out)
    assert result["rows"] == 344 and result["columns"] == 8 and result["missing"] == 19
    assert result["delimiter"] == "," and result["encoding"] == "utf-8" and result["task"] == "multiclass"


def test_data_on_mnist(capsys):
    assert main(["data", "mnist"]) == 0
    result = last_json(capsys.readouterr().out)
    assert result["rows"] == 70000 and result["columns"] == 784 and result["missing"] == 0


def test_data_european_csv_and_overrides(tmp_path, capsys):
    path = tmp_path / "shop.csv"
    path.write_bytes("Artikel;Preis\nKäse;2,5\nBrot;NA\nÄpfel;1,25\n".encode("latin-1"))
    assert main(["data", str(path), "--target", "Preis"]) == 0
    result = last_json(capsys.readouterr().out)
    assert (result["delimiter"], result["decimal"], result["missing"]) == (";", ",", 1)
    assert result["task"] == "regression"
    assert main(["data", str(path), "--no-header"]) == 0
    assert last_json(capsys.readouterr().out)["rows"] == 4


def test_data_unreadable_file_exits_2_with_one_line(tmp_path, capsys):
    path = tmp_path / "model.csv"
    path.write_bytes(b"\x89HDF\r\n\x1a\n" + b"\x00" * 64)
    assert main(["data", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "HDF5 file" in err
    assert main(["data", "no_such_set"]) == 2


def test_data_on_a_cp949_csv_from_korean_excel(tmp_path, capsys):
    path = tmp_path / "iris.csv"
    rows = "".join(f"{1 + i / 10:.1f},{('부채붓꽃', '버시컬러', '버지니카')[i % 3]}\r\n" for i in range(30))
    path.write_bytes(("꽃잎 길이,품종\r\n" + rows).encode("cp949"))
    assert main(["data", str(path), "--target", "품종"]) == 0
    out = capsys.readouterr().out
    assert "Detected: encoding cp949, delimiter comma" in out
    assert "Target 품종: suggested task multiclass (3 classes: 버시컬러, 버지니카, 부채붓꽃)" in out
    assert last_json(out)["encoding"] == "cp949"
