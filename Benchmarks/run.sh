#!/usr/bin/env bash
# Side-by-side benchmarks in one run on this machine. Usage: Benchmarks/run.sh [open|run|layout|all]
# Writes the tables to stdout; RESULTS.md records them with this command line.
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-all}
BIN=.build/release/onnxscope
BENCH=.build/release/onnxscope-bench
PY=.venv/bin/python
mkdir -p samples/bench
[ -x "$BIN" ] && [ -x "$BENCH" ] || swift build -c release --product onnxscope --product onnxscope-bench >/dev/null

gen() { [ -f "$2" ] || "$BIN" sample "$1" -o "$2" >&2; }

if [[ $what == open || $what == all ]]; then
  gen resnet50 samples/bench/resnet50.onnx
  gen bert-large samples/bench/bert-large.onnx
  echo "| model | file size | onnxscope open+index (median) | onnx.load (median) | speed-up | onnxscope peak RSS | onnx.load peak RSS | RSS / model size |"
  echo "|---|---|---|---|---|---|---|---|"
  for m in resnet50 bert-large; do
    f=samples/bench/$m.onnx
    size=$(( $(stat -c %s "$f") + $( [ -f "$f.data" ] && stat -c %s "$f.data" || echo 0 ) ))
    ours=$("$BENCH" open "$f" --repeat 20)
    theirs=$("$PY" Benchmarks/open_bench.py "$f" 5)
    "$PY" - "$m" "$size" "$ours" "$theirs" <<'PYEOF'
import json, sys
m, size, ours, theirs = sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3]), json.loads(sys.argv[4])
mb = lambda kb: f"{kb/1024:.1f} MB"
print(f"| {m} | {size/1e6:.0f} MB | {ours['median_s']*1e3:.2f} ms | {theirs['median_s']*1e3:.1f} ms | "
      f"{theirs['median_s']/ours['median_s']:.0f}x | {mb(ours['peak_rss_kb'])} | {mb(theirs['peak_rss_kb'])} | "
      f"{ours['peak_rss_kb']*1024/size:.3f} |")
PYEOF
  done
fi

for extra in Benchmarks/run_*.sh; do
  [ -e "$extra" ] || continue
  name=$(basename "$extra" .sh); name=${name#run_}
  if [[ $what == "$name" || $what == all ]]; then bash "$extra"; fi
done
