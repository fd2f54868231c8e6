"""onnxscope --mode dynamic vs ORT's quantize_dynamic (default, and per_channel=True) on one model:
size and output SQNR over held-out .npz samples, all in one process.

Usage: .venv/bin/python Benchmarks/quantize/dynamic_vs_ort.py FLOAT.onnx EVAL_DIR  (expects /tmp/minilm-dyn.onnx from
  onnxscope quantize --mode dynamic FLOAT.onnx -o /tmp/minilm-dyn.onnx)
"""
import sys, glob, numpy as np, onnxruntime as ort, os
from onnxruntime.quantization import quantize_dynamic, QuantType
src=sys.argv[1]; ev=sys.argv[2]
outs={}
for pc in [False, True]:
    o=f"/tmp/ortdyn_pc{int(pc)}.onnx"
    quantize_dynamic(src,o,weight_type=QuantType.QInt8,per_channel=pc)
    outs[pc]=o
files=sorted(glob.glob(ev+"/*.npz"))
def run(path):
    s=ort.InferenceSession(path,providers=["CPUExecutionProvider"])
    names=[o.name for o in s.get_outputs()]
    res=[]
    for f in files:
        d=dict(np.load(f)); feeds={i.name:d[i.name] for i in s.get_inputs()}
        res.append(s.run(None,feeds))
    return names,res
names,ref=run(src)
for p in ["/tmp/minilm-dyn.onnx", outs[False], outs[True]]:
    _,q=run(p)
    line=[os.path.basename(p), f"{os.path.getsize(p)/1e6:.1f}MB"]
    for k,n in enumerate(names):
        sig=sum(float((r[k].astype(np.float64)**2).sum()) for r in ref)
        noise=sum(float(((r[k].astype(np.float64)-qq[k])**2).sum()) for r,qq in zip(ref,q))
        line.append(f"{n}: {10*np.log10(sig/noise):.1f} dB")
    print("  ".join(line))
