import Foundation
import Testing
import OnnxModel
@testable import OnnxGraph

/// The repository root, from this file's path (Tests/OnnxGraphTests/<file>).
private let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// One dim as ONNX reports it: a number, a symbol, or nothing.
private enum OnnxDim: Equatable { case value(Int64), param(String), unknown }

/// Runs `onnx.shape_inference.infer_shapes` (with data propagation, so Shape→Reshape chains
/// resolve as far as ONNX can) and returns every typed value's dims by name.
private func onnxShapes(of model: Model, name: String) throws -> [String: [OnnxDim]?] {
    let python = repoRoot.appendingPathComponent(".venv/bin/python").path
    guard FileManager.default.isExecutableFile(atPath: python) else {
        throw CrossCheckError("no Python venv at \(python): run `make venv` in \(repoRoot.path) first")
    }
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("onnxgraph-crosscheck-\(getpid())-\(name)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("\(name).onnx").path
    try model.write(to: path)
    let script = """
    import json, sys, onnx
    from onnx import shape_inference
    m = shape_inference.infer_shapes(onnx.load(sys.argv[1]), strict_mode=True, data_prop=True)
    out = {}
    def walk(g):
        for v in list(g.input) + list(g.value_info) + list(g.output):
            t = v.type.tensor_type
            if not v.type.HasField("tensor_type"):
                continue
            if not t.HasField("shape"):
                out[v.name] = None
                continue
            out[v.name] = [d.dim_value if d.HasField("dim_value") else (d.dim_param if d.HasField("dim_param") else None) for d in t.shape.dim]
        for n in g.node:
            for a in n.attribute:
                if a.HasField("g"): walk(a.g)
                for s in a.graphs: walk(s)
    walk(m.graph)
    print(json.dumps(out))
    """
    let p = Process()
    p.executableURL = URL(fileURLWithPath: python)
    p.arguments = ["-c", script, path]
    let stdout = Pipe(), stderr = Pipe()
    p.standardOutput = stdout
    p.standardError = stderr
    try p.run()
    let data = stdout.fileHandleForReading.readDataToEndOfFile()
    let err = stderr.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    guard p.terminationStatus == 0 else {
        throw CrossCheckError("onnx shape inference failed: \(String(decoding: err, as: UTF8.self))")
    }
    guard let json = try JSONSerialization.jsonObject(with: data) as? [String: Any] else { throw CrossCheckError("bad JSON") }
    var result: [String: [OnnxDim]?] = [:]
    for (k, v) in json {
        guard let dims = v as? [Any] else { result[k] = .some(nil); continue }
        result[k] = dims.map { d in
            if let s = d as? String { return .param(s) }
            if let n = d as? NSNumber { return .value(n.int64Value) }
            return .unknown
        }
    }
    return result
}

private struct CrossCheckError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

@Suite("Cross-check with onnx.shape_inference")
struct OnnxCrossCheckTests {
    /// Symbols of the inputs; ONNX keeps them, and invents `unk__N` for anything it derives.
    static let inputSymbols: Set<String> = ["batch", "seq"]

    @Test("every value's rank and known dims agree with ONNX", arguments: ["resnet50", "bert-tiny", "mobilenetv2", "if-branch", "loop"])
    func agreesWithOnnx(_ name: String) throws {
        let model = Samples.named(name)
        let onnx = try onnxShapes(of: model, name: name)
        let a = GraphAnalysis(model: model)
        var compared = 0, total = 0
        var disagreements: [String] = []
        for scope in a.index.scopes {
            var names: [String] = []
            for n in scope.graph.nodes { names += n.outputs.filter { !$0.isEmpty } }
            for v in names {
                total += 1
                guard let entry = onnx[v] else { continue }
                guard let theirs = entry else { continue }  // ONNX does not know the rank
                guard let ours = a.shapes.facts(v, scope: scope.id)?.dims else {
                    disagreements.append("\(v): ONNX \(theirs), ours unknown"); continue
                }
                compared += 1
                guard ours.count == theirs.count else {
                    disagreements.append("\(v): rank \(ours.count) \(Shape(ours)) vs ONNX \(theirs)"); continue
                }
                for (i, (o, t)) in zip(ours, theirs).enumerated() {
                    switch (o, t) {
                    case (.value(let x), .value(let y)) where x != y:
                        disagreements.append("\(v) dim \(i): \(x) vs ONNX \(y)")
                    case (_, .value(let y)) where o.intValue == nil:
                        disagreements.append("\(v) dim \(i): \(o) vs ONNX \(y)")
                    case (_, .param(let p)) where Self.inputSymbols.contains(p) && o != .param(p):
                        disagreements.append("\(v) dim \(i): \(o) vs ONNX \(p)")
                    default: break
                    }
                }
            }
        }
        // ONNX (with data propagation) must have typed nearly every value for the comparison to mean much.
        #expect(compared * 10 >= total * 9, "ONNX gave shapes for only \(compared) of \(total) values")
        #expect(disagreements.isEmpty, "\(disagreements.count) disagreements: \(disagreements.prefix(10))")
    }
}
