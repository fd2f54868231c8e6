#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import OnnxModel

/// Where a tensor's external data points and whether its bytes are there, by the rules of
/// ONNX Runtime (`ValidateExternalDataPath`, `ExternalDataInfo`) and the onnx checker
/// (`resolve_external_data_location`).
///
/// ``ExternalDataReference/resolvedPath(in:tensor:)`` guards reading and stops at the first
/// doubt (it refuses every `..`); this says what each tool would say instead: `a/../b`
/// stays inside and is fine, a symbolic link inside the folder is only the checker's
/// complaint, a missing file and one outside the folder are told apart.
///
/// Files are `lstat`ed and `stat`ed, never opened: a model with 10 GB of external weights
/// validates as fast as a small one. Facts are cached per file, since every tensor of a
/// model usually points into the same one.
struct ExternalDataCheck {
    /// The model's folder; nil for a model built in memory, whose files cannot be checked.
    let baseDirectory: String?
    private var facts: [String: FileFacts] = [:]
    private lazy var realBase: String? = baseDirectory.flatMap(Self.realPath)

    init(baseDirectory: String?) { self.baseDirectory = baseDirectory }

    /// The keys ORT accepts; any other fails the load with "model format error!".
    static let knownKeys: Set<String> = ["location", "offset", "length", "checksum"]

    /// A problem with one tensor's external data; the message continues the tensor's label.
    struct Problem {
        var severity: GraphIssue.Severity
        var message: String
    }

    /// The problems of `t`'s external data; `expectedBytes` is what its dims and type need
    /// (nil when they do not say, for strings).
    mutating func check(_ t: Tensor, expectedBytes: Int?) -> [Problem] {
        var out: [Problem] = []
        for e in t.externalData where !Self.knownKeys.contains(e.key) {
            out.append(Problem(severity: .error, message: ": external data has unknown key '\(e.key.escapedForDisplay)'; ONNX Runtime accepts only location, offset, length and checksum"))
        }
        // The same parsing the reader uses (location, offset and length as non-negative
        // integers); its first complaint is also ORT's.
        let ref: ExternalDataReference
        do { ref = try ExternalDataReference(t) } catch {
            out.append(Problem(severity: .error, message: ": " + ((error as? TensorDataError)?.reason ?? "\(error)")))
            return out
        }
        let location = ref.location, offset = ref.offset, length = ref.length
        let shown = "'" + location.escapedForDisplay + "'"
        if location.contains("\0") {
            out.append(Problem(severity: .error, message: ": external data location \(shown) contains a NUL byte"))
            return out
        }
        if location.hasPrefix("/") {
            out.append(Problem(severity: .error, message: ": external data location \(shown) is an absolute path; it must be relative to the model's folder"))
            return out
        }
        if Self.climbsOut(location) {
            out.append(Problem(severity: .error, message: ": external data location \(shown) leaves the model's folder"))
            return out
        }
        guard let base = baseDirectory else { return out }

        let f = fileFacts(base + "/" + location)
        guard f.exists else {
            out.append(Problem(severity: .error, message: ": external data file \(shown) not found next to the model"))
            return out
        }
        // The folder itself (location `.`) is inside too: it then fails as "not a regular file".
        if let real = f.realPath, let realBase, real != realBase, !real.hasPrefix(realBase.hasSuffix("/") ? realBase : realBase + "/") {
            out.append(Problem(severity: .error, message: ": external data location \(shown) resolves outside the model's folder (through a symbolic link)"))
            return out
        }
        if f.isSymlink {
            out.append(Problem(severity: .warning, message: ": external data file \(shown) is a symbolic link; the onnx checker refuses symbolic links (ONNX Runtime follows it)"))
        }
        guard f.isRegularFile else {
            out.append(Problem(severity: .error, message: ": external data \(shown) is not a regular file"))
            return out
        }
        guard let expected = expectedBytes else { return out }
        if let length, length != Int64(expected) {
            out.append(Problem(severity: .error, message: ": external data length \(length) but dims \(t.dims.dimsText) of \(t.dataType) need \(expected) bytes"))
            return out
        }
        let needed = length ?? Int64(expected)
        if offset > f.size || needed > f.size - offset {
            out.append(Problem(severity: .error, message: ": external data file \(shown) has \(f.size) bytes; offset \(offset) + \(needed) bytes runs past its end"))
        }
        return out
    }

    /// True when the `..` components of a relative path climb above its starting folder
    /// (`../x`, `a/../../x`); `a/../b` stays inside and both tools accept it.
    static func climbsOut(_ location: String) -> Bool {
        var depth = 0
        for part in location.split(separator: "/", omittingEmptySubsequences: true) {
            if part == ".." { depth -= 1; if depth < 0 { return true } } else if part != "." { depth += 1 }
        }
        return false
    }

    /// What `lstat`, `stat` and `realpath` say about one file.
    struct FileFacts {
        var exists = false
        var isSymlink = false
        var isRegularFile = false
        var size: Int64 = 0
        var realPath: String?
    }

    private mutating func fileFacts(_ path: String) -> FileFacts {
        if let f = facts[path] { return f }
        var f = FileFacts()
        var st = stat()
        if lstat(path, &st) == 0 {
            f.exists = true
            f.isSymlink = (st.st_mode & S_IFMT) == S_IFLNK
            if stat(path, &st) == 0 {
                f.isRegularFile = (st.st_mode & S_IFMT) == S_IFREG
                f.size = Int64(st.st_size)
            }
            f.realPath = Self.realPath(path)
            // A dangling symbolic link exists for lstat but points at nothing.
            if f.isSymlink && f.realPath == nil { f.exists = false }
        }
        facts[path] = f
        return f
    }

    private static func realPath(_ path: String) -> String? {
        guard let p = realpath(path, nil) else { return nil }
        defer { free(p) }
        return String(cString: p)
    }
}
