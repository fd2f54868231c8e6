#!/usr/bin/env python3
"""Which ai.onnx opset, IR version and ai.onnx.ml opset each ONNX Runtime release can load,
measured on the real PyPI wheels (not copied from the docs).

    ort_releases.py [CACHE_DIR] [--from 1.10] [--to 1.32] [--details FILE.json]

CACHE_DIR (default /tmp/ort-wheels) keeps the downloaded wheels and the libraries extracted
from them. For every minor release in the range it takes the newest patch release that pip can
download as a manylinux x86_64 wheel, for this Python if such a wheel exists and otherwise for an
older CPython (the wheel is only unzipped, never imported). Output (stdout): two comment lines,
a header row, then one TSV line per release:

    release patch max_opset max_ir max_ml_opset opset_error ir_error ml_error
    identity_max_opset spec_ir_max_opset dev_max_opset

How a release is probed: child processes (a few per release, so a crashing library cannot end
the run; a child that dies is restarted after the model it died on) load the wheel's library
with ctypes and drive ORT's C API directly: OrtGetApiBase() -> GetApi(minor) -> CreateEnv,
CreateSessionOptions, CreateSessionFromArray on small in-memory models (slot numbers from
shared/reference/ort-c-api-slots.md). Wheels that ship onnxruntime/capi/libonnxruntime.so.*
(1.19 and later) are probed through its exported OrtGetApiBase. Older wheels have no such
library: their C API lives, unexported, inside onnxruntime_pybind11_state*.so, so the child
dlopens that file as a plain shared library (no Python import, so the CPython tag does not
matter) and finds the static OrtApiBase struct through the ELF .symtab (1.10-1.12) or, in the
stripped 1.13-1.18 files, by a code/relocation search (Elf.find_api_base_stripped).

The scans test every value of each range (not only up to the first failure) so that a
non-monotonic answer would show up; max_* is the last value of the unbroken run of successes
starting at the low end, and *_error is the message of the first failure, cut to its first
sentence after the source-location prefix ("-" when nothing failed in the range).
  * max_ir: one Identity node at ai.onnx 13, ir_version = M (M = 7..20). Scanned first.
  * max_opset: opset_import ai.onnx = N (N = 7..35), IR = min(the lowest IR the onnx package's
    VERSION_TABLE pairs with opset N, max_ir) so that the IR gate cannot hide the opset gate.
    The model loads if its one node, Identity or (where Identity has no kernel at N) Neg, loads.
  * max_ml_opset: ai.onnx 13 Identity model that also imports ai.onnx.ml = K (K = 1..10), IR =
    min(lowest IR that allows both imports, max_ir).
  * identity_max_opset: the max_opset scan with Identity only.
  * spec_ir_max_opset: the max_opset scan at the onnx package's IR for N, not capped at max_ir.
  * dev_max_opset: the max_opset scan with ALLOW_RELEASED_ONNX_OPSET_ONLY=0 in the environment,
    i.e. without ORT's "released opsets only" gate: how far the bundled onnx schemas reach.
"""
import argparse
import base64
import ctypes
import datetime
import glob
import json
import os
import re
import struct
import subprocess
import sys
import zipfile

PIP = os.path.join(os.path.dirname(os.path.abspath(sys.executable)), "pip")
OPSET_RANGE = range(7, 36)
IR_RANGE = range(7, 21)
ML_RANGE = range(1, 11)

# OrtApi slots (shared/reference/ort-c-api-slots.md); all exist since API 1.
S_GET_ERROR_CODE, S_GET_ERROR_MESSAGE, S_CREATE_ENV = 1, 2, 3
S_CREATE_SESSION_FROM_ARRAY, S_CREATE_SESSION_OPTIONS = 8, 10
S_SET_INTRA_OP_THREADS, S_SET_INTER_OP_THREADS = 24, 25
S_RELEASE_ENV, S_RELEASE_STATUS, S_RELEASE_SESSION, S_RELEASE_SESSION_OPTIONS = 92, 93, 95, 100


# ----------------------------------------------------------------------------------------------
# child: probe one library
# ----------------------------------------------------------------------------------------------

