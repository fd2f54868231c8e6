/// Fields of a message this reader does not model, kept verbatim (key and value bytes) so a
/// read→write round trip loses nothing, even for fields added by newer ONNX versions.
public struct UnknownFields: Sendable, Equatable, Hashable {
    public var raw: [ByteSlice] = []
    public init() {}
    public var isEmpty: Bool { raw.isEmpty }
    mutating func append(_ s: ByteSlice) { raw.append(s) }
    func write(to w: inout WireWriter) { for r in raw { w.raw(r) } }
}

/// Which singular fields were present on the wire, so fields explicitly set to their default
/// (`name: ""`, `domain: ""`, `i: 0`) are written back: proto2 keeps presence, and tools that
/// compare messages (Python `onnx`) see a difference otherwise.
public struct FieldPresence: Sendable, Hashable {
    public private(set) var bits: UInt64 = 0
    public init() {}
    mutating func insert(_ field: Int) { if field < 64 { bits |= 1 << UInt64(field) } }
    public func contains(_ field: Int) -> Bool { field < 64 && bits & (1 << UInt64(field)) != 0 }

    // Presence is a detail of the encoding, not of the content: two messages with the same
    // field values are equal whether or not a default was spelled out on the wire.
    public static func == (a: FieldPresence, b: FieldPresence) -> Bool { true }
    public func hash(into hasher: inout Hasher) {}
}

/// `StringStringEntryProto`: metadata, external-data keys, bindings.
public struct StringStringEntry: Sendable, Equatable, Hashable {
    public var key: String
    public var value: String
    public var presence = FieldPresence()
    public init(key: String, value: String) { self.key = key; self.value = value }
}

/// `OperatorSetIdProto`. The empty domain and "ai.onnx" both mean the default ONNX domain.
public struct OperatorSetId: Sendable, Equatable, Hashable {
    public var domain: String
    public var version: Int64
    public var presence = FieldPresence()
    public init(domain: String = "", version: Int64) { self.domain = domain; self.version = version }
}

/// `TensorAnnotation`: quantization parameter names attached to a tensor.
public struct TensorAnnotation: Sendable, Equatable {
    public var tensorName: String = ""
    public var presence = FieldPresence()
    public var quantParameterTensorNames: [StringStringEntry] = []
    public init(tensorName: String = "", quantParameterTensorNames: [StringStringEntry] = []) {
        self.tensorName = tensorName; self.quantParameterTensorNames = quantParameterTensorNames
    }
}

// MARK: - Wire coding of the small messages

extension StringStringEntry {
    init(reading r: inout WireReader) throws {
        key = ""; value = ""
        while let f = try r.nextField() {
            presence.insert(f.number)
            switch f.number {
            case 1: key = try r.string(f, in: "StringStringEntryProto")
            case 2: value = try r.string(f, in: "StringStringEntryProto")
            default: _ = try r.skip(f.type, field: f.number, start: f.start)
            }
        }
    }
    func write(to w: inout WireWriter) {
        w.string(1, key, always: presence.contains(1)); w.string(2, value, always: presence.contains(2))
    }
}

extension OperatorSetId {
    init(reading r: inout WireReader) throws {
        domain = ""; version = 0
        while let f = try r.nextField() {
            presence.insert(f.number)
            switch f.number {
            case 1: domain = try r.string(f, in: "OperatorSetIdProto")
            case 2: version = try r.int64(f, in: "OperatorSetIdProto")
            default: _ = try r.skip(f.type, field: f.number, start: f.start)
            }
        }
    }
    func write(to w: inout WireWriter) {
        w.string(1, domain, always: presence.contains(1)); w.int64(2, version, always: true)
    }
}

extension TensorAnnotation {
    init(reading r: inout WireReader) throws {
        self.init()
        while let f = try r.nextField() {
            presence.insert(f.number)
            switch f.number {
            case 1: tensorName = try r.string(f, in: "TensorAnnotation")
            case 2: var m = try r.message(f, in: "TensorAnnotation"); quantParameterTensorNames.append(try StringStringEntry(reading: &m))
            default: _ = try r.skip(f.type, field: f.number, start: f.start)
            }
        }
    }
    func write(to w: inout WireWriter) {
        w.string(1, tensorName, always: presence.contains(1))
        for e in quantParameterTensorNames { w.message(2) { e.write(to: &$0) } }
    }
}

extension WireWriter {
    mutating func entries(_ field: Int, _ es: [StringStringEntry]) {
        for e in es { message(field) { e.write(to: &$0) } }
    }
}
