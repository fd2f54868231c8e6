"""Checks TensorProto .pb files against onnx.numpy_helper.

Usage:
  tensorproto_interop.py write DIR   writes onnx-made input_K.pb files
  tensorproto_interop.py verify DIR  reads ours_K.pb files onnxscope wrote and checks values
"""
import os
import sys

import numpy as np
from onnx import TensorProto, numpy_helper

mode, d = sys.argv[1], sys.argv[2]
os.makedirs(d, exist_ok=True)
arrays = [np.arange(12, dtype=np.float32).reshape(3, 4) - 5.5, np.array([[1, -2], [3, 4]], dtype=np.int64),
          np.array([True, False]), np.array(["hello", "wörld"], dtype=object), np.array([1.5, -2.25], dtype=np.float16)]
if mode == "write":
    for k, a in enumerate(arrays):
        t = numpy_helper.from_array(a, f"t{k}")
        with open(os.path.join(d, f"input_{k}.pb"), "wb") as f:
            f.write(t.SerializeToString())
    # Typed-field storage (float_data instead of raw_data), which older zoo files use.
    t = TensorProto(name="typed", data_type=TensorProto.FLOAT, dims=[3], float_data=[1.0, 2.5, -3.0])
    with open(os.path.join(d, "typed.pb"), "wb") as f:
        f.write(t.SerializeToString())
    print("ok")
else:
    bad = []
    for k, a in enumerate(arrays):
        t = TensorProto()
        with open(os.path.join(d, f"ours_{k}.pb"), "rb") as f:
            t.ParseFromString(f.read())
        got = numpy_helper.to_array(t)
        if a.dtype == object:
            got = got.astype(object)
            ok = got.shape == a.shape and [x.decode() if isinstance(x, bytes) else x for x in got.ravel()] == list(a.ravel())
        else:
            ok = got.dtype == a.dtype and got.shape == a.shape and np.array_equal(got, a)
        if not ok or t.name != f"t{k}":
            bad.append(f"{k}: {t.name} {got!r} vs {a!r}")
    print(bad)
    sys.exit(1 if bad else 0)
