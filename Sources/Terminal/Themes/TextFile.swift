#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Small file helpers so the Terminal module does not need Foundation.
enum TextFile {
    struct ReadError: Error, CustomStringConvertible {
        var description: String
    }

    static func exists(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG
    }

    /// Reads a UTF-8 text file (capped at 1 MiB: a theme or config is never that large, and a
    /// mistaken path to a model file should fail fast).
    static func read(_ path: String) throws -> String {
        guard let f = fopen(path, "rb") else {
            throw ReadError(description: "cannot open: \(String(cString: strerror(errno)))")
        }
        defer { fclose(f) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16384)
        while true {
            let n = fread(&chunk, 1, chunk.count, f)
            if n > 0 { bytes.append(contentsOf: chunk[0..<n]) }
            if bytes.count > 1 << 20 { throw ReadError(description: "file is larger than 1 MiB; not a text settings file") }
            if n < chunk.count { break }
        }
        if ferror(f) != 0 { throw ReadError(description: "read error") }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ReadError(description: "not valid UTF-8 text")
        }
        return text
    }
}
