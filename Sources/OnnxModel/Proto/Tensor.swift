/// `TensorProto`: an initializer, a constant, or a test-data tensor.
///
/// Data stays where it was read: `rawData` and the typed fields are slices of the mapped
/// file, and external data is only a reference until ``Model/tensorData(_:)`` resolves it.
public struct Tensor: Sendable, Equatable {
    public enum DataLocation: Int32, Sendable { case `default` = 0, external = 1 }

    public var dims: [Int64] = []
    public var dataType: DataType = .undefined
    public var segment: (begin: Int64, end: Int64)?
    public var floatData = ScalarField(.fixed32)
    public var int32Data = ScalarField(.varint)
    public var stringData: [ByteSlice] = []
    public var int64Data = ScalarField(.varint)
    public var name: String = ""
    public var rawData: ByteSlice?
    public var doubleData = ScalarField(.fixed64)
    public var uint64Data = ScalarField(.varint)
    public var docString: String = ""
    public var presence = FieldPresence()
    public var externalData: [StringStringEntry] = []
    public var dataLocation: Int32 = 0
    public var metadataProps: [StringStringEntry] = []
    public var unknownFields = UnknownFields()

    public init() {}

    /// A tensor with `raw_data` (little-endian bytes).
    public init(name: String, dataType: DataType, dims: [Int64], rawData: ByteSlice) {
        self.name = name; self.dataType = dataType; self.dims = dims; self.rawData = rawData
    }

    /// Element count from the dims (nil on overflow or negative dims).
    public var elementCount: Int? {
        var n = 1
        for d in dims {
            guard d >= 0 else { return nil }
            let (m, o) = n.multipliedReportingOverflow(by: Int(d))
            if o { return nil }
            n = m
        }
        return n
    }

    public var isExternal: Bool { dataLocation == DataLocation.external.rawValue }

    public static func == (a: Tensor, b: Tensor) -> Bool {
        a.dims == b.dims && a.dataType == b.dataType && a.segment?.begin == b.segment?.begin && a.segment?.end == b.segment?.end
            && a.floatData == b.floatData && a.int32Data == b.int32Data && a.stringData == b.stringData
            && a.int64Data == b.int64Data && a.name == b.name && a.rawData == b.rawData && a.doubleData == b.doubleData
            && a.uint64Data == b.uint64Data && a.docString == b.docString && a.externalData == b.externalData
            && a.dataLocation == b.dataLocation && a.metadataProps == b.metadataProps && a.unknownFields == b.unknownFields
    }
}

extension Tensor {
    /// Decodes a serialized `TensorProto` (the model-zoo `input_0.pb` format). The tensor keeps
    /// a reference to `bytes`.
    public static func decode(_ bytes: ByteSlice) throws -> Tensor {
        var r = WireReader(bytes)
        return try Tensor(reading: &r)
    }

    public static func decode(_ bytes: [UInt8]) throws -> Tensor { try decode(ByteSlice(bytes)) }

    /// This tensor as `TensorProto` bytes.
    public func serialized() -> [UInt8] {
        var w = WireWriter(reservingCapacity: (rawData?.count ?? 0) + 64)
        write(to: &w)
        return w.bytes
    }

    init(reading r: inout WireReader) throws {
        self.init()
        let m = "TensorProto"
        while let f = try r.nextField() {
            presence.insert(f.number)
            switch f.number {
            case 1: try r.appendVarints(f, to: &dims, in: m)
            case 2: dataType = DataType(rawValue: try r.int32(f, in: m))
            case 3:
                var s = try r.message(f, in: m)
                var b: Int64 = 0, e: Int64 = 0
                while let g = try s.nextField() {
                    switch g.number {
                    case 1: b = try s.int64(g, in: "Segment")
                    case 2: e = try s.int64(g, in: "Segment")
                    default: _ = try s.skip(g.type, field: g.number, start: g.start)
                    }
                }
                segment = (b, e)
            case 4: try floatData.read(f, from: &r, in: m)
            case 5: try int32Data.read(f, from: &r, in: m)
            case 6: stringData.append(try r.bytes(f, in: m))
            case 7: try int64Data.read(f, from: &r, in: m)
            case 8: name = try r.string(f, in: m)
            case 9: rawData = try r.bytes(f, in: m)
            case 10: try doubleData.read(f, from: &r, in: m)
            case 11: try uint64Data.read(f, from: &r, in: m)
            case 12: docString = try r.string(f, in: m)
            case 13: var s = try r.message(f, in: m); externalData.append(try StringStringEntry(reading: &s))
            case 14: dataLocation = try r.int32(f, in: m)
            case 16: var s = try r.message(f, in: m); metadataProps.append(try StringStringEntry(reading: &s))
            default: unknownFields.append(try r.skip(f.type, field: f.number, start: f.start))
            }
        }
    }

    func write(to w: inout WireWriter) {
        w.packedVarints(1, dims)
        w.int64(2, Int64(dataType.rawValue), always: presence.contains(2))
        if let s = segment { w.message(3) { $0.int64(1, s.begin); $0.int64(2, s.end) } }
        floatData.write(4, to: &w)
        int32Data.write(5, to: &w)
        for s in stringData { w.bytes(6, s) }
        int64Data.write(7, to: &w)
        w.string(8, name, always: presence.contains(8))
        if let raw = rawData { w.bytes(9, raw) }
        doubleData.write(10, to: &w)
        uint64Data.write(11, to: &w)
        w.string(12, docString, always: presence.contains(12))
        w.entries(13, externalData)
        w.int64(14, Int64(dataLocation), always: presence.contains(14))
        w.entries(16, metadataProps)
        unknownFields.write(to: &w)
    }
}

/// `SparseTensorProto`: COO values and indices of a dense shape.
public struct SparseTensor: Sendable, Equatable {
    public var values = Tensor()
    public var indices = Tensor()
    public var dims: [Int64] = []
    public var unknownFields = UnknownFields()
    public init() {}

    init(reading r: inout WireReader) throws {
        let m = "SparseTensorProto"
        while let f = try r.nextField() {
            switch f.number {
            case 1: var s = try r.message(f, in: m); values = try Tensor(reading: &s)
            case 2: var s = try r.message(f, in: m); indices = try Tensor(reading: &s)
            case 3: try r.appendVarints(f, to: &dims, in: m)
            default: unknownFields.append(try r.skip(f.type, field: f.number, start: f.start))
            }
        }
    }

    func write(to w: inout WireWriter) {
        w.message(1) { values.write(to: &$0) }
        w.message(2) { indices.write(to: &$0) }
        w.packedVarints(3, dims)
        unknownFields.write(to: &w)
    }
}
