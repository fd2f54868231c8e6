import Foundation
@testable import OnnxGraph
import OnnxModel
import Testing

/// The generated tables behind validation, re-derived from the installed onnx and
/// onnxruntime packages: they must not drift from the tools `info` claims to agree with.
@Suite("Operator tables and runtime releases match the installed onnx and ONNX Runtime")
struct OperatorSchemaTests {
    /// The same derivation that generated `OperatorSchemas.swift`, printed as JSON.
    static let derive = """
        import json, collections, onnx, onnx.defs as D, onnxruntime as ort
        import onnxruntime.capi._pybind_state as C
        ops = collections.defaultdict(list)
        for s in D.get_all_schemas_with_history():
            if s.domain in ("", "ai.onnx.ml"):
                ops[(s.domain, s.name)].append(-s.since_version if s.deprecated else s.since_version)
        onnx_names = {n for (d, n) in ops if d == ""}
        schemas = C.get_all_operator_schema()
        extras = collections.defaultdict(set)
        for x in schemas:
            if x.domain == "" and x.name not in onnx_names: extras[x.name].add(x.since_version)
        ranges = collections.defaultdict(list)
        for k in C.get_all_opkernel_def():
            if k.provider == "CPUExecutionProvider": ranges[(k.domain, k.op_name)].append(tuple(k.version_range))
        gaps = collections.defaultdict(list)
        for s in D.get_all_schemas_with_history():
            if s.domain not in ("", "ai.onnx.ml") or s.deprecated or s.name == "Constant": continue
            if not any(a <= s.since_version <= b for a, b in ranges.get((s.domain, s.name), [])) \\
                    and not (s.has_function or s.has_context_dependent_function):
                gaps[(s.domain, s.name)].append(s.since_version)
        table = lambda d: {n: sorted(v, key=abs) for (dd, n), v in ops.items() if dd == d}
        print(json.dumps({
            "ort": ort.__version__,
            "onnx": table(""), "onnx_ml": table("ai.onnx.ml"),
            "runtime_only": {n: sorted(v) for n, v in extras.items()},
            "gaps": {n: sorted(v) for (d, n), v in gaps.items() if d == ""},
            "ml_gaps": sorted(n for (d, n) in gaps if d == "ai.onnx.ml"),
            "microsoft": sorted({x.name for x in schemas if x.domain == "com.microsoft"}),
            "nchwc": sorted({x.name for x in schemas if x.domain == "com.microsoft.nchwc"}),
        }))
        """

    func expectSame(_ ours: [String: [Int]], _ theirs: Any?, _ what: String) {
        let theirs = (theirs as? [String: [Int]]) ?? [:]
        for name in Set(ours.keys).union(theirs.keys).sorted() where ours[name] != theirs[name] {
            Issue.record("\(what)[\"\(name)\"]: table has \(ours[name].map { "\($0)" } ?? "nothing"), the packages say \(theirs[name].map { "\($0)" } ?? "nothing")")
        }
    }

    @Test("operator versions, extensions, kernel gaps and contrib ops")
    func tables() throws {
        let ref = try ReferencePython.json(Self.derive) as! [String: Any]
        expectSame(OperatorSchemas.onnx, ref["onnx"], "onnx")
        expectSame(OperatorSchemas.onnxML, ref["onnx_ml"], "onnxML")
        expectSame(OperatorSchemas.runtimeOnlyDefault, ref["runtime_only"], "runtimeOnlyDefault")
        expectSame(OperatorSchemas.cpuKernelGaps, ref["gaps"], "cpuKernelGaps")
        #expect((ref["ml_gaps"] as? [String]) == [], "ai.onnx.ml versions without CPU kernels appeared; the check only knows ai.onnx gaps")
        #expect(OperatorSchemas.microsoft == Set(ref["microsoft"] as? [String] ?? []))
        #expect(OperatorSchemas.microsoftNCHWc == Set(ref["nchwc"] as? [String] ?? []))
    }

    @Test("the newest release in the table is the installed ONNX Runtime")
    func newestRelease() throws {
        let version = try #require(String(data: ReferencePython.run("import onnxruntime; print(onnxruntime.__version__)"), encoding: .utf8))
        let parts = version.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").compactMap { Int($0) }
        #expect(parts.prefix(2) == [RuntimeRelease.newestKnown.major, RuntimeRelease.newestKnown.minor],
                "installed onnxruntime \(version): add its row to RuntimeRelease.known (ValidationCrossCheckTests checks its limits)")
    }

    @Test("releases are in order and never lower a limit")
    func releaseOrder() {
        for (a, b) in zip(RuntimeRelease.known, RuntimeRelease.known.dropFirst()) {
            #expect((a.major, a.minor) < (b.major, b.minor))
            #expect(a.maxIRVersion <= b.maxIRVersion && a.maxOpset <= b.maxOpset && a.maxMLOpset <= b.maxMLOpset, "\(a) → \(b)")
        }
    }

    /// `y = Relu(x)` at the given versions.
    func reluModel(opset: Int64, ir: Int64) -> Model {
        var b = GraphBuilder(name: "main", opset: opset, irVersion: ir)
        b.input("x", .float, [.value(2)])
        b.node("Relu", ["x"], name: "relu", outputNames: ["y"])
        b.output("y", .float, [.value(2)])
        return b.model()
    }

    @Test("validating against an older release names the first one that loads the model")
    func olderRuntime() throws {
        let old = try #require(RuntimeRelease.known.first { $0.major == 1 && $0.minor == 20 })
        #expect(RuntimeRelease.firstSupporting(domain: "", version: 22)?.description == "1.21")
        #expect(RuntimeRelease.firstSupporting(ir: 11)?.description == "1.23")
        #expect(RuntimeRelease.firstSupporting(domain: "com.example", version: 1) == nil)
        var m = reluModel(opset: 22, ir: 10)
        var v = ModelValidation(model: m, index: GraphIndex(model: m), runtime: old).problems
        #expect(v.contains { $0.kind == .opsetImport && $0.message == "opset 22 of ai.onnx needs ONNX Runtime 1.21 or newer; 1.20 loads up to opset 21" }, "\(v.map(\.message))")
        m = reluModel(opset: 21, ir: 11)
        v = ModelValidation(model: m, index: GraphIndex(model: m), runtime: old).problems
        #expect(v.contains { $0.kind == .irVersion && $0.message == "ir_version 11 needs ONNX Runtime 1.23 or newer; 1.20 loads up to IR 10" }, "\(v.map(\.message))")
        #expect(ModelValidation(model: m, index: GraphIndex(model: m)).problems.isEmpty)
    }
}
