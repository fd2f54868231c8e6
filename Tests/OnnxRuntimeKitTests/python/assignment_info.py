"""Prints Python ORT's EP graph assignment for a model as JSON.

Usage: assignment_info.py MODEL PROVIDER[:k=v,...] ...
Output: [{"ep": "OpenVINOExecutionProvider", "nodes": ["conv1", "relu1"]}, ...], or
{"unavailable": true} when this onnxruntime has no get_provider_graph_assignment_info().
"""
import json
import sys

import onnxruntime as ort

model = sys.argv[1]
providers = []
for spec in sys.argv[2:]:
    name, _, opts = spec.partition(":")
    providers.append((name, dict(kv.split("=", 1) for kv in opts.split(",") if kv)))
so = ort.SessionOptions()
so.add_session_config_entry("session.record_ep_graph_assignment_info", "1")
s = ort.InferenceSession(model, so, providers=providers)
if not hasattr(s, "get_provider_graph_assignment_info"):
    print(json.dumps({"unavailable": True}))
    sys.exit(0)
print(json.dumps([{"ep": sg.ep_name, "nodes": [n.name for n in sg.get_nodes()]} for sg in s.get_provider_graph_assignment_info()]))
