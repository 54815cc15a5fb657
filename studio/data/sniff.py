"""Detect how a CSV file is written: encoding, delimiter, decimal mark, header.

Everything is decided from the first part of the file; each setting can be
given by the caller instead. Files that are not text at all (HDF5, ZIP,
other binary data) are recognised and refused with a message saying what
they are.
"""

from __future__ import annotations

import csv
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from studio.core.files import not_a_regular_file
from studio.data.errors import DataError, cell

DELIMITERS = (",", ";", "\t", "|")
SAMPLE_BYTES = 256 * 1024
SAMPLE_LINES = 200
# Cells read as missing, besides pandas' own list ('', 'NA', 'NaN', 'null', ...).
EXTRA_NA = ("?",)
_NA = {"", "na", "n/a", "nan", "null", "none", "#n/a", "-nan", "?", "-"}
_NUMBER = {
    ".": re.compile(r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$|^[-+]?(inf|infinity)$", re.I),
    ",": re.compile(r"^[-+]?(\d+,?\d*|,\d+)([eE][-+]?\d+)?$|^[-+]?(inf|infinity)$", re.I),
}
_SIGNATURES = (
    (b"\x89HDF\r\n\x1a\n", "an HDF5 file (perhaps a saved model), not a CSV file"),
    (b"PK\x03\x04", "a ZIP archive (an Excel .xlsx workbook?), not a CSV file; save it as CSV first"),
    (b"\x1f\x8b", "gzip-compressed; unpack it first"),
    (b"%PDF", "a PDF document, not a CSV file"),
    (b"\x89PNG", "a PNG image, not a CSV file"),
    (b"\xd0\xcf\x11\xe0", "an old Excel (.xls) or Office file, not a CSV file; save it as CSV first"),
)


@dataclass
class CsvFormat:
    """How a CSV file is written; ``detected`` names the settings that were guessed."""

    encoding: str
    delimiter: str
    decimal: str
    header: bool
    columns: list[str]
    detected: list[str] = field(default_factory=list)

    def describe(self) -> str:
        names = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
        return (f"encoding {self.encoding}, delimiter {names.get(self.delimiter, repr(self.delimiter))}, "
                f"decimal mark {self.decimal!r}, {'a header row' if self.header else 'no header row'}")


def is_missing(cell: str) -> bool:
    return cell.strip().lower() in _NA


def is_number(cell: str, decimal: str = ".") -> bool:
    return bool(_NUMBER[decimal].match(cell.strip()))


# The legacy encodings CSV files come in: the Windows code pages that Excel's "CSV" writes on each
# system locale (cp949 on Korean Windows, cp932 on Japanese, cp1252 in Western Europe, ...).
# charset-normalizer decides among them; when several read a sample equally well (a short sample
# with a few non-ASCII cells), the first in this order wins: a multi-byte encoding that decodes every
# character cleanly is rarely right by chance, while a single-byte code page decodes any bytes.
LEGACY_ENCODINGS = ("cp949", "cp932", "gb18030", "big5", "cp1252", "cp1250", "cp1251", "cp1253", "cp1254",
                    "cp1257", "cp1258", "cp1255", "cp1256", "cp874")
# At most this many bytes of the sample's non-ASCII lines go to the detector (it is fast on them).
DETECT_BYTES = 64 * 1024


def _non_ascii_lines(raw: bytes, limit: int = DETECT_BYTES) -> bytes:
    """The lines holding non-ASCII bytes, joined: the only ones that say anything about the encoding."""
    kept, size = [], 0
    for line in raw.splitlines():
        if not line.isascii():
            kept.append(line)
            size += len(line) + 1
            if size >= limit:
                break
    return b"\n".join(kept)


def _legacy_encoding(raw: bytes) -> str:
    """The legacy encoding that reads ``raw`` best (charset-normalizer), or latin-1 (which reads any bytes)."""
    from charset_normalizer import from_bytes
    body = _non_ascii_lines(raw)
    if not body:
        return "latin-1"
    matches = list(from_bytes(body, cp_isolation=list(LEGACY_ENCODINGS)))
    if not matches:
        return "latin-1"
    best = matches[0]
    tied = [name for m in matches
            if round(m.chaos, 3) == round(best.chaos, 3) and round(m.coherence, 2) == round(best.coherence, 2)
            for name in m.could_be_from_charset]
    known = [name for name in LEGACY_ENCODINGS if name in tied]
    return known[0] if known else best.encoding


def detect_encoding(raw: bytes, truncated: bool) -> str:
    """The encoding of a file from its first bytes: a byte-order mark, else UTF-8 where the bytes are
    valid UTF-8, else the legacy encoding charset-normalizer finds."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    body = raw
    if truncated:  # the sample may end inside a character; in these encodings a newline never does
        cut = raw.rfind(b"\n")
        body = raw[:cut + 1] if cut > 0 else raw[: max(0, len(raw) - 3)]
    try:
        body.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    return _legacy_encoding(body)


def undecodable_lines(path: Path, encoding: str, limit: int = DETECT_BYTES,
                      cancelled=None) -> bytes:
    """Lines of the whole file that ``encoding`` cannot read (at most ``limit`` bytes of them), read a
    line at a time: what to detect the encoding from when the sample was not the whole story."""
    kept, size = [], 0
    with open(path, "rb") as f:
        for number, line in enumerate(f):
            if cancelled is not None and number % 65536 == 0 and cancelled():
                break
            if line.isascii():
                continue
            try:
                line.decode(encoding)
            except (UnicodeDecodeError, LookupError):
                kept.append(line.rstrip(b"\r\n"))
                size += len(line)
                if size >= limit:
                    break
    return b"\n".join(kept)


def _refuse_binary(raw: bytes, where: str, encoding_given: bool) -> None:
    for signature, what in _SIGNATURES:
        if raw.startswith(signature):
            raise DataError(f"{where}: this is {what}")
    if not encoding_given and not raw.startswith((b"\xff\xfe", b"\xfe\xff")) and b"\x00" in raw[:4096]:
        raise DataError(f"{where}: this is a binary file, not a CSV text file")


def _score(rows: list[list[str]]) -> tuple[float, int]:
    counts = [len(r) for r in rows if r]
    if not counts:
        return 0.0, 0
    mode, hits = Counter(counts).most_common(1)[0]
    return hits / len(counts), mode


def detect_delimiter(lines: list[str]) -> str:
    best, best_score = ",", (0.0, 1)
    for delimiter in DELIMITERS:
        consistency, width = _score(list(csv.reader(lines, delimiter=delimiter)))
        if width > 1 and (consistency, width) > best_score:
            best, best_score = delimiter, (consistency, width)
    return best


def detect_decimal(rows: list[list[str]], delimiter: str) -> str:
    if delimiter == ",":
        return "."
    comma = sum(1 for row in rows for cell in row if re.match(r"^\s*[-+]?\d+,\d+\s*$", cell))
    point = sum(1 for row in rows for cell in row if re.match(r"^\s*[-+]?\d+\.\d+\s*$", cell))
    return "," if comma > point else "."


def detect_header(rows: list[list[str]], decimal: str) -> bool:
    if len(rows) < 2:
        return not all(is_number(c, decimal) or is_missing(c) for c in rows[0]) if rows else True
    first, rest = rows[0], rows[1:]
    for i, top in enumerate(first):
        column = [r[i] for r in rest if i < len(r) and not is_missing(r[i])]
        if column and all(is_number(c, decimal) for c in column) and not is_number(top, decimal):
            return True  # a name above numbers
    if any(is_number(c, decimal) for c in first):
        return False
    # All text: a header if its cells are distinct and do not recur below.
    values = {c for r in rest for c in r}
    return len(set(first)) == len(first) and not set(first) & values


def _column_names(first: list[str], header: bool, where: str) -> list[str]:
    if not header:
        return [f"column_{i + 1}" for i in range(len(first))]
    names = [c.strip() or f"column_{i + 1}" for i, c in enumerate(first)]
    seen: dict[str, int] = {}
    for i, name in enumerate(names):
        if name in seen:
            raise DataError(f"{where}: duplicate column name {cell(name)} (columns {seen[name] + 1} and {i + 1}); "
                            "rename one of them")
        seen[name] = i
    return names


# A cell may be long (a 5 MB text cell, a 20,000-column gene table's line), not unbounded.
MAX_FIELD_BYTES = 64 * 1024 * 1024
csv.field_size_limit(MAX_FIELD_BYTES)


def check_regular_file(path: Path) -> os.stat_result:
    """The file's status; a folder, a pipe, a device or a socket is refused at once (reading a pipe never ends)."""
    problem = not_a_regular_file(path, "a CSV file")
    if problem is not None:
        raise DataError(f"{path}: {problem}")
    return path.stat()


def check_delimiter(delimiter) -> None:
    if delimiter is not None and (not isinstance(delimiter, str) or len(delimiter) != 1 or delimiter in '\r\n"'):
        raise DataError(f"the delimiter must be one character such as ',' ';' or a tab, not {delimiter!r}")


def sniff(path: str | Path, encoding: str | None = None, delimiter: str | None = None,
          decimal: str | None = None, header: bool | None = None) -> CsvFormat:
    """Detect the format of a CSV file; settings that are given are kept as given."""
    path = Path(path)
    where = str(path)
    check_regular_file(path)
    check_delimiter(delimiter)
    try:
        with open(path, "rb") as f:
            raw = f.read(SAMPLE_BYTES + 1)
    except OSError as exc:
        raise DataError(f"{where}: cannot read the file ({exc.strerror or exc})") from None
    truncated = len(raw) > SAMPLE_BYTES
    raw = raw[:SAMPLE_BYTES]
    if not raw.strip():
        raise DataError(f"{where}: the file is empty")
    _refuse_binary(raw, where, encoding is not None)
    detected = []
    if encoding is None:
        encoding, detected = detect_encoding(raw, truncated), detected + ["encoding"]
    try:
        text = raw.decode(encoding, errors="replace" if truncated else "strict")
    except (UnicodeDecodeError, LookupError) as exc:
        raise DataError(f"{where}: cannot be read as {encoding} ({exc})") from None
    lines = text.splitlines()
    if truncated and len(lines) > 1:
        lines = lines[:-1]  # the last line may be cut
    lines = [line for line in lines[:SAMPLE_LINES] if line.strip()]
    if delimiter is None:
        delimiter, detected = detect_delimiter(lines), detected + ["delimiter"]
    rows = list(csv.reader(lines, delimiter=delimiter))
    if decimal is None:
        decimal, detected = detect_decimal(rows, delimiter), detected + ["decimal"]
    if header is None:
        header, detected = detect_header(rows, decimal), detected + ["header"]
    columns = _column_names(rows[0], header, where)
    return CsvFormat(encoding, delimiter, decimal, header, columns, detected)
