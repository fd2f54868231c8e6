#!/usr/bin/env python3
"""Independent check of a generated ONNX model, for ModelSamplesTests.

Runs the reference tools on a model written by our own Swift writer:
  1. onnx.checker.check_model(full_check=True)   (by path, so external data is checked too)
  2. onnx.shape_inference.infer_shapes(strict_mode=True)
  3. ONNX Runtime (CPU) on seeded random inputs, `--runs` times; run k multiplies float
     inputs by (-1)**k, so a model with data-dependent control flow takes both branches.
Prints one JSON object on stdout; failures are reported in it rather than raised, so the
Swift test can say which step failed.
"""
import argparse
import json
import sys
import traceback

import numpy as np
import onnx


def num(v):
    v = float(v)
    return v if np.isfinite(v) else None


def stats(a):
    a = np.asarray(a)
    flat = a.reshape(-1)
    out = {"shape": list(a.shape), "dtype": str(a.dtype), "head": [num(v) for v in flat[:64]]}
    if flat.size and a.dtype.kind in "fiub":
        f = flat.astype(np.float64)
        out.update(finite=bool(np.isfinite(f).all()), mean=num(f.mean()), std=num(f.std()),
                   min=num(f.min()), max=num(f.max()), distinct=int(np.unique(f[:100000]).size))
    return out


def make_inputs(sess, dims, int_high, rng):
    feeds = {}
    for i in sess.get_inputs():
        shape = []
        for d in i.shape:
            if isinstance(d, int):
                shape.append(d)
            elif d in dims:
                shape.append(dims[d])
            else:
                raise SystemExit(f"input {i.name}: no value for dim {d!r}; pass --dim {d}=N")
        if i.type == "tensor(float)":
            feeds[i.name] = rng.standard_normal(shape).astype(np.float32)
        elif i.type == "tensor(int64)":
            if "mask" in i.name and len(shape) == 2:
                # Real padding: ones, then the last quarter of each row masked out.
                m = np.ones(shape, dtype=np.int64)
                m[:, shape[1] - shape[1] // 4:] = 0
                feeds[i.name] = m
            else:
                feeds[i.name] = rng.integers(0, int_high.get(i.name, 2), size=shape, dtype=np.int64)
        elif i.type == "tensor(bool)":
            feeds[i.name] = np.ones(shape, dtype=bool)
        else:
            raise SystemExit(f"input {i.name}: unsupported type {i.type}")
    return feeds


def main():
    p = argparse.ArgumentParser()
    p.add_argument("model")
    p.add_argument("--dim", action="append", default=[], help="NAME=N for a symbolic dimension")
    p.add_argument("--int-high", action="append", default=[], help="INPUT=N: int64 values drawn from [0, N)")
    p.add_argument("--runs", type=int, default=1)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--no-ort", action="store_true")
    a = p.parse_args()
    dims = {k: int(v) for k, v in (s.split("=", 1) for s in a.dim)}
    int_high = {k: int(v) for k, v in (s.split("=", 1) for s in a.int_high)}
    result = {"checker": None, "shape_inference": None, "runs": []}

    try:
        onnx.checker.check_model(a.model, full_check=True)
        result["checker"] = "ok"
    except Exception as e:  # report, do not crash: the test prints it
        result["checker"] = f"{type(e).__name__}: {e}"

    try:
        m = onnx.load(a.model, load_external_data=False)
        result["ir_version"] = m.ir_version
        result["opsets"] = {o.domain or "ai.onnx": o.version for o in m.opset_import}
        result["node_count"] = len(m.graph.node)
        result["initializer_count"] = len(m.graph.initializer)
        result["external_initializers"] = sum(1 for t in m.graph.initializer if t.data_location == onnx.TensorProto.EXTERNAL)
        inferred = onnx.shape_inference.infer_shapes(m, check_type=True, strict_mode=True, data_prop=True)
        result["shape_inference"] = "ok"
        result["inferred_value_count"] = len(inferred.graph.value_info)
        result["inferred_outputs"] = {
            o.name: [d.dim_param if d.HasField("dim_param") else (d.dim_value if d.HasField("dim_value") else None)
                     for d in o.type.tensor_type.shape.dim]
            for o in inferred.graph.output
        }
    except Exception as e:
        result["shape_inference"] = f"{type(e).__name__}: {e}"

    if not a.no_ort:
        try:
            import onnxruntime as ort
            so = ort.SessionOptions()
            so.log_severity_level = 3
            sess = ort.InferenceSession(a.model, so, providers=["CPUExecutionProvider"])
            rng = np.random.default_rng(a.seed)
            base = make_inputs(sess, dims, int_high, rng)
            names = [o.name for o in sess.get_outputs()]
            for k in range(a.runs):
                feeds = {n: (v * (-1) ** k if v.dtype == np.float32 else v) for n, v in base.items()}
                outs = sess.run(names, feeds)
                result["runs"].append({
                    "inputs": {n: stats(v) for n, v in feeds.items()},
                    "outputs": {n: stats(v) for n, v in zip(names, outs)},
                })
        except Exception as e:
            result["ort_error"] = f"{type(e).__name__}: {e}\n{traceback.format_exc()}"

    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
