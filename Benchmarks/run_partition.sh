#!/usr/bin/env bash
# `onnxscope partition` (NNAPI + CoreML NeuralNetwork + MLProgram, on ORT's basic-level graph,
# JSON) beside ORT's mobile usability checker doing the same three targets
# (Tests/PartitionTests/python/usability_reference.py), per model, median of 5 wall-clock runs
# each, interleaved. Usage: Benchmarks/run.sh partition (needs `make real-models`).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.build/release/onnxscope
PY=.venv/bin/python
[ -x "$BIN" ] || swift build -c release --product onnxscope >/dev/null
echo "| model | nodes (ORT basic) | onnxscope partition (median) | usability checker (median) | speed-up |"
echo "|---|---|---|---|---|"
for f in .models/*.onnx samples/bert-tiny.onnx; do
  "$PY" - "$BIN" "$PY" "$f" <<'PYEOF'
import json, statistics, subprocess, sys, time
bin, py, f = sys.argv[1:4]
ours, theirs, nodes = [], [], None
for _ in range(5):
    t = time.perf_counter(); out = subprocess.run([bin, "partition", f, "--json", "--ort", ".venv"], capture_output=True, text=True, check=True).stdout; ours.append(time.perf_counter() - t)
    nodes = json.loads(out)["targets"][0]["total_nodes"]
    t = time.perf_counter(); subprocess.run([py, "Tests/PartitionTests/python/usability_reference.py", f], capture_output=True, check=True); theirs.append(time.perf_counter() - t)
a, b = statistics.median(ours), statistics.median(theirs)
print(f"| {f.split('/')[-1]} | {nodes} | {a*1e3:.0f} ms | {b*1e3:.0f} ms | {b/a:.1f}x |")
PYEOF
done
