"""Kinds of values a project file may hold, and how a value is shown in a message.

The building blocks of ``studio.core.schema``: a ``Kind`` (``Whole``, ``Number``,
``Text``, ``Choice``, ``ListOf``, ``MapOf``, ``Record`` of ``Field``s ...) checks a
value without ever raising and returns one line per problem naming the field;
``shown`` quotes a short piece of a value, ``summary`` says the first problem and
how many more there are. Nothing here recurses on the value's own depth (the
file's nesting is limited before, ``MAX_DEPTH``).
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass, field
from typing import Any

#: JSON nested deeper than this is refused when read: the deepest real project value (an initializer's
#: config inside a layer inside the graph, or Normalization statistics of a few axes) is about 10 levels.
MAX_DEPTH = 32

_MISSING = object()


def shown(value: Any) -> str:
    """A short, safe picture of a value for a message: never a container's content, never a long text."""
    if isinstance(value, bool) or value is None:
        return {True: "true", False: "false", None: "null"}[value]
    if isinstance(value, int):
        digits = len(str(abs(value))) if abs(value) < 10 ** 40 else None
        return str(value) if digits is not None and digits <= 24 else "a whole number of more than 24 digits"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return repr(value if len(value) <= 40 else value[:40] + "...")
    if isinstance(value, (list, tuple)):
        return f"a list of {len(value)} item{'s' if len(value) != 1 else ''}" if value else "an empty list"
    if isinstance(value, dict):
        return "an object" if value else "an empty object"
    return f"a {type(value).__name__}"


def one_line(exc: BaseException) -> str:
    """An exception's message as one short line; Keras' "Error when deserializing ... config={...}" is cut
    to its reason (the config it quotes is the file's content)."""
    text = str(exc)
    if "Exception encountered:" in text:
        text = text.split("Exception encountered:", 1)[1]
    text = " ".join(text.split()) or type(exc).__name__
    return text if len(text) <= 200 else text[:200] + "..."


def summary(problems: list[str]) -> str:
    """Several problems as the one line an error raised for them says: the first, and how many more."""
    more = len(problems) - 1
    return problems[0] + (f" (and {more} more problem{'s' if more != 1 else ''})" if more else "")


def nesting_depth(value: Any, limit: int = MAX_DEPTH) -> int:
    """How deeply lists and objects nest in ``value`` (a plain value is 0), counted without recursion.

    Counting stops once ``limit`` is passed, so a hostile value costs no more than a legal one.
    """
    deepest, todo = 0, [(value, 1)]
    while todo:
        item, depth = todo.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, (list, tuple)):
            children = item
        else:
            continue
        deepest = max(deepest, depth)
        if deepest > limit:
            return deepest
        todo.extend((child, depth + 1) for child in children)
    return deepest


def _number_text(value) -> str:
    return f"{value:,}" if isinstance(value, int) else f"{value:g}"


# -- kinds of values ------------------------------------------------------------------------

class Kind:
    """What a value may be. ``problems`` appends one line per problem to ``out``."""

    text = "a value"

    def accepts(self, value) -> bool:
        out: list[str] = []
        self.problems(value, "", "", out)
        return not out

    def problems(self, value, path: str, label: str, out: list[str]) -> None:
        raise NotImplementedError

    @staticmethod
    def must(path: str, label: str, text: str, value) -> str:
        """The one shape of a type message: ``path: label must be text, not value``."""
        subject = f"{label} must" if label else "must"
        return f"{path}: {subject} be {text}, not {shown(value)}"


@dataclass(frozen=True)
class Anything(Kind):
    """Any JSON value (a Keras argument whose type Keras itself checks); its depth is limited on reading."""

    text: str = "a value"

    def problems(self, value, path, label, out):
        return None


@dataclass(frozen=True)
class Whole(Kind):
    """An int (not a bool) within [lo, hi]; ``hi_text`` shows a bound such as 2**31-1 legibly."""

    lo: int | None = None
    hi: int | None = None
    hi_text: str | None = None

    @property
    def text(self) -> str:
        if self.lo is not None and self.hi is not None:
            hi = self.hi_text or _number_text(self.hi)
            return f"a whole number between {_number_text(self.lo)} and {hi}"
        if self.lo is not None:
            return f"a whole number >= {_number_text(self.lo)}"
        return "a whole number"

    def problems(self, value, path, label, out):
        # The wrong type gets the whole range; a number out of range the bound it passed.
        if not isinstance(value, int) or isinstance(value, bool):
            out.append(self.must(path, label, self.text, value))
        elif self.lo is not None and value < self.lo:
            out.append(self.must(path, label, f"a whole number >= {_number_text(self.lo)}", value))
        elif self.hi is not None and value > self.hi:
            out.append(self.must(path, label, f"a whole number <= {self.hi_text or _number_text(self.hi)}",
                                 value))


