"""Kernel time per op type of two models, from ORT's own profiler, on one sample.

    .venv/bin/python Benchmarks/quantize/profile_ops.py FLOAT.onnx INT8.onnx EVAL_DIR [--runs N] [--threads T]

Used for RESULTS.md's PP-OCR cls breakdown (where int8 time goes: QLinearConv, Q/DQ, …). The
profile files ORT writes go to a temporary folder, not the working directory.
"""
import argparse, collections, glob, json, os, tempfile

import numpy as np
import onnxruntime as ort


def profile(path, feeds, runs, threads):
    so = ort.SessionOptions()
    so.enable_profiling = True
    so.intra_op_num_threads = threads
    so.profile_file_prefix = os.path.join(tempfile.mkdtemp(prefix="onnxscope-prof-"), "ort")
    s = ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])
    for _ in range(20):
        s.run(None, feeds)
    for _ in range(runs):
        s.run(None, feeds)
    events = json.load(open(s.end_profiling()))
    by_op = collections.Counter()
    for e in events:
        if e.get("cat") == "Node" and e["name"].endswith("_kernel_time"):
            by_op[e["args"]["op_name"]] += e["dur"]
    total = runs + 20
    print(f"{path}: kernel time {sum(by_op.values()) / total:.0f} µs per run")
    for op, d in by_op.most_common(12):
        print(f"  {op:<28} {d / total:7.1f} µs/run")


def main():
    a = argparse.ArgumentParser()
    a.add_argument("float_model")
    a.add_argument("int8_model")
    a.add_argument("eval_dir")
    a.add_argument("--runs", type=int, default=200)
    a.add_argument("--threads", type=int, default=2)
    o = a.parse_args()
    feeds = dict(np.load(sorted(glob.glob(os.path.join(o.eval_dir, "*.npz")))[0]))
    for p in (o.float_model, o.int8_model):
        profile(p, feeds, o.runs, o.threads)


if __name__ == "__main__":
    main()
