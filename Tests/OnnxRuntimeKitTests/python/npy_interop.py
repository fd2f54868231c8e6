"""Checks .npy interoperability with numpy in both directions.

Usage:
  npy_interop.py write DIR   writes numpy-made files for onnxscope to read (v1, v2 and v3
                             headers, Fortran order, big-endian, unicode strings, scalars)
  npy_interop.py verify DIR  loads files onnxscope wrote and checks their exact values
"""
import json
import os
import sys

import numpy as np

mode, d = sys.argv[1], sys.argv[2]
os.makedirs(d, exist_ok=True)
# The values both sides agree on; onnxscope writes them as ours_<name>.npy.
expected = {
    "f32": np.arange(6, dtype=np.float32).reshape(2, 3) / 4,
    "f64": np.arange(6, dtype=np.float64).reshape(3, 2) * -1.5,
    "f16": np.array([0.5, -2.0, 65504.0], dtype=np.float16),
    "i8": np.array([-128, 0, 127], dtype=np.int8),
    "u8": np.array([0, 1, 255], dtype=np.uint8),
    "i16": np.array([-32768, 7, 32767], dtype=np.int16),
    "u16": np.array([0, 65535], dtype=np.uint16),
    "i32": np.array([[-1, 2], [3, -4]], dtype=np.int32),
    "u32": np.array([4294967295], dtype=np.uint32),
    "i64": np.array([-(2**63), 2**63 - 1], dtype=np.int64),
    "u64": np.array([2**64 - 1], dtype=np.uint64),
    "b": np.array([True, False, True]),
    "scalar": np.array(3.25, dtype=np.float32),
    "s": np.array([["ab", "čšž"], ["", "x"]]),
}
if mode == "write":
    for k, v in expected.items():
        np.save(os.path.join(d, f"np_{k}.npy"), v)
    # Fortran order and big-endian, which onnxscope must normalise to C order little-endian.
    np.save(os.path.join(d, "np_fortran.npy"), np.asfortranarray(np.arange(24, dtype=np.int32).reshape(2, 3, 4)))
    np.save(os.path.join(d, "np_bigendian.npy"), np.arange(5, dtype=">f8"))
    from numpy.lib import format as fmt
    with open(os.path.join(d, "np_v2.npy"), "wb") as f:
        fmt.write_array(f, np.arange(10, dtype=np.int64), version=(2, 0))
    with open(os.path.join(d, "np_v3.npy"), "wb") as f:
        fmt.write_array(f, np.arange(4, dtype=np.float32), version=(3, 0))
    print("ok")
else:
    bad = []
    for k, v in expected.items():
        got = np.load(os.path.join(d, f"ours_{k}.npy"))
        if got.dtype != v.dtype or got.shape != v.shape or not np.array_equal(got, v):
            bad.append(f"{k}: got {got.dtype}{got.shape} {got!r}, expected {v.dtype}{v.shape} {v!r}")
    print(json.dumps(bad))
    sys.exit(1 if bad else 0)
