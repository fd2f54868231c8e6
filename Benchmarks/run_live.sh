#!/usr/bin/env bash
# The explorer's live runner (Workbench.LiveRunner, via onnxscope-livebench) against
# `onnxscope run --no-profile`: same library, model, intra-op threads and number of timed runs,
# fresh process per measurement, interleaved in rounds so machine noise hits every side alike.
# Each round also runs the live runner with profiling off and with a separate profiled session,
# which gives the profiler's cost under each live method and whether profiling disturbs the
# unprofiled runs next to it.
#
# Usage: Benchmarks/run_live.sh     (env: MODEL=resnet50 THREADS=1 RUNS=100 ROUNDS=5 ORT=.venv
#                                         ONNXSCOPE_BIN=... LIVEBENCH_BIN=...)
#        MODEL may be a sample name or an .onnx path. THREADS=1 is the live default on 2 cores.
# Output: a markdown table on stdout, raw JSON lines in $WORK/live.jsonl.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
PY="$REPO/.venv/bin/python"
WORK=${ONNXSCOPE_BENCH_DIR:-/tmp/onnxscope-bench}
MODEL=${MODEL:-resnet50}
THREADS=${THREADS:-1}
RUNS=${RUNS:-100}
ROUNDS=${ROUNDS:-5}
ORT=${ORT:-$REPO/.venv}

[ -x "$PY" ] || { echo "missing $PY: run 'make venv'" >&2; exit 2; }
if [ -z "${ONNXSCOPE_BIN:-}" ] || [ -z "${LIVEBENCH_BIN:-}" ]; then
    (cd "$REPO" && swift build -c release --product onnxscope >&2 && swift build -c release --product onnxscope-livebench >&2)
fi
ONNXSCOPE_BIN=${ONNXSCOPE_BIN:-$REPO/.build/release/onnxscope}
LIVEBENCH_BIN=${LIVEBENCH_BIN:-$REPO/.build/release/onnxscope-livebench}
mkdir -p "$WORK"
if [ -f "$MODEL" ]; then model="$MODEL"; name=$(basename "$MODEL" .onnx); else
    model="$WORK/$MODEL.onnx"; name=$MODEL
    [ -f "$model" ] || "$ONNXSCOPE_BIN" sample "$MODEL" -o "$model" >&2
fi
RESULTS="$WORK/live.jsonl"
: > "$RESULTS"
tag() { "$PY" -c "import json,sys; d=json.load(sys.stdin); d.update(side='$1', round=$2); print(json.dumps(d))"; }
for r in $(seq 1 "$ROUNDS"); do
    echo "$name round $r/$ROUNDS: run" >&2
    "$ONNXSCOPE_BIN" run "$model" --ort "$ORT" --threads "$THREADS" --warmup 3 --runs "$RUNS" --no-profile --json 2>/dev/null \
        | "$PY" -c "import json,sys; d=json.load(sys.stdin); print(json.dumps(dict(latency_ms=d['latency_ms'])))" | tag run "$r" >> "$RESULTS"
    for p in auto off separate; do
        echo "$name round $r/$ROUNDS: live --profiling $p" >&2
        "$LIVEBENCH_BIN" "$model" --ort "$ORT" --threads "$THREADS" --runs "$RUNS" --profiling "$p" | tag "live-$p" "$r" >> "$RESULTS"
    done
done
"$PY" - "$RESULTS" "$name" "$THREADS" "$RUNS" <<'PYEOF'
import json, sys
import numpy as np
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
name, threads, runs = sys.argv[2], sys.argv[3], sys.argv[4]
side = lambda s: sorted((r for r in rows if r["side"] == s), key=lambda r: r["round"])
run, live, off, sep = side("run"), side("live-auto"), side("live-off"), side("live-separate")
p50 = lambda rs: [r["latency_ms"]["p50"] for r in rs]
ratio = lambda a, b: 100 * (float(np.median([x / y for x, y in zip(p50(a), p50(b))])) - 1)
med = lambda xs: float(np.median(xs))
ort = live[0]["ort"]
print("| model | ORT | threads | rounds × runs | `run` p50 (ms) | live p50 (ms), profiling: " + live[0]["profiling"] +
      " | live vs run (median of per-round p50 ratios) | live, profiling off: p50 (ms) / vs run | live, separate session: p50 (ms) / vs run |")
print("|---|---|---|---|---|---|---|---|---|")
print(f"| {name} | {ort} | {threads} | {len(run)} × {runs} | {med(p50(run)):.2f} | {med(p50(live)):.2f} | {ratio(live, run):+.1f}% | "
      f"{med(p50(off)):.2f} / {ratio(off, run):+.1f}% | {med(p50(sep)):.2f} / {ratio(sep, run):+.1f}% |")
print()
print("| live profiling method | profiled runs per measurement (median) | first per-kernel figures after (s) | profiled run p50, wall (ms) | of which ORT's model_run p50 (ms) | profiler cost on p50 (median over rounds) | unprofiled p50 vs profiling off |")
print("|---|---|---|---|---|---|---|")
seen = set()
for label, rs in [(live[0]["profiling"], live), ("separate session", sep)]:
    if label in seen: continue
    seen.add(label)
    print(f"| {label} | {med([r['profiled_runs'] for r in rs]):.0f} | {med([r['first_profile_s'] for r in rs]):.2f} | "
          f"{med([r['profiled_latency_ms']['p50'] for r in rs]):.2f} | {med([r['profiled_model_run_ms']['p50'] for r in rs]):.2f} | "
          f"{med([r['profiling_overhead_percent'] for r in rs]):+.1f}% | {ratio(rs, off):+.1f}% |")
PYEOF
