/// Why a protobuf byte stream could not be decoded. Offsets are from the start of the file.
public enum WireError: Error, CustomStringConvertible, Sendable, Equatable {
    case truncated(offset: Int, what: String)
    case malformedVarint(offset: Int)
    case invalidWireType(Int, field: Int, offset: Int)
    case invalidFieldNumber(offset: Int)
    case wrongWireType(field: Int, got: Int, message: String, offset: Int)
    case tooDeep(limit: Int)
    case invalid(String)

    public var description: String {
        switch self {
        case let .truncated(o, what): return "file ends inside \(what) at byte \(o) (truncated or not an ONNX model)"
        case let .malformedVarint(o): return "malformed varint at byte \(o)"
        case let .invalidWireType(t, f, o): return "invalid wire type \(t) for field \(f) at byte \(o)"
        case let .invalidFieldNumber(o): return "invalid field number 0 at byte \(o)"
        case let .wrongWireType(f, got, m, o): return "field \(f) of \(m) has wire type \(got) at byte \(o)"
        case let .tooDeep(l): return "messages nested deeper than \(l) levels"
        case let .invalid(s): return s
        }
    }
}

/// Protobuf wire types.
public enum WireType: Int, Sendable {
    case varint = 0, fixed64 = 1, lengthDelimited = 2, startGroup = 3, endGroup = 4, fixed32 = 5
}

/// A bounds-checked cursor over protobuf bytes that never copies payloads: length-delimited
/// fields come back as ``ByteSlice``s of the underlying storage.
public struct WireReader {
    /// Nesting limit; protects the stack from hostile files (Python protobuf stops at 100).
    public static let maxDepth = 300

    let storage: ByteStorage
    let base: UnsafeRawPointer
    /// Absolute offsets into `storage`.
    var pos: Int
    let end: Int
    let depth: Int

    public init(_ slice: ByteSlice, depth: Int = 0) {
        storage = slice.storage
        base = slice.storage.base ?? UnsafeRawPointer(bitPattern: 1)!
        pos = slice.offset
        end = slice.offset + slice.count
        self.depth = depth
    }

    public var isAtEnd: Bool { pos >= end }
    public var offset: Int { pos }

    /// Reads a field key; returns nil at the end of the message.
    public mutating func nextField() throws -> (number: Int, type: WireType, start: Int)? {
        guard pos < end else { return nil }
        let start = pos
        let key = try readVarint()
        let number = Int(key >> 3)
        guard number > 0, number <= 536_870_911 else { throw WireError.invalidFieldNumber(offset: start) }
        guard let type = WireType(rawValue: Int(key & 7)) else {
            throw WireError.invalidWireType(Int(key & 7), field: number, offset: start)
        }
        return (number, type, start)
    }

