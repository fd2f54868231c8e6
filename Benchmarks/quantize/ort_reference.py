#!/usr/bin/env python3
"""ONNX Runtime's own quantizer on a model, with its recommended recipe, as a reference.

    ort_reference.py MODEL --calib DIR --eval DIR --out DIR [--json FILE] [--dynamic]

Recipes (each timed as wall time of pre-processing + quantization, in this process):
  s8s8   quant_pre_process, then quantize_static(QuantFormat.QDQ, per_channel=True,
         CalibrationMethod.MinMax, activation_type=QInt8, weight_type=QInt8)  (ORT's defaults)
  u8s8   the same with activation_type=QUInt8
  dynamic (with --dynamic, for transformers) quant_pre_process, then
         quantize_dynamic(weight_type=QInt8)
quant_pre_process runs with its defaults: symbolic shape inference, ORT's basic graph
optimizations, onnx shape inference; where the symbolic shape inference raises, it is run
again with auto_merge=True, then with skip_symbolic_shape=True (the fallbacks ORT's docs
give), the errors recorded, and the time counted from the start of the attempt that worked.
--nodes-to-exclude / --op-types pass nodes_to_exclude / op_types_to_quantize.
--opset N converts the model first (onnx.version_converter); --extra-option KEY=VALUE passes
quantize_static / quantize_dynamic extra_options (values parsed as JSON, else strings). The models go to OUT/<stem>.<recipe>.onnx. A recipe that
raises is recorded with its error and the others still run. Each model that was written is
then checked on the eval samples against the float model (SQNR, top-1, see evaluate.py);
latency is evaluate.py's job.
"""
import argparse
import json
import os
import sys
import tempfile
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import evaluate  # noqa: E402


class NpzReader:
    """CalibrationDataReader over a folder of NNN.npz samples."""

    def __init__(self, folder):
        self.samples = evaluate.load_samples(folder)
        self.i = 0

    def get_next(self):
        if self.i >= len(self.samples):
            return None
        self.i += 1
        return self.samples[self.i - 1]

    def rewind(self):
        self.i = 0


def pre_process(model, pre):
    """quant_pre_process with its defaults; if the symbolic shape inference raises, the fallbacks
    ORT's documentation gives, in order: auto_merge=True, then skip_symbolic_shape=True. Runs in
    the output's folder: a failing symbolic shape inference saves sym_shape_infer_temp.onnx (and
    external data) into the current directory."""
    from onnxruntime.quantization.shape_inference import quant_pre_process
    note, errors = {}, []
    cwd = os.getcwd()
    os.chdir(os.path.dirname(pre))
    try:
        for kw in ({}, {"auto_merge": True}, {"skip_symbolic_shape": True}):
            t0 = time.perf_counter()
            try:
                quant_pre_process(model, pre, **kw)
                break
            except Exception as e:  # noqa: BLE001
                if "skip_symbolic_shape" in kw:
                    raise
                errors.append(f"{kw or 'defaults'}: {type(e).__name__}: {e}".strip() + " @ " + traceback.extract_tb(e.__traceback__)[-1].name)
                print(f"  quant_pre_process({kw or ''}) failed: {errors[-1]}", flush=True)
        if errors:
            note = {"pre_process_errors": errors, "pre_process": ", ".join(f"{k}={v}" for k, v in kw.items())}
    finally:
        os.chdir(cwd)
    return time.perf_counter() - t0, note


