/// `FunctionProto`: a model-local function (an op defined by a sub-graph of nodes).
public struct Function: Sendable, Equatable {
    public var name: String = ""
    public var inputs: [String] = []
    public var outputs: [String] = []
    public var attributeNames: [String] = []
    public var attributeProtos: [Attribute] = []
    public var nodes: [Node] = []
    public var docString: String = ""
    public var opsetImports: [OperatorSetId] = []
    public var domain: String = ""
    public var overload: String = ""
    public var presence = FieldPresence()
    public var valueInfo: [ValueInfo] = []
    public var metadataProps: [StringStringEntry] = []
    public var unknownFields = UnknownFields()
    public init() {}

    init(reading r: inout WireReader) throws {
        let m = "FunctionProto"
        while let f = try r.nextField() {
            presence.insert(f.number)
            switch f.number {
            case 1: name = try r.string(f, in: m)
            case 4: inputs.append(try r.string(f, in: m))
            case 5: outputs.append(try r.string(f, in: m))
            case 6: attributeNames.append(try r.string(f, in: m))
            case 7: var s = try r.message(f, in: m); nodes.append(try Node(reading: &s))
            case 8: docString = try r.string(f, in: m)
            case 9: var s = try r.message(f, in: m); opsetImports.append(try OperatorSetId(reading: &s))
            case 10: domain = try r.string(f, in: m)
            case 11: var s = try r.message(f, in: m); attributeProtos.append(try Attribute(reading: &s))
            case 12: var s = try r.message(f, in: m); valueInfo.append(try ValueInfo(reading: &s))
            case 13: overload = try r.string(f, in: m)
            case 14: var s = try r.message(f, in: m); metadataProps.append(try StringStringEntry(reading: &s))
            default: unknownFields.append(try r.skip(f.type, field: f.number, start: f.start))
            }
        }
    }

    func write(to w: inout WireWriter) {
        w.string(1, name, always: presence.contains(1))
        for x in inputs { w.string(4, x, always: true) }
        for x in outputs { w.string(5, x, always: true) }
        for x in attributeNames { w.string(6, x, always: true) }
        for n in nodes { w.message(7) { n.write(to: &$0) } }
        w.string(8, docString, always: presence.contains(8))
        for o in opsetImports { w.message(9) { o.write(to: &$0) } }
        w.string(10, domain, always: presence.contains(10))
        for a in attributeProtos { w.message(11) { a.write(to: &$0) } }
        for v in valueInfo { w.message(12) { v.write(to: &$0) } }
        w.string(13, overload, always: presence.contains(13))
        w.entries(14, metadataProps)
        unknownFields.write(to: &w)
    }
}

/// `TrainingInfoProto`: training graphs that travel with some models.
public struct TrainingInfo: Sendable, Equatable {
    public var initialization: Graph?
    public var algorithm: Graph?
    public var initializationBinding: [StringStringEntry] = []
    public var updateBinding: [StringStringEntry] = []
    public var unknownFields = UnknownFields()
    public init() {}

    init(reading r: inout WireReader) throws {
        let m = "TrainingInfoProto"
        while let f = try r.nextField() {
            switch f.number {
            case 1: var s = try r.message(f, in: m); initialization = try Graph(reading: &s)
            case 2: var s = try r.message(f, in: m); algorithm = try Graph(reading: &s)
            case 3: var s = try r.message(f, in: m); initializationBinding.append(try StringStringEntry(reading: &s))
            case 4: var s = try r.message(f, in: m); updateBinding.append(try StringStringEntry(reading: &s))
            default: unknownFields.append(try r.skip(f.type, field: f.number, start: f.start))
            }
        }
    }

    func write(to w: inout WireWriter) {
        if let initialization { w.message(1) { initialization.write(to: &$0) } }
        if let algorithm { w.message(2) { algorithm.write(to: &$0) } }
        w.entries(3, initializationBinding)
        w.entries(4, updateBinding)
        unknownFields.write(to: &w)
    }
}
