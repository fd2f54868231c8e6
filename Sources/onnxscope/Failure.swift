import ArgumentParser
import Foundation
import OnnxModel

/// Prints `message` on stderr as `onnxscope: message` and returns the exit code to throw,
/// so the program ends through ArgumentParser (and every `defer` still runs).
func failure(_ code: Int32, _ message: String) -> ExitCode {
    // Messages quote model names and ORT's own text; escape each line so none of it can
    // reach the terminal as a control sequence (line breaks between lines are kept).
    // ORT's messages can end in blank lines; they would only push the prompt down.
    var text = Substring(message)
    while let last = text.last, last.isWhitespace { text = text.dropLast() }
    let safe = text.split(separator: "\n", omittingEmptySubsequences: false).map { String($0).escapedForDisplay }
    FileHandle.standardError.write(("onnxscope: " + safe.joined(separator: "\n") + "\n").data(using: .utf8)!)
    return ExitCode(code)
}

