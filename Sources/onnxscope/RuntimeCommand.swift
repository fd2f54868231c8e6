import ArgumentParser
import Foundation
import OnnxRuntimeKit

/// `onnxscope runtime`: which ONNX Runtime would be used, and what it offers.
struct RuntimeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runtime",
        abstract: "Show the ONNX Runtime library onnxscope uses: path, version, C API version, providers.")

    @Option(name: .long, help: "Path to libonnxruntime (file, directory, python package or venv).")
    var ort: String?

    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false

    func run() throws {
        let lib = try loadRuntimeOrExit(ort)
        defer { printOrtLog() }
        let providers = try lib.availableProviders()
        if json {
            let obj: [String: Any] = [
                "path": lib.path, "source": lib.source.rawValue, "version": lib.version,
                "api_version": Int(lib.apiVersion), "providers": providers,
                "assignment_info": lib.supportsAssignmentInfo, "build_info": lib.buildInfo,
            ]
            let data = try JSONSerialization.data(withJSONObject: obj, options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        print("library:      \(lib.path)")
        print("found via:    \(lib.source.rawValue)")
        print("version:      \(lib.version)")
        print("C API:        \(lib.apiVersion)")
        print("providers:    \(providers.joined(separator: ", "))")
        print("EP assignment: " + (lib.supportsAssignmentInfo
            ? "from ORT (session.record_ep_graph_assignment_info)"
            : "from profiler events only (needs ORT >= 1.24 for ORT's own report)"))
        if !lib.buildInfo.isEmpty { print("build:        \(lib.buildInfo)") }
    }
}

/// Loads ORT or prints why it could not (with the install line) and exits with status 2, the
/// code every runtime command uses for "no usable ONNX Runtime". ORT logs at `logLevel` and
/// above into ``OrtLog/shared`` (see ``printOrtLog(_:skipping:)``).
func loadRuntimeOrExit(_ explicitPath: String?, logLevel: OrtLogLevel = .warning) throws -> OrtLibrary {
    // Before loading, so the environment is created at this level; after, for a library that
    // was already loaded.
    OrtLog.shared.level = logLevel
    do {
        let lib = try OrtLibrary.load(explicitPath: explicitPath)
        try lib.setLogLevel(logLevel)
        return lib
    } catch {
        printOrtLog()
        throw failure(2, "\(error)")
    }
}
