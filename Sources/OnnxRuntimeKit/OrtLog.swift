import Foundation
import OnnxModel

/// ORT's message severities (`OrtLoggingLevel`), numbered as in the C API.
public enum OrtLogLevel: Int32, Sendable, CaseIterable, Comparable, CustomStringConvertible {
    case verbose = 0, info, warning, error, fatal

    /// Parses `verbose|info|warning|error|fatal` (also `warn`, `0`...`4`), as `--ort-log` takes it.
    public init?(parsing s: String) {
        switch s.lowercased() {
        case "verbose", "0": self = .verbose
        case "info", "1": self = .info
        case "warning", "warn", "2": self = .warning
        case "error", "3": self = .error
        case "fatal", "4": self = .fatal
        default: return nil
        }
    }

    /// A severity ORT passed to the logging callback; values outside the enum (a future ORT)
    /// are clamped so nothing is lost.
    init(reported raw: Int32) {
        self = OrtLogLevel(rawValue: raw) ?? (raw < 0 ? .verbose : .fatal)
    }

    public var description: String { ["verbose", "info", "warning", "error", "fatal"][Int(rawValue)] }

    public static func < (a: OrtLogLevel, b: OrtLogLevel) -> Bool { a.rawValue < b.rawValue }
}

/// One distinct message from ONNX Runtime, already made safe to print: color codes removed,
/// every other control character escaped, and repeats folded into ``count``.
public struct OrtLogEntry: Sendable, Equatable {
    public let severity: OrtLogLevel
    /// ORT's logging category (`onnxruntime`, `VerboseOutput`, ...), escaped.
    public let category: String
    /// The message's lines, each escaped; at least one, none empty.
    public let lines: [String]
    /// How many times the message arrived (since the last ``OrtLog/drain()`` for drained
    /// entries, in total for ``OrtLog/snapshot()``).
    public internal(set) var count: Int

    /// The message as one string, lines separated by `\n`.
    public var message: String { lines.joined(separator: "\n") }

    /// The entry as terminal lines: `ort warning: first line (×3)`, continuation lines
    /// indented, so a multi-line ORT message still reads as one message.
    public var displayLines: [String] {
        let repeats = count > 1 ? " (×\(count))" : ""
        // Text a library printed itself (see ``NativeOutputCapture``) says where it was printed.
        let origin = NativeOutputCapture.categories.contains(category) ? " (\(category))" : ""
        return ["ort \(severity)\(origin): \(lines[0])\(repeats)"] + lines.dropFirst().map { "  " + $0 }
    }
}

/// Where ONNX Runtime's log messages go instead of the terminal.
///
/// ORT calls the logging callback from whatever thread logs, including its own thread pools,
/// so every access takes the lock. Messages are cleaned on arrival (see ``clean(_:)``) and
/// deduplicated by severity, category and text. The command line prints ``drain()``ed entries
/// to stderr; the explorer shows ``snapshot()`` in its own panes and never lets ORT write to
/// the terminal it draws on.
public final class OrtLog: @unchecked Sendable {
    /// The process's store: every ``OrtLibrary`` logs here unless given another.
    public static let shared = OrtLog()

    private let lock = NSLock()
    private var minimum: OrtLogLevel
    private let capacity: Int
    private struct Key: Hashable { let severity: OrtLogLevel; let category: String; let message: String }
    /// Everything kept, first occurrence order; `index` maps a key to its position.
    private var all: [OrtLogEntry] = []
    private var index: [Key: Int] = [:]
    /// Entries since the last drain, same layout.
    private var pending: [OrtLogEntry] = []
    private var pendingIndex: [Key: Int] = [:]
    private var droppedDistinct = 0
    private var changeCounter = 0

    /// - Parameters:
    ///   - level: messages below it are dropped on arrival.
    ///   - capacity: distinct messages kept; later new ones are only counted (ORT's verbose
    ///     output of a big model runs to many thousands of distinct lines).
    public init(level: OrtLogLevel = .warning, capacity: Int = 5000) {
        self.minimum = level
        self.capacity = max(1, capacity)
    }