class Elf:
    """The bits of a 64-bit little-endian ELF shared object that api_base needs."""

    def __init__(self, path):
        with open(path, "rb") as f:
            self.data = data = f.read()
        if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
            raise RuntimeError("not a 64-bit little-endian ELF file")
        phoff, shoff = struct.unpack_from("<QQ", data, 0x20)
        phentsize, phnum, shentsize, shnum = struct.unpack_from("<HHHH", data, 0x36)
        # PT_LOAD segments: (p_offset, p_vaddr, p_filesz, executable)
        self.loads = []
        for i in range(phnum):
            p_type, p_flags, p_offset, p_vaddr, _, p_filesz = struct.unpack_from("<IIQQQQ", data, phoff + i * phentsize)
            if p_type == 1:
                self.loads.append((p_offset, p_vaddr, p_filesz, bool(p_flags & 1)))
        self.sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]

    def vaddr(self, offset):
        for p_offset, p_vaddr, p_filesz, _ in self.loads:
            if p_offset <= offset < p_offset + p_filesz:
                return offset - p_offset + p_vaddr
        return None

    def symbols(self, wanted):
        """{key: (name, st_value)} for the first .symtab/.dynsym symbol matching each regex."""
        found = {}
        for sec in self.sections:
            if sec[1] not in (2, 11):  # SHT_SYMTAB, SHT_DYNSYM
                continue
            s_off = self.sections[sec[6]][4]
            for off in range(sec[4], sec[4] + sec[5], 24):
                st_name, _, _, st_shndx, st_value, _ = struct.unpack_from("<IBBHQQ", self.data, off)
                if not st_name or not st_shndx:
                    continue
                end = self.data.index(b"\0", s_off + st_name)
                name = self.data[s_off + st_name:end].decode("latin-1")
                for key, rx in wanted.items():
                    if key not in found and re.search(rx, name):
                        found[key] = (name, st_value)
        return found

    def relative_relocs(self):
        """{r_addend: [r_offset, ...]} of the R_X86_64_RELATIVE entries."""
        out = {}
        for sec in self.sections:
            if sec[1] != 4:  # SHT_RELA
                continue
            for off in range(sec[4], sec[4] + sec[5], 24):
                r_offset, r_info, r_addend = struct.unpack_from("<QQq", self.data, off)
                if r_info & 0xFFFFFFFF == 8:
                    out.setdefault(r_addend, []).append(r_offset)
        return out

    def find_api_base_stripped(self, version):
        """vaddr of OrtApiBase {GetApi, GetVersionString} in a library without symbols: find the
        version string, the function `lea rax,[rip+str]; ret` that returns it, and a relocated
        pointer to that function right after another relocated code pointer. Newer builds also
        keep GetVersionString inside longer function tables; if there are several such places,
        keep the one(s) where no code pointer precedes the pair (the start of a struct)."""
        # (no NUL required in front: the linker may merge the string as the tail of a longer one)
        strings = [m.start() for m in re.finditer(re.escape(version.encode() + b"\0"), self.data)]
        targets = {self.vaddr(o) for o in strings} - {None}
        funcs = set()
        for p_offset, p_vaddr, p_filesz, executable in self.loads:
            if not executable:
                continue
            for m in re.finditer(rb"\x48\x8d\x05(....)\xc3", self.data[p_offset:p_offset + p_filesz], re.S):
                at = p_vaddr + m.start()
                if at + 7 + struct.unpack("<i", m.group(1))[0] in targets:
                    funcs.add(at)
                    funcs.add(at - 4)  # after an endbr64
        relocs = self.relative_relocs()
        code = [(v, v + n) for _, v, n, executable in self.loads if executable]
        code_slots = {off for addend, offs in relocs.items() if any(a <= addend < b for a, b in code)
                      for off in offs}
        hits = sorted({off - 8 for f in funcs for off in relocs.get(f, []) if off - 8 in code_slots})
        if len(hits) > 1:
            hits = [h for h in hits if h - 8 not in code_slots]
        if len(hits) != 1:
            raise RuntimeError("OrtApiBase not found by code/relocation search (%d candidates)" % len(hits))
        return hits[0]


