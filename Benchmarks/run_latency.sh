#!/usr/bin/env bash
# Side-by-side run latency: `onnxscope run` vs Python ORT `session.run`, same library
# (.venv's onnxruntime), same model, threads and input files, interleaved in rounds so machine
# noise hits both sides alike. Also measures the profiler's overhead (onnxscope's profiled pass).
#
# Usage: Benchmarks/run_latency.sh            (env: THREADS=2 RUNS=30 WARMUP=5 ROUNDS=3 SEQ=128
#                                                   MODELS="resnet50 bert-base" ONNXSCOPE_BIN=...)
#        MODELS may also list .onnx paths.
# Output: a markdown table on stdout, raw JSON lines in $WORK/results.jsonl.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
PY="$REPO/.venv/bin/python"
WORK=${ONNXSCOPE_BENCH_DIR:-/tmp/onnxscope-bench}
THREADS=${THREADS:-2}
RUNS=${RUNS:-30}
WARMUP=${WARMUP:-5}
ROUNDS=${ROUNDS:-3}
SEQ=${SEQ:-128}
MODELS=${MODELS:-"resnet50 bert-base"}
HELPER="$REPO/Benchmarks/run_latency_python.py"

[ -x "$PY" ] || { echo "missing $PY: run 'make ort' (python3 -m venv .venv && .venv/bin/pip install onnxruntime onnx numpy)" >&2; exit 2; }
if [ -z "${ONNXSCOPE_BIN:-}" ]; then
    (cd "$REPO" && swift build -c release --product onnxscope >&2)
    ONNXSCOPE_BIN="$REPO/.build/release/onnxscope"
fi
mkdir -p "$WORK"
RESULTS="$WORK/results.jsonl"
: > "$RESULTS"

for m in $MODELS; do
    if [ -f "$m" ]; then
        model="$m"; m=$(basename "$m" .onnx)
    else
        model="$WORK/$m.onnx"
        [ -f "$model" ] || "$ONNXSCOPE_BIN" sample "$m" -o "$model" >&2
    fi
    inputs="$WORK/$m-inputs"
    "$PY" "$HELPER" inputs "$model" "$inputs" "$SEQ" >/dev/null
    args=()
    for f in "$inputs"/*.npy; do n=$(basename "$f" .npy); args+=(--input "$n=$f"); done
    for r in $(seq 1 "$ROUNDS"); do
        echo "$m round $r/$ROUNDS: python" >&2
        "$PY" "$HELPER" time "$model" "$inputs" "$THREADS" "$WARMUP" "$RUNS" \
            | "$PY" -c "import json,sys; d=json.load(sys.stdin); d.update(model='$m', side='python', threads=$THREADS); print(json.dumps(d))" >> "$RESULTS"
        echo "$m round $r/$ROUNDS: onnxscope" >&2
        "$ONNXSCOPE_BIN" run "$model" "${args[@]}" --threads "$THREADS" --warmup "$WARMUP" --runs "$RUNS" --no-profile --json \
            | "$PY" -c "import json,sys; d=json.load(sys.stdin); print(json.dumps(dict(model='$m', side='onnxscope', threads=$THREADS, latency_ms=d['latency_ms'])))" >> "$RESULTS"
    done
    echo "$m: onnxscope profiled pass" >&2
    "$ONNXSCOPE_BIN" run "$model" "${args[@]}" --threads "$THREADS" --warmup "$WARMUP" --runs "$RUNS" --json \
        | "$PY" -c "import json,sys; d=json.load(sys.stdin); print(json.dumps(dict(model='$m', side='onnxscope-profiled', threads=$THREADS, latency_ms=d['profiled_latency_ms'], profiling_overhead_percent=d['profiling_overhead_percent'], kernel_total_ms=d['kernel_total_ms'], framework_overhead_ms=d['framework_overhead_ms'])))" >> "$RESULTS"
done
"$PY" "$HELPER" summary "$RESULTS"
