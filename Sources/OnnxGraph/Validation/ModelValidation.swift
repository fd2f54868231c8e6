import OnnxModel

/// The problems that make `onnx.checker.check_model(model, full_check=True)` or ONNX Runtime
/// (creating an `InferenceSession`) refuse a model, each with the tensor or node it concerns.
///
/// Severity follows one rule, so that `info`'s exit code means "ONNX Runtime will not load this":
/// - **error**: ONNX Runtime refuses models with this problem. A broken initializer that no
///   node reads can slip through (ORT drops unused initializers before reading their data);
///   it is an error all the same, since the onnx checker refuses it and the file is broken.
/// - **warning**: only the onnx checker refuses it and ORT loads the model (nodes out of
///   topological order, a graph without a name, a symbolic link to external data), or ORT
///   refuses it for want of something outside the model: nodes of a domain it does not
///   build in need a custom-op library.
///
/// Structural problems of the graph (cycles, inputs nothing produces, duplicate producers,
/// duplicate node names) are found by ``GraphIndex`` and are in its ``GraphIndex/issues``;
/// this type adds everything else and does not repeat those. ``GraphAnalysis`` merges both.
///
/// Validation stays lazy: tensor sizes come from the byte lengths and element counts of the
/// fields as they lie in the mapped file, and external-data files are only `stat`ed, never
/// mapped or read, so validating a multi-gigabyte model touches almost none of its pages.
///
/// Not checked (the onnx checker or ORT check them, this does not): operator schemas beyond
/// "does this op exist at this opset" (attribute names and types, input and output counts,
/// type constraints), full type and shape inference, sparse-tensor index rules, function
/// bodies, and whether the CPU provider has a kernel for an op at a given type.
public struct ModelValidation: Sendable {
    /// Every problem found, in the order the checks ran (tensors, external data, versions,
    /// operators, graph structure).
    public let problems: [GraphIssue]
    /// The ONNX Runtime release the versions were checked against.
    public let runtime: RuntimeRelease

    /// Validates `model`, whose graph `index` describes, against `runtime`'s limits.
    public init(model: Model, index: GraphIndex, runtime: RuntimeRelease = .newestKnown) {
        var c = ValidationContext(model: model, index: index, runtime: runtime)
        TensorDataCheck.run(&c)
        OpsetCheck.run(&c)
        OperatorCheck.run(&c)
        GraphStructureCheck.run(&c)
        problems = c.problems
        self.runtime = runtime
    }

    /// The error-severity problems.
    public var errors: [GraphIssue] { problems.filter { $0.severity == .error } }
}

/// What every check needs: the model, its index, where to put problems, and how to name
/// the things a problem is about.
struct ValidationContext {
    let model: Model
    let index: GraphIndex
    let runtime: RuntimeRelease
    var problems: [GraphIssue] = []

    mutating func report(_ severity: GraphIssue.Severity, _ kind: GraphIssue.Kind, _ message: String,
                         scope: Int, nodes: [Int] = [], values: [String] = []) {
        problems.append(GraphIssue(severity, kind, message, scope: scope, nodes: nodes, values: values))
    }

    /// ` (in If_0/then_branch)` for a sub-graph, nothing for the main graph: messages name the
    /// place, since the same tensor name can occur in several graphs.
    func whereabouts(_ scope: Int) -> String { scope == 0 ? "" : " (in \(index.path(of: scope)))" }

    /// `'relu1'` or `Relu#3` (an unnamed node), as the explorer shows it.
    func nodeLabel(_ scope: Int, _ node: Int) -> String {
        let s = index.scopes[scope]
        return s.node(node).name.isEmpty ? s.displayName(node) : "'" + s.displayName(node) + "'"
    }

    /// Up to five node labels, then `…`.
    func nodeList(_ scope: Int, _ nodes: [Int]) -> String {
        nodes.prefix(5).map { nodeLabel(scope, $0) }.joined(separator: ", ") + (nodes.count > 5 ? ", …" : "")
    }
}

/// Where a tensor was found, for messages: `initializer 'w'`, `tensor 'value' of node 'c1'`.
struct TensorSite {
    var scope: Int
    /// The node holding the tensor in an attribute; nil for initializers.
    var node: Int? = nil
    /// How to name it in a message, already escaped. A closure because almost every tensor is
    /// fine: the name is only spelled out when there is something to say.
    var label: () -> String
}

extension Array where Element == Int64 {
    /// `[2,3,224,224]`, as `info` prints shapes.
    var dimsText: String { "[" + map(String.init).joined(separator: ",") + "]" }
}
