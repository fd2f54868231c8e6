import ArgumentParser
import Foundation
import OnnxModel
import OnnxRuntimeKit

/// `--ort-log LEVEL`, shared by the commands that load ONNX Runtime.
struct OrtLogOption: ParsableArguments {
    @Option(name: .customLong("ort-log"),
            help: ArgumentHelp("Lowest ONNX Runtime message severity to show: verbose, info, warning or error.",
                               valueName: "LEVEL"))
    var level: String = "warning"

    func validate() throws {
        guard OrtLogLevel(parsing: level) != nil else {
            throw ValidationError("unknown --ort-log \(level.escapedForDisplay): use verbose, info, warning or error")
        }
    }

    var parsed: OrtLogLevel { OrtLogLevel(parsing: level) ?? .warning }
}

/// Prints the ORT messages that arrived since the last call to stderr, one clean line each
/// (`ort warning: ...`), repeats folded into a count. The text was escaped when it was
/// recorded, so nothing ORT wrote can reach the terminal as a control sequence.
func printOrtLog(_ log: OrtLog = .shared, skipping skip: (OrtLogEntry) -> Bool = { _ in false }) {
    let lines = log.drain().filter { !skip($0) }.flatMap(\.displayLines)
    guard !lines.isEmpty else { return }
    FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
}
