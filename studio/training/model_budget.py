"""What a model file asks of the machine, known before anything is built or read.

A model file of a few kilobytes can declare anything: a Dense layer of 250
million units, an HDF5 dataset of terabytes kept as unwritten chunks, a
config.json or weights member that unpacks a thousandfold, a group that holds
a link to itself. Keras allocates what a file declares and checks it
afterwards, so the studio measures first, without TensorFlow where it can:

- ``walk_h5`` visits every object of an HDF5 file once, keyed on its address,
  so a hard-link cycle is found instead of followed, refuses links that are not
  plain hard links (an external link reads another file), and adds up the bytes
  that datasets and attributes declare (shape times item size, nothing read);
- ``walk_archive`` reads only a .keras archive's directory (each member's
  unpacked size and compression ratio) and walks its weights the same way, in
  place (Keras stores them uncompressed);
- ``count_parameters`` builds the model from its configuration with Keras'
  own classes, the way loading builds it, inside a ``keras.StatelessScope``:
  every variable gets its shape but no value, so a layer of 250 million units
  costs nothing, and the count is exactly what loading would allocate.

The limit is a share of the memory available now
(``studio.core.memory.available_memory``), and a parameter is counted as
training counts it (``studio.core.memory.BYTES_PER_PARAMETER``).
"""

from __future__ import annotations

import io
import json
import math
import struct
import zipfile
from dataclasses import dataclass

from studio.training.model_files import ModelFileError

# Half of what is available: the loader child and the studio each hold the model while it is checked and opened
# (the CSV loader plans with the same share).
MEMORY_SHARE = 0.5
MAX_CONFIG_BYTES = 16 * 1024 ** 2  # a 5,000-layer configuration is about 10 MB
MAX_LINKS = 100_000  # HDF5 links (and archive members) in one file; a model of 5,000 layers has about 20,000
MAX_DEPTH = 64  # nested HDF5 groups; Keras nests five deep
MAX_ATTRIBUTES = 10_000  # on one HDF5 object
# Keras stores archive members uncompressed; a member that unpacks to more than this many times what it stores
# (and is larger than the floor) is a decompression bomb. DEFLATE reaches about 1,000 on zeros.
MAX_RATIO = 100
RATIO_FLOOR = 16 * 1024 ** 2
# What a model's own arrays can take in a file: its weights and up to three optimizer slots, in float64.
STORED_BYTES_PER_PARAMETER = 32
STORED_SLACK = 16 * 1024 ** 2  # HDF5's own bookkeeping, step counts and learning rates
WEIGHTS_MEMBER = "model.weights.h5"
JSON_MEMBERS = ("config.json", "metadata.json", "studio.json")


def size(n: float) -> str:
    """1.9e9 -> '1.9 GB' (decimal units, as the studio's other memory messages)."""
    for unit in ("bytes", "KB", "MB", "GB", "TB"):
        if n < 1000 or unit == "TB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1000
    raise AssertionError("unreachable")


def limit() -> int:
    """Bytes a model file may need on this machine now."""
    from studio.core.memory import available_memory
    return int(available_memory() * MEMORY_SHARE)


def _over(where: str, needed_for: str, allowed: int) -> ModelFileError:
    return ModelFileError(f"{where}: {needed_for}; the studio refuses files over {size(allowed)} on this "
                          "machine (half of the memory available now)")


@dataclass
class Declared:
    """The bytes a file's arrays and members declare, and the largest of them."""

    total: int = 0
    arrays: int = 0  # of it, what datasets declare
    largest: int = 0
    largest_name: str = ""
    links: int = 0

    def add(self, name: str, n: int, array: bool = False) -> None:
        self.total += n
        self.arrays += n if array else 0
        if n > self.largest:
            self.largest, self.largest_name = n, name

    def count_link(self, where: str) -> None:
        self.links += 1
        if self.links > MAX_LINKS:
            raise ModelFileError(f"{where}: holds more than {MAX_LINKS:,} objects, more than any model file; "
                                 "refused")

    def check(self, where: str) -> None:
        """Refuse when reading what the file declares would take more memory than the limit."""
        allowed = limit()
        if self.total > allowed:
            raise _over(where, f"reading its arrays needs about {size(self.total)} (the largest, "
                               f"{self.largest_name!r}, {size(self.largest)})", allowed)


def _nbytes(shape, dtype) -> int:
    if shape is None:  # an empty (null) dataspace
        return 0
    item = max(dtype.itemsize, 16) if dtype.kind == "O" else dtype.itemsize  # a variable-length entry: a pointer
    return math.prod(int(d) for d in shape) * item


