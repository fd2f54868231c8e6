/// `NodeProto`: one operator application.
public struct Node: Sendable, Equatable {
    public var inputs: [String] = []
    public var outputs: [String] = []
    public var name: String = ""
    public var opType: String = ""
    public var domain: String = ""
    public var overload: String = ""
    public var presence = FieldPresence()
    public var attributes: [Attribute] = []
    public var docString: String = ""
    public var metadataProps: [StringStringEntry] = []
    /// Kept as unknown fields: `device_configurations` (field 10) and anything newer.
    public var unknownFields = UnknownFields()

    public init(opType: String, name: String = "", domain: String = "", inputs: [String], outputs: [String], attributes: [Attribute] = []) {
        self.opType = opType; self.name = name; self.domain = domain
        self.inputs = inputs; self.outputs = outputs; self.attributes = attributes
    }

    /// The attribute called `name`, if present.
    public func attribute(_ name: String) -> Attribute? { attributes.first { $0.name == name } }

    /// True for the default ONNX domain (`""` or `"ai.onnx"`).
    public var isDefaultDomain: Bool { domain.isEmpty || domain == "ai.onnx" }

    /// Sub-graphs held by attributes (If branches, Loop and Scan bodies), with the attribute name.
    public var subgraphs: [(attribute: String, graph: Graph)] {
        attributes.flatMap { a in a.subgraphs.map { (a.name, $0) } }
    }
}

extension Node {
    init(reading r: inout WireReader) throws {
        self.init(opType: "", inputs: [], outputs: [])
        let m = "NodeProto"
        while let f = try r.nextField() {
            presence.insert(f.number)
            switch f.number {
            case 1: inputs.append(try r.string(f, in: m))
            case 2: outputs.append(try r.string(f, in: m))
            case 3: name = try r.string(f, in: m)
            case 4: opType = try r.string(f, in: m)
            case 5: var s = try r.message(f, in: m); attributes.append(try Attribute(reading: &s))
            case 6: docString = try r.string(f, in: m)
            case 7: domain = try r.string(f, in: m)
            case 8: overload = try r.string(f, in: m)
            case 9: var s = try r.message(f, in: m); metadataProps.append(try StringStringEntry(reading: &s))
            default: unknownFields.append(try r.skip(f.type, field: f.number, start: f.start))
            }
        }
    }

    func write(to w: inout WireWriter) {
        // Empty input names are meaningful (an omitted optional input), so always write them.
        for x in inputs { w.string(1, x, always: true) }
        for x in outputs { w.string(2, x, always: true) }
        w.string(3, name, always: presence.contains(3))
        w.string(4, opType, always: presence.contains(4))
        for a in attributes { w.message(5) { a.write(to: &$0) } }
        w.string(6, docString, always: presence.contains(6))
        w.string(7, domain, always: presence.contains(7))
        w.string(8, overload, always: presence.contains(8))
        w.entries(9, metadataProps)
        unknownFields.write(to: &w)
    }
}
