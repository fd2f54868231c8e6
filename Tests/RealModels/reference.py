#!/usr/bin/env python3
"""Reference data for one real model: what ONNX Runtime actually computes, what onnx's own
shape inference gets, and onnx-tool's MAC counts.

    reference.py MODEL --dims '{"batch": 1}' [--inputs '{"sr": {"value": 16000}}'] --out FILE

onnxscope's tests compare their shape inference and MAC counts against this file, so the
"truth" for shapes is a real ORT run (not another inference engine), and onnx / onnx-tool
are recorded next to it as the tools people would otherwise trust.
"""
import argparse
import collections
import contextlib
import importlib.metadata
import json
import os
import sys

import numpy as np
import onnx
import onnxruntime as ort

MAC_OPS = ("Conv", "ConvTranspose", "Gemm", "MatMul")
SEED = 0


def input_shape(vi, dims, hint):
    """Concrete shape of a graph input. Named dims come from `dims`; an unnamed or negative
    dim is looked up as `<input>_dim<axis>`, the same name onnxscope gives such an axis.
    paddle2onnx writes unnamed axes as the literal symbol "?" (two of them on one input
    would otherwise be one symbol), so "?" counts as unnamed too."""
    if "shape" in hint:
        return list(hint["shape"])
    shape = []
    for axis, d in enumerate(vi.type.tensor_type.shape.dim):
        if d.HasField("dim_value") and d.dim_value >= 0:
            shape.append(d.dim_value)
            continue
        named = d.HasField("dim_param") and d.dim_param not in ("", "?")
        key = d.dim_param if named else f"{vi.name}_dim{axis}"
        if key not in dims:
            sys.exit(f"input {vi.name!r} axis {axis}: bind {key!r} in --dims")
        shape.append(int(dims[key]))
    return shape


def generate(vi, shape, hint, rng):
    """Deterministic data in a realistic range: a "value" fills the tensor (sr=16000, a zero
    LSTM state); a "range" is [lo, hi) for floats and [lo, hi] for integers; floats default
    to 0..1 like a normalised image."""
    dtype = onnx.helper.tensor_dtype_to_np_dtype(vi.type.tensor_type.elem_type)
    if "value" in hint:
        return np.full(shape, hint["value"], dtype=dtype)
    if dtype == np.bool_:
        return rng.random(shape) < 0.5
    if np.issubdtype(dtype, np.integer):
        lo, hi = hint.get("range", [0, 9])
        return rng.integers(lo, hi, size=shape, endpoint=True).astype(dtype)
    lo, hi = hint.get("range", [0.0, 1.0])
    return rng.uniform(lo, hi, size=shape).astype(dtype)


def node_keys(graph):
    """Node names when they are all present and unique, else `<op>_<index>` for every node.
    The second is exactly onnx-tool's node_rename scheme, so its per-node numbers line up."""
    names = [n.name for n in graph.node]
    if all(names) and len(set(names)) == len(names):
        return "name", names
    return "op_index", [f"{n.op_type}_{i}" for i, n in enumerate(graph.node)]


def run_ort(model, feeds):
    """Every node output of the main graph as a graph output, optimisations off so none is
    fused away. The added outputs carry no type; ORT fills it in from the producing node."""
    m = onnx.ModelProto()
    m.CopyFrom(model)
    have = {o.name for o in m.graph.output}
    names = []
    for n in m.graph.node:
        for o in n.output:
            if o and o not in have:
                have.add(o)
                names.append(o)
    m.graph.output.extend(onnx.ValueInfoProto(name=o) for o in names)
    opts = ort.SessionOptions()
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    opts.log_severity_level = 3
    sess = ort.InferenceSession(m.SerializeToString(), opts, providers=["CPUExecutionProvider"])
    outs = sess.run(None, feeds)
    values = {}
    for meta, arr in zip(sess.get_outputs(), outs):
        if isinstance(arr, np.ndarray):
            values[meta.name] = {"dtype": arr.dtype.name, "shape": list(arr.shape)}
        else:  # sequence or map output: keep the kind, there is no single shape
            values[meta.name] = {"dtype": type(arr).__name__, "shape": None}
    # Report in graph order (graph outputs first came first in the session too).
    order = [o for n in model.graph.node for o in n.output if o]
    return {k: values[k] for k in order if k in values}


def onnx_inference(model, shapes):
    """onnx.shape_inference with the inputs fixed to the bound shapes. The exporter's own
    value_info and output shapes are dropped first so only inference is being measured."""
    m = onnx.ModelProto()
    m.CopyFrom(model)
    del m.graph.value_info[:]
    for o in m.graph.output:
        if o.type.HasField("tensor_type"):
            o.type.tensor_type.ClearField("shape")
    for vi in m.graph.input:
        if vi.name in shapes:
            t = vi.type.tensor_type
            t.ClearField("shape")
            t.shape.SetInParent()  # a scalar input still has a (rank 0) shape
            for d in shapes[vi.name]:
                t.shape.dim.add().dim_value = d
    m = onnx.shape_inference.infer_shapes(m, check_type=False, strict_mode=False, data_prop=True)
    return {vi.name: vi.type for vi in list(m.graph.value_info) + list(m.graph.output)}


def compare(tp, real):
    """exact: every dim known and equal; partial: right rank, some dims unknown;
    mismatch: a known dim or the rank is wrong; missing: no shape at all."""
    if tp is None or not tp.HasField("tensor_type") or not tp.tensor_type.HasField("shape") or real is None:
        return "missing"
    dims = tp.tensor_type.shape.dim
    if len(dims) != len(real):
        return "mismatch"
    known = [d.HasField("dim_value") for d in dims]
    if any(k and d.dim_value != r for k, d, r in zip(known, dims, real)):
        return "mismatch"
    return "exact" if all(known) else "partial"