    /// The lowest severity kept. Lowering it does not make ORT send more: the level ORT logs at
    /// is set with ``OrtLibrary/setLogLevel(_:)``, which also sets this.
    public var level: OrtLogLevel {
        get { lock.lock(); defer { lock.unlock() }; return minimum }
        set { lock.lock(); minimum = newValue; lock.unlock() }
    }

    /// Adds one message as ORT reported it (raw text; it is cleaned here).
    public func record(severity: OrtLogLevel, category: String, message: String) {
        lock.lock()
        let wanted = severity >= minimum
        lock.unlock()
        guard wanted else { return }
        // Clean outside the lock: ORT's threads should not queue behind string work.
        let lines = OrtLog.clean(message)
        guard !lines.isEmpty else { return }
        let key = Key(severity: severity, category: OrtLog.clean(category).joined(separator: " "), message: lines.joined(separator: "\n"))
        lock.lock()
        defer { lock.unlock() }
        changeCounter &+= 1
        if let i = index[key] {
            all[i].count += 1
        } else if all.count < capacity {
            index[key] = all.count
            all.append(OrtLogEntry(severity: severity, category: key.category, lines: lines, count: 1))
        } else {
            droppedDistinct += 1
            return
        }
        if let i = pendingIndex[key] {
            pending[i].count += 1
        } else {
            pendingIndex[key] = pending.count
            pending.append(OrtLogEntry(severity: severity, category: key.category, lines: lines, count: 1))
        }
    }

    /// The messages that arrived since the last drain (counts are occurrences since then), in
    /// the order they first arrived, and forgets them for the next drain.
    public func drain() -> [OrtLogEntry] {
        lock.lock(); defer { lock.unlock() }
        let out = pending
        pending.removeAll()
        pendingIndex.removeAll()
        return out
    }

    /// Every message kept so far with its total count, in the order they first arrived.
    public func snapshot() -> [OrtLogEntry] {
        lock.lock(); defer { lock.unlock() }
        return all
    }

    /// Distinct messages not kept because ``init(level:capacity:)``'s capacity was reached.
    public var droppedCount: Int { lock.lock(); defer { lock.unlock() }; return droppedDistinct }

    /// Grows with every message recorded, so a view can tell cheaply whether to take a new
    /// ``snapshot()``.
    public var changes: Int { lock.lock(); defer { lock.unlock() }; return changeCounter }

    /// Forgets everything (tests, or a UI's "clear messages").
    public func removeAll() {
        lock.lock(); defer { lock.unlock() }
        all.removeAll(); index.removeAll(); pending.removeAll(); pendingIndex.removeAll()
        droppedDistinct = 0
        changeCounter &+= 1
    }

    /// ORT's text made safe to print, as lines: ANSI color codes (`ESC[1;31m`...`ESC[m`, which
    /// ORT's own sink and some EPs put around messages) are removed; anything else that could
    /// drive a terminal is escaped (`ESC` becomes `\e`); blank lines and trailing blanks go, so
    /// a message of only blanks has no lines.
    public static func clean(_ raw: String) -> [String] {
        let plain = stripColorCodes(raw)
        var lines: [String] = []
        for line in plain.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            var s = Substring(line)
            while let last = s.last, last == " " || last == "\t" { s = s.dropLast() }
            if s.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            lines.append(String(s).escapedForDisplay)
        }
        return lines
    }

    /// Removes SGR sequences (`ESC [ digits ; ... m`) only. Any other escape sequence stays, to
    /// be escaped visibly: it is not a color and the user should see that it was there.
    static func stripColorCodes(_ s: String) -> String {
        guard s.unicodeScalars.contains("\u{1b}") else { return s }
        var out = String.UnicodeScalarView()
        let scalars = Array(s.unicodeScalars)
        var i = 0
        while i < scalars.count {
            if scalars[i] == "\u{1b}", i + 1 < scalars.count, scalars[i + 1] == "[" {
                var j = i + 2
                while j < scalars.count, ("0"..."9").contains(scalars[j]) || scalars[j] == ";" || scalars[j] == ":" { j += 1 }
                if j < scalars.count, scalars[j] == "m" {
                    i = j + 1
                    continue
                }
            }
            out.append(scalars[i])
            i += 1
        }
        return String(out)
    }
}
