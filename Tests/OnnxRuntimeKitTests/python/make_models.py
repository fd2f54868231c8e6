"""Builds the small ONNX models the OnnxRuntimeKit tests run, with onnx.helper.

Usage: make_models.py OUTDIR
Writes:
  conv_relu_sigmoid.onnx  Conv -> Relu -> Sigmoid (fusion / NCHWc cases for profiling)
  unnamed.onnx            conv_relu_sigmoid without node names (kernels told apart by node_index)
  conv_unique.onnx        Conv -> Relu -> Unique -> Sigmoid (OpenVINO takes all but Unique)
  tiny_bert.onnx          embedding Gather + mask + MatMul/Softmax/LayerNorm, symbolic batch/seq
  unknown_op.onnx         a node with an op no runtime knows (NoSuchOp)
  bad_opset.onnx          a standard op at an opset that does not exist (999)
  all_types.onnx          one Identity per element type (float..string, bool)
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
rng = np.random.RandomState(0)


def save(graph, name, opset=17):
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    m.ir_version = 8
    onnx.save(m, os.path.join(out, name))


W = rng.randn(4, 3, 3, 3).astype(np.float32)
B = rng.randn(4).astype(np.float32)
x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 8, 8])
save(helper.make_graph(
    [helper.make_node("Conv", ["x", "W", "B"], ["c"], name="conv1", pads=[1, 1, 1, 1]),
     helper.make_node("Relu", ["c"], ["r"], name="relu1"),
     helper.make_node("Sigmoid", ["r"], ["s"], name="sig1")],
    "conv_relu_sigmoid", [x], [helper.make_tensor_value_info("s", TensorProto.FLOAT, [1, 4, 8, 8])],
    [numpy_helper.from_array(W, "W"), numpy_helper.from_array(B, "B")]), "conv_relu_sigmoid.onnx")

save(helper.make_graph(
    [helper.make_node("Conv", ["x", "W", "B"], ["c"], pads=[1, 1, 1, 1]),
     helper.make_node("Relu", ["c"], ["r"]),
     helper.make_node("Sigmoid", ["r"], ["s"])],
    "unnamed", [x], [helper.make_tensor_value_info("s", TensorProto.FLOAT, [1, 4, 8, 8])],
    [numpy_helper.from_array(W, "W"), numpy_helper.from_array(B, "B")]), "unnamed.onnx")

save(helper.make_graph(
    [helper.make_node("Conv", ["x", "W"], ["c"], name="conv1", pads=[1, 1, 1, 1]),
     helper.make_node("Relu", ["c"], ["r"], name="relu1"),
     helper.make_node("Unique", ["r"], ["u"], name="unique1"),
     helper.make_node("Sigmoid", ["u"], ["s"], name="sig1")],
    "conv_unique", [x], [helper.make_tensor_value_info("s", TensorProto.FLOAT, None)],
    [numpy_helper.from_array(W, "W")]), "conv_unique.onnx")

vocab, hidden = 30, 16
emb = rng.randn(vocab, hidden).astype(np.float32)
tte = rng.randn(2, hidden).astype(np.float32)
wq = rng.randn(hidden, hidden).astype(np.float32) * 0.2
wk = rng.randn(hidden, hidden).astype(np.float32) * 0.2
gamma = np.ones(hidden, np.float32)
beta = np.zeros(hidden, np.float32)
nodes = [
    helper.make_node("Gather", ["emb", "input_ids"], ["e"], name="word_embeddings"),
    helper.make_node("Gather", ["tte", "token_type_ids"], ["t"], name="token_type_embeddings"),
    helper.make_node("Add", ["e", "t"], ["h0"], name="embed_add"),
    helper.make_node("LayerNormalization", ["h0", "gamma", "beta"], ["h"], name="embed_ln", axis=-1, epsilon=1e-5),
    helper.make_node("MatMul", ["h", "wq"], ["q"], name="q_proj"),
    helper.make_node("MatMul", ["h", "wk"], ["k"], name="k_proj"),
    helper.make_node("Transpose", ["k"], ["kt"], name="k_t", perm=[0, 2, 1]),
    helper.make_node("MatMul", ["q", "kt"], ["scores"], name="qk"),
    helper.make_node("Cast", ["attention_mask"], ["mf"], name="mask_cast", to=TensorProto.FLOAT),
    helper.make_node("Unsqueeze", ["mf", "one"], ["mu"], name="mask_unsqueeze"),
    helper.make_node("Sub", ["onef", "mu"], ["inv"], name="mask_inv"),
    helper.make_node("Mul", ["inv", "neg"], ["bias"], name="mask_bias"),
    helper.make_node("Add", ["scores", "bias"], ["sb"], name="scores_bias"),
    helper.make_node("Softmax", ["sb"], ["p"], name="softmax", axis=-1),
    helper.make_node("MatMul", ["p", "h"], ["ctx"], name="context"),
    # Feed-forward with the erf GELU pattern exporters emit; ORT fuses Add+GELU into BiasGelu.
    helper.make_node("MatMul", ["ctx", "w1"], ["f0"], name="ffn_in"),
    helper.make_node("Add", ["f0", "b1"], ["f1"], name="ffn_bias"),
    helper.make_node("Div", ["f1", "sqrt2"], ["g0"], name="gelu_div"),
    helper.make_node("Erf", ["g0"], ["g1"], name="gelu_erf"),
    helper.make_node("Add", ["g1", "onef"], ["g2"], name="gelu_add"),
    helper.make_node("Mul", ["f1", "g2"], ["g3"], name="gelu_mul"),
    helper.make_node("Mul", ["g3", "half"], ["g4"], name="gelu_half"),
    helper.make_node("MatMul", ["g4", "w2"], ["f2"], name="ffn_out"),
    helper.make_node("Add", ["f2", "h"], ["res"], name="residual"),
    helper.make_node("LayerNormalization", ["res", "gamma", "beta"], ["last_hidden_state"], name="out_ln", axis=-1, epsilon=1e-5),
]
inits = [numpy_helper.from_array(a, n) for a, n in [
    (emb, "emb"), (tte, "tte"), (wq, "wq"), (wk, "wk"), (gamma, "gamma"), (beta, "beta"),
    (np.array([1], np.int64), "one"), (np.array(1.0, np.float32), "onef"), (np.array(-10000.0, np.float32), "neg"),
    ((rng.randn(hidden, 4 * hidden) * 0.2).astype(np.float32), "w1"), (rng.randn(4 * hidden).astype(np.float32), "b1"),
    ((rng.randn(4 * hidden, hidden) * 0.2).astype(np.float32), "w2"), (np.array(np.sqrt(2.0), np.float32), "sqrt2"),
    (np.array(0.5, np.float32), "half")]]
ids = lambda n: helper.make_tensor_value_info(n, TensorProto.INT64, ["batch", "seq"])
save(helper.make_graph(nodes, "tiny_bert", [ids("input_ids"), ids("attention_mask"), ids("token_type_ids")],
                       [helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, ["batch", "seq", hidden])], inits),
     "tiny_bert.onnx")

save(helper.make_graph(
    [helper.make_node("Relu", ["x"], ["r"], name="relu_ok"),
     helper.make_node("NoSuchOp", ["r"], ["y"], name="mystery_node")],
    "unknown_op", [x], [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)]), "unknown_op.onnx")

save(helper.make_graph(
    [helper.make_node("Relu", ["x"], ["y"], name="relu_future")],
    "bad_opset", [x], [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)]), "bad_opset.onnx", opset=999)

types = [("f32", TensorProto.FLOAT), ("f64", TensorProto.DOUBLE), ("f16", TensorProto.FLOAT16),
         ("bf16", TensorProto.BFLOAT16), ("i8", TensorProto.INT8), ("u8", TensorProto.UINT8),
         ("i16", TensorProto.INT16), ("u16", TensorProto.UINT16), ("i32", TensorProto.INT32),
         ("u32", TensorProto.UINT32), ("i64", TensorProto.INT64), ("u64", TensorProto.UINT64),
         ("b", TensorProto.BOOL), ("s", TensorProto.STRING)]
save(helper.make_graph(
    [helper.make_node("Identity", [f"in_{n}"], [f"out_{n}"], name=f"id_{n}") for n, _ in types],
    "all_types",
    [helper.make_tensor_value_info(f"in_{n}", t, [2, 3]) for n, t in types],
    [helper.make_tensor_value_info(f"out_{n}", t, [2, 3]) for n, t in types]), "all_types.onnx", opset=21)
print("ok")
