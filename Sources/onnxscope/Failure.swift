import ArgumentParser
import Foundation

/// Prints `message` on stderr as `onnxscope: message` and returns the exit code to throw,
/// so the program ends through ArgumentParser (and every `defer` still runs).
func failure(_ code: Int32, _ message: String) -> ExitCode {
    FileHandle.standardError.write(("onnxscope: " + message + "\n").data(using: .utf8)!)
    return ExitCode(code)
}