def api_base(path, version):
    """Pointer to OrtApiBase inside the library at `path`, and how it was found."""
    lib = ctypes.CDLL(path, mode=os.RTLD_NOW | os.RTLD_LOCAL)
    try:
        fn = lib.OrtGetApiBase
    except AttributeError:
        fn = None
    if fn is not None:
        fn.restype = ctypes.c_void_p
        fn.argtypes = []
        return fn(), "OrtGetApiBase", lib
    # pybind module: OrtApiBase is a static object. Find its link-time address through .symtab
    # (1.10-1.12 wheels) or, in stripped files (1.13-1.18), by a code/relocation search; the load
    # bias comes from the one exported symbol we can look up by name.
    elf = Elf(path)
    syms = elf.symbols({"base": r"ort_api_base", "anchor": r"^PyInit_onnxruntime_pybind11_state$"})
    if "anchor" not in syms:
        raise RuntimeError("no OrtGetApiBase and no PyInit_onnxruntime_pybind11_state export")
    bias = ctypes.cast(getattr(lib, syms["anchor"][0]), ctypes.c_void_p).value - syms["anchor"][1]
    if "base" in syms:
        return bias + syms["base"][1], "symtab:" + syms["base"][0], lib
    at = elf.find_api_base_stripped(version)
    return bias + at, "search:vaddr 0x%x" % at, lib


def probe_child():
    job = json.load(sys.stdin)
    out = sys.stdout

    def emit(obj):
        out.write(json.dumps(obj) + "\n")
        out.flush()

    base, how, _lib = api_base(job["lib"], job["version"])
    vp = ctypes.c_void_p
    base_slots = (vp * 2).from_address(base)
    get_api = ctypes.CFUNCTYPE(vp, ctypes.c_uint32)(base_slots[0])
    get_version = ctypes.CFUNCTYPE(ctypes.c_char_p)(base_slots[1])
    version = get_version().decode()
    api_ptr = get_api(job["api"])
    emit({"info": {"version_string": version, "api_base_via": how, "api": job["api"], "api_ok": bool(api_ptr)}})
    if not api_ptr:
        return
    table = (vp * 101).from_address(api_ptr)

    def fn(slot, restype, *argtypes):
        return ctypes.CFUNCTYPE(restype, *argtypes)(table[slot])

    get_error_code = fn(S_GET_ERROR_CODE, ctypes.c_int, vp)
    get_error_message = fn(S_GET_ERROR_MESSAGE, ctypes.c_char_p, vp)
    release_status = fn(S_RELEASE_STATUS, None, vp)
    create_env = fn(S_CREATE_ENV, vp, ctypes.c_int, ctypes.c_char_p, ctypes.POINTER(vp))
    create_opts = fn(S_CREATE_SESSION_OPTIONS, vp, ctypes.POINTER(vp))
    set_intra = fn(S_SET_INTRA_OP_THREADS, vp, vp, ctypes.c_int)
    set_inter = fn(S_SET_INTER_OP_THREADS, vp, vp, ctypes.c_int)
    create_session = fn(S_CREATE_SESSION_FROM_ARRAY, vp, vp, ctypes.c_char_p, ctypes.c_size_t, vp, ctypes.POINTER(vp))
    release_session = fn(S_RELEASE_SESSION, None, vp)
    release_opts = fn(S_RELEASE_SESSION_OPTIONS, None, vp)
    release_env = fn(S_RELEASE_ENV, None, vp)

    def check(status, what):
        if status:
            code, msg = get_error_code(status), get_error_message(status).decode("utf-8", "replace")
            release_status(status)
            raise RuntimeError("%s failed (%d): %s" % (what, code, msg))

    env = vp()
    check(create_env(3, b"ort_releases", ctypes.byref(env)), "CreateEnv")  # 3 = ERROR
    opts = vp()
    check(create_opts(ctypes.byref(opts)), "CreateSessionOptions")
    check(set_intra(opts, 1), "SetIntraOpNumThreads")
    check(set_inter(opts, 1), "SetInterOpNumThreads")
    for m in job["models"]:
        data = base64.b64decode(m["b64"])
        session = vp()
        status = create_session(env, data, len(data), opts, ctypes.byref(session))
        if status:
            res = {"key": m["key"], "ok": False, "code": get_error_code(status),
                   "error": get_error_message(status).decode("utf-8", "replace")}
            release_status(status)
        else:
            res = {"key": m["key"], "ok": True}
            release_session(session)
        emit(res)
    release_opts(opts)
    release_env(env)


# ----------------------------------------------------------------------------------------------
# parent: models, wheels, scans
# ----------------------------------------------------------------------------------------------

def min_ir_for(domain, version):
    """Lowest IR the onnx package's VERSION_TABLE pairs with `domain` opset `version`; for a
    version newer than the table knows, the IR of the newest version it knows."""
    import onnx.helper as H
    col = {"": 2, "ai.onnx.ml": 3}[domain]
    version = min(version, max(row[col] for row in H.VERSION_TABLE))
    return min(row[1] for row in H.VERSION_TABLE if row[col] >= version)


