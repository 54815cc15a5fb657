"""Damaged copies of a model file, made the ways files really get damaged (shared by the test and benchmark)."""

import numpy as np

KINDS = ("flip", "zero_block", "truncate", "garbage_block", "shift", "header")


def corrupt(data: bytes, rng: np.random.Generator) -> tuple[bytes, str]:
    """One damaged copy of ``data`` and how it was damaged."""
    kind = KINDS[int(rng.integers(len(KINDS)))]
    buf = bytearray(data)
    n = len(buf)
    if kind == "flip":  # bit rot: a few random bytes changed
        for i in rng.integers(0, n, size=int(rng.integers(1, 64))):
            buf[i] ^= int(rng.integers(1, 256))
    elif kind == "zero_block":  # a sector lost
        start, size = int(rng.integers(0, n)), int(rng.integers(16, 4096))
        buf[start:start + size] = bytes(len(buf[start:start + size]))
    elif kind == "truncate":  # an interrupted copy or download
        buf = buf[:int(rng.integers(0, n))]
    elif kind == "garbage_block":
        start, size = int(rng.integers(0, n)), int(rng.integers(16, 4096))
        block = rng.integers(0, 256, size=len(buf[start:start + size]), dtype=np.uint8).tobytes()
        buf[start:start + len(block)] = block
    elif kind == "shift":  # bytes inserted in the middle
        at = int(rng.integers(0, n))
        buf = buf[:at] + rng.integers(0, 256, size=int(rng.integers(1, 512)), dtype=np.uint8).tobytes() + buf[at:]
    else:  # the first bytes: signature and superblock
        for i in rng.integers(0, min(n, 512), size=int(rng.integers(1, 16))):
            buf[i] ^= int(rng.integers(1, 256))
    return bytes(buf), kind


# -- hostile files: tiny on disk, enormous or endless once read (issue 15, items 6 and 7) ------------------------

def tiny_model(inputs: int = 4):
    """Input(inputs) -> Dense 'd' (3 units), compiled with Adam: the base every hostile file below is made from."""
    import keras

    model = keras.Sequential([keras.Input((inputs,)), keras.layers.Dense(3, name="d")], name="tiny")
    model.compile(optimizer="adam", loss="mean_squared_error")
    return model


def h5_declaring_units(path, units: int, inputs: int = 784):
    """A Keras .h5 whose configuration gives the Dense layer ``units`` units (its file stays a few KB)."""
    import json

    import h5py

    tiny_model(inputs).save(path)
    with h5py.File(path, "a") as f:
        config = json.loads(f.attrs["model_config"])
        for layer in config["config"]["layers"]:
            if layer["class_name"] == "Dense":
                layer["config"]["units"] = units
                layer.pop("build_config", None)
        f.attrs["model_config"] = json.dumps(config)
    return path


def h5_with_huge_dataset(path, values: int):
    """A Keras .h5 whose Dense kernel is a dataset declaring ``values`` float32 values, none of them written."""
    import h5py

    tiny_model().save(path)
    with h5py.File(path, "a") as f:
        layer = f["model_weights/d"]
        name = f"model_weights/d/{layer.attrs['weight_names'][0]}"  # the kernel
        del f[name]
        f.create_dataset(name, shape=(values,), dtype="float32", chunks=(1 << 16,))  # sparse: no chunk stored
    return path


def h5_self_linked(path, under: str = "model_weights"):
    """A Keras .h5 whose group ``under`` holds a hard link to itself (``group['self'] = group``)."""
    import h5py

    tiny_model().save(path)
    with h5py.File(path, "a") as f:
        f[under]["self"] = f[under]
    return path


def h5_diamonds(path, depth: int = 40):
    """A Keras .h5 with a chain of groups each linked twice from the one above: 2**depth paths, depth groups."""
    import h5py

    tiny_model().save(path)
    with h5py.File(path, "a") as f:
        group = f.create_group("extra")
        for level in range(depth):
            below = group.create_group("left")
            group["right"] = below
            group = below
    return path


def _rewrite_archive(source, path, replace: dict):
    """Copy the .keras archive ``source`` to ``path``, each member named in ``replace`` given by
    ``replace[name](stream)``, which writes its new content into the (deflated) member stream."""
    import zipfile

    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w") as new:
        for info in old.infolist():
            if info.filename not in replace:
                new.writestr(info, old.read(info))
                continue
            member = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            member.compress_type = zipfile.ZIP_DEFLATED
            with new.open(member, "w", force_zip64=True) as stream:
                replace[info.filename](stream, old.read(info))
    return path


def keras_with_bloated_config(path, padding: int):
    """A .keras archive whose config.json carries ``padding`` bytes of one string (it deflates a thousandfold)."""
    import json

    model = tiny_model()
    model.save(path.with_name("base.keras"))

    def write(stream, data):
        config = json.loads(data)
        text = json.dumps(config)
        stream.write(text[:-1].encode() + b', "padding": "')
        block = b"x" * (1 << 20)
        for _ in range(padding // len(block)):
            stream.write(block)
        stream.write(b'"}')

    return _rewrite_archive(path.with_name("base.keras"), path, {"config.json": write})


def keras_with_bloated_weights(path, padding: int):
    """A .keras archive whose model.weights.h5 is followed by ``padding`` zero bytes (HDF5 ignores them)."""
    tiny_model().save(path.with_name("base.keras"))

    def write(stream, data):
        stream.write(data)
        block = bytes(1 << 20)
        for _ in range(padding // len(block)):
            stream.write(block)

    return _rewrite_archive(path.with_name("base.keras"), path, {"model.weights.h5": write})


def keras_with_padded_arrays(path, values: int):
    """A .keras archive (stored, as Keras writes it) whose weights hold one more dataset of ``values`` float32,
    none written: small on disk, small once unpacked, large once read."""
    import zipfile

    import h5py

    base = path.with_name("base.keras")
    tiny_model().save(base)
    weights = path.with_name("weights.h5")
    with zipfile.ZipFile(base) as archive:
        weights.write_bytes(archive.read("model.weights.h5"))
    with h5py.File(weights, "a") as f:
        f.create_dataset("padding", shape=(values,), dtype="float32", chunks=(1 << 16,))
    with zipfile.ZipFile(base) as old, zipfile.ZipFile(path, "w") as new:
        for info in old.infolist():
            new.writestr(info, weights.read_bytes() if info.filename == "model.weights.h5" else old.read(info))
    return path
