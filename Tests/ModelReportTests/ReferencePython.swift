import Foundation

/// The project's reference Python (`<repo>/.venv`, with onnx and onnxruntime): the tests in
/// this target compare `info` with what those tools say about the same files.
enum ReferencePython {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let path = repoRoot.appendingPathComponent(".venv/bin/python").path

    struct Failure: Error, CustomStringConvertible { let description: String }

    /// Runs `script` (`python -c`) with `args` and returns its standard output. Standard error
    /// goes to a file rather than a pipe, so a chatty library cannot fill a pipe and hang it.
    static func run(_ script: String, _ args: [String] = []) throws -> Data {
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw Failure(description: "reference Python missing at \(path): run `make venv` (or link .venv to a venv with onnx and onnxruntime)")
        }
        let errPath = FileManager.default.temporaryDirectory.appendingPathComponent("reference-\(UUID().uuidString).err").path
        FileManager.default.createFile(atPath: errPath, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: errPath) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = ["-c", script] + args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle(forWritingAtPath: errPath)
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            let err = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
            throw Failure(description: "python exited with \(p.terminationStatus): \(err.suffix(2000))")
        }
        return data
    }

    /// ``run(_:_:)`` for a script that prints one JSON value.
    static func json(_ script: String, _ args: [String] = []) throws -> Any {
        try JSONSerialization.jsonObject(with: run(script, args))
    }
}