def identity_model(ir, imports, op="Identity"):
    import onnx
    import onnx.helper as H
    graph = H.make_graph([H.make_node(op, ["x"], ["y"], name="id")], "g",
                         [H.make_tensor_value_info("x", onnx.TensorProto.FLOAT, [1])],
                         [H.make_tensor_value_info("y", onnx.TensorProto.FLOAT, [1])])
    model = H.make_model(graph, opset_imports=[H.make_opsetid(d, v) for d, v in imports], ir_version=ir,
                         producer_name="ort_releases.py")
    return base64.b64encode(model.SerializeToString()).decode()


def ir_models():
    return [{"key": ["ir", m], "b64": identity_model(m, [("", 13)])} for m in IR_RANGE]


def scan_models(max_ir, prefix=""):
    """Opset and ML scans, IR capped at the release's max IR so that the IR gate cannot hide the
    opset gate. Each opset model also comes as "<kind>_neg", with a Neg node instead of Identity
    (Neg is unchanged since opset 13, so its kernel is always there; ORT 1.15 passes the opset gate
    at 19 but has no Identity-19 kernel). Without prefix also "opset_spec": the uncapped IR the
    onnx package pairs with the opset. Prefix "dev_" marks the copies run with
    ALLOW_RELEASED_ONNX_OPSET_ONLY=0."""
    models = []
    for n in OPSET_RANGE:
        ir = min_ir_for("", n)
        kinds = [(prefix + "opset", min(ir, max_ir))] + ([("opset_spec", ir)] if not prefix else [])
        for kind, kind_ir in kinds:
            for op, suffix in (("Identity", ""), ("Neg", "_neg")):
                models.append({"key": [kind + suffix, n], "b64": identity_model(kind_ir, [("", n)], op)})
    for k in ML_RANGE:
        ir = max(min_ir_for("", 13), min_ir_for("ai.onnx.ml", k))
        models.append({"key": [prefix + "ml", k],
                       "b64": identity_model(min(ir, max_ir), [("", 13), ("ai.onnx.ml", k)])})
    return models


def python_versions():
    here = "%d.%d" % sys.version_info[:2]
    others = ["3.%d" % v for v in range(sys.version_info[1] - 1, 6, -1)]
    return [here] + others


def available_versions(pyver):
    cmd = [PIP, "index", "versions", "onnxruntime", "--only-binary=:all:", "--disable-pip-version-check"]
    if pyver != "%d.%d" % sys.version_info[:2]:
        cmd += ["--python-version", pyver]
    out = subprocess.run(cmd, capture_output=True, text=True).stdout
    m = re.search(r"Available versions: (.*)", out)
    return [v.strip() for v in m.group(1).split(",")] if m else []


def vkey(v):
    return tuple(int(x) for x in v.split("."))


def resolve_releases(lo, hi):
    """{minor: (newest patch, python version whose wheel list has it)}."""
    best = {}
    for pyver in python_versions():
        for v in available_versions(pyver):
            if not re.fullmatch(r"\d+\.\d+\.\d+", v):
                continue
            major, minor, _ = vkey(v)
            if major != 1 or not lo <= minor <= hi:
                continue
            if minor not in best or vkey(v) > vkey(best[minor][0]):
                best[minor] = (v, pyver)
    return best


def fetch_wheel(version, pyver, cache):
    pattern = os.path.join(cache, "onnxruntime-%s-*manylinux*x86_64*.whl" % version)
    hits = sorted(glob.glob(pattern))
    if not hits:
        cmd = [PIP, "download", "onnxruntime==" + version, "--no-deps", "--only-binary=:all:", "-d", cache,
               "--disable-pip-version-check", "-q"]
        if pyver != "%d.%d" % sys.version_info[:2]:
            cmd += ["--python-version", pyver]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        hits = sorted(glob.glob(pattern))
    if not hits:
        raise RuntimeError("pip downloaded no manylinux x86_64 wheel for onnxruntime==" + version)
    return hits[0]


