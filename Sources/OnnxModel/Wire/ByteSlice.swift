import Foundation

/// Owner of a block of bytes that ``ByteSlice`` values point into.
///
/// A model's tensors stay byte ranges of the mapped file; this class keeps the mapping alive as
/// long as any slice refers to it, and unmaps it when the last one goes away.
public final class ByteStorage: @unchecked Sendable {
    // The bytes are immutable after creation, so sharing across threads is safe.
    public let base: UnsafeRawPointer?
    public let count: Int
    /// True for a read-only file mapping, whose pages can be dropped and re-read at will.
    public let isFileMapping: Bool
    private let release: (@Sendable () -> Void)?

    /// Wraps memory owned elsewhere; `release` runs when the storage dies.
    public init(base: UnsafeRawPointer?, count: Int, isFileMapping: Bool = false, release: (@Sendable () -> Void)?) {
        self.base = base
        self.count = count
        self.isFileMapping = isFileMapping
        self.release = release
    }

    /// Copies `bytes` into storage owned by this object.
    public convenience init(copying bytes: some Collection<UInt8>) {
        let n = bytes.count
        let p = UnsafeMutableRawPointer.allocate(byteCount: max(n, 1), alignment: 16)
        let copied: Void? = bytes.withContiguousStorageIfAvailable { buf in
            if let src = buf.baseAddress { p.copyMemory(from: src, byteCount: n) }
        }
        if copied == nil {
            var i = 0
            for b in bytes { p.storeBytes(of: b, toByteOffset: i, as: UInt8.self); i += 1 }
        }
        let addr = UInt(bitPattern: p)
        self.init(base: UnsafeRawPointer(p), count: n, release: { UnsafeMutableRawPointer(bitPattern: addr)?.deallocate() })
    }

    deinit { release?() }
}

/// A zero-copy view of bytes inside a ``ByteStorage`` (a mapped file or an owned buffer).
public struct ByteSlice: Sendable, Equatable, Hashable, CustomStringConvertible {
    public let storage: ByteStorage
    public let offset: Int
    public let count: Int

    public init(storage: ByteStorage, offset: Int, count: Int) {
        precondition(offset >= 0 && count >= 0 && offset + count <= storage.count, "slice out of bounds")
        self.storage = storage
        self.offset = offset
        self.count = count
    }

    /// A slice over a fresh copy of `bytes`.
    public init(_ bytes: some Collection<UInt8>) {
        let s = ByteStorage(copying: bytes)
        self.init(storage: s, offset: 0, count: s.count)
    }

    public static let empty = ByteSlice([UInt8]())

    public var isEmpty: Bool { count == 0 }

    /// Calls `body` with the bytes in place; the pointer is valid only inside `body`.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        guard let base = storage.base else { return try body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        return try withExtendedLifetime(storage) {
            try body(UnsafeRawBufferPointer(start: base + offset, count: count))
        }
    }

    /// The bytes copied out into an array.
    public var bytes: [UInt8] { withUnsafeBytes { Array($0) } }

    /// A sub-range of this slice (relative offsets).
    public func slice(_ start: Int, _ length: Int) -> ByteSlice {
        precondition(start >= 0 && length >= 0 && start + length <= count)
        return ByteSlice(storage: storage, offset: offset + start, count: length)
    }

    /// Decodes the bytes as UTF-8, replacing invalid sequences.
    public var string: String { withUnsafeBytes { String(decoding: $0, as: UTF8.self) } }

    public static func == (a: ByteSlice, b: ByteSlice) -> Bool {
        guard a.count == b.count else { return false }
        return a.withUnsafeBytes { pa in b.withUnsafeBytes { pb in
            a.count == 0 || memcmp(pa.baseAddress!, pb.baseAddress!, a.count) == 0
        } }
    }

    public func hash(into h: inout Hasher) {
        withUnsafeBytes { h.combine(bytes: $0) }
    }

    public var description: String { "\(count) bytes" }
}