@dataclass(frozen=True)
class Number(Kind):
    """A finite int or float within its bounds (open or closed)."""

    lo: float | None = None
    hi: float | None = None
    lo_open: bool = False
    hi_open: bool = False

    @property
    def text(self) -> str:
        lo, hi = self.lo, self.hi
        if lo is not None and hi is not None:
            if not self.lo_open and self.hi_open:
                return f"from {lo:g} up to (not including) {hi:g}"
            if self.lo_open and self.hi_open:
                return f"a number between {lo:g} and {hi:g} (both excluded)"
            return f"from {lo:g} to {hi:g}"
        if lo is not None:
            return f"a finite number {'>' if self.lo_open else '>='} {lo:g}"
        if hi is not None:
            return f"a finite number {'<' if self.hi_open else '<='} {hi:g}"
        return "a finite number"

    def problems(self, value, path, label, out):
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        if ok and isinstance(value, int) and abs(value) > 2 ** 64:
            ok = False  # float(value) would overflow
        ok = ok and math.isfinite(value)
        if ok and self.lo is not None:
            ok = value > self.lo if self.lo_open else value >= self.lo
        if ok and self.hi is not None:
            ok = value < self.hi if self.hi_open else value <= self.hi
        if not ok:
            out.append(self.must(path, label, self.text, value))


@dataclass(frozen=True)
class Flag(Kind):
    text: str = "true or false"

    def problems(self, value, path, label, out):
        if not isinstance(value, bool):
            out.append(self.must(path, label, self.text, value))


@dataclass(frozen=True)
class Text(Kind):
    """A string; ``empty`` allows ''; at most ``longest`` characters."""

    empty: bool = False
    longest: int = 4096

    @property
    def text(self) -> str:
        return "text" if self.empty else "a non-empty text"

    def problems(self, value, path, label, out):
        if not isinstance(value, str) or (not value and not self.empty):
            out.append(self.must(path, label, self.text, value))
        elif len(value) > self.longest:
            out.append(f"{path}: {label + ' ' if label else ''}is {len(value):,} characters long; "
                       f"at most {self.longest:,} are allowed")


@dataclass(frozen=True)
class Choice(Kind):
    """One of a fixed list of names, said as 'unknown <noun> ...; choose one of ...'."""

    values: tuple = ()
    noun: str = "value"

    @property
    def text(self) -> str:
        return "one of " + ", ".join(map(str, self.values))

    def problems(self, value, path, label, out):
        if not isinstance(value, str) or value not in self.values:
            out.append(f"{path}: unknown {self.noun} {shown(value)}; choose one of "
                       f"{', '.join(map(str, self.values))}")


@dataclass(frozen=True)
class Nullable(Kind):
    """``kind``, or null (the setting is unset)."""

    kind: Kind = field(default_factory=Anything)

    @property
    def text(self) -> str:
        return f"{self.kind.text} or null"

    def problems(self, value, path, label, out):
        if value is not None:
            self.kind.problems(value, path, label, out)


@dataclass(frozen=True)
class AnyOf(Kind):
    """The first of ``kinds`` whose type the value has decides; none: one line saying ``text``."""

    kinds: tuple = ()
    text: str = "a value"

    def problems(self, value, path, label, out):
        for kind in self.kinds:
            if _same_shape(kind, value):
                kind.problems(value, path, label, out)
                return
        out.append(self.must(path, label, self.text, value))


def _same_shape(kind: Kind, value) -> bool:
    """Whether ``value`` is of the JSON type ``kind`` is about (so its own message is the precise one)."""
    if isinstance(kind, Nullable):
        return value is None or _same_shape(kind.kind, value)
    if isinstance(kind, (Whole, Number)):
        return isinstance(value, (int, float)) and not isinstance(value, bool) and (
            isinstance(kind, Number) or isinstance(value, int))
    if isinstance(kind, Flag):
        return isinstance(value, bool)
    if isinstance(kind, (Text, Choice)):
        return isinstance(value, str)
    if isinstance(kind, ListOf):
        return isinstance(value, list)
    if isinstance(kind, (MapOf, Record)):
        return isinstance(value, dict)
    if isinstance(kind, AnyOf):
        return any(_same_shape(k, value) for k in kind.kinds)
    return True


