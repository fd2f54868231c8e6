"""Python side of Benchmarks/run_latency.sh.

  run_latency_python.py inputs MODEL DIR SEQ     writes one .npy per model input (seeded): normal
                                                  floats for images, ids below the vocabulary for
                                                  *ids, ones for masks, zeros for token types
  run_latency_python.py time MODEL DIR THREADS WARMUP RUNS
                                                  times session.run (time.perf_counter around the
                                                  call, outputs included) and prints JSON ms stats
  run_latency_python.py summary RESULTS.jsonl     prints the markdown table for RESULTS-runtime.md
"""
import json
import os
import sys
import time

import numpy as np


def stats(ms):
    a = np.array(ms)
    return {"p50": float(np.percentile(a, 50)), "p90": float(np.percentile(a, 90)), "p99": float(np.percentile(a, 99)),
            "mean": float(a.mean()), "min": float(a.min()), "count": len(ms)}


mode = sys.argv[1]
if mode == "inputs":
    import onnxruntime as ort
    model, out, seq = sys.argv[2], sys.argv[3], int(sys.argv[4])
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(0)
    s = ort.InferenceSession(model, providers=["CPUExecutionProvider"])
    for i in s.get_inputs():
        shape = [d if isinstance(d, int) else (1 if "batch" in str(d) else seq) for d in i.shape]
        n = i.name.lower()
        if "mask" in n:
            a = np.ones(shape, np.int64)
        elif "token_type" in n:
            a = np.zeros(shape, np.int64)
        elif i.type == "tensor(int64)":
            a = rng.integers(0, 30522, size=shape, dtype=np.int64)
        else:
            a = rng.standard_normal(shape, dtype=np.float32)
        np.save(os.path.join(out, i.name + ".npy"), a)
    print("ok")
elif mode == "time":
    import onnxruntime as ort
    model, d, threads, warmup, runs = sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
    so = ort.SessionOptions()
    so.intra_op_num_threads = threads
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    s = ort.InferenceSession(model, so, providers=["CPUExecutionProvider"])
    feeds = {i.name: np.load(os.path.join(d, i.name + ".npy")) for i in s.get_inputs()}
    for _ in range(warmup):
        s.run(None, feeds)
    ms = []
    for _ in range(runs):
        t = time.perf_counter()
        s.run(None, feeds)
        ms.append((time.perf_counter() - t) * 1000)
    print(json.dumps({"latency_ms": stats(ms), "ort": ort.__version__}))
elif mode == "summary":
    rows = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
    models = sorted({r["model"] for r in rows}, key=lambda m: [x["model"] for x in rows].index(m))
    # Rounds alternate python / onnxscope, so each round is a pair measured under the same
    # machine load; the median of the per-round ratios is robust to load changing between rounds.
    print("| model | threads | rounds × runs | Python ORT p50 (ms) | onnxscope p50 (ms) | onnxscope vs Python (p50, median of per-round ratios) | best round: Python / onnxscope p50 (ms) | Python p90 | onnxscope p90 | onnxscope p99 | profiler overhead (p50) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for m in models:
        py = [r for r in rows if r["model"] == m and r["side"] == "python"]
        us = [r for r in rows if r["model"] == m and r["side"] == "onnxscope"]
        prof = [r for r in rows if r["model"] == m and r["side"] == "onnxscope-profiled"]
        med = lambda rs, k: float(np.median([r["latency_ms"][k] for r in rs]))
        p, o = med(py, "p50"), med(us, "p50")
        overhead = float(np.median([r["profiling_overhead_percent"] for r in prof])) if prof else float("nan")
        ratios = [u["latency_ms"]["p50"] / q["latency_ms"]["p50"] for q, u in zip(py, us)]
        best = min(range(len(py)), key=lambda i: py[i]["latency_ms"]["p50"] + us[i]["latency_ms"]["p50"])
        print(f"| {m} | {py[0]['threads']} | {len(py)} × {py[0]['latency_ms']['count']} | {p:.3f} | {o:.3f} | "
              f"{100 * (float(np.median(ratios)) - 1):+.1f}% | {py[best]['latency_ms']['p50']:.3f} / {us[best]['latency_ms']['p50']:.3f} | "
              f"{med(py, 'p90'):.3f} | {med(us, 'p90'):.3f} | {med(us, 'p99'):.3f} | {overhead:+.1f}% |")
