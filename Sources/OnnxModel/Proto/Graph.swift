/// `GraphProto`: nodes in file order plus the values that flow between them.
public struct Graph: Sendable, Equatable {
    public var nodes: [Node] = []
    public var name: String = ""
    public var presence = FieldPresence()
    public var initializers: [Tensor] = []
    public var sparseInitializers: [SparseTensor] = []
    public var docString: String = ""
    public var inputs: [ValueInfo] = []
    public var outputs: [ValueInfo] = []
    public var valueInfo: [ValueInfo] = []
    public var quantizationAnnotations: [TensorAnnotation] = []
    public var metadataProps: [StringStringEntry] = []
    public var unknownFields = UnknownFields()

    public init(name: String = "", nodes: [Node] = [], inputs: [ValueInfo] = [], outputs: [ValueInfo] = [], initializers: [Tensor] = []) {
        self.name = name; self.nodes = nodes; self.inputs = inputs; self.outputs = outputs; self.initializers = initializers
    }
}

extension Graph {
    /// This graph and every sub-graph under it (If/Loop/Scan bodies, at any depth), walked with
    /// a work list so that a hostile nesting depth cannot exhaust the stack.
    public var withSubgraphs: [Graph] {
        var out: [Graph] = []
        var pending = [self]
        while let g = pending.popLast() {
            out.append(g)
            for n in g.nodes { for a in n.attributes { pending += a.subgraphs } }
        }
        return out
    }

    init(reading r: inout WireReader) throws {
        self.init()
        let m = "GraphProto"
        while let f = try r.nextField() {
            presence.insert(f.number)
            switch f.number {
            case 1: var s = try r.message(f, in: m); nodes.append(try Node(reading: &s))
            case 2: name = try r.string(f, in: m)
            case 5: var s = try r.message(f, in: m); initializers.append(try Tensor(reading: &s))
            case 10: docString = try r.string(f, in: m)
            case 11: var s = try r.message(f, in: m); inputs.append(try ValueInfo(reading: &s))
            case 12: var s = try r.message(f, in: m); outputs.append(try ValueInfo(reading: &s))
            case 13: var s = try r.message(f, in: m); valueInfo.append(try ValueInfo(reading: &s))
            case 14: var s = try r.message(f, in: m); quantizationAnnotations.append(try TensorAnnotation(reading: &s))
            case 15: var s = try r.message(f, in: m); sparseInitializers.append(try SparseTensor(reading: &s))
            case 16: var s = try r.message(f, in: m); metadataProps.append(try StringStringEntry(reading: &s))
            default: unknownFields.append(try r.skip(f.type, field: f.number, start: f.start))
            }
        }
    }

    func write(to w: inout WireWriter) {
        for n in nodes { w.message(1) { n.write(to: &$0) } }
        w.string(2, name, always: presence.contains(2))
        for t in initializers { w.message(5) { t.write(to: &$0) } }
        w.string(10, docString, always: presence.contains(10))
        for v in inputs { w.message(11) { v.write(to: &$0) } }
        for v in outputs { w.message(12) { v.write(to: &$0) } }
        for v in valueInfo { w.message(13) { v.write(to: &$0) } }
        for a in quantizationAnnotations { w.message(14) { a.write(to: &$0) } }
        for s in sparseInitializers { w.message(15) { s.write(to: &$0) } }
        w.entries(16, metadataProps)
        unknownFields.write(to: &w)
    }
}