def macs_from_shapes(graph, keys, shape_of):
    """Multiply-accumulates of the MAC ops from the real (ORT) shapes, bias not counted:
    a second opinion that exists even where onnx-tool fails (If bodies, GlobalMaxPool).
    onnx-tool counts one more MAC per output element when a bias input is present."""
    out = {}
    for key, n in zip(keys, graph.node):
        if n.op_type not in MAC_OPS:
            continue
        x, w, y = (shape_of(n.input[0]), shape_of(n.input[1]), shape_of(n.output[0]))
        if n.op_type == "Conv":  # each output element: Cin/group * kernel products
            macs = np.prod(y) * np.prod(w[1:])
        elif n.op_type == "ConvTranspose":  # each input element scatters into Cout/group * kernel
            macs = np.prod(x) * np.prod(w[1:])
        elif n.op_type == "Gemm":
            trans_a = next((a.i for a in n.attribute if a.name == "transA"), 0)
            macs = np.prod(y) * (x[0] if trans_a else x[1])
        else:  # MatMul: every output element is a K-long dot product (1-D A: K = len(A))
            macs = np.prod(y) * x[-1]
        out[key] = int(macs)
    return out


def onnx_tool_macs(model, feeds, rename):
    """onnx-tool 1.0.1 the way its model_profile() does it (reorder, shape_infer with the real
    input arrays so value-dependent shapes resolve, profile without its no-MAC ops), but
    keeping the graph so the per-node numbers can be read from node.macs[0]."""
    import onnx_tool
    from onnx_tool.model import Model
    with contextlib.redirect_stdout(sys.stderr):  # it prints progress; keep our stdout clean
        g = Model(model, {"node_rename": rename, "verbose": False}).graph
        g.graph_reorder_nodes()
        g.shape_infer({k: v.copy() for k, v in feeds.items()})
        g.profile(exclude_ops=onnx_tool.NoMacsOps)
    return g


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("--dims", default="{}", help="JSON {symbol: value} for symbolic input dims")
    ap.add_argument("--inputs", default="{}", help="JSON {input: {shape|range|value}} hints")
    ap.add_argument("--out", required=True)
    ap.add_argument("--no-onnx-tool", action="store_true", help="skip onnx-tool (small test graphs need only ORT)")
    args = ap.parse_args()
    dims, hints = json.loads(args.dims), json.loads(args.inputs)

    model = onnx.load(args.model)
    g = model.graph
    inits = {i.name for i in g.initializer}
    rng = np.random.default_rng(SEED)
    feeds, shapes = {}, {}
    for vi in g.input:
        if vi.name in inits:  # IR < 4 models list weights as inputs; they are not fed
            continue
        hint = hints.get(vi.name, {})
        shapes[vi.name] = input_shape(vi, dims, hint)
        feeds[vi.name] = generate(vi, shapes[vi.name], hint, rng)

    values = run_ort(model, feeds)

    inferred = onnx_inference(model, shapes)
    tally = collections.Counter()
    by_kind = collections.defaultdict(list)
    for name, v in values.items():
        kind = compare(inferred.get(name), v["shape"])
        v["onnx"] = kind
        if kind in ("partial", "mismatch"):  # what onnx said instead: ints, symbols, null
            v["onnx_shape"] = [d.dim_value if d.HasField("dim_value") else (d.dim_param or None)
                               for d in inferred[name].tensor_type.shape.dim]
        tally[kind] += 1
        by_kind[kind].append(name)

    scheme, keys = node_keys(g)
    init_dims = {i.name: list(i.dims) for i in g.initializer}
    shape_of = lambda t: values[t]["shape"] if t in values else shapes.get(t, init_dims.get(t))
    own = macs_from_shapes(g, keys, shape_of)
    macs, total, error = {}, None, None
    try:
        if args.no_onnx_tool:
            raise RuntimeError("skipped (--no-onnx-tool)")
        tg = onnx_tool_macs(model, feeds, scheme == "op_index")
        for key, n in zip(keys, g.node):
            if n.op_type in MAC_OPS:
                macs[key] = int(round(tg.nodemap[key].macs[0]))
        total = int(round(tg.macs[0]))
    except Exception as e:  # recorded, not fatal: onnx-tool is a comparison, ORT is the truth
        error = f"{type(e).__name__}: {e}"
        macs = {}

    ref = {
        "model": args.model.split("/")[-1],
        "dims": dims,
        "inputs": shapes,
        "input_hints": hints,
        "seed": SEED,
        "node_key": scheme,
        "values": values,
        "onnx_shape_inference": {
            "exact": tally["exact"], "partial": tally["partial"],
            "mismatch": tally["mismatch"], "missing": tally["missing"],
            "partial_names": by_kind["partial"], "mismatch_names": by_kind["mismatch"],
            "missing_names": by_kind["missing"],
        },
        "macs": macs,
        "macs_total": total,
        "onnx_tool_error": error,
        "macs_from_ort_shapes": own,
        "macs_from_ort_shapes_total": sum(own.values()),
        "versions": {"onnx": onnx.__version__, "onnxruntime": ort.__version__, "onnx_tool": importlib.metadata.version("onnx-tool")},
    }
    with open(args.out + ".part", "w") as f:  # a crash must not leave a "fresh" half file
        json.dump(ref, f, indent=1)
        f.write("\n")
    os.replace(args.out + ".part", args.out)
    si = ref["onnx_shape_inference"]
    print(f"{ref['model']}: {len(values)} values, onnx exact/partial/mismatch/missing "
          f"{si['exact']}/{si['partial']}/{si['mismatch']}/{si['missing']}, onnx-tool MACs {total}"
          + (f" (onnx-tool error: {error})" if error else ""))


if __name__ == "__main__":
    main()
