"""Runs a model with Python ONNX Runtime on .npy inputs and writes each output as .npy.

Usage: ort_reference.py MODEL INPUT_DIR OUTPUT_DIR THREADS OPT_LEVEL
Inputs are INPUT_DIR/<input name>.npy (names with '/' use '__'), outputs OUTPUT_DIR/<name>.npy.
"""
import os
import sys

import numpy as np
import onnxruntime as ort

model, in_dir, out_dir, threads, level = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
so = ort.SessionOptions()
so.intra_op_num_threads = threads
so.graph_optimization_level = {0: ort.GraphOptimizationLevel.ORT_DISABLE_ALL, 1: ort.GraphOptimizationLevel.ORT_ENABLE_BASIC,
                               2: ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED, 99: ort.GraphOptimizationLevel.ORT_ENABLE_ALL}[level]
s = ort.InferenceSession(model, so, providers=["CPUExecutionProvider"])
feeds = {i.name: np.load(os.path.join(in_dir, i.name.replace("/", "__") + ".npy")) for i in s.get_inputs()}
os.makedirs(out_dir, exist_ok=True)
for o, v in zip(s.get_outputs(), s.run(None, feeds)):
    if v.dtype == object:  # string outputs: store as fixed-width unicode, not pickled objects
        v = v.astype(str)
    np.save(os.path.join(out_dir, o.name.replace("/", "__") + ".npy"), v)
print("ok")
