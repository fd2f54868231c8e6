import OnnxGraph
import OnnxModel

/// What a rule found on one node.
public enum RuleOutcome: Sendable, Hashable {
    case holds
    /// The node breaks the condition; the text says how ("input 1 'W' is computed at run time").
    case fails(String)
    /// The model does not tell (a shape onnxscope could not infer, or a caveat no rule checks).
    case unknown(String)
}

/// One condition an execution provider puts on an op, as its support table words it, with the
/// check that verifies it on a node. The usability checker only prints these caveats; onnxscope
/// checks them.
public struct CapabilityRule: Sendable {
    /// The table's words for the condition.
    public let caveat: String
    let check: @Sendable (NodeContext) -> RuleOutcome

    public init(_ caveat: String, check: @escaping @Sendable (NodeContext) -> RuleOutcome) {
        self.caveat = caveat; self.check = check
    }

    public func evaluate(_ context: NodeContext) -> RuleOutcome { check(context) }
}

extension CapabilityRule {
    /// Inputs at these positions, when present, must be constant initializers.
    public static func constant(_ inputs: [Int], _ caveat: String) -> CapabilityRule {
        CapabilityRule(caveat) { c in
            for i in inputs where c.hasInput(i) && !c.isConstant(c.node.inputs[i]) {
                return .fails("input \(i) '\(c.node.inputs[i])' is computed at run time")
            }
            return .holds
        }
    }

    /// Every input from `first` on, when present, must be constant (quantization scales and zero points).
    public static func constant(from first: Int, except: Set<Int> = [], _ caveat: String) -> CapabilityRule {
        CapabilityRule(caveat) { c in
            for i in first..<max(first, c.node.inputs.count) where !except.contains(i) && c.hasInput(i) && !c.isConstant(c.node.inputs[i]) {
                return .fails("input \(i) '\(c.node.inputs[i])' is computed at run time")
            }
            return .holds
        }
    }

    /// Input `input` must have one of these ranks.
    public static func rank(of input: Int, in ranks: Set<Int>, _ caveat: String) -> CapabilityRule {
        CapabilityRule(caveat) { c in
            guard c.hasInput(input) else { return .holds }
            guard let r = c.rank(input) else { return .unknown("rank of '\(c.node.inputs[input])' unknown") }
            return ranks.contains(r) ? .holds : .fails("input '\(c.node.inputs[input])' has rank \(r)")
        }
    }

    /// A string attribute (with its default when absent) must be one of `allowed`.
    public static func attribute(_ name: String, default fallback: String, in allowed: Set<String>, _ caveat: String) -> CapabilityRule {
        CapabilityRule(caveat) { c in
            let v = c.node.attribute(name)?.s?.string ?? fallback
            return allowed.contains(v) ? .holds : .fails("\(name) is '\(v)'")
        }
    }

    /// An int attribute (with its default when absent) must be one of `allowed`.
    public static func attribute(_ name: String, default fallback: Int64, in allowed: Set<Int64>, _ caveat: String) -> CapabilityRule {
        CapabilityRule(caveat) { c in
            let v = c.node.attribute(name)?.i ?? fallback
            return allowed.contains(v) ? .holds : .fails("\(name) is \(v)")
        }
    }

    /// The attribute must not be given (or, for ints lists, only with default zeros).
    public static func absent(_ name: String, allowingZeros: Bool = false, _ caveat: String) -> CapabilityRule {
        CapabilityRule(caveat) { c in
            guard let a = c.node.attribute(name) else { return .holds }
            if allowingZeros && a.ints.allSatisfy({ $0 == 0 }) { return .holds }
            return .fails("\(name) is set")
        }
    }

    /// Inputs at these positions, when present, must have one of these element types.
    public static func types(_ inputs: [Int], in allowed: Set<DataType>, _ caveat: String) -> CapabilityRule {
        CapabilityRule(caveat) { c in
            for i in inputs where c.hasInput(i) {
                guard let t = c.facts(i)?.elementType else { return .unknown("type of '\(c.node.inputs[i])' unknown") }
                if !allowed.contains(t) { return .fails("input '\(c.node.inputs[i])' is \(t.name)") }
            }
            return .holds
        }
    }

    /// A caveat no rule can verify from the graph; reported as not checked.
    public static func unchecked(_ caveat: String) -> CapabilityRule {
        CapabilityRule(caveat) { _ in .unknown("not checked: " + caveat) }
    }
}

/// What a rule may ask about the node it checks: its inputs' facts, and which inputs are
/// constant initializers (in its scope or an enclosing one, as ORT's EPs see them).
public struct NodeContext {
    public let node: Node
    public let scope: Int
    let index: GraphIndex
    let shapes: ShapeInferenceResult
    /// The model's opset imports by domain (`""` for ai.onnx).
    let opsets: [String: Int64]

    /// The node's id in its scope, when the caller knows it.
    public let nodeID: Int?

    public init(node: Node, scope: Int, index: GraphIndex, shapes: ShapeInferenceResult, opsets: [String: Int64] = [:], nodeID: Int? = nil) {
        self.node = node; self.scope = scope; self.index = index; self.shapes = shapes; self.opsets = opsets; self.nodeID = nodeID
    }

    public func hasInput(_ i: Int) -> Bool { i < node.inputs.count && !node.inputs[i].isEmpty }
    public func facts(_ i: Int) -> ValueFacts? { hasInput(i) ? shapes.facts(node.inputs[i], scope: scope) : nil }
    public func rank(_ i: Int) -> Int? { facts(i)?.rank }
    public func hasOutput(_ i: Int) -> Bool { i < node.outputs.count && !node.outputs[i].isEmpty }
    public func outputFacts(_ i: Int) -> ValueFacts? { hasOutput(i) ? shapes.facts(node.outputs[i], scope: scope) : nil }

    /// The opset version the node's domain is imported at (nil when the model does not import it).
    public var opsetVersion: Int64? {
        let d = node.domain == "ai.onnx" ? "" : node.domain
        return opsets[d] ?? (d.isEmpty ? opsets["ai.onnx"] : nil)
    }

    /// The constant tensor behind `name`: an initializer of this scope or an enclosing one that
    /// no graph input can override, or a Constant node's value (ORT makes those initializers
    /// at load, before any EP sees the graph).
    public func constant(_ name: String) -> Tensor? {
        var s: Int? = scope
        while let cur = s {
            let g = index.scopes[cur]
            if let t = g.initializer(named: name) {
                return g.graph.inputs.contains { $0.name == name } ? nil : t
            }
            if let t = g.constantTensor(named: name) { return t }
            if g.producer(of: name) != nil { return nil }
            s = g.parent?.scope
        }
        return nil
    }

    public func isConstant(_ name: String) -> Bool { constant(name) != nil }
}
