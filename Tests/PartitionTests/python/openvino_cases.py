"""Builds small models that exercise the OpenVINO EP's partitioning rules and its op list into
DIR, and prints what each is for: {"file.onnx": "what it checks"}. The Swift test predicts each
with onnxscope and measures it with the OpenVINO EP (ORT's assignment report); they must agree
node by node. Nothing here says what the answer is: ORT does.

IsNaN and Hardmax are not in the EP's list (it spells the op "HardMax"), so they cut the graph;
Relu, Abs, Neg, Sigmoid are. (Mish would not do: it has no CPU kernel, so ORT inlines its function
body after the first partitioning and the EP then takes the body.)

Usage: python openvino_cases.py DIR
"""
import json
import os
import sys

import numpy as np
import onnx
import onnx.helper as H
import onnx.numpy_helper as N

F = onnx.TensorProto.FLOAT


def model(nodes, inputs, outputs, inits=(), opset=18, ms=False):
    graph = H.make_graph(nodes, "g", inputs, outputs, initializer=list(inits))
    imports = [H.make_opsetid("", opset)] + ([H.make_opsetid("com.microsoft", 1)] if ms else [])
    return H.make_model(graph, opset_imports=imports, ir_version=8)


def vi(name, shape, t=F):
    return H.make_tensor_value_info(name, t, shape)


def chain(ops, start="x", prefix="n"):
    """Unary nodes one after the other; returns (nodes, last output)."""
    nodes, cur = [], start
    for i, op in enumerate(ops):
        out = f"{prefix}{i}"
        nodes.append(H.make_node(op, [cur], [out], name=f"{prefix}{i}_{op}"))
        cur = out
    return nodes, cur


