"""The shape of an assignment pack's ``pack.json`` and of the names inside a pack, checked before use.

A pack comes from someone else: ``check_manifest`` checks every field's type (and the nesting, before
anything recurses on it) and raises ``ManifestProblem`` naming the first wrong field, without quoting
its content; ``plain_name`` makes a file or folder name that cannot leave, hide in or replace anything
in the folder it is made in. ``studio.classroom.packs`` makes packs and ``studio.classroom.pack_open`` opens them with these.
"""

from __future__ import annotations

import math
import re
import unicodedata

from studio.core.kinds import nesting_depth

MAX_NAME_BYTES = 100  # leaves room for ".NAME.opening-XXXXXXXX" and ".old-DATE-TIME-N" under 255
MAX_MANIFEST_BYTES = 1 << 20
MAX_DEPTH = 32  # pack.json nesting; a teacher's locked optimizer settings need about 8
MAX_CHECK_ITEMS = 100
_WINDOWS_DEVICES = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
RESERVED = ("pack.json", "lab.json")  # the manifest, and the lab file open_pack writes


def plain_name(text: str) -> str:
    """``text`` as a plain file or folder name: letters, digits, '_', '-' and '.', not hidden; '' when nothing is left.

    Separators, NUL and other characters become '_'; leading and trailing dots
    go (so '.', '..' and '...' leave nothing, and the name never hides or
    meets the hidden temporary folders); Windows' device names get a '_'.
    """
    name = re.sub(r"[^\w.\-]", "_", unicodedata.normalize("NFC", text)).strip(".")
    while len(name.encode("utf-8")) > MAX_NAME_BYTES:
        name = name[:-1].rstrip(".")
    if not any(c.isalnum() for c in name):
        return ""
    if name.split(".")[0].upper() in _WINDOWS_DEVICES:
        name = "_" + name
    return name


def is_member_name(name: str) -> bool:
    parts = name.split("/")
    return len(parts) <= 2 and all(part and plain_name(part) == part for part in parts)


class ManifestProblem(Exception):
    """A field of pack.json that is missing or of the wrong type; the message names the field."""


