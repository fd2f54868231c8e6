/// `AttributeProto.AttributeType`.
public struct AttributeType: RawRepresentable, Hashable, Sendable {
    public var rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }
    public static let undefined = AttributeType(rawValue: 0)
    public static let float = AttributeType(rawValue: 1)
    public static let int = AttributeType(rawValue: 2)
    public static let string = AttributeType(rawValue: 3)
    public static let tensor = AttributeType(rawValue: 4)
    public static let graph = AttributeType(rawValue: 5)
    public static let floats = AttributeType(rawValue: 6)
    public static let ints = AttributeType(rawValue: 7)
    public static let strings = AttributeType(rawValue: 8)
    public static let tensors = AttributeType(rawValue: 9)
    public static let graphs = AttributeType(rawValue: 10)
    public static let sparseTensor = AttributeType(rawValue: 11)
    public static let sparseTensors = AttributeType(rawValue: 12)
    public static let typeProto = AttributeType(rawValue: 13)
    public static let typeProtos = AttributeType(rawValue: 14)
}

/// `AttributeProto`. All value fields are kept as stored; ``value`` interprets them by `type`.
public struct Attribute: Sendable, Equatable {
    public var name: String = ""
    public var refAttrName: String = ""
    public var docString: String = ""
    public var presence = FieldPresence()
    public var type: AttributeType = .undefined
    public var f: Float = 0
    public var i: Int64 = 0
    public var s: ByteSlice?
    public var t: Tensor?
    /// A single sub-graph (If branches, Loop/Scan bodies). Stored in an array because a
    /// struct cannot hold an optional of a type that contains it.
    public var g: Graph? {
        get { gStorage.first }
        set { gStorage = newValue.map { [$0] } ?? [] }
    }
    private var gStorage: [Graph] = []
    public var floats: [Float] = []
    public var ints: [Int64] = []
    public var strings: [ByteSlice] = []
    public var tensors: [Tensor] = []
    public var graphs: [Graph] = []
    public var sparseTensor: SparseTensor?
    public var sparseTensors: [SparseTensor] = []
    public var tp: ValueType?
    public var typeProtos: [ValueType] = []
    public var unknownFields = UnknownFields()

    public init() {}

    /// Equality is bitwise for floats, so a NaN attribute equals itself after a round trip.
    public static func == (a: Attribute, b: Attribute) -> Bool {
        a.name == b.name && a.refAttrName == b.refAttrName && a.docString == b.docString && a.type == b.type
            && a.f.bitPattern == b.f.bitPattern && a.i == b.i && a.s == b.s && a.t == b.t && a.g == b.g
            && a.floats.map(\.bitPattern) == b.floats.map(\.bitPattern) && a.ints == b.ints && a.strings == b.strings
            && a.tensors == b.tensors && a.graphs == b.graphs && a.sparseTensor == b.sparseTensor
            && a.sparseTensors == b.sparseTensors && a.tp == b.tp && a.typeProtos == b.typeProtos && a.unknownFields == b.unknownFields
    }

    /// The attribute's value, interpreted by its declared type.
    public enum Value: Sendable {
        case float(Float), int(Int64), string(ByteSlice), tensor(Tensor), graph(Graph)
        case floats([Float]), ints([Int64]), strings([ByteSlice]), tensors([Tensor]), graphs([Graph])
        case sparseTensor(SparseTensor), sparseTensors([SparseTensor]), typeProto(ValueType), typeProtos([ValueType])
        case undefined
    }

    public var value: Value {
        switch type {
        case .float: return .float(f)
        case .int: return .int(i)
        case .string: return .string(s ?? .empty)
        case .tensor: return t.map { .tensor($0) } ?? .undefined
        case .graph: return g.map { .graph($0) } ?? .undefined
        case .floats: return .floats(floats)
        case .ints: return .ints(ints)
        case .strings: return .strings(strings)
        case .tensors: return .tensors(tensors)
        case .graphs: return .graphs(graphs)
        case .sparseTensor: return sparseTensor.map { .sparseTensor($0) } ?? .undefined
        case .sparseTensors: return .sparseTensors(sparseTensors)
        case .typeProto: return tp.map { .typeProto($0) } ?? .undefined
        case .typeProtos: return .typeProtos(typeProtos)
        default: return .undefined
        }
    }

