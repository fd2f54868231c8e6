"""Prints the CPU EP kernel table of the installed onnxruntime as the text `CPUKernelTable.swift` holds.

Lines (sorted, one fact each):
  K domain op start end constraints   a CPU kernel for versions start..end (end `*` = open);
                                      constraints `T=1,10;T1=7` are ONNX element types (DataType raw
                                      values) per type-constraint name; `T=?` when it admits
                                      non-tensor types (sequences, optionals) onnxscope does not check.
  P domain op since inputs outputs    the schema's formal parameters by type-constraint name, `-` for a
                                      fixed type, a trailing `*` for variadic; `.` for none.
  S domain op since constraints       the schema version's own type constraints (as in K lines): a
                                      type outside them makes the model invalid.
  F domain op since                   the schema version has a function body (ORT inlines it when no
                                      kernel matches).
Domain `ai.onnx` stands for the default domain.

Usage: python cpu_kernels.py  (CPUKernelTableTests runs it and compares with the committed table.)
"""
import collections
import onnx
import onnx.defs as D
import onnxruntime as ort
import onnxruntime.capi._pybind_state as C

TYPES = {f"tensor({n})": v for n, v in [
    ("float", 1), ("uint8", 2), ("int8", 3), ("uint16", 4), ("int16", 5), ("int32", 6), ("int64", 7),
    ("string", 8), ("bool", 9), ("float16", 10), ("double", 11), ("uint32", 12), ("uint64", 13),
    ("complex64", 14), ("complex128", 15), ("bfloat16", 16), ("float8e4m3fn", 17), ("float8e4m3fnuz", 18),
    ("float8e5m2", 19), ("float8e5m2fnuz", 20), ("uint4", 21), ("int4", 22), ("float4e2m1", 23),
    ("float8e8m0", 24), ("uint2", 25), ("int2", 26), ("float6e2m3", 27), ("float6e3m2", 28)]}


def dom(d):
    return d or "ai.onnx"


def constraint_text(tc):
    parts = []
    for name in sorted(tc):
        types = tc[name]
        if any(t not in TYPES for t in types):
            parts.append(f"{name}=?")
        else:
            parts.append(f"{name}=" + ",".join(str(v) for v in sorted({TYPES[t] for t in types})))
    return ";".join(parts) or "."


def main():
    kernels = [k for k in C.get_all_opkernel_def() if k.provider == "CPUExecutionProvider"]
    # Typed registrations of one op and version range that constrain only the same single
    # name are one kernel with the union of types; anything else stays a separate alternative.
    grouped = collections.defaultdict(list)
    for k in kernels:
        grouped[(dom(k.domain), k.op_name, tuple(k.version_range))].append(dict(k.type_constraints))
    lines = set()
    for (d, op, (a, b)), defs in grouped.items():
        keys = {tuple(sorted(t)) for t in defs}
        if len(keys) == 1 and len(next(iter(keys))) == 1:
            name = next(iter(keys))[0]
            merged = {name: sorted({t for x in defs for t in x[name]})}
            defs = [merged]
        end = "*" if b >= 2**31 - 1 else str(b)
        for tc in defs:
            lines.add(f"K {d} {op} {a} {end} {constraint_text(tc)}")
    ops = {(d, op) for (d, op, _) in grouped}

    def params(formals, constraints):
        out = []
        for f in formals:
            ts = f.type_str if hasattr(f, "type_str") else f.typeStr
            variadic = str(f.option).endswith("Variadic") or f.option == 2
            out.append((ts if ts in constraints else "-") + ("*" if variadic else ""))
        return ",".join(out) or "."

    for s in D.get_all_schemas_with_history():
        if (dom(s.domain), s.name) not in ops and not (s.has_function or s.has_context_dependent_function):
            continue
        names = {c.type_param_str for c in s.type_constraints}
        lines.add(f"P {dom(s.domain)} {s.name} {s.since_version} {params(s.inputs, names)} {params(s.outputs, names)}")
        schema_types = {c.type_param_str: list(c.allowed_type_strs) for c in s.type_constraints}
        lines.add(f"S {dom(s.domain)} {s.name} {s.since_version} {constraint_text(schema_types)}")
        if s.has_function or s.has_context_dependent_function:
            lines.add(f"F {dom(s.domain)} {s.name} {s.since_version}")
    onnx_domains = {"", "ai.onnx.ml"}
    for s in C.get_all_operator_schema():
        if s.domain in onnx_domains or (dom(s.domain), s.name) not in ops:
            continue
        names = {c.type_param_str for c in s.type_constraints}
        lines.add(f"P {dom(s.domain)} {s.name} {s.since_version} {params(s.inputs, names)} {params(s.outputs, names)}")
        schema_types = {c.type_param_str: list(c.allowed_type_strs) for c in s.type_constraints}
        lines.add(f"S {dom(s.domain)} {s.name} {s.since_version} {constraint_text(schema_types)}")
    print(f"# onnxruntime {ort.__version__}, onnx {onnx.__version__}")
    for line in sorted(lines):
        print(line)


if __name__ == "__main__":
    main()
