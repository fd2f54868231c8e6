import Foundation
import Testing

/// The repository root, found from this file's location (Tests/ModelSamplesTests/…).
let repoRoot: String = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

/// A fresh temporary folder, removed when the value dies.
final class TempDir {
    let path: String
    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("onnxscope-samples-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    func file(_ name: String) -> String { path + "/" + name }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// What `python/check_model.py` reports about a model.
struct CheckReport: Decodable {
    struct Stats: Decodable {
        var shape: [Int]
        var dtype: String
        var head: [Double?]
        var finite: Bool?
        var mean: Double?
        var std: Double?
        var min: Double?
        var max: Double?
        var distinct: Int?
    }
    struct Run: Decodable {
        var inputs: [String: Stats]
        var outputs: [String: Stats]
    }
    enum Dim: Decodable, Equatable, CustomStringConvertible {
        case value(Int), param(String)
        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let i = try? c.decode(Int.self) { self = .value(i) } else { self = .param(try c.decode(String.self)) }
        }
        var description: String { switch self { case .value(let v): "\(v)"; case .param(let p): p } }
    }
    var checker: String?
    var shapeInference: String?
    var irVersion: Int?
    var opsets: [String: Int]?
    var nodeCount: Int?
    var externalInitializers: Int?
    var inferredValueCount: Int?
    var inferredOutputs: [String: [Dim?]]?
    var runs: [Run]
    var ortError: String?
}

enum PythonCheckError: Error, CustomStringConvertible {
    case noVenv(String), failed(String)
    var description: String {
        switch self {
        case .noVenv(let p): "\(p) not found: run `make venv` to create the Python environment (onnx, onnxruntime, numpy) the model checks use"
        case .failed(let s): s
        }
    }
}

/// Runs the independent onnx/ONNX Runtime checker on `model` and decodes its report.
func pythonCheck(_ model: String, _ args: [String] = []) throws -> CheckReport {
    let python = repoRoot + "/.venv/bin/python"
    guard FileManager.default.isExecutableFile(atPath: python) else { throw PythonCheckError.noVenv(python) }
    let script = repoRoot + "/Tests/ModelSamplesTests/python/check_model.py"
    let errPath = FileManager.default.temporaryDirectory.appendingPathComponent("check-\(UUID().uuidString).err").path
    _ = FileManager.default.createFile(atPath: errPath, contents: nil)
    defer { try? FileManager.default.removeItem(atPath: errPath) }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: python)
    p.arguments = [script, model] + args
    let out = Pipe()
    p.standardOutput = out
    p.standardError = FileHandle(forWritingAtPath: errPath)
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    let stderr = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
    guard p.terminationStatus == 0 else {
        throw PythonCheckError.failed("check_model.py exited with \(p.terminationStatus): \(stderr.suffix(2000))")
    }
    let d = JSONDecoder()
    d.keyDecodingStrategy = .convertFromSnakeCase
    do { return try d.decode(CheckReport.self, from: data) } catch {
        throw PythonCheckError.failed("bad JSON from check_model.py (\(error)): \(String(decoding: data.prefix(2000), as: UTF8.self)) \(stderr.suffix(2000))")
    }
}

/// The assertions every sample must pass: the onnx checker and strict shape inference accept
/// it, IR 8 / opset 17, ORT ran it, and every output is finite, has the expected shape and is
/// not degenerate (not constant, sensible spread).
@discardableResult
func expectHealthy(_ r: CheckReport, outputs expected: [String: [Int]], minStd: Double = 1e-3, maxStd: Double = 100,
                   sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
    #expect(r.checker == "ok", "onnx.checker: \(r.checker ?? "nil")", sourceLocation: sourceLocation)
    #expect(r.shapeInference == "ok", "strict shape inference: \(r.shapeInference ?? "nil")", sourceLocation: sourceLocation)
    #expect(r.irVersion == 8, sourceLocation: sourceLocation)
    #expect(r.opsets?["ai.onnx"] == 17, sourceLocation: sourceLocation)
    #expect(r.ortError == nil, "ORT: \(r.ortError ?? "")", sourceLocation: sourceLocation)
    guard !r.runs.isEmpty else {
        Issue.record("ORT produced no runs", sourceLocation: sourceLocation)
        return false
    }
    for (k, run) in r.runs.enumerated() {
        // One line per output, so the test log shows what the model computed.
        for (name, s) in run.outputs.sorted(by: { $0.key < $1.key }) {
            print("[ort run \(k)] \(name) \(s.shape) mean \(s.mean ?? .nan) std \(s.std ?? .nan) min \(s.min ?? .nan) max \(s.max ?? .nan) distinct \(s.distinct ?? 0)")
        }
        #expect(Set(run.outputs.keys) == Set(expected.keys), sourceLocation: sourceLocation)
        for (name, shape) in expected {
            guard let s = run.outputs[name] else { continue }
            #expect(s.shape == shape, "\(name) shape", sourceLocation: sourceLocation)
            #expect(s.finite == true, "\(name) has non-finite values", sourceLocation: sourceLocation)
            let std = s.std ?? .nan
            #expect(std >= minStd && std <= maxStd, "\(name) std \(std) outside [\(minStd), \(maxStd)]", sourceLocation: sourceLocation)
            #expect((s.distinct ?? 0) > min(10, shape.reduce(1, *) / 2), "\(name) nearly constant", sourceLocation: sourceLocation)
        }
    }
    return true
}