@dataclass(frozen=True)
class ListOf(Kind):
    """A list of ``item``s, of exactly ``length`` or of ``shortest``..``longest`` items."""

    item: Kind = field(default_factory=Anything)
    length: int | None = None
    shortest: int = 0
    longest: int = 100_000

    @property
    def text(self) -> str:
        if self.length is not None:
            return f"a list of {self.length} ({self.item.text})"
        return f"a list ({self.item.text} each)"

    def problems(self, value, path, label, out):
        if not isinstance(value, list):
            out.append(self.must(path, label, self.text, value))
            return
        if self.length is not None and len(value) != self.length:
            out.append(self.must(path, label, self.text, value))
            return
        if not self.shortest <= len(value) <= self.longest:
            out.append(f"{path}: {label + ' ' if label else ''}must have from {self.shortest:,} to "
                       f"{self.longest:,} items, not {len(value):,}")
            return
        before = len(out)
        for i, item in enumerate(value):
            self.item.problems(item, f"{path}[{i}]", "", out)
            if len(out) - before >= 3:  # a long list of wrong items: the first few say it
                break


class _Object(Kind):
    """A JSON object (a dict)."""

    @property
    def text(self) -> str:
        return "an object"

    def is_object(self, value, path, label, out) -> bool:
        if not isinstance(value, dict):
            out.append(self.must(path, label, self.text, value))
        return isinstance(value, dict)


@dataclass(frozen=True)
class MapOf(_Object):
    """An object whose keys are free names and whose values are all ``value``s."""

    value: Kind = field(default_factory=Anything)
    longest: int = 10_000

    def problems(self, value, path, label, out):
        if not self.is_object(value, path, label, out):
            return
        if len(value) > self.longest:
            out.append(f"{path}: has {len(value):,} entries; at most {self.longest:,} are allowed")
            return
        before = len(out)
        for key, item in value.items():
            if not key:
                out.append(f"{path}: has an entry without a name")
            else:
                self.value.problems(item, f"{path}.{_key(key)}", "", out)
            if len(out) - before >= 3:
                break


def _key(key) -> str:
    """A key from the file as part of a field's path: itself when short and printable, else quoted and cut."""
    return key if isinstance(key, str) and len(key) <= 40 and key.isprintable() else shown(key)


@dataclass(frozen=True)
class Field:
    """One named setting: its kind, its default (``_MISSING``: none) and a label for messages."""

    kind: Kind
    default: Any = _MISSING
    label: str = ""


@dataclass(frozen=True)
class Record(_Object):
    """An object with known keys; an unknown key is a problem (it would be ignored or refused later)."""

    fields: dict = field(default_factory=dict)
    what: str = "this section"
    required: tuple = ()

    def problems(self, value, path, label, out):
        if not self.is_object(value, path, label, out):
            return
        unknown = [key for key in value if key not in self.fields]
        for key in unknown[:3]:
            out.append(f"{path}.{_key(key)}: not a setting of {self.what}; it has {', '.join(self.fields)}")
        if len(unknown) > 3:
            out.append(f"{path}: {len(unknown) - 3} more unknown settings")
        for name in self.required:
            if name not in value:
                out.append(f"{path}.{name}: is missing")
        for name, spec in self.fields.items():
            if name in value:
                spec.kind.problems(value[name], f"{path}.{name}", spec.label, out)

    def default(self, name: str):
        """A fresh copy of field ``name``'s default."""
        value = self.fields[name].default
        if value is _MISSING:
            raise KeyError(f"{name!r} has no default here")
        return copy.deepcopy(value)

    def defaults(self) -> dict:
        """Every field that has a default, as a fresh dict."""
        return {name: copy.deepcopy(f.default) for name, f in self.fields.items() if f.default is not _MISSING}

    def value(self, section, name: str):
        """Field ``name`` as it will be used: the section's value, or (absent or null) a fresh copy of the
        default. ``section`` may be anything a file held; only a dict gives values."""
        given = section.get(name) if isinstance(section, dict) else None
        return copy.deepcopy(given) if given is not None else self.default(name)
