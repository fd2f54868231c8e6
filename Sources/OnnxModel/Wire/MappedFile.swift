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
    public init(path: String, reason: String) { self.path = path; self.reason = reason }
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
        return ByteStorage(base: UnsafeRawPointer(p), count: size, isFileMapping: true, release: {
            munmap(UnsafeMutableRawPointer(bitPattern: addr), size)
        })
    }

    /// Drops our page-table entries for the whole pages inside `offset..<offset+count` of a
    /// read-only file mapping. Nothing is lost: the next access re-reads the page cache.
    ///
    /// Decoding hops over tensor payloads and touches only field headers, but the kernel maps
    /// a whole (large) folio around each touched byte; without this, browsing a 100 MB model
    /// would cost most of 100 MB of RSS.
    static func release(_ storage: ByteStorage, offset: Int, count: Int) {
        guard storage.isFileMapping, let base = storage.base else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = (offset + page - 1) / page * page
        let end = (offset + count) / page * page
        guard end > start else { return }
        _ = madvise(UnsafeMutableRawPointer(mutating: base + start), end - start, MADV_DONTNEED)
    }
}
