#!/usr/bin/env bash
# onnxscope's int8 models beside ORT's quantizer on the same data, measured in one process per
# model family (evaluate.py: latency interleaved round by round, SQNR / top-1 against float).
#   Benchmarks/quantize/compare.sh [RESNET50_MODEL]    (default samples/resnet50.onnx)
# Needs `make release quant-data` and Benchmarks/quantize/run_reference.sh run first (the ORT
# int8 models in .models/ort-ref/). Writes onnxscope's models and reports to .models/ours/.
set -euo pipefail
cd "$(dirname "$0")/../.."
B=.build/release/onnxscope; P=.venv/bin/python; E=Benchmarks/quantize/evaluate.py
Q=.models/quant; O=.models/ort-ref; U=.models/ours; T=${THREADS:-2}
RESNET=${1:-samples/resnet50.onnx}
mkdir -p $U
q() { # MODEL SET OUT [options…]: quantize, timed, report beside it
  local model=$1 set=$2 out=$3; shift 3
  /usr/bin/time -f "$out: %e s wall, %M KB max RSS" $B quantize "$model" -o $U/$out.onnx \
    --calibration $Q/$set/calib --eval $Q/$set/eval --threads $T --no-cache --report $U/$out.report.json "$@" > $U/$out.txt
}
q "$RESNET" resnet50-sample resnet50
q .models/nudenet-320n.onnx nudenet-320n nudenet-320n
q .models/ch_ppocr_mobile_v2.0_cls_infer.onnx ppocr-mobile-v2-cls ppocr-cls
q .models/ch_ppocr_mobile_v2.0_cls_infer.onnx ppocr-mobile-v2-cls ppocr-cls-speed --speed-check
q .models/magika-standard_v3_3.onnx magika magika
q .models/magika-standard_v3_3.onnx magika magika-sqnr30 --target-sqnr 30
q .models/all-MiniLM-L6-v2.onnx minilm-l6-v2 minilm-dynamic --mode dynamic

$P $E "$RESNET" $O/resnet50.u8s8.onnx $U/resnet50.onnx --label float --label "ORT u8s8" --label onnxscope \
  --eval $Q/resnet50-sample/eval --threads $T --runs 100 --json $U/eval-resnet50.json
$P $E .models/nudenet-320n.onnx $O/nudenet-320n.u8s8.onnx $U/nudenet-320n.onnx --label float --label "ORT u8s8" \
  --label onnxscope --top1 output0=yolo --eval $Q/nudenet-320n/eval --threads $T --runs 200 --json $U/eval-nudenet-320n.json
$P $E .models/ch_ppocr_mobile_v2.0_cls_infer.onnx $O/ch_ppocr_mobile_v2.0_cls_infer.opset13.s8s8.onnx \
  $O/ch_ppocr_mobile_v2.0_cls_infer.opset13.u8s8.onnx $U/ppocr-cls.onnx $U/ppocr-cls-speed.onnx \
  --label float --label "ORT s8s8 (opset 13)" --label "ORT u8s8 (opset 13)" --label onnxscope --label "onnxscope --speed-check" --eval $Q/ppocr-mobile-v2-cls/eval --threads $T --runs 400 \
  --json $U/eval-ppocr-cls.json
$P $E .models/magika-standard_v3_3.onnx $O/magika-standard_v3_3.convmatmul.u8s8.onnx $U/magika.onnx $U/magika-sqnr30.onnx \
  --label float --label "ORT u8s8, Conv/MatMul/Gemm" --label onnxscope --label "onnxscope --target-sqnr 30" \
  --eval $Q/magika/eval --threads $T --runs 400 --json $U/eval-magika.json
$P $E .models/all-MiniLM-L6-v2.onnx $O/all-MiniLM-L6-v2.dynamic.onnx $U/minilm-dynamic.onnx --label float \
  --label "ORT dynamic" --label "onnxscope dynamic" --top1 sentence_embedding=none --eval $Q/minilm-l6-v2/eval \
  --threads $T --runs 200 --json $U/eval-minilm.json
