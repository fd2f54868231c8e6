#!/usr/bin/env bash
# The explorer's quantization loop (Workbench.QuantizationJob, via onnxscope-togglebench): how
# long `Q` on one layer of the ResNet-50 sample takes to new measured figures (int8 latency p50,
# SQNR on the eval samples, integer kernels), and to the per-value errors of the Error view.
# The first line is calibration + the all-int8 variant (range cache off).
#
# Usage: Benchmarks/run_toggle.sh   (env: TOGGLES=5 ORT=.venv; needs `make quant-data`)
# Output: one line per step on stdout, raw JSON lines in $WORK/toggle.jsonl.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
WORK=${ONNXSCOPE_BENCH_DIR:-/tmp/onnxscope-bench}
ORT=${ORT:-$REPO/.venv}
mkdir -p "$WORK"
cd "$REPO"
swift build -c release --product onnxscope >&2
swift build -c release --product onnxscope-togglebench >&2
[ -f samples/resnet50.onnx ] || .build/release/onnxscope sample resnet50 -o samples/resnet50.onnx >&2
[ -d .models/quant/resnet50-sample/calib ] || { echo "missing .models/quant/resnet50-sample: run 'make quant-data'" >&2; exit 2; }
.build/release/onnxscope-togglebench samples/resnet50.onnx --calibration .models/quant/resnet50-sample/calib \
    --eval .models/quant/resnet50-sample/eval --ort "$ORT" --toggles "${TOGGLES:-5}" | tee "$WORK/toggle.jsonl" |
    "$REPO/.venv/bin/python" -c '
import json, sys
for l in sys.stdin:
    d = json.loads(l)
    print("%-46s figures %.2f s (SQNR %.2f dB, first samples)  every sample %.2f s  errors %.2f s  int8 %.1f ms  float %.1f ms  SQNR %.2f dB  kernels %s" % (
        d["step"][:46], d["seconds_to_figures"], d["first_sqnr_db"], d["seconds_to_every_sample"], d["seconds_to_errors"],
        d["int8_p50_ms"], d["float_p50_ms"], d["sqnr_db"], d["int8_kernels"]))'
