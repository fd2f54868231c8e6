#!/usr/bin/env python3
"""Float model vs quantized models on ORT's CPU execution provider, on the same eval samples.

    evaluate.py FLOAT_MODEL INT8_MODEL... --eval DIR [--threads 2] [--runs N] [--json FILE]
                [--label NAME ...] [--opt-dir DIR]

For every model: file size (with external data), latency p50 of single-sample runs, and,
against the float model's outputs on every eval sample:
  - SQNR per output in dB: 10 log10(sum f^2 / sum (f - q)^2) over all samples and elements;
  - cosine similarity per output (mean over samples of each sample's flattened output);
  - top-1 agreement (--top1 OUTPUT=KIND overrides the default by shape): [1, C] -> argmax
    over C ("argmax"); [1, 1, H, W] -> agreement of (p > 0.3) per pixel, the DB threshold of
    PP-OCR det ("map"); "yolo" (only when asked) for [1, 4 + nc, A] -> argmax over the nc
    class rows per anchor, over all anchors and over the anchors whose float class score is
    > 0.25 (the ones that can become detections), plus SQNR of the box and class rows apart;
    "none" for outputs that are not classifiers (embeddings);
  - the nodes per op type of ORT's optimized graph (SessionOptions.optimized_model_filepath,
    ORT_ENABLE_ALL), i.e. which QLinear* / QGemm / MatMulIntegerToFloat / DynamicQuantize*
    kernels ORT actually runs, and how many QuantizeLinear / DequantizeLinear stay.

Latency is measured interleaved, because the machine is shared and noisy: after a warm-up
(every model runs every eval sample once, which also gives the outputs compared), each round
runs one sample (round r uses sample r mod n) through every model, in an order rotated each
round; p50 is over the rounds, and "x float" is the median over rounds of the model's time
divided by the float model's time in the same round.
"""
import argparse
import collections
import glob
import json
import os
import sys
import tempfile
import time

import numpy as np


def load_samples(d):
    files = sorted(glob.glob(os.path.join(d, "*.npz")))
    if not files:
        sys.exit(f"error: no .npz in {d}")
    out = []
    for f in files:
        with np.load(f) as z:
            out.append({k: z[k] for k in z.files})
    return out


def model_size(path):
    import onnx
    size = os.path.getsize(path)
    m = onnx.load(path, load_external_data=False)
    seen = set()
    for t in m.graph.initializer:
        for e in t.external_data:
            if e.key == "location" and e.value not in seen:
                seen.add(e.value)
                size += os.path.getsize(os.path.join(os.path.dirname(path), e.value))
    return size


def op_counts(path):
    import onnx
    m = onnx.load(path, load_external_data=False)
    c = collections.Counter((n.domain + "::" if n.domain not in ("", "ai.onnx") else "") + n.op_type for n in m.graph.node)
    return dict(sorted(c.items(), key=lambda kv: (-kv[1], kv[0])))


def session(path, threads, optimized_path=None):
    import onnxruntime as ort
    so = ort.SessionOptions()
    so.intra_op_num_threads = threads
    so.inter_op_num_threads = 1
    so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    if optimized_path:
        so.optimized_model_filepath = optimized_path
    return ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])


def run_all(sess, samples):
    names = [o.name for o in sess.get_outputs()]
    outs = [sess.run(None, s) for s in samples]
    return {n: [o[i] for o in outs] for i, n in enumerate(names)}


def sqnr(fs, qs):
    f = np.concatenate([x.astype(np.float64).ravel() for x in fs])
    q = np.concatenate([x.astype(np.float64).ravel() for x in qs])
    err, sig = float(np.sum((f - q) ** 2)), float(np.sum(f ** 2))
    return float("inf") if err == 0 else (10 * np.log10(sig / err) if sig > 0 else float("-inf"))


def top1_kind(name, shape, top1):
    """argmax for [1, C]; map for [1, 1, H, W]; yolo only when asked (--top1 NAME=yolo)."""
    if name in top1:
        return top1[name]
    if len(shape) == 2 and shape[0] == 1 and shape[1] > 1:
        return "argmax"
    if len(shape) == 4 and tuple(shape[:2]) == (1, 1):
        return "map"
    return "none"


def compare(ref, got, top1=None):
    """Accuracy of one model's outputs against the float model's, output by output."""
    res = {}
    top1 = top1 or {}
    for name, fs in ref.items():
        qs = got[name]
        r = {"sqnr_db": sqnr(fs, qs)}
        cos = []
        for a, b in zip(fs, qs):
            a, b = a.astype(np.float64).ravel(), b.astype(np.float64).ravel()
            na, nb = np.linalg.norm(a), np.linalg.norm(b)
            cos.append(float(a @ b / (na * nb)) if na > 0 and nb > 0 else float(na == nb))
        r["cosine"] = float(np.mean(cos))
        shape = fs[0].shape
        kind = top1_kind(name, shape, top1)
        if kind == "argmax":
            agree = [int(np.argmax(a) == np.argmax(b)) for a, b in zip(fs, qs)]
            r["top1"] = {"kind": "argmax over the last axis", "agree": sum(agree), "of": len(agree)}
        elif kind == "yolo":  # [1, 4 + nc, anchors]: boxes (cx, cy, w, h in pixels), then class scores
            r["sqnr_db_boxes"] = sqnr([a[:, :4] for a in fs], [b[:, :4] for b in qs])
            r["sqnr_db_classes"] = sqnr([a[:, 4:] for a in fs], [b[:, 4:] for b in qs])
            agree = tot = conf_agree = conf_tot = 0
            for a, b in zip(fs, qs):
                ca, cb = a[0, 4:, :], b[0, 4:, :]
                am, bm = ca.argmax(0), cb.argmax(0)
                agree += int((am == bm).sum())
                tot += am.size
                keep = ca.max(0) > 0.25
                conf_agree += int((am[keep] == bm[keep]).sum())
                conf_tot += int(keep.sum())
            r["top1"] = {"kind": "YOLO: argmax over class channels 4.. per anchor", "agree": agree, "of": tot,
                         "confident_agree": conf_agree, "confident_of": conf_tot}
        elif kind == "map":
            agree = sum(int(((a > 0.3) == (b > 0.3)).sum()) for a, b in zip(fs, qs))
            r["top1"] = {"kind": "probability map: (p > 0.3) per pixel", "agree": agree, "of": sum(a.size for a in fs)}
        res[name] = r
    return res