def walk_h5(f, where: str, declared: Declared, prefix: str = "") -> None:
    """Visit every object of the open HDF5 file ``f`` once, adding what it declares to ``declared``.

    Raises ModelFileError for an external, soft or user-defined link, a group
    that links back to a group above it (a cycle), nesting deeper than
    MAX_DEPTH and more than MAX_LINKS links. Objects are keyed on their
    address in the file, so a group reached by two links is walked once.
    """
    import h5py

    def address(obj) -> int:
        return h5py.h5o.get_info(obj.id).addr

    _attributes(f, prefix or "/", where, declared)
    walked = set()
    stack = [(f, prefix, {address(f): prefix or "/"})]  # group, its name, {address: name} of it and those above
    while stack:
        group, name, above = stack.pop()
        for key in group:
            declared.count_link(where)
            child = f"{name}/{key}" if name else key
            link = group.get(key, getlink=True)
            if isinstance(link, h5py.ExternalLink):
                raise ModelFileError(f"{where}: refers to another file ({link.filename}) through an HDF5 "
                                     f"external link at {child!r}; refused")
            if not isinstance(link, h5py.HardLink):
                raise ModelFileError(f"{where}: {child!r} is an HDF5 {type(link).__name__}, which no model file "
                                     "has; refused")
            obj = group[key]
            if isinstance(obj, h5py.Dataset):
                declared.add(child, _nbytes(obj.shape, obj.dtype), array=True)  # per link: each name is read on its own
                _attributes(obj, child, where, declared)
            elif isinstance(obj, h5py.Group):
                at = address(obj)
                if at in above:
                    raise ModelFileError(f"{where}: the HDF5 group {child!r} links back to {above[at]!r}, a "
                                         "cycle no model file has; refused")
                if at in walked:
                    continue
                walked.add(at)
                if len(above) > MAX_DEPTH:
                    raise ModelFileError(f"{where}: its HDF5 groups nest more than {MAX_DEPTH} deep; refused")
                _attributes(obj, child, where, declared)
                stack.append((obj, child, {**above, at: child}))


def _attributes(obj, name: str, where: str, declared: Declared) -> None:
    attributes = obj.attrs
    if len(attributes) > MAX_ATTRIBUTES:
        raise ModelFileError(f"{where}: {name!r} has more than {MAX_ATTRIBUTES:,} HDF5 attributes; refused")
    for key in attributes:
        attribute = attributes.get_id(key)
        declared.add(f"{name} attribute {key}", _nbytes(attribute.shape, attribute.dtype))


class _StoredMember(io.RawIOBase):
    """An uncompressed archive member read in place: h5py seeks in it freely and nothing is unpacked."""

    def __init__(self, file, start: int, length: int):
        super().__init__()
        self._file, self._start, self._length, self._at = file, start, length, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._at

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._at, io.SEEK_END: self._length}[whence]
        self._at = max(0, base + offset)
        return self._at

    def readinto(self, buffer) -> int:
        wanted = max(0, min(len(buffer), self._length - self._at))
        if not wanted:
            return 0
        self._file.seek(self._start + self._at)
        got = self._file.readinto(memoryview(buffer)[:wanted])
        self._at += got
        return got


def _member_data_offset(file, info: zipfile.ZipInfo) -> int:
    """Where a member's bytes begin: after its local header, whose lengths may differ from the directory's."""
    file.seek(info.header_offset)
    header = file.read(zipfile.sizeFileHeader)
    if len(header) != zipfile.sizeFileHeader or header[:4] != zipfile.stringFileHeader:
        raise zipfile.BadZipFile(f"the entry of {info.filename} is damaged")
    fields = struct.unpack(zipfile.structFileHeader, header)
    return info.header_offset + zipfile.sizeFileHeader + fields[10] + fields[11]  # file name and extra lengths


def walk_archive(archive: zipfile.ZipFile, where: str, declared: Declared) -> None:
    """Check a .keras archive's members by their declared sizes, then walk its weights' HDF5 in place."""
    import h5py

    members = archive.infolist()
    for info in members:
        declared.count_link(where)
        if info.filename in JSON_MEMBERS and info.file_size > MAX_CONFIG_BYTES:
            raise ModelFileError(f"{where}: its {info.filename} is {size(info.file_size)}, far more than any "
                                 f"model's (the studio reads at most {size(MAX_CONFIG_BYTES)}); refused")
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise ModelFileError(f"{where}: its member {info.filename!r} unpacks to {size(info.file_size)} from "
                                 f"{size(info.compress_size)} ({info.file_size // max(info.compress_size, 1):,} "
                                 "times), a decompression bomb; refused")
        declared.add(info.filename, info.file_size)  # Keras reads the weights into memory, or unpacks them
    names = {info.filename for info in members}
    if WEIGHTS_MEMBER not in names:
        if "model.weights.npz" in names:
            raise ModelFileError(f"{where}: keeps its weights as model.weights.npz; the studio opens only "
                                 f"archives with {WEIGHTS_MEMBER}")
        return  # no weights: loading says so
    declared.check(where)  # before anything inside is read
    info = archive.getinfo(WEIGHTS_MEMBER)
    if info.compress_type == zipfile.ZIP_STORED:
        file = archive.fp
        stream = _StoredMember(file, _member_data_offset(file, info), info.file_size)
    else:  # re-packed by another tool: read through the decompressor (slower, still nothing unpacked at once)
        stream = archive.open(info)
    with h5py.File(stream, "r") as weights:
        walk_h5(weights, where, declared, prefix=WEIGHTS_MEMBER)


