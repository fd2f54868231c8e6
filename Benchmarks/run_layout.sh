#!/usr/bin/env bash
# Explorer frame benchmark (release build): first frame = read the file + analysis + layout +
# render, and redraw time per key press, at 200x60.
#   - "memory": the in-memory TestBackend (`onnxscope view FILE --bench`)
#   - "tmux":   the real ncurses terminal inside a 200x60 tmux window (`--bench-report`)
# Models: resnet50, bert-base (generated samples) and a synthetic 30k-node LLM-like chain
# (1034 decoder blocks x 29 nodes + 3). Usage: Benchmarks/run.sh layout  (or this script alone)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.build/release/onnxscope
swift build -c release --product onnxscope >/dev/null
mkdir -p samples/bench
gen() { [ -f "$2" ] || "$BIN" sample "$1" -o "$2" >&2; }
gen resnet50 samples/bench/resnet50.onnx
gen bert-base samples/bench/bert-base.onnx
PY=$(command -v python3)
out=$(mktemp -d)
trap 'rm -rf "$out"; [ -n "${SOCK:-}" ] && tmux -L "$SOCK" kill-server 2>/dev/null || true' EXIT

models=("resnet50|samples/bench/resnet50.onnx|" "bert-base|samples/bench/bert-base.onnx|" "llm-30k|synthetic|--bench-llm-blocks 1034")
for m in "${models[@]}"; do
  IFS='|' read -r name file extra <<<"$m"
  # Best of 3 runs in memory (the first run also warms the page cache).
  for i in 1 2 3; do "$BIN" view "$file" $extra --bench >"$out/$name.mem.$i.json"; done
  if command -v tmux >/dev/null; then
    SOCK=onnxscope-bench-$$
    tmux -L "$SOCK" new-session -d -x 200 -y 60 \
      "env TERM=xterm-256color LANG=C.UTF-8 $BIN view $file $extra --bench-report $out/$name.tty.json"
    for _ in $(seq 1 600); do [ -s "$out/$name.tty.json" ] && break; sleep 0.1; done
    tmux -L "$SOCK" kill-server 2>/dev/null || true
  fi
done

"$PY" - "$out" <<'PYEOF'
import glob, json, os, sys
out = sys.argv[1]
ms = lambda s: f"{s*1e3:.1f} ms" if s is not None else "-"
print("| model | nodes | boxes (folded) | terminal | read file | analysis | layout | render | **first frame** | redraw p50 | redraw p90 | redraw max | full unfolded layout (boxes) |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for name in ["resnet50", "bert-base", "llm-30k"]:
    runs = [json.load(open(p)) for p in sorted(glob.glob(f"{out}/{name}.mem.*.json"))]
    if runs:
        r = min(runs, key=lambda r: r["firstFrameSeconds"])
        full = f"{ms(r['expandedLayoutSeconds'])} ({r['expandedBoxes']})" if r.get("expandedLayoutSeconds") is not None else "-"
        print(f"| {name} | {r['nodes']} | {r['boxes']} | memory {r['width']}x{r['height']} | {ms(r['loadSeconds'])} | {ms(r['analysisSeconds'])} | "
              f"{ms(r['layoutSeconds'])} | {ms(r['renderSeconds'])} | **{ms(r['firstFrameSeconds'])}** | {ms(r['redrawMedianSeconds'])} | "
              f"{ms(r['redrawP90Seconds'])} | {ms(r['redrawMaxSeconds'])} | {full} |")
    p = f"{out}/{name}.tty.json"
    if os.path.exists(p):
        r = json.load(open(p))
        print(f"| {name} | {r['nodes']} | {r['boxes']} | tmux {r['width']}x{r['height']} | {ms(r['loadSeconds'])} | {ms(r['analysisSeconds'])} | "
              f"{ms(r['layoutSeconds'])} | {ms(r['renderSeconds'])} | **{ms(r['firstFrameSeconds'])}** (from process start) | "
              f"{ms(r['redrawMedianSeconds'])} | {ms(r['redrawP90Seconds'])} | {ms(r['redrawMaxSeconds'])} | - |")
PYEOF