def recipe(name, model, calib, out, dynamic=False, activation=None, extra=None, exclude=None, op_types=None):
    from onnxruntime.quantization import (CalibrationMethod, QuantFormat, QuantType, quantize_dynamic,
                                          quantize_static)
    model, out = os.path.abspath(model), os.path.abspath(out)
    with tempfile.TemporaryDirectory(prefix="ort-quant-") as tmp:
        pre = os.path.join(tmp, "preprocessed.onnx")
        t_pre, note = pre_process(model, pre)  # timed from the start of the attempt that worked
        t1 = time.perf_counter()
        if dynamic:
            quantize_dynamic(pre, out, weight_type=QuantType.QInt8, extra_options=extra or {},
                             nodes_to_exclude=exclude, op_types_to_quantize=op_types)
        else:
            quantize_static(pre, out, NpzReader(calib), quant_format=QuantFormat.QDQ, per_channel=True,
                            activation_type=getattr(QuantType, activation), weight_type=QuantType.QInt8,
                            calibrate_method=CalibrationMethod.MinMax, extra_options=extra or {},
                            nodes_to_exclude=exclude, op_types_to_quantize=op_types)
    t2 = time.perf_counter()
    return {"recipe": name, "out": out, "pre_process_s": t_pre, "quantize_s": t2 - t1, "total_s": t_pre + t2 - t1,
            "extra_options": extra or {},
            "nodes_to_exclude": exclude, "op_types_to_quantize": op_types, **note}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model")
    ap.add_argument("--calib", required=True)
    ap.add_argument("--eval", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--json")
    ap.add_argument("--dynamic", action="store_true", help="also quantize_dynamic (transformers)")
    ap.add_argument("--opset", type=int, help="first convert the model to this opset with onnx.version_converter "
                    "(ORT writes per-channel DequantizeLinear axis attributes, which need opset 13)")
    ap.add_argument("--top1", action="append", default=[], help="OUTPUT=argmax|yolo|map|none, as evaluate.py")
    ap.add_argument("--extra-option", action="append", default=[], help="KEY=VALUE for extra_options")
    ap.add_argument("--nodes-to-exclude", help="comma-separated node names (of the pre-processed model) left float")
    ap.add_argument("--op-types", help="comma-separated op_types_to_quantize (default: ORT's list)")
    ap.add_argument("--suffix", default="", help="added to the output names (variants of one model)")
    ap.add_argument("--recipes", default=None, help="comma-separated subset of s8s8,u8s8,dynamic")
    args = ap.parse_args()

    import onnxruntime as ort
    os.makedirs(args.out, exist_ok=True)
    stem = os.path.basename(args.model)[:-len(".onnx")] if args.model.endswith(".onnx") else os.path.basename(args.model)
    plan = [("s8s8", dict(activation="QInt8")), ("u8s8", dict(activation="QUInt8"))]
    if args.dynamic:
        plan.append(("dynamic", dict(dynamic=True)))
    if args.recipes:
        plan = [p for p in plan if p[0] in args.recipes.split(",")]
    extra = {}
    for kv in args.extra_option:
        k, v = kv.split("=", 1)
        try:
            extra[k] = json.loads(v)
        except ValueError:
            extra[k] = v
    if extra and not args.suffix:
        stem += ".extra"
    stem += args.suffix
    exclude = args.nodes_to_exclude.split(",") if args.nodes_to_exclude else None
    op_types = args.op_types.split(",") if args.op_types else None
    source, converted = args.model, None
    if args.opset:
        import onnx
        from onnx import version_converter
        t = time.perf_counter()
        m = onnx.load(args.model)
        old = next(o.version for o in m.opset_import if o.domain in ("", "ai.onnx"))
        if old < args.opset:
            stem += f".opset{args.opset}"
            source = os.path.join(args.out, stem + ".onnx")
            onnx.save(version_converter.convert_version(m, args.opset), source)
            converted = {"from": old, "to": args.opset, "model": source, "seconds": time.perf_counter() - t}
            print(f"converted opset {old} -> {args.opset}: {source}", flush=True)
    results = []
    for name, kw in plan:
        out = os.path.join(args.out, f"{stem}.{name}.onnx")
        print(f"{stem}: {name} ...", flush=True)
        try:
            r = recipe(name, source, args.calib, out, extra=extra, exclude=exclude, op_types=op_types, **kw)
            r["size_bytes"] = evaluate.model_size(out)
        except Exception as e:  # noqa: BLE001 -- the failure is a result here
            r = {"recipe": name, "out": None, "error": f"{type(e).__name__}: {e}",
                 "traceback": traceback.format_exc(limit=6)}
            print(f"  FAILED: {r['error']}", flush=True)
        results.append(r)

    # Accuracy on the eval set (no timing here).
    samples = evaluate.load_samples(args.eval)
    ref = evaluate.run_all(evaluate.session(args.model, 2), samples)
    for r in results:
        if r.get("out"):
            try:
                r["vs_float"] = evaluate.compare(ref, evaluate.run_all(evaluate.session(r["out"], 2), samples),
                                                dict(kv.split("=", 1) for kv in args.top1))
            except Exception as e:  # noqa: BLE001
                r["eval_error"] = f"{type(e).__name__}: {e}"
    doc = {"model": args.model, "float_size_bytes": evaluate.model_size(args.model), "calib": args.calib,
           "eval": args.eval, "onnxruntime": ort.__version__, "opset_conversion": converted, "recipes": results}
    if args.json:
        with open(args.json, "w") as f:
            json.dump(doc, f, indent=1)
    for r in results:
        if "error" in r:
            print(f"{r['recipe']}: failed: {r['error']}")
            continue
        acc = "; ".join(f"{o}: SQNR {evaluate.fmt_sqnr(v)} dB, cos {v['cosine']:.4f}" +
                        (f", top-1 {evaluate.fmt_top1(v['top1'])}" if v.get("top1") else "")
                        for o, v in r.get("vs_float", {}).items())
        fb = f" [pre-process with {r['pre_process']}]" if "pre_process" in r else ""
        print(f"{r['recipe']}{fb}: pre-process {r['pre_process_s']:.1f} s + quantize {r['quantize_s']:.1f} s = "
              f"{r['total_s']:.1f} s, {r['size_bytes'] / 1e6:.1f} MB; {acc or r.get('eval_error', '')}")


if __name__ == "__main__":
    main()