def read_member(archive: zipfile.ZipFile, name: str, where: str) -> bytes:
    """A JSON member of an archive, never more than MAX_CONFIG_BYTES of it (whatever its entry says)."""
    with archive.open(name) as member:
        data = member.read(MAX_CONFIG_BYTES + 1)
    if len(data) > MAX_CONFIG_BYTES:
        raise ModelFileError(f"{where}: its {name} is larger than any model's (the studio reads at most "
                             f"{size(MAX_CONFIG_BYTES)}); refused")
    return data


def check_text(text, name: str, where: str) -> None:
    """A configuration read from an HDF5 attribute (its size is known only once read; the file's size bounds it)."""
    if text is not None and len(text) > MAX_CONFIG_BYTES:
        raise ModelFileError(f"{where}: its {name} is {size(len(text))}, far more than any model's (the studio "
                             f"reads at most {size(MAX_CONFIG_BYTES)}); refused")


def count_parameters(text: str | bytes, kind: str, where: str) -> int:
    """The number of values the model's variables hold, from its configuration, as loading would build it.

    ``kind`` is the loader the file goes through: "h5" (Keras' HDF5 loader),
    "keras" (a Keras 3 archive) or "tf_keras" (an archive written by tf-keras
    2). The configuration must already have passed
    ``studio.training.safe_load.check_config``. Nothing is allocated: the
    variables are made in a stateless scope and dropped.
    """
    from studio.core import registries

    keras = registries.keras()
    from keras.src.backend.common import global_state
    from keras.src.legacy.saving import json_utils, saving_options, saving_utils
    from keras.src.saving import serialization_lib
    from keras.src.saving.serialization_lib import ObjectSharingScope

    from studio.training.tf_keras_files import _legacy_config

    pending = "uninitialized_variables"
    before = list(global_state.get_global_attribute(pending) or [])
    try:
        with keras.StatelessScope(initialize_variables=False):
            with serialization_lib.SafeModeScope(True):
                if kind == "h5":
                    with saving_options.keras_option_scope(use_legacy_config=True):
                        saving_utils.model_from_config(json_utils.decode(text))
                elif kind == "tf_keras":
                    saving_utils.model_from_config(_legacy_config(json.loads(text)))
                else:
                    config = json.loads(text)
                    config["compile_config"] = None
                    with ObjectSharingScope():
                        serialization_lib.deserialize_keras_object(config, safe_mode=True)
            # every variable made in the scope, whether the model tracks it or not
            created = (global_state.get_global_attribute(pending) or [])[len(before):]
            return sum(math.prod(variable.shape) for variable in created)
    except Exception as exc:  # what loading would raise too; said in one line
        first = str(exc).splitlines()[0][:200] if str(exc) else ""
        raise ModelFileError(f"{where}: its model cannot be built from its configuration "
                             f"({type(exc).__name__}: {first})") from None
    finally:
        # never initialized: a later scope's exit would otherwise give them their values after all
        global_state.set_global_attribute(pending, before)


def check_parameters(params: int, declared: Declared, where: str) -> None:
    """Refuse a model whose weights the machine cannot hold, or a file whose arrays its model cannot explain."""
    from studio.core.memory import BYTES_PER_PARAMETER

    needed, allowed = params * BYTES_PER_PARAMETER + declared.total, limit()
    if needed > allowed:
        raise _over(where, f"its model has {params:,} parameters and needs about {size(needed)} for its weights "
                           "and their training state", allowed)
    most = params * STORED_BYTES_PER_PARAMETER + STORED_SLACK
    if declared.arrays > most:
        raise ModelFileError(f"{where}: it declares {size(declared.arrays)} of arrays (the largest, "
                             f"{declared.largest_name!r}, {size(declared.largest)}), but its model's {params:,} "
                             f"parameters need at most {size(most)}; the file is padded or damaged; refused")