def cases():
    x = [vi("x", [1, 8])]
    out = {}

    nodes, last = chain(["Abs", "Neg", "Relu", "Hardmax", "Abs", "Neg", "Relu"])
    out["cut"] = ("one unsupported node between two 3-node clusters",
                  model(nodes, x, [vi(last, [1, 8])]))

    nodes, last = chain(["Relu", "Hardmax", "Abs", "Hardmax", "Neg", "Relu", "Sigmoid"])
    out["lone"] = ("one-node clusters with no edge to the next cluster",
                   model(nodes, x, [vi(last, [1, 8])]))

    nodes = [H.make_node("Relu", ["x"], ["r"], name="relu"),
             H.make_node("Hardmax", ["x"], ["m"], name="hardmax"),
             H.make_node("Add", ["r", "m"], ["a"], name="add"),
             H.make_node("Neg", ["a"], ["b"], name="neg"),
             H.make_node("Sigmoid", ["b"], ["y"], name="sigmoid")]
    out["joins"] = ("a one-node cluster with an edge into the next cluster",
                    model(nodes, x, [vi("y", [1, 8])]))

    w = N.from_array(np.ones((4, 1, 3, 3), np.float32), "w")
    xi = [vi("x", [1, 1, 8, 8])]
    nodes = [H.make_node("Conv", ["x", "w"], ["c"], name="conv", pads=[1, 1, 1, 1]),
             H.make_node("Relu", ["c"], ["r"], name="relu"),
             H.make_node("Abs", ["r"], ["a"], name="abs"),
             H.make_node("Hardmax", ["c"], ["m"], name="hardmax"),
             H.make_node("Add", ["a", "m"], ["s"], name="add"),
             H.make_node("Neg", ["s"], ["t"], name="neg"),
             H.make_node("Sigmoid", ["t"], ["y"], name="sigmoid")]
    out["conv_leaves"] = ("a Conv whose output is read outside its cluster",
                          model(nodes, xi, [vi("y", [1, 4, 8, 8])], [w]))

    k = N.from_array(np.array([4], np.int64), "k")
    nodes = [H.make_node("Relu", ["x"], ["r"], name="relu"),
             H.make_node("Abs", ["r"], ["a"], name="abs"),
             H.make_node("Neg", ["a"], ["b"], name="neg"),
             H.make_node("Hardmax", ["b"], ["m"], name="hardmax"),
             H.make_node("TopK", ["m", "k"], ["v", "i"], name="topk"),
             H.make_node("Neg", ["v"], ["c"], name="neg2"),
             H.make_node("Relu", ["c"], ["d"], name="relu2"),
             H.make_node("Sigmoid", ["d"], ["y"], name="sigmoid")]
    out["topk"] = ("TopK in a partitioned graph", model(nodes, x, [vi("y", [1, 4]), vi("i", [1, 4], onnx.TensorProto.INT64)], [k]))

    nodes, last = chain(["Relu", "Abs", "Hardmax", "Neg", "Sigmoid"])
    out["hardmax"] = ("Hardmax, which the EP's list spells HardMax", model(nodes, x, [vi(last, [1, 8])]))

    nodes, last = chain(["Relu", "Abs", "Neg", "Sigmoid", "Relu"])
    out["whole"] = ("every node supported: one partition", model(nodes, x, [vi(last, [1, 8])]))

    xs = [vi("x", [8])]
    nodes = [H.make_node("ReduceSum", ["x"], ["s"], name="sum", keepdims=0),
             H.make_node("Abs", ["s"], ["a"], name="abs"),
             H.make_node("Neg", ["a"], ["b"], name="neg"),
             H.make_node("IsNaN", ["b"], ["n"], name="isnan"),
             H.make_node("Relu", ["b"], ["c"], name="relu"),
             H.make_node("Sigmoid", ["c"], ["y"], name="sigmoid")]
    out["scalars"] = ("rank-0 values between ops the old rank-0 check rejected",
                      model(nodes, xs, [vi("y", []), vi("n", [], onnx.TensorProto.BOOL)]))

    axes = N.from_array(np.array([0], np.int64), "axes")
    nodes = [H.make_node("Relu", ["x"], ["r"], name="relu"),
             H.make_node("Unsqueeze", ["r", "axes"], ["u"], name="unsqueeze"),
             H.make_node("Abs", ["u"], ["a"], name="abs"),
             H.make_node("Hardmax", ["a"], ["m"], name="hardmax"),
             H.make_node("Neg", ["m"], ["b"], name="neg"),
             H.make_node("Relu", ["b"], ["c"], name="relu2"),
             H.make_node("Sigmoid", ["c"], ["y"], name="sigmoid")]
    out["unsqueeze_axes"] = ("Unsqueeze reading an initializer named 'axes' (an old unsupported mode)",
                             model(nodes, x, [vi("y", [1, 1, 8])], [axes]))

    xa = [vi("x", [1, 4, 8])]
    wq = N.from_array(np.full((8, 24), 0.1, np.float32), "wq")
    bq = N.from_array(np.zeros(24, np.float32), "bq")
    nodes = [H.make_node("Relu", ["x"], ["r"], name="relu"),
             H.make_node("Attention", ["r", "wq", "bq"], ["att"], name="attention", domain="com.microsoft", num_heads=2),
             H.make_node("Abs", ["att"], ["a"], name="abs"),
             H.make_node("Neg", ["a"], ["b"], name="neg"),
             H.make_node("Sigmoid", ["b"], ["y"], name="sigmoid")]
    out["ms_attention"] = ("com.microsoft Attention, matched by name", model(nodes, xa, [vi("y", [1, 4, 8])], [wq, bq], ms=True))

    wm = N.from_array(np.full((8, 8), 0.1, np.float32), "wm")
    nodes = [H.make_node("Relu", ["x"], ["r"], name="relu"),
             H.make_node("FusedMatMul", ["r", "wm"], ["f"], name="fusedmatmul", domain="com.microsoft", alpha=1.0),
             H.make_node("Abs", ["f"], ["a"], name="abs"),
             H.make_node("Hardmax", ["a"], ["m"], name="hardmax"),
             H.make_node("Neg", ["m"], ["b"], name="neg"),
             H.make_node("Relu", ["b"], ["c"], name="relu2"),
             H.make_node("Sigmoid", ["c"], ["y"], name="sigmoid")]
    out["ms_fusedmatmul"] = ("com.microsoft FusedMatMul, matched by name", model(nodes, x, [vi("y", [1, 8])], [wm], ms=True))

    xd = [vi("x", [1, 8], onnx.TensorProto.DOUBLE)]
    nodes = [H.make_node("Relu", ["x"], ["r"], name="relu_f64"),
             H.make_node("Cast", ["r"], ["c"], name="cast", to=F),
             H.make_node("Abs", ["c"], ["a"], name="abs"),
             H.make_node("Neg", ["a"], ["b"], name="neg"),
             H.make_node("Sigmoid", ["b"], ["y"], name="sigmoid")]
    out["float64"] = ("float64 values: a type the EP does not handle", model(nodes, xd, [vi("y", [1, 8])]))

    x4 = [vi("x", [1, 1, 2, 2])]
    sc = N.from_array(np.array([1, 1, 2, 2], np.float32), "scales")
    nodes = [H.make_node("Relu", ["x"], ["r"], name="relu"),
             H.make_node("Upsample", ["r", "scales"], ["u"], name="upsample"),
             H.make_node("Abs", ["u"], ["a"], name="abs"),
             H.make_node("Neg", ["a"], ["b"], name="neg"),
             H.make_node("Sigmoid", ["b"], ["y"], name="sigmoid")]
    out["upsample_rank4"] = ("Upsample of a rank-4 input (an unsupported mode in older releases, not in 1.24)",
                             model(nodes, x4, [vi("y", [1, 1, 4, 4])], [sc], opset=9))

    xu = [vi("x", [1, 8], onnx.TensorProto.UINT8)]
    nodes = [H.make_node("ReduceMax", ["x"], ["m"], name="reducemax", axes=[1]),
             H.make_node("Cast", ["m"], ["c"], name="cast", to=F),
             H.make_node("Abs", ["c"], ["a"], name="abs"),
             H.make_node("Neg", ["a"], ["b"], name="neg"),
             H.make_node("Sigmoid", ["b"], ["y"], name="sigmoid")]
    out["reducemax_uint8"] = ("ReduceMax on uint8 input (an unsupported mode)", model(nodes, xu, [vi("y", [1, 1])], opset=13))

    xn = [vi("x", ["n", 8])]
    nodes = [H.make_node("Cast", ["x"], ["i"], name="cast", to=onnx.TensorProto.INT32),
             H.make_node("Cast", ["i"], ["c"], name="cast2", to=F),
             H.make_node("Abs", ["c"], ["a"], name="abs")]
    out["tiny_cast"] = ("three nodes starting with Cast: too small for the EP", model(nodes, xn, [vi("a", ["n", 8])]))

    nodes = [H.make_node("Shape", ["x"], ["s"], name="shape"),
             H.make_node("Cast", ["s"], ["c"], name="cast", to=F),
             H.make_node("Abs", ["c"], ["a"], name="abs")]
    out["tiny_shape"] = ("three nodes starting with Shape, which 1.24.1 takes", model(nodes, xn, [vi("a", [2])]))

    sh = [vi("x", [2, 4]), vi("shape", [2], onnx.TensorProto.INT64)]
    nodes = [H.make_node("Reshape", ["x", "shape"], ["y"], name="reshape")]
    out["lone_reshape"] = ("a lone Reshape whose shape is an input", model(nodes, sh, [vi("y", ["r", "c"])]))

    then_out = vi("t", [1, 8])
    then_g = H.make_graph([H.make_node("Relu", ["x"], ["t"], name="then_relu")], "then", [], [then_out])
    else_g = H.make_graph([H.make_node("Neg", ["x"], ["t"], name="else_neg")], "else", [], [vi("t", [1, 8])])
    nodes = [H.make_node("ReduceSum", ["x"], ["s"], name="sum", keepdims=1),
             H.make_node("Reshape", ["s", "one"], ["s1"], name="reshape"),
             H.make_node("Greater", ["s1", "zero"], ["cond"], name="greater"),
             H.make_node("If", ["cond"], ["i"], name="if", then_branch=then_g, else_branch=else_g),
             H.make_node("Abs", ["i"], ["a"], name="abs"),
             H.make_node("Hardmax", ["a"], ["h"], name="hardmax"),
             H.make_node("Neg", ["h"], ["b"], name="neg"),
             H.make_node("Relu", ["b"], ["c"], name="relu2"),
             H.make_node("Sigmoid", ["c"], ["y"], name="sigmoid")]
    inits = [N.from_array(np.array([], np.int64).reshape(0), "one"), N.from_array(np.array(0, np.float32), "zero")]
    out["if_body"] = ("an If whose bodies go with it", model(nodes, x, [vi("y", [1, 8])], inits))

    then_g = H.make_graph([H.make_node("Relu", ["x"], ["t2"], name="then_relu")], "then", [], [vi("t2", [1, 8])])
    else_g = H.make_graph([H.make_node("Unsqueeze", ["x", "ax"], ["t3"], name="else_unsqueeze")], "else", [], [vi("t3", [1, 1, 8])])
    nodes = [H.make_node("ReduceSum", ["x"], ["s"], name="sum", keepdims=1),
             H.make_node("Reshape", ["s", "shape1"], ["s1"], name="reshape"),
             H.make_node("Greater", ["s1", "zero"], ["cond"], name="greater"),
             H.make_node("If", ["cond"], ["i"], name="if_ranks", then_branch=then_g, else_branch=else_g),
             H.make_node("Abs", ["i"], ["a"], name="abs"),
             H.make_node("Neg", ["a"], ["y"], name="neg")]
    inits = [N.from_array(np.array([1], np.int64), "shape1"), N.from_array(np.array(0, np.float32), "zero"),
             N.from_array(np.array([0], np.int64), "ax")]
    out["if_ranks"] = ("an If whose branches give different ranks: OpenVINO fails the session",
                       model(nodes, x, [vi("y", ["a", "b"])], inits))

    # One-node graphs: the EP refuses some ops as the whole graph and takes others.
    for op in ["Exp", "Identity", "Round", "Split", "Trilu", "Celu", "ReduceMin", "Relu"]:
        nodes = [H.make_node(op, ["x"], ["y"], name="single")]
        out["single_" + op] = (f"a graph of one {op}", model(nodes, xn, [vi("y", [1, 1] if op == "ReduceMin" else ["n", 8])]))
    return out


def main(out):
    os.makedirs(out, exist_ok=True)
    about = {}
    for name, (why, m) in cases().items():
        onnx.checker.check_model(m)
        path = os.path.join(out, name + ".onnx")
        with open(path, "wb") as f:
            f.write(m.SerializeToString())
        about[name + ".onnx"] = why
    print(json.dumps(about))


if __name__ == "__main__":
    main(sys.argv[1])
