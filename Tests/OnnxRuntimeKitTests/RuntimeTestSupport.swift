import Foundation
import XCTest
@testable import OnnxRuntimeKit

/// Paths and helpers shared by the runtime tests. Everything here fails loudly when the project
/// venv is missing: these tests compare against real ONNX Runtime and ONNX, never mocks.
enum RT {
    static let repo: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()
    static let python = repo + "/.venv/bin/python"
    static let openvinoPython = repo + "/.venv-openvino/bin/python"
    static let scripts = repo + "/Tests/OnnxRuntimeKitTests/python"
    static let sitePackages: String = {
        let lib = repo + "/.venv/lib"
        let py = (try? FileManager.default.contentsOfDirectory(atPath: lib))?.first { $0.hasPrefix("python3") } ?? "python3"
        return "\(lib)/\(py)/site-packages"
    }()
    static let lightModels = sitePackages + "/onnx/backend/test/data/light"
    static let simpleModels = sitePackages + "/onnx/backend/test/data/simple"

    static func requirePython(file: StaticString = #filePath, line: UInt = #line) throws {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            XCTFail("\(python) is missing: run `make ort` (or python3 -m venv .venv && .venv/bin/pip install onnxruntime==1.32.0 onnx==1.23.2 numpy)", file: file, line: line)
            throw XCTSkip("no venv")
        }
    }

    /// The CPU ORT from the project venv, loaded once.
    static func library() throws -> OrtLibrary {
        try requirePython()
        return try OrtLibrary.load(explicitPath: repo + "/.venv")
    }

    /// The test models built by make_models.py, built once per test process.
    static let modelsDir: String = {
        let dir = NSTemporaryDirectory() + "onnxscope-rt-models-\(getpid())"
        if !FileManager.default.fileExists(atPath: dir + "/all_types.onnx") {
            _ = try? run(python, [scripts + "/make_models.py", dir])
        }
        return dir
    }()

    static func model(_ name: String) throws -> String {
        try requirePython()
        let p = modelsDir + "/" + name
        guard FileManager.default.fileExists(atPath: p) else {
            XCTFail("make_models.py did not produce \(name)")
            throw XCTSkip("no model")
        }
        return p
    }

    static func tempDir(_ tag: String) -> String {
        let d = NSTemporaryDirectory() + "onnxscope-rt-\(tag)-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }

    /// Runs a process; returns (status, stdout+stderr).
    @discardableResult
    static func run(_ exe: String, _ args: [String]) throws -> (Int32, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = args
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
