/// A repeated numeric field kept as the wire bytes it arrived in.
///
/// ONNX files from older exporters store big weights in `float_data` / `int64_data` rather than
/// `raw_data`. Keeping those as slices of the mapping (packed payloads and single unpacked
/// values alike: both are just concatenated encodings) means they are neither copied on open
/// nor changed on write.
public struct ScalarField: Sendable, Equatable {
    public enum Encoding: Sendable { case varint, fixed32, fixed64 }
    public let encoding: Encoding
    public private(set) var chunks: [ByteSlice] = []

    public init(_ encoding: Encoding) { self.encoding = encoding }

    /// Equal when the encoded elements are equal, however they were split into chunks
    /// (unpacked values read back after a write arrive as one packed chunk).
    public static func == (a: ScalarField, b: ScalarField) -> Bool {
        a.encoding == b.encoding && a.joinedBytes == b.joinedBytes
    }

    private var joinedBytes: [UInt8] { chunks.flatMap(\.bytes) }

    public var isEmpty: Bool { chunks.allSatisfy { $0.isEmpty } }

    mutating func append(_ s: ByteSlice) { chunks.append(s) }

    /// Number of elements (walks varints; constant time for fixed widths).
    public var count: Int {
        switch encoding {
        case .fixed32: return chunks.reduce(0) { $0 + $1.count / 4 }
        case .fixed64: return chunks.reduce(0) { $0 + $1.count / 8 }
        case .varint:
            var n = 0
            for c in chunks { c.withUnsafeBytes { for b in $0 where b & 0x80 == 0 { n += 1 } } }
            return n
        }
    }

    /// Calls `body` with each element's raw 64-bit pattern (zero-extended for fixed32).
    public func forEachRaw(_ body: (UInt64) -> Void) throws {
        for c in chunks {
            var r = WireReader(c)
            while !r.isAtEnd {
                switch encoding {
                case .varint: body(try r.readVarint())
                case .fixed32: body(UInt64(try r.readFixed32()))
                case .fixed64: body(try r.readFixed64())
                }
            }
        }
    }

    public func floats() throws -> [Float] { var o: [Float] = []; try forEachRaw { o.append(Float(bitPattern: UInt32(truncatingIfNeeded: $0))) }; return o }
    public func doubles() throws -> [Double] { var o: [Double] = []; try forEachRaw { o.append(Double(bitPattern: $0)) }; return o }
    public func int64s() throws -> [Int64] { var o: [Int64] = []; try forEachRaw { o.append(Int64(bitPattern: $0)) }; return o }
    public func uint64s() throws -> [UInt64] { var o: [UInt64] = []; try forEachRaw { o.append($0) }; return o }

    public static func floats(_ v: [Float]) -> ScalarField {
        var w = WireWriter(); for x in v { w.fixed32(x.bitPattern) }
        var f = ScalarField(.fixed32); f.append(ByteSlice(w.bytes)); return f
    }
    public static func doubles(_ v: [Double]) -> ScalarField {
        var w = WireWriter(); for x in v { w.fixed64(x.bitPattern) }
        var f = ScalarField(.fixed64); f.append(ByteSlice(w.bytes)); return f
    }
    public static func varints(_ v: [Int64]) -> ScalarField {
        var w = WireWriter(); for x in v { w.varint(UInt64(bitPattern: x)) }
        var f = ScalarField(.varint); f.append(ByteSlice(w.bytes)); return f
    }

    mutating func read(_ f: (number: Int, type: WireType, start: Int), from r: inout WireReader, in msg: String) throws {
        if f.type == .lengthDelimited {
            let s = try r.readBytes()
            let unit = encoding == .fixed32 ? 4 : encoding == .fixed64 ? 8 : 1
            guard s.count % unit == 0 else { throw WireError.invalid("packed field \(f.number) of \(msg) has \(s.count) bytes, not a multiple of \(unit)") }
            if encoding == .varint, s.count > 0, s.withUnsafeBytes({ $0[$0.count - 1] & 0x80 != 0 }) {
                throw WireError.malformedVarint(offset: s.offset + s.count - 1)
            }
            append(s)
        } else {
            let expected: WireType = encoding == .varint ? .varint : encoding == .fixed32 ? .fixed32 : .fixed64
            guard f.type == expected else { throw WireError.wrongWireType(field: f.number, got: f.type.rawValue, message: msg, offset: f.start) }
            // Keep the value's encoding without its key.
            let before = r.offset
            _ = try r.skip(f.type, field: f.number, start: before)
            append(ByteSlice(storage: r.storage, offset: before, count: r.offset - before))
        }
    }

    func write(_ field: Int, to w: inout WireWriter) {
        let total = chunks.reduce(0) { $0 + $1.count }
        guard total > 0 else { return }
        w.key(field, .lengthDelimited)
        w.varint(UInt64(total))
        for c in chunks { w.raw(c) }
    }
}
