"""Builds single-node models (op x element type x opset, every input a graph input so nothing is
folded) into DIR and says whether ONNX Runtime's CPU EP creates a session for each:
{"file.onnx": null | "error text"}. The CPU catalog's prediction must agree on every one.

Usage: python cpu_sessions.py DIR
"""
import json
import os
import sys

import onnx
import onnx.helper as H
import onnxruntime as ort

UNARY = ["Relu", "Abs", "Neg", "Sqrt", "Exp", "Sigmoid", "Floor", "Sign", "Erf", "Tanh", "Not", "IsNaN",
         "Identity", "Softmax", "Reciprocal", "Round", "Ceil", "Cos", "LeakyRelu", "HardSigmoid", "Gelu"]
BINARY = ["Add", "Sub", "Mul", "Div", "Pow", "Max", "Min", "Equal", "Less", "Greater", "And", "PRelu",
          "MatMul", "Sum", "Mean", "Or", "Xor"]
TYPES = {"float": 1, "uint8": 2, "int8": 3, "int16": 5, "int32": 6, "int64": 7, "bool": 9, "float16": 10,
         "double": 11, "uint32": 12, "uint64": 13, "bfloat16": 16}
OPSETS = [7, 13, 21]


def main(out):
    os.makedirs(out, exist_ok=True)
    result = {}
    ort.set_default_logger_severity(4)
    so = ort.SessionOptions()
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    for opset in OPSETS:
        for op in UNARY + BINARY:
            for tname, t in TYPES.items():
                inputs = ["a"] if op in UNARY else ["a", "b"]
                node = H.make_node(op, inputs, ["y"], name="n")
                graph = H.make_graph([node], "g", [H.make_tensor_value_info(i, t, [2, 3]) for i in inputs],
                                     [H.make_value_info("y", onnx.TypeProto())])
                model = H.make_model(graph, opset_imports=[H.make_opsetid("", opset)], ir_version=7)
                name = f"{op}-{tname}-{opset}.onnx"
                with open(os.path.join(out, name), "wb") as f:
                    f.write(model.SerializeToString())
                try:
                    ort.InferenceSession(os.path.join(out, name), so, providers=["CPUExecutionProvider"])
                    result[name] = None
                except Exception as e:  # noqa: BLE001 - the message is the result
                    result[name] = str(e).splitlines()[0][:200]
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1])