def extract_library(wheel, version, cache):
    """Path of the library to probe: libonnxruntime.so.* if the wheel has one, else the pybind module."""
    dest = os.path.join(cache, "lib-" + version)
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
        libs = [n for n in names if re.fullmatch(r"onnxruntime/capi/libonnxruntime\.so(\.[\d.]+)?", n)]
        if not libs:
            libs = [n for n in names if re.fullmatch(r"onnxruntime/capi/onnxruntime_pybind11_state[^/]*\.so", n)]
        if not libs:
            raise RuntimeError("wheel has neither libonnxruntime.so nor the pybind module")
        name = sorted(libs, key=len)[-1]
        path = os.path.join(dest, os.path.basename(name))
        if not os.path.exists(path):
            os.makedirs(dest, exist_ok=True)
            with z.open(name) as src, open(path + ".part", "wb") as dst:
                dst.write(src.read())
            os.rename(path + ".part", path)
    return path


def run_probe(lib, version, models, extra_env=None):
    """Run the child; restart it after the model it died on, so one crash costs one model."""
    results, info, pending = {}, None, list(models)
    env = dict(os.environ, OMP_NUM_THREADS="1", **(extra_env or {}))
    while pending:
        job = json.dumps({"lib": lib, "version": version, "api": vkey(version)[1], "models": pending})
        proc = subprocess.run([sys.executable, os.path.abspath(__file__), "--probe"], input=job,
                              capture_output=True, text=True, timeout=900, env=env)
        done = set()
        for line in proc.stdout.splitlines():
            obj = json.loads(line)
            if "info" in obj:
                info = obj["info"]
            else:
                results[tuple(obj["key"])] = obj
                done.add(tuple(obj["key"]))
        if info is None or not info["api_ok"]:
            return info, results, proc.stderr[-2000:]
        pending = [m for m in pending if tuple(m["key"]) not in done]
        if pending and proc.returncode == 0:
            break
        if pending:  # child died on pending[0]
            crashed = pending.pop(0)
            results[tuple(crashed["key"])] = {"key": crashed["key"], "ok": False, "code": None,
                                              "error": "child process died (rc %d): %s" % (
                                                  proc.returncode, proc.stderr.strip()[-300:])}
    return info, results, None


def short(msg):
    """First sentence of an ORT error, without the 'Failed to load model with error:' and the
    '<file>:<line> <C++ signature>' prefixes."""
    if not msg:
        return ""
    text = " ".join(msg.split())
    text = re.sub(r"^\[ONNXRuntimeError\] : \d+ : \w+ : ", "", text)
    m = re.search(r"\S+\.(?:cc|h|cpp|hpp):\d+ ", text)
    if m:
        rest = text[m.end():].replace("(anonymous namespace)", "anon")
        start, depth, end = rest.find("("), 0, None
        for j in range(max(start, 0), len(rest)):
            if rest[j] == "(":
                depth += 1
            elif rest[j] == ")":
                depth -= 1
                if depth == 0:
                    end = j + 1
                    break
        if start >= 0 and end:
            rest = re.sub(r"^( const\b| \[with [^\]]*\])*", "", rest[end:])
        text = rest.strip()
    else:
        text = re.sub(r"^(Failed to load model with error|Load model from memory failed) ?: ?", "", text)
    m = re.match(r"(.+?[.!?])(\s|$)", text)
    return (m.group(1) if m else text).replace("\t", " ")


def merge_ops(results, kind):
    """results[(kind + "_any", n)]: the opset-n model loads with Identity or with Neg. When both
    fail, keep the error that names the opset (the gate), else Identity's."""
    for n in OPSET_RANGE:
        a, b = results.get((kind, n)), results.get((kind + "_neg", n))
        if a is None or b is None:
            continue
        if a["ok"] or b["ok"]:
            results[(kind + "_any", n)] = {"key": [kind + "_any", n], "ok": True,
                                           "via": "Identity" if a["ok"] else "Neg"}
        else:
            err = a if "opset" in a["error"] or "opset" not in b["error"] else b
            results[(kind + "_any", n)] = dict(err, key=[kind + "_any", n])


def summarize(results, kind, values):
    """(max of the unbroken run of successes from the low end, first failure, successes after it)."""
    best, first_fail, later = None, None, []
    for v in values:
        r = results.get((kind, v))
        if r is None:
            continue
        if r["ok"]:
            if first_fail is None:
                best = v
            else:
                later.append(v)
        elif first_fail is None:
            first_fail = r
    return best, first_fail, later


COLUMNS = ["release", "patch", "max_opset", "max_ir", "max_ml_opset", "opset_error", "ir_error", "ml_error",
           "identity_max_opset", "spec_ir_max_opset", "dev_max_opset"]


