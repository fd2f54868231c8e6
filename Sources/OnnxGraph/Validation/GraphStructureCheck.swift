import OnnxModel

/// Graph-level rules of the onnx checker that ``GraphIndex`` does not already report: file
/// order must be a topological order, graphs need names, the main graph's inputs and outputs
/// need types, and IR 3 models must list their initializers as inputs.
///
/// ONNX Runtime sorts nodes itself and ignores graph names and output types, so these are
/// warnings; a main-graph input without a type is the exception (ORT: "Model input (x) does
/// not have type information").
enum GraphStructureCheck {
    static func run(_ c: inout ValidationContext) {
        let cyclic = Set(c.index.issues.filter { $0.kind == .cycle }.map(\.scope))
        for scope in c.index.scopes {
            // A cycle is reported as an error already; it cannot be in order either.
            if !cyclic.contains(scope.id) { checkOrder(scope, &c) }
            if scope.graph.name.isEmpty {
                let what = scope.id == 0 ? "the main graph" : "the sub-graph " + c.index.path(of: scope.id)
                c.report(.warning, .missingField, "\(what) has no name; the onnx checker requires one", scope: scope.id)
            }
        }
        checkMainGraphTypes(&c)
        checkIR3Initializers(&c)
    }

    /// Nodes that read a value a later node of the same graph produces (directly, or through
    /// a sub-graph that captures it): the checker wants producers first.
    static func checkOrder(_ scope: GraphScope, _ c: inout ValidationContext) {
        var early: [Int] = []
        var first: (node: Int, value: String, producer: Int)?
        for (n, node) in scope.graph.nodes.enumerated() {
            let reads = node.inputs.filter { !$0.isEmpty } + scope.implicitInputs(of: n)
            guard let late = reads.first(where: { (scope.producerNode(of: $0) ?? -1) > n }) else { continue }
            early.append(n)
            if first == nil { first = (n, late, scope.producerNode(of: late)!) }
        }
        guard let first else { return }
        let more = early.count > 1 ? " (\(early.count) nodes read values produced after them)" : ""
        c.report(.warning, .nodeOrder,
                 "nodes are not in topological order\(c.whereabouts(scope.id)): \(c.nodeLabel(scope.id, first.node)) reads '\(first.value.escapedForDisplay)' before \(c.nodeLabel(scope.id, first.producer)) produces it\(more); ONNX Runtime sorts them, the onnx checker refuses the file",
                 scope: scope.id, nodes: early, values: [first.value])
    }

    /// The checker wants a type, an element type and a shape on every main-graph input and
    /// output (sub-graphs are exempt); ORT needs at least the type of each input it feeds.
    static func checkMainGraphTypes(_ c: inout ValidationContext) {
        let main = c.index.main
        let initializers = Set(main.initializerNames)
        for (io, values) in [("input", main.graph.inputs), ("output", main.graph.outputs)] {
            for v in values {
                let name = "'" + v.name.escapedForDisplay + "'"
                guard let type = v.type, type.kind != .none else {
                    // An input that an initializer feeds is never fed by the caller.
                    let fed = io == "input" && !initializers.contains(v.name)
                    c.report(fed ? .error : .warning, .missingField,
                             "graph \(io) \(name) has no type" + (fed ? "; ONNX Runtime cannot feed it" : "; the onnx checker requires one"),
                             scope: 0, values: [v.name])
                    continue
                }
                switch type.kind {
                case .tensor(let t, let shape), .sparseTensor(let t, let shape):
                    if t == .undefined || shape == nil {
                        c.report(.warning, .missingField,
                                 "graph \(io) \(name) has no \(t == .undefined ? "element type" : "shape"); the onnx checker requires one on the main graph",
                                 scope: 0, values: [v.name])
                    }
                default: break
                }
            }
        }
    }

    /// Up to IR 3 initializers were graph inputs with a default; the checker still holds IR 3
    /// files to that ("w in initializer but not in graph input").
    static func checkIR3Initializers(_ c: inout ValidationContext) {
        guard c.model.irVersion <= 3 else { return }
        for scope in c.index.scopes {
            let inputs = Set(scope.graph.inputs.map(\.name))
            let missing = scope.graph.initializers.map(\.name).filter { !inputs.contains($0) }
            guard let first = missing.first else { continue }
            c.report(.warning, .missingField,
                     "IR \(c.model.irVersion) model: initializer '\(first.escapedForDisplay)'\(missing.count > 1 ? " and \(missing.count - 1) more" : "")\(c.whereabouts(scope.id)) not listed as graph input\(missing.count > 1 ? "s" : ""); the onnx checker requires that up to IR 3",
                     scope: scope.id, values: missing)
        }
    }
}