def kind_of(value) -> str:
    """What a value is, for a message that must not quote it ('text', 'a number', 'an object')."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text" if value else "empty text"
    return "a list" if isinstance(value, list) else "an object"


def _need(ok: bool, field: str, want: str, value) -> None:
    if not ok:
        raise ManifestProblem(f"'{field}' must be {want}, not {kind_of(value)}")


def _text(value, field: str) -> str:
    _need(isinstance(value, str) and bool(value), field, "text", value)
    return value


def _texts(value, field: str) -> None:
    """{"en": ..., "ko": ...}: texts by language, English at least."""
    _need(isinstance(value, dict), field, 'an object of texts by language ({"en": ...})', value)
    if "en" not in value:
        raise ManifestProblem(f"'{field}' has no English text under \"en\"")
    for lang, text in value.items():
        _need(isinstance(text, str) and (lang != "en" or bool(text)), f"{field}.{lang}", "text", text)


def _whole(value, field: str) -> None:
    _need(isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 10**6, field,
          "a whole number from 0 to 1000000", value)


def _number(value, field: str) -> None:
    _need(isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value), field,
          "a number", value)


def _flag(value, field: str) -> None:
    _need(isinstance(value, bool), field, "true or false", value)


def _names(value, field: str) -> None:
    _need(isinstance(value, list) and 0 < len(value) <= MAX_CHECK_ITEMS, field, "a list of names", value)
    for i, name in enumerate(value):
        _text(name, f"{field}[{i}]")


def _split(value, field: str) -> None:
    _need(value in SPLITS, field, " or ".join(f'"{s}"' for s in SPLITS), value)


_LOCK = re.compile(r"(data|training)(\.[\w\-]+)+")


def _locks(value, field: str) -> None:
    _need(isinstance(value, dict) and bool(value), field, 'an object of locked settings ({"training.seed": 42})',
          value)
    for key in value:
        if not _LOCK.fullmatch(key):
            raise ManifestProblem(f"'{field}' locks a setting that is not data.NAME or training.NAME")


SPLITS = ("train", "validation", "test")
# The fields each check kind of studio.classroom.lab_checks reads, and what they must hold; (required, optional).
ITEM_FIELDS = {
    "perceptron": ({}, {"min_accuracy": _number, "converged": _flag}),
    "sequential": ({}, {}),
    "inputs": ({"count": _whole}, {}),
    "outputs": ({}, {"min": _whole}),
    "hidden": ({}, {"min": _whole}),
    "wide_and_deep": ({}, {}),
    "loss": ({"one_of": _names}, {"output": _text}),
    "loss_weights": ({}, {}),
    "callbacks": ({"required": _names}, {}),
    "metric": ({"name": _text}, {"split": _split, "min": _number, "max": _number, "best": _flag}),
    "early_stop": ({}, {}),
    "runs": ({}, {"min": _whole, "tensorboard": _flag}),
    "advisor": ({}, {}),
    "locked": ({"values": _locks}, {}),
}


def _check_item(item, field: str) -> None:
    _need(isinstance(item, dict), field, "a check item (an object with a \"kind\")", item)
    kind = item.get("kind")
    if not isinstance(kind, str) or kind not in ITEM_FIELDS:
        raise ManifestProblem(f"'{field}.kind' is not a check this studio knows (known: {', '.join(ITEM_FIELDS)})")
    required, optional = ITEM_FIELDS[kind]
    for key, check in required.items():
        if key not in item:
            raise ManifestProblem(f"'{field}' ({kind}) has no '{key}'")
        check(item[key], f"{field}.{key}")
    for key, check in optional.items():
        if key in item:
            check(item[key], f"{field}.{key}")
    if kind == "metric" and ("min" in item) == ("max" in item):
        raise ManifestProblem(f"'{field}' (metric) needs one bound: 'min' or 'max'")
    if "hint" in item:
        _texts(item["hint"], f"{field}.hint")


def check_manifest(manifest) -> None:
    """Every field of a pack.json, types and paths: raises ``ManifestProblem`` naming the first wrong one."""
    _need(isinstance(manifest, dict), "pack.json", "an object", manifest)
    if nesting_depth(manifest, MAX_DEPTH) > MAX_DEPTH:
        raise ManifestProblem(f"pack.json nests more than {MAX_DEPTH} levels deep")
    for key in ("title", "instructions", "project", "check", "data"):
        if key not in manifest:
            raise ManifestProblem(f"pack.json has no '{key}'")
    _texts(manifest["title"], "title")
    _texts(manifest["instructions"], "instructions")
    project = _text(manifest["project"], "project")
    if "/" in project or not is_member_name(project) or project in RESERVED:
        raise ManifestProblem("'project' must be the plain name of a project file at the top of the pack")
    if "seed" in manifest:
        _need(isinstance(manifest["seed"], int) and not isinstance(manifest["seed"], bool), "seed",
              "a whole number", manifest["seed"])
    if manifest.get("lab") is not None:
        _text(manifest["lab"], "lab")
    check = manifest["check"]
    _need(isinstance(check, list) and 0 < len(check) <= MAX_CHECK_ITEMS, "check",
          f"a list of 1 to {MAX_CHECK_ITEMS} check items", check)
    for i, item in enumerate(check):
        _check_item(item, f"check[{i}]")
    data = manifest["data"]
    _need(isinstance(data, dict), "data", 'an object ({"file": ..., "sha256": ...})', data)
    sha = data.get("sha256")
    _need(isinstance(sha, str) and re.fullmatch(r"[0-9a-f]{64}", sha) is not None, "data.sha256",
          "a SHA-256 checksum (64 hexadecimal digits)", sha)
    if "bundled" in data:
        _need(data["bundled"] == "mnist", "data.bundled", '"mnist"', data["bundled"])
    else:
        name = _text(data.get("file"), "data.file")
        if not is_member_name(name) or name in RESERVED or name == project:
            raise ManifestProblem("'data.file' must be the plain name of the data file in the pack (at most one folder deep)")
