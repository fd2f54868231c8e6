import Foundation

/// Runs the project's reference Python (onnx, onnxruntime, numpy in `<repo>/.venv`).
/// Tests check our code against those tools, never against our own assumptions.
enum ReferencePython {
    static let repoRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static var python: String { repoRoot.appendingPathComponent(".venv/bin/python").path }

    struct Failure: Error, CustomStringConvertible { let description: String }

    /// Runs `script` with `args`; returns stdout. Throws with stderr on a non-zero exit.
    static func run(_ script: String, _ args: [String] = []) throws -> String {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw Failure(description: "reference Python not found at \(python): run `make venv`")
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = ["-c", script] + args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out; p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw Failure(description: "python failed (\(p.terminationStatus)): \(String(decoding: e, as: UTF8.self))")
        }
        return String(decoding: o, as: UTF8.self)
    }
}

/// A fresh temporary folder removed when the value dies.
final class TempDir {
    let path: String
    init() {
        path = NSTemporaryDirectory() + "onnxscope-test-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    func file(_ name: String) -> String { path + "/" + name }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}
