#!/usr/bin/env python3
"""Session creation time against If nesting depth: a chain of Ifs, each else_branch holding the
next If (what exporters write for if/elif chains), created in the ORT of the running Python.

    .venv/bin/python Benchmarks/nested_if.py 12 14 16 18            # onnxruntime 1.32.0
    .venv-openvino/bin/python Benchmarks/nested_if.py 12 14 16 18 20 --openvino
"""
import sys, time
import onnx.helper as h
from onnx import TensorProto as T
import onnxruntime as ort


def body(depth, tag):
    if depth == 0:
        n = h.make_node("Add", ["x", "one"], [f"y_{tag}"])
        return h.make_graph([n], f"leaf_{tag}", [], [h.make_tensor_value_info(f"y_{tag}", T.FLOAT, [4])])
    n = h.make_node("If", ["cond"], [f"y_{tag}"], then_branch=body(0, tag + "t"), else_branch=body(depth - 1, tag + "e"))
    return h.make_graph([n], f"if_{tag}", [], [h.make_tensor_value_info(f"y_{tag}", T.FLOAT, [4])])


def model(depth):
    g = body(depth, "r")
    main = h.make_graph(list(g.node), "main",
                        [h.make_tensor_value_info("x", T.FLOAT, [4]), h.make_tensor_value_info("cond", T.BOOL, [])],
                        [h.make_tensor_value_info(g.output[0].name, T.FLOAT, [4])], [h.make_tensor("one", T.FLOAT, [1], [1.0])])
    m = h.make_model(main, opset_imports=[h.make_opsetid("", 17)])
    m.ir_version = 8
    return m.SerializeToString()


openvino = "--openvino" in sys.argv
for d in [int(a) for a in sys.argv[1:] if not a.startswith("--")]:
    m = model(d)
    t = time.perf_counter()
    ort.InferenceSession(m, providers=["CPUExecutionProvider"])
    cpu = time.perf_counter() - t
    line = f"depth {d:3d}  onnxruntime {ort.__version__}  CPU EP {cpu:7.2f} s"
    if openvino:
        t = time.perf_counter()
        ort.InferenceSession(m, providers=[("OpenVINOExecutionProvider", {"device_type": "CPU"}), "CPUExecutionProvider"])
        line += f"  OpenVINO EP {time.perf_counter() - t:7.2f} s"
    print(line, flush=True)
