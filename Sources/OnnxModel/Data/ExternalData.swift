import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a tensor's bytes could not be produced.
public struct TensorDataError: Error, CustomStringConvertible, Sendable {
    public let tensor: String
    public let reason: String
    public var description: String { "tensor '\(tensor.escapedForDisplay)': \(reason)" }
}

/// Where an external tensor's bytes are: `location`, `offset`, `length` from `external_data`.
public struct ExternalDataReference: Sendable, Equatable {
    public var location: String
    public var offset: Int64
    public var length: Int64?

    public init(_ t: Tensor) throws {
        var loc: String?, off: Int64 = 0, len: Int64?
        for e in t.externalData {
            switch e.key {
            case "location": loc = e.value
            case "offset":
                guard let v = Int64(e.value), v >= 0 else { throw TensorDataError(tensor: t.name, reason: "bad external data offset '\(e.value.escapedForDisplay)'") }
                off = v
            case "length":
                guard let v = Int64(e.value), v >= 0 else { throw TensorDataError(tensor: t.name, reason: "bad external data length '\(e.value.escapedForDisplay)'") }
                len = v
            default: break
            }
        }
        guard let loc, !loc.isEmpty else { throw TensorDataError(tensor: t.name, reason: "external data has no location") }
        location = loc; offset = off; length = len
    }

    /// Resolves `location` inside `baseDirectory`, refusing anything that leaves it
    /// (absolute paths, `..`, symlinks pointing outside), as ONNX's own checker does.
    public func resolvedPath(in baseDirectory: String, tensor: String) throws -> String {
        if location.hasPrefix("/") || location.contains("\0") {
            throw TensorDataError(tensor: tensor, reason: "external data location '\(location.escapedForDisplay)' is absolute; it must be relative to the model's folder")
        }
        if location.split(separator: "/").contains("..") {
            throw TensorDataError(tensor: tensor, reason: "external data location '\(location.escapedForDisplay)' leaves the model's folder")
        }
        let joined = baseDirectory + "/" + location
        guard let realBase = realpath(baseDirectory, nil) else {
            throw TensorDataError(tensor: tensor, reason: "model folder '\(baseDirectory.escapedForDisplay)' not found")
        }
        defer { free(realBase) }
        guard let realFile = realpath(joined, nil) else {
            throw TensorDataError(tensor: tensor, reason: "external data file '\(location.escapedForDisplay)' not found next to the model")
        }
        defer { free(realFile) }
        let b = String(cString: realBase), f = String(cString: realFile)
        guard f.hasPrefix(b.hasSuffix("/") ? b : b + "/") else {
            throw TensorDataError(tensor: tensor, reason: "external data location '\(location.escapedForDisplay)' resolves outside the model's folder")
        }
        return f
    }
}

/// Maps each external-data file once and hands out slices of it. Thread-safe.
public final class ExternalFiles: @unchecked Sendable {
    private var mapped: [String: ByteStorage] = [:]
    private let lock = NSLock()
    public init() {}

    public func storage(for path: String) throws -> ByteStorage {
        lock.lock(); defer { lock.unlock() }
        if let s = mapped[path] { return s }
        let s = try MappedFile.map(path: path)
        mapped[path] = s
        return s
    }

    /// Files mapped so far (for `info`'s external-data list and tests).
    public var mappedPaths: [String] { lock.lock(); defer { lock.unlock() }; return mapped.keys.sorted() }
}

extension String {
    /// The string with control characters, ESC sequences and invalid bytes shown as escapes,
    /// so a name taken from a model can never drive the user's terminal.
    public var escapedForDisplay: String {
        var out = ""
        out.reserveCapacity(utf8.count)
        for u in unicodeScalars {
            switch u.value {
            case 0x0a: out += "\\n"
            case 0x09: out += "\\t"
            case 0x0d: out += "\\r"
            case 0x1b: out += "\\e"
            case 0..<0x20, 0x7f, 0x80..<0xa0, 0x2028, 0x2029, 0x202a...0x202e, 0x2066...0x2069:
                out += "\\u{" + String(u.value, radix: 16) + "}"
            default: out.unicodeScalars.append(u)
            }
        }
        return out
    }
}
