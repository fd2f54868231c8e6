import ArgumentParser
import Foundation

/// Prints `message` on stderr as `onnxscope: message` and returns the exit code to throw,
/// so the program ends through ArgumentParser (and every `defer` still runs).
func failure(_ code: Int32, _ message: String) -> ExitCode {
    FileHandle.standardError.write(("onnxscope: " + message + "\n").data(using: .utf8)!)
    return ExitCode(code)
}

/// Human-readable byte and count formatting shared by the text reports.
enum ByteFormat {
    static func size(_ n: Int64) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var v = Double(n), i = 0
        while v >= 1000 && i < units.count - 1 { v /= 1000; i += 1 }
        return i == 0 ? "\(n) B" : String(format: v >= 100 ? "%.0f %@" : "%.1f %@", v, units[i])
    }

    static func count(_ n: Int64) -> String {
        let a = Double(n)
        if a >= 1e9 { return String(format: "%.2f G", a / 1e9) }
        if a >= 1e6 { return String(format: "%.2f M", a / 1e6) }
        if a >= 1e3 { return String(format: "%.1f K", a / 1e3) }
        return "\(n)"
    }
}
