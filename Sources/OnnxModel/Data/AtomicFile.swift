import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes files so that readers only ever see the old content or the complete new content.
public enum AtomicFile {
    /// Writes `bytes` to a temporary file beside `path`, flushes it, then renames it over `path`.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var template = Array("\(dir)/.onnxscope-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw FileError(path: path, reason: "cannot create a temporary file in \(dir): \(String(cString: strerror(errno)))") }
        let tmp = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        var ok = false
        defer { if !ok { unlink(tmp) } }
        var written = 0
        try bytes.withUnsafeBytes { buf in
            while written < buf.count {
                let n = Foundation.write(fd, buf.baseAddress! + written, buf.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    close(fd)
                    throw FileError(path: path, reason: "write failed: \(String(cString: strerror(errno)))")
                }
                written += n
            }
        }
        fchmod(fd, 0o644)
        guard fsync(fd) == 0, close(fd) == 0 else { throw FileError(path: path, reason: "cannot flush: \(String(cString: strerror(errno)))") }
        guard rename(tmp, path) == 0 else { throw FileError(path: path, reason: "cannot rename into place: \(String(cString: strerror(errno)))") }
        ok = true
    }
}
