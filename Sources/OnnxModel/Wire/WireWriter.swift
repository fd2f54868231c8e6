/// Appends protobuf wire encoding to a byte array.
///
/// Nested messages are written in place with a one-byte length placeholder that is widened
/// afterwards if needed, so a model is serialized in one pass without computing sizes first.
public struct WireWriter {
    public private(set) var bytes: [UInt8] = []

    public init(reservingCapacity n: Int = 0) { bytes.reserveCapacity(n) }

    public mutating func varint(_ v: UInt64) {
        var v = v
        while v >= 0x80 { bytes.append(UInt8(v & 0x7f) | 0x80); v >>= 7 }
        bytes.append(UInt8(v))
    }

    public mutating func key(_ field: Int, _ type: WireType) { varint(UInt64(field << 3 | type.rawValue)) }

    public mutating func int64(_ field: Int, _ v: Int64, always: Bool = false) {
        guard always || v != 0 else { return }
        key(field, .varint); varint(UInt64(bitPattern: v))
    }

    public mutating func float(_ field: Int, _ v: Float, always: Bool = false) {
        guard always || v.bitPattern != 0 else { return }
        key(field, .fixed32); fixed32(v.bitPattern)
    }

    public mutating func fixed32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    public mutating func fixed64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }

    public mutating func string(_ field: Int, _ s: String, always: Bool = false) {
        guard always || !s.isEmpty else { return }
        key(field, .lengthDelimited)
        var s = s
        s.withUTF8 { u in varint(UInt64(u.count)); bytes.append(contentsOf: u) }
    }

    public mutating func bytes(_ field: Int, _ b: ByteSlice) {
        key(field, .lengthDelimited)
        varint(UInt64(b.count))
        b.withUnsafeBytes { bytes.append(contentsOf: $0) }
    }

    public mutating func raw(_ b: ByteSlice) { b.withUnsafeBytes { bytes.append(contentsOf: $0) } }

    public mutating func packedVarints(_ field: Int, _ vs: [Int64]) {
        guard !vs.isEmpty else { return }
        message(field) { w in for v in vs { w.varint(UInt64(bitPattern: v)) } }
    }

    public mutating func packedFloats(_ field: Int, _ vs: [Float]) {
        guard !vs.isEmpty else { return }
        key(field, .lengthDelimited); varint(UInt64(vs.count * 4))
        for v in vs { fixed32(v.bitPattern) }
    }

    /// Writes a nested message produced by `body` as field `field`.
    public mutating func message(_ field: Int, _ body: (inout WireWriter) -> Void) {
        key(field, .lengthDelimited)
        let lenAt = bytes.count
        bytes.append(0)
        let bodyStart = bytes.count
        body(&self)
        let n = bytes.count - bodyStart
        if n < 0x80 { bytes[lenAt] = UInt8(n); return }
        var len: [UInt8] = []
        var v = UInt64(n)
        while v >= 0x80 { len.append(UInt8(v & 0x7f) | 0x80); v >>= 7 }
        len.append(UInt8(v))
        // Widen the placeholder: shift the body right by the extra length bytes.
        bytes.insert(contentsOf: len.dropLast(), at: lenAt)
        bytes[lenAt + len.count - 1] = len.last!
        for (i, b) in len.enumerated() { bytes[lenAt + i] = b }
    }
}
