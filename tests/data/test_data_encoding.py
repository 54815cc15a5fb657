"""Legacy encodings are detected with charset-normalizer: cp949 from Excel on Korean Windows reads exactly."""

import charset_normalizer
import numpy as np
import pytest

from studio.data import sniff as sniff_module
from studio.data.csv_file import load_csv
from studio.data.sniff import DETECT_BYTES, SAMPLE_BYTES, detect_encoding, sniff

SPECIES = ("부채붓꽃", "버시컬러", "버지니카")
HEADER = ("꽃잎 길이", "꽃잎 너비", "꽃받침 길이", "품종")


def korean_iris(rows: int) -> str:
    lines = [",".join(HEADER)]
    for i in range(rows):
        lines.append(f"{1 + i * 0.1:.1f},{0.2 + i * 0.01:.2f},{5 + i * 0.05:.2f},{SPECIES[i % 3]}")
    return "\r\n".join(lines) + "\r\n"  # as Excel writes it


def test_a_cp949_csv_from_korean_excel_reads_exactly(tmp_path):
    path = tmp_path / "붓꽃.csv"
    path.write_bytes(korean_iris(36).encode("cp949"))
    table = load_csv(path)
    assert table.format.encoding == "cp949" and "encoding" in table.format.detected
    assert list(table.frame.columns) == list(HEADER)  # not "²ÉÀÙ ±æÀÌ"
    assert table.frame["품종"].tolist() == [SPECIES[i % 3] for i in range(36)]
    np.testing.assert_allclose(table.frame["꽃잎 길이"], [1 + i * 0.1 for i in range(36)], rtol=1e-6)


def test_a_short_cp949_file_with_only_a_few_korean_cells(tmp_path):
    path = tmp_path / "short.csv"
    path.write_bytes("id,value,label\n1,2.5,a\n2,3.5,가\n3,1.0,b\n4,2.0,나\n".encode("cp949"))
    table = load_csv(path)
    assert table.format.encoding == "cp949"
    assert table.frame["label"].tolist() == ["a", "가", "b", "나"]


def test_euc_kr_bytes_are_read_as_cp949_its_superset(tmp_path):
    path = tmp_path / "euckr.csv"
    path.write_bytes("이름,점수\n김민수,90\n이서연,85\n박지훈,77\n".encode("euc-kr"))
    table = load_csv(path)
    assert table.format.encoding == "cp949"
    assert table.frame["이름"].tolist() == ["김민수", "이서연", "박지훈"]


def test_utf8_still_wins_when_valid_with_or_without_bom(tmp_path):
    text = korean_iris(10)
    plain, bom = tmp_path / "plain.csv", tmp_path / "bom.csv"
    plain.write_bytes(text.encode("utf-8"))
    bom.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert load_csv(plain).format.encoding == "utf-8"
    table = load_csv(bom)
    assert table.format.encoding == "utf-8-sig" and list(table.frame.columns) == list(HEADER)


@pytest.mark.parametrize("text, encoding", [
    ("Name;Stadt\nCafé Müller;Zürich\nBäckerei;Köln\n", "cp1252"),
    ("prix,ville\n1,à Besançon\n2,là\n", "cp1252"),
    ("Имя,Город\nИван,Москва\nОльга,Самара\n", "cp1251"),
])
def test_other_legacy_encodings(tmp_path, text, encoding):
    assert detect_encoding(text.encode(encoding), truncated=False) == encoding


def test_a_large_cp949_file_is_detected_from_a_bounded_sample(tmp_path, monkeypatch):
    """The sample ends inside a two-byte character; the detector sees at most DETECT_BYTES."""
    path = tmp_path / "big.csv"
    path.write_bytes(korean_iris(12_000).encode("cp949"))
    assert path.stat().st_size > SAMPLE_BYTES
    seen = []
    real = charset_normalizer.from_bytes

    def spy(data, *args, **kwargs):
        seen.append(len(data))
        return real(data, *args, **kwargs)

    monkeypatch.setattr(charset_normalizer, "from_bytes", spy)
    fmt = sniff(path)
    assert fmt.encoding == "cp949" and fmt.columns == list(HEADER)
    assert seen and max(seen) <= DETECT_BYTES + 512


def test_korean_text_after_the_sample_is_detected_again(tmp_path):
    """ASCII for the first 256 KiB, then cp949: the lines that utf-8 cannot read decide, not cp1252."""
    ascii_rows = "".join(f"{i},{i * 0.5},plain\n" for i in range(SAMPLE_BYTES // 10))
    korean_rows = "".join(f"{i},{i * 0.25},{SPECIES[i % 3]}\n" for i in range(30))
    path = tmp_path / "late.csv"
    path.write_bytes(("n,x,label\n" + ascii_rows + korean_rows).encode("cp949"))
    table = load_csv(path)
    assert table.format.encoding == "cp949"
    assert table.frame["label"].tolist()[-3:] == [SPECIES[27 % 3], SPECIES[28 % 3], SPECIES[29 % 3]]
    assert any("read as cp949" in note for note in table.notes)


def test_detection_uses_the_library(monkeypatch):
    """Non-UTF-8 bytes go to charset-normalizer, restricted to the legacy encodings CSV files come in."""
    calls = []
    real = charset_normalizer.from_bytes

    def fake(data, cp_isolation=None, **kwargs):
        calls.append(cp_isolation)
        return real(data, cp_isolation=cp_isolation, **kwargs)

    monkeypatch.setattr(charset_normalizer, "from_bytes", fake)
    assert detect_encoding("a,b\n1,가\n".encode("cp949"), truncated=False) == "cp949"
    assert calls and "cp949" in calls[0] and "cp1252" in calls[0]
    assert sniff_module.LEGACY_ENCODINGS[0] == "cp949"
