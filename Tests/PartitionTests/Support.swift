import Foundation
import OnnxModel

/// The reference tools in the project venv (ORT's usability checker, onnx). Partition
/// predictions are compared with them, never with our own assumptions.
enum Reference {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()
    static let python = root + "/.venv/bin/python"
    static let usabilityScript = root + "/Tests/PartitionTests/python/usability_reference.py"

    struct Failure: Error, CustomStringConvertible { let description: String }

    /// Runs `python ARGS…` (a script path or `-c CODE`); returns stdout, throws with stderr on failure.
    static func run(_ args: [String]) throws -> String {
        guard FileManager.default.isExecutableFile(atPath: python) else { throw Failure(description: "\(python) missing: run `make venv`") }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out; p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw Failure(description: "python \(args.first ?? ""): \(String(decoding: e, as: UTF8.self))") }
        return String(decoding: o, as: UTF8.self)
    }

    static func json(_ args: [String]) throws -> [String: Any] {
        guard let j = try JSONSerialization.jsonObject(with: Data(try run(args).utf8)) as? [String: Any] else {
            throw Failure(description: "python \(args.first ?? ""): not a JSON object")
        }
        return j
    }

    static func tempDir(_ tag: String) -> String {
        let d = NSTemporaryDirectory() + "onnxscope-partition-\(tag)-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }

    /// Writes `model` into a new temp dir; returns its path.
    static func write(_ model: Model, _ tag: String) throws -> String {
        let path = tempDir(tag) + "/\(tag).onnx"
        try AtomicFile.write(model.serialized(), to: path)
        return path
    }
}