    /// Every sub-graph this attribute holds (If branches, Loop/Scan bodies).
    public var subgraphs: [Graph] { (g.map { [$0] } ?? []) + graphs }

    // Convenience constructors for builders and tests.
    public static func int(_ name: String, _ v: Int64) -> Attribute { var a = Attribute(); a.name = name; a.type = .int; a.i = v; return a }
    public static func float(_ name: String, _ v: Float) -> Attribute { var a = Attribute(); a.name = name; a.type = .float; a.f = v; return a }
    public static func ints(_ name: String, _ v: [Int64]) -> Attribute { var a = Attribute(); a.name = name; a.type = .ints; a.ints = v; return a }
    public static func floats(_ name: String, _ v: [Float]) -> Attribute { var a = Attribute(); a.name = name; a.type = .floats; a.floats = v; return a }
    public static func string(_ name: String, _ v: String) -> Attribute { var a = Attribute(); a.name = name; a.type = .string; a.s = ByteSlice(Array(v.utf8)); return a }
    public static func tensor(_ name: String, _ v: Tensor) -> Attribute { var a = Attribute(); a.name = name; a.type = .tensor; a.t = v; return a }
    public static func graph(_ name: String, _ v: Graph) -> Attribute { var a = Attribute(); a.name = name; a.type = .graph; a.g = v; return a }
}

extension Attribute {
    init(reading r: inout WireReader) throws {
        self.init()
        let m = "AttributeProto"
        while let fld = try r.nextField() {
            presence.insert(fld.number)
            switch fld.number {
            case 1: name = try r.string(fld, in: m)
            case 2: f = try r.float(fld, in: m)
            case 3: i = try r.int64(fld, in: m)
            case 4: s = try r.bytes(fld, in: m)
            case 5: var x = try r.message(fld, in: m); t = try Tensor(reading: &x)
            case 6: var x = try r.message(fld, in: m); g = try Graph(reading: &x)
            case 7: try r.appendFloats(fld, to: &floats, in: m)
            case 8: try r.appendVarints(fld, to: &ints, in: m)
            case 9: strings.append(try r.bytes(fld, in: m))
            case 10: var x = try r.message(fld, in: m); tensors.append(try Tensor(reading: &x))
            case 11: var x = try r.message(fld, in: m); graphs.append(try Graph(reading: &x))
            case 13: docString = try r.string(fld, in: m)
            case 14: var x = try r.message(fld, in: m); tp = try ValueType(reading: &x)
            case 15: var x = try r.message(fld, in: m); typeProtos.append(try ValueType(reading: &x))
            case 20: type = AttributeType(rawValue: try r.int32(fld, in: m))
            case 21: refAttrName = try r.string(fld, in: m)
            case 22: var x = try r.message(fld, in: m); sparseTensor = try SparseTensor(reading: &x)
            case 23: var x = try r.message(fld, in: m); sparseTensors.append(try SparseTensor(reading: &x))
            default: unknownFields.append(try r.skip(fld.type, field: fld.number, start: fld.start))
            }
        }
    }

    func write(to w: inout WireWriter) {
        w.string(1, name, always: presence.contains(1))
        // Scalars are written when they are the declared type even if zero: `alpha = 0.0` matters.
        w.float(2, f, always: type == .float || presence.contains(2))
        w.int64(3, i, always: type == .int || presence.contains(3))
        if let s { w.bytes(4, s) }
        if let t { w.message(5) { t.write(to: &$0) } }
        if let g { w.message(6) { g.write(to: &$0) } }
        w.packedFloats(7, floats)
        w.packedVarints(8, ints)
        for x in strings { w.bytes(9, x) }
        for x in tensors { w.message(10) { x.write(to: &$0) } }
        for x in graphs { w.message(11) { x.write(to: &$0) } }
        w.string(13, docString, always: presence.contains(13))
        if let tp { w.message(14) { tp.write(to: &$0) } }
        for x in typeProtos { w.message(15) { x.write(to: &$0) } }
        w.int64(20, Int64(type.rawValue), always: presence.contains(20))
        w.string(21, refAttrName, always: presence.contains(21))
        if let sparseTensor { w.message(22) { sparseTensor.write(to: &$0) } }
        for x in sparseTensors { w.message(23) { x.write(to: &$0) } }
        unknownFields.write(to: &w)
    }
}
