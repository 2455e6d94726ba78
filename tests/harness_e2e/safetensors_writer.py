"""Writes safetensors files for the tests without the safetensors package (torch 1.13 has none)
and without torch: 8 bytes little-endian header length, the JSON header, the raw little-endian
data of each tensor."""
import json
import struct

# safetensors dtype -> struct format of one element (BF16: the top half of a float32).
_FORMATS = {"F64": "d", "F32": "f", "F16": "e", "I64": "q", "I32": "i", "I16": "h", "I8": "b",
            "U8": "B", "BOOL": "?"}


def element_bytes(dtype, values):
    if dtype == "BF16":
        return b"".join(struct.pack("<f", float(v))[2:] for v in values)
    return struct.pack("<%d%s" % (len(values), _FORMATS[dtype]), *values)


def encode(tensors, header_patch=None):
    """The file's bytes for {name: (dtype, shape, flat values)}; header_patch(header) may edit
    the header (the tests' malformed files)."""
    header, blobs, at = {}, [], 0
    for name, (dtype, shape, values) in tensors.items():
        data = element_bytes(dtype, values)
        header[name] = {"dtype": dtype, "shape": list(shape), "data_offsets": [at, at + len(data)]}
        blobs.append(data)
        at += len(data)
    header["__metadata__"] = {"format": "pt"}
    if header_patch:
        header_patch(header)
    text = json.dumps(header).encode()
    return struct.pack("<Q", len(text)) + text + b"".join(blobs)


def write(path, tensors, header_patch=None):
    with open(path, "wb") as f:
        f.write(encode(tensors, header_patch))


def add_fixed_tensors(sizes=(8, 32), d=16):
    """The tensors harness/tests/testdata/solexecbench/safetensors_add's workloads name."""
    import random
    rng = random.Random(1)
    out = {}
    for n in sizes:
        out["b%d" % n] = ("BF16", [n, d], [rng.gauss(0, 1) for _ in range(n * d)])
        out["scale%d" % n] = ("I64", [n], [rng.randint(-3, 3) for _ in range(n)])
    return out