def latency(sessions, samples, runs):
    """Interleaved single-sample runs; returns per-model times (s) per round."""
    times = [[] for _ in sessions]
    n = len(sessions)
    for r in range(runs):
        s = samples[r % len(samples)]
        for j in range(n):
            i = (j + r) % n
            t = time.perf_counter()
            sessions[i].run(None, s)
            times[i].append(time.perf_counter() - t)
    return times


def fmt_sqnr(v):
    f = lambda x: f"{x:.1f}" if np.isfinite(x) else "exact"
    s = f(v["sqnr_db"])
    if "sqnr_db_boxes" in v:
        s += f" (boxes {f(v['sqnr_db_boxes'])}, classes {f(v['sqnr_db_classes'])})"
    return s


def fmt_top1(t):
    if t is None:
        return ""
    s = f"{t['agree']}/{t['of']}" if t["of"] < 1000 else f"{100 * t['agree'] / t['of']:.2f}%"
    if "confident_of" in t:
        s += f" (conf {t['confident_agree']}/{t['confident_of']})"
    return s


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("models", nargs="+", help="the float model first, then the quantized ones")
    ap.add_argument("--eval", required=True, help="folder of NNN.npz samples")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--runs", type=int, default=100, help="timed rounds (each runs every model once)")
    ap.add_argument("--json", help="write the results here")
    ap.add_argument("--label", action="append", default=[], help="names for the models, in order")
    ap.add_argument("--top1", action="append", default=[], help="OUTPUT=argmax|yolo|map|none (default: argmax "
                    "for [1, C], map for [1, 1, H, W], none otherwise)")
    ap.add_argument("--opt-dir", help="keep ORT's optimized graphs here (default: a temporary folder)")
    args = ap.parse_args()

    import onnxruntime as ort
    ort.set_default_logger_severity(3)  # not the NCHWc "serializing optimized model" warning each time
    samples = load_samples(args.eval)
    labels = args.label + [os.path.basename(m) for m in args.models[len(args.label):]]
    opt_dir = args.opt_dir or tempfile.mkdtemp(prefix="ort-opt-")
    os.makedirs(opt_dir, exist_ok=True)
    sessions, results = [], []
    for label, path in zip(labels, args.models):
        opt = os.path.join(opt_dir, f"{len(sessions):02d}-{os.path.basename(path).replace('.onnx', '')}.optimized.onnx")
        t = time.perf_counter()
        sess = session(path, args.threads, opt)
        load = time.perf_counter() - t
        sessions.append(sess)
        results.append({"label": label, "model": path, "size_bytes": model_size(path), "session_load_s": load,
                        "optimized_ops": op_counts(opt), "file_ops": op_counts(path)})
    outs = [run_all(s, samples) for s in sessions]  # warm-up + the outputs compared
    for r, o in zip(results, outs):
        r["vs_float"] = compare(outs[0], o, dict(kv.split("=", 1) for kv in args.top1))
    times = latency(sessions, samples, args.runs)
    for i, r in enumerate(results):
        t = np.array(times[i])
        r["latency_ms"] = {"p50": float(np.median(t) * 1e3), "p10": float(np.percentile(t, 10) * 1e3),
                           "p90": float(np.percentile(t, 90) * 1e3), "runs": len(t)}
        r["latency_ratio_vs_float_p50"] = float(np.median(t / np.array(times[0])))

    doc = {"eval": args.eval, "samples": len(samples), "threads": args.threads, "runs": args.runs,
           "onnxruntime": ort.__version__, "models": results}
    if args.json:
        with open(args.json, "w") as f:
            json.dump(doc, f, indent=1)

    outputs = list(outs[0])
    print(f"eval: {args.eval} ({len(samples)} samples), ORT {ort.__version__} CPU EP, {args.threads} threads, "
          f"{args.runs} interleaved rounds")
    head = ["model", "size MB", "p50 ms", "x float"] + [f"SQNR dB {o}" for o in outputs] + [f"top-1 {o}" for o in outputs
                                                                                            if results[0]["vs_float"][o].get("top1")]
    rows = []
    for r in results:
        vf = r["vs_float"]
        row = [r["label"], f"{r['size_bytes'] / 1e6:.1f}", f"{r['latency_ms']['p50']:.2f}", f"{r['latency_ratio_vs_float_p50']:.2f}"]
        row += [fmt_sqnr(vf[o]) for o in outputs]
        row += [fmt_top1(vf[o].get("top1")) for o in outputs if results[0]["vs_float"][o].get("top1")]
        rows.append(row)
    widths = [max(len(str(x)) for x in col) for col in zip(head, *rows)]
    for row in [head, ["-" * w for w in widths]] + rows:
        print("  ".join(str(x).ljust(w) for x, w in zip(row, widths)))
    print("\nORT's optimized graph, nodes per op type:")
    for r in results:
        print(f"  {r['label']}: " + ", ".join(f"{k} {v}" for k, v in r["optimized_ops"].items()))


if __name__ == "__main__":
    main()
