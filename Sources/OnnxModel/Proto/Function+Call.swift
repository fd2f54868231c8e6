extension Function {
    /// The key a call site is matched by: a node whose domain and op type name the function
    /// (and, IR ≥ 10, whose `overload` field names its overload).
    public var callKey: String { domain + "\u{0}" + name + "\u{0}" + overload }

    /// The label of the sub-graph a call opens (the ``GraphScope`` attribute name).
    public static let callScopeLabel = "function body"

    /// The function's body as a graph for one call: its inputs and outputs by the function's
    /// names, attribute references (`ref_attr_name`) replaced by the call's attributes or the
    /// function's defaults, and references the call does not set dropped, as ONNX specifies.
    ///
    /// Instantiating per call keeps attribute-dependent shapes right (a function called with
    /// `axis = 1` and `axis = 2`) and lets every other part of the tree treat the body like
    /// an If branch or a Loop body.
    public func instantiated(for call: Node) -> Graph {
        var defaults: [String: Attribute] = [:]
        for a in attributeProtos { defaults[a.name] = a }
        func resolve(_ node: Node) -> Node {
            var n = node
            n.attributes = node.attributes.compactMap { a in
                guard !a.refAttrName.isEmpty else { return a.subgraphs.isEmpty ? a : resolveGraphs(a) }
                guard var value = call.attribute(a.refAttrName) ?? defaults[a.refAttrName] else { return nil }
                value.name = a.name
                value.refAttrName = ""
                return value
            }
            return n
        }
        // Sub-graphs inside the body (an If in a function) may use the references too.
        func resolveGraphs(_ a: Attribute) -> Attribute {
            var out = a
            if var g = a.g { g.nodes = g.nodes.map(resolve); out.g = g }
            out.graphs = a.graphs.map { g in var g = g; g.nodes = g.nodes.map(resolve); return g }
            return out
        }
        let declared = Dictionary(valueInfo.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var g = Graph(name: (domain.isEmpty ? "" : domain + ".") + name,
                      nodes: nodes.map(resolve),
                      inputs: inputs.map { declared[$0] ?? ValueInfo(name: $0, type: nil) },
                      outputs: outputs.map { declared[$0] ?? ValueInfo(name: $0, type: nil) })
        g.valueInfo = valueInfo.filter { !inputs.contains($0.name) && !outputs.contains($0.name) }
        return g
    }
}

extension Node {
    /// The key of the function this node calls, if it calls one (see ``Function/callKey``).
    public var functionCallKey: String { domain + "\u{0}" + opType + "\u{0}" + overload }
}