def row(*cols):
    cols = [str(c) for c in cols]
    return "\t".join(cols + ["-"] * (len(COLUMNS) - len(cols)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("cache", nargs="?", default="/tmp/ort-wheels")
    ap.add_argument("--from", dest="lo", default="1.10")
    ap.add_argument("--to", dest="hi", default="1.32")
    ap.add_argument("--details", help="also write every probe result as JSON to this file")
    args = ap.parse_args()
    os.makedirs(args.cache, exist_ok=True)
    lo, hi = int(args.lo.split(".")[1]), int(args.hi.split(".")[1])
    releases = resolve_releases(lo, hi)
    details = {}
    mapping = ", ".join("1.%d -> %s" % (k, releases[k][0]) for k in sorted(releases))
    print("# generated by ort_releases.py on %s from the wheels: %s" % (datetime.date.today().isoformat(), mapping))
    print("# probed with ctypes through ORT's C API (GetApi(minor), CreateSessionFromArray on one-node models);"
          " max_opset: highest opset whose one-Identity (or, if Identity has no kernel there, one-Neg) model"
          " loads, at IR min(onnx's IR for that opset, max_ir); max_ml_opset: ai.onnx 13 Identity model importing"
          " ai.onnx.ml K; identity_max_opset: Identity only; spec_ir_max_opset: max_opset's scan at onnx's IR for"
          " the opset, uncapped; dev_max_opset: max_opset's scan with ALLOW_RELEASED_ONNX_OPSET_ONLY=0")
    print("\t".join(COLUMNS))
    sys.stdout.flush()
    for minor in range(lo, hi + 1):
        rel = "1.%d" % minor
        if minor not in releases:
            print(row(rel, "-", "-", "-", "-", "no manylinux x86_64 wheel on the index"))
            continue
        version, pyver = releases[minor]
        try:
            wheel = fetch_wheel(version, pyver, args.cache)
            lib = extract_library(wheel, version, args.cache)
            info, results, err = run_probe(lib, version, ir_models())
            if info and info["api_ok"]:
                max_ir = summarize(results, "ir", IR_RANGE)[0] or IR_RANGE[0]
                results.update(run_probe(lib, version, scan_models(max_ir))[1])
                # ORT's "released opsets only" gate is the env var ALLOW_RELEASED_ONNX_OPSET_ONLY
                # (default 1); with it off we see how far the bundled onnx schemas reach.
                results.update(run_probe(lib, version, scan_models(max_ir, "dev_"),
                                         {"ALLOW_RELEASED_ONNX_OPSET_ONLY": "0"})[1])
        except Exception as e:  # noqa: BLE001 - one release must not stop the table
            print(row(rel, version, "-", "-", "-", "probe failed: %s" % short(str(e))))
            continue
        if info is None or not info["api_ok"]:
            why = "GetApi(%d) returned NULL" % minor if info else "child failed: " + (err or "")[-200:]
            print(row(rel, version, "-", "-", "-", short(why)))
            details[rel] = {"patch": version, "info": info, "stderr": err}
            continue
        if info["version_string"] != version:
            print(row(rel, version, "-", "-", "-", "library reports version %s" % info["version_string"]))
            continue
        for kind in ("opset", "opset_spec", "dev_opset"):
            merge_ops(results, kind)
        summary = {}
        for kind, values in (("opset_any", OPSET_RANGE), ("ir", IR_RANGE), ("ml", ML_RANGE),
                             ("opset", OPSET_RANGE), ("opset_neg", OPSET_RANGE), ("opset_spec_any", OPSET_RANGE),
                             ("dev_opset_any", OPSET_RANGE), ("dev_ml", ML_RANGE)):
            best, fail, later = summarize(results, kind, values)
            summary[kind] = {"max": best, "first_failure": fail, "accepted_after_failure": later}
        details[rel] = {"patch": version, "wheel": os.path.basename(wheel), "library": os.path.basename(lib),
                        "info": info, "summary": summary,
                        "results": {"%s=%s" % k: v for k, v in sorted(results.items())}}
        def mx(k):
            return summary[k]["max"] if summary[k]["max"] is not None else "-"

        print(row(rel, version, mx("opset_any"), mx("ir"), mx("ml"),
                  *[short((summary[k]["first_failure"] or {}).get("error")) or "-" for k in ("opset_any", "ir", "ml")],
                  mx("opset"), mx("opset_spec_any"), mx("dev_opset_any")))
        sys.stdout.flush()
    if args.details:
        with open(args.details, "w") as f:
            json.dump(details, f, indent=1, sort_keys=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--probe"]:
        probe_child()
    else:
        main()
