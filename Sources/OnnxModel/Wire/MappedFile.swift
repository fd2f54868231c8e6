import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Errors opening or mapping a file, naming the file.
public struct FileError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let reason: String
    public var description: String { "\(path): \(reason)" }
}

/// Read-only memory mapping of a whole file.
///
/// Mapping (rather than reading) is what keeps opening a 1 GB model cheap: pages are only
/// faulted in when a tensor is actually looked at.
public enum MappedFile {
    /// Maps `path` read-only. Empty files give an empty storage.
    public static func map(path: String) throws -> ByteStorage {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw FileError(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw FileError(path: path, reason: String(cString: strerror(errno))) }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw FileError(path: path, reason: "not a regular file") }
        let size = Int(st.st_size)
        if size == 0 { return ByteStorage(base: nil, count: 0, release: nil) }
        guard let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), p != MAP_FAILED else {
            throw FileError(path: path, reason: "mmap failed: \(String(cString: strerror(errno)))")
        }
        let addr = UInt(bitPattern: p)
        return ByteStorage(base: UnsafeRawPointer(p), count: size, release: {
            munmap(UnsafeMutableRawPointer(bitPattern: addr), size)
        })
    }
}
