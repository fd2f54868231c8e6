#!/usr/bin/env bash
# ORT's own quantizer on the quant-data sets, then float vs int8 side by side (ORT_REFERENCE.md).
#   Benchmarks/quantize/run_reference.sh [RESNET50_MODEL]   (default samples/resnet50.onnx)
# Needs `make quant-data`; writes the int8 models and JSON into .models/ort-ref/.
set -euo pipefail
cd "$(dirname "$0")/../.."
P=.venv/bin/python; R=Benchmarks/quantize/ort_reference.py; E=Benchmarks/quantize/evaluate.py
Q=.models/quant; O=.models/ort-ref; T=${THREADS:-2}
RESNET=${1:-samples/resnet50.onnx}
mkdir -p $O

# 1. quantize (each recipe: quant_pre_process + quantize_static / quantize_dynamic, timed)
$P $R "$RESNET" --calib $Q/resnet50-sample/calib --eval $Q/resnet50-sample/eval --out $O --json $O/resnet50.ref.json
$P $R .models/nudenet-320n.onnx --top1 output0=yolo --calib $Q/nudenet-320n/calib --eval $Q/nudenet-320n/eval --out $O --json $O/nudenet-320n.ref.json
$P $R .models/nudenet-320n.onnx --top1 output0=yolo --nodes-to-exclude /model.22/Concat_25 --suffix .noconcat --calib $Q/nudenet-320n/calib --eval $Q/nudenet-320n/eval --out $O --json $O/nudenet-320n-noconcat.ref.json
$P $R .models/all-MiniLM-L6-v2.onnx --dynamic --top1 sentence_embedding=none --calib $Q/minilm-l6-v2/calib --eval $Q/minilm-l6-v2/eval --out $O --json $O/minilm.ref.json
$P $R .models/all-MiniLM-L6-v2.onnx --op-types MatMul --suffix .matmul --top1 sentence_embedding=none --calib $Q/minilm-l6-v2/calib --eval $Q/minilm-l6-v2/eval --out $O --json $O/minilm-matmul.ref.json
$P $R .models/ch_ppocr_mobile_v2.0_cls_infer.onnx --calib $Q/ppocr-mobile-v2-cls/calib --eval $Q/ppocr-mobile-v2-cls/eval --out $O --json $O/ppocr-cls.ref.json
$P $R .models/ch_ppocr_mobile_v2.0_cls_infer.onnx --opset 13 --calib $Q/ppocr-mobile-v2-cls/calib --eval $Q/ppocr-mobile-v2-cls/eval --out $O --json $O/ppocr-cls-opset13.ref.json
$P $R .models/magika-standard_v3_3.onnx --calib $Q/magika/calib --eval $Q/magika/eval --out $O --json $O/magika.ref.json
$P $R .models/magika-standard_v3_3.onnx --extra-option QDQDisableWeightAdjustForInt32Bias=true --calib $Q/magika/calib --eval $Q/magika/eval --out $O --json $O/magika-noadjust.ref.json
$P $R .models/magika-standard_v3_3.onnx --op-types Conv,MatMul,Gemm --extra-option QDQDisableWeightAdjustForInt32Bias=true --suffix .convmatmul --calib $Q/magika/calib --eval $Q/magika/eval --out $O --json $O/magika-convmatmul.ref.json

# 2. evaluate: latency interleaved in one process per model family, accuracy vs float
$P $E "$RESNET" $O/resnet50.s8s8.onnx $O/resnet50.u8s8.onnx --label float --label "ORT s8s8" --label "ORT u8s8" \
  --eval $Q/resnet50-sample/eval --threads $T --runs 100 --json $O/eval-resnet50.json
$P $E .models/nudenet-320n.onnx $O/nudenet-320n.s8s8.onnx $O/nudenet-320n.u8s8.onnx $O/nudenet-320n.noconcat.s8s8.onnx \
  --label float --label "ORT s8s8" --label "ORT u8s8" --label "ORT s8s8, last Concat float" --top1 output0=yolo \
  --eval $Q/nudenet-320n/eval --threads $T --runs 200 --json $O/eval-nudenet-320n.json
$P $E .models/all-MiniLM-L6-v2.onnx $O/all-MiniLM-L6-v2.s8s8.onnx $O/all-MiniLM-L6-v2.u8s8.onnx $O/all-MiniLM-L6-v2.dynamic.onnx \
  $O/all-MiniLM-L6-v2.matmul.s8s8.onnx --label float --label "ORT s8s8" --label "ORT u8s8" --label "ORT dynamic" \
  --label "ORT s8s8, MatMul only" --top1 sentence_embedding=none \
  --eval $Q/minilm-l6-v2/eval --threads $T --runs 200 --json $O/eval-minilm.json
$P $E .models/ch_ppocr_mobile_v2.0_cls_infer.onnx $O/ch_ppocr_mobile_v2.0_cls_infer.opset13.s8s8.onnx \
  $O/ch_ppocr_mobile_v2.0_cls_infer.opset13.u8s8.onnx --label float --label "ORT s8s8 (opset 13)" --label "ORT u8s8 (opset 13)" \
  --eval $Q/ppocr-mobile-v2-cls/eval --threads $T --runs 400 --json $O/eval-ppocr-cls.json
$P $E .models/magika-standard_v3_3.onnx $O/magika-standard_v3_3.extra.u8s8.onnx $O/magika-standard_v3_3.convmatmul.u8s8.onnx \
  --label float --label "ORT u8s8, QDQDisableWeightAdjustForInt32Bias" --label "ORT u8s8, that + Conv/MatMul/Gemm only" --eval $Q/magika/eval --threads $T --runs 400 --json $O/eval-magika.json