    public mutating func readVarint() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        let start = pos
        while true {
            guard pos < end else { throw WireError.truncated(offset: pos, what: "a varint") }
            let b = base.load(fromByteOffset: pos, as: UInt8.self)
            pos += 1
            if shift == 63 && b > 1 { throw WireError.malformedVarint(offset: start) }
            result |= UInt64(b & 0x7f) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
            if shift > 63 { throw WireError.malformedVarint(offset: start) }
        }
    }

    public mutating func readFixed32() throws -> UInt32 {
        guard end - pos >= 4 else { throw WireError.truncated(offset: pos, what: "a 32-bit value") }
        let v = base.loadUnaligned(fromByteOffset: pos, as: UInt32.self)
        pos += 4
        return UInt32(littleEndian: v)
    }

    public mutating func readFixed64() throws -> UInt64 {
        guard end - pos >= 8 else { throw WireError.truncated(offset: pos, what: "a 64-bit value") }
        let v = base.loadUnaligned(fromByteOffset: pos, as: UInt64.self)
        pos += 8
        return UInt64(littleEndian: v)
    }

    /// A length-delimited payload as a slice of the underlying storage.
    public mutating func readBytes() throws -> ByteSlice {
        let at = pos
        let n = try readVarint()
        guard n <= UInt64(end - pos) else { throw WireError.truncated(offset: at, what: "a \(n)-byte field") }
        let s = ByteSlice(storage: storage, offset: pos, count: Int(n))
        if n >= WireReader.releaseThreshold { MappedFile.release(storage, offset: pos, count: Int(n)) }
        pos += Int(n)
        return s
    }

    /// Payloads at least this big (tensor data, in practice) are released from the page
    /// tables as they are skipped; see ``MappedFile/release(_:offset:count:)``.
    static let releaseThreshold: UInt64 = 1 << 18

    public mutating func readString() throws -> String { try readBytes().string }

    /// A reader over a nested message, one level deeper.
    public mutating func readMessage() throws -> WireReader {
        guard depth + 1 < WireReader.maxDepth else { throw WireError.tooDeep(limit: WireReader.maxDepth) }
        return WireReader(try readBytes(), depth: depth + 1)
    }

    /// Skips a field's value and returns its raw encoding (key included) so it can be kept.
    public mutating func skip(_ type: WireType, field: Int, start: Int) throws -> ByteSlice {
        switch type {
        case .varint: _ = try readVarint()
        case .fixed64: _ = try readFixed64()
        case .fixed32: _ = try readFixed32()
        case .lengthDelimited: _ = try readBytes()
        case .startGroup, .endGroup:
            // Groups are deprecated and never used by onnx.proto.
            throw WireError.invalidWireType(type.rawValue, field: field, offset: start)
        }
        return ByteSlice(storage: storage, offset: start, count: pos - start)
    }

    // MARK: Typed helpers that check the wire type

    public mutating func int64(_ f: (number: Int, type: WireType, start: Int), in msg: String) throws -> Int64 {
        try expect(f, .varint, msg)
        return Int64(bitPattern: try readVarint())
    }

    public mutating func int32(_ f: (number: Int, type: WireType, start: Int), in msg: String) throws -> Int32 {
        try expect(f, .varint, msg)
        return Int32(truncatingIfNeeded: Int64(bitPattern: try readVarint()))
    }

    public mutating func float(_ f: (number: Int, type: WireType, start: Int), in msg: String) throws -> Float {
        try expect(f, .fixed32, msg)
        return Float(bitPattern: try readFixed32())
    }

    public mutating func string(_ f: (number: Int, type: WireType, start: Int), in msg: String) throws -> String {
        try expect(f, .lengthDelimited, msg)
        return try readString()
    }

    public mutating func bytes(_ f: (number: Int, type: WireType, start: Int), in msg: String) throws -> ByteSlice {
        try expect(f, .lengthDelimited, msg)
        return try readBytes()
    }

    public mutating func message(_ f: (number: Int, type: WireType, start: Int), in msg: String) throws -> WireReader {
        try expect(f, .lengthDelimited, msg)
        return try readMessage()
    }

    func expect(_ f: (number: Int, type: WireType, start: Int), _ t: WireType, _ msg: String) throws {
        guard f.type == t else { throw WireError.wrongWireType(field: f.number, got: f.type.rawValue, message: msg, offset: f.start) }
    }

    /// Reads a repeated varint field that may be packed or not, appending to `out`.
    public mutating func appendVarints(_ f: (number: Int, type: WireType, start: Int), to out: inout [Int64], in msg: String) throws {
        if f.type == .lengthDelimited {
            var sub = WireReader(try readBytes(), depth: depth)
            while !sub.isAtEnd { out.append(Int64(bitPattern: try sub.readVarint())) }
        } else {
            out.append(try int64(f, in: msg))
        }
    }

    /// Reads a repeated float field that may be packed or not, appending to `out`.
    public mutating func appendFloats(_ f: (number: Int, type: WireType, start: Int), to out: inout [Float], in msg: String) throws {
        if f.type == .lengthDelimited {
            let s = try readBytes()
            guard s.count % 4 == 0 else { throw WireError.invalid("packed floats of \(msg) have \(s.count) bytes, not a multiple of 4") }
            var sub = WireReader(s, depth: depth)
            while !sub.isAtEnd { out.append(Float(bitPattern: try sub.readFixed32())) }
        } else {
            out.append(try float(f, in: msg))
        }
    }
}
