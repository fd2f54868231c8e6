import OnnxGraph
import OnnxModel

/// Why a target does not take a node.
public enum Blocker: Sendable, Hashable, CustomStringConvertible {
    /// The target has no support for the op at all.
    case op(String)
    /// An input has symbolic or unknown dims and the target needs fixed shapes.
    case dynamicShape(input: String, dims: [String])
    /// An input's rank is above the target's limit.
    case rank(input: String, rank: Int, limit: Int)
    /// A condition of the op's support fails on this node.
    case condition(caveat: String, detail: String)
    /// The node sits in a sub-graph the target does not take.
    case subgraph(String)
    /// The EP supports the node but its partitioning leaves it to the CPU EP (a one-node
    /// cluster, a cluster the EP omits); the text says which rule.
    case partitionRule(String)

    public var description: String {
        switch self {
        case .op(let key): return "\(key) is not supported"
        case .dynamicShape(let input, let dims):
            return dims.isEmpty ? "input '\(input)' has no known shape" : "input '\(input)' has a dynamic shape [\(dims.joined(separator: ","))]"
        case .rank(let input, let rank, let limit): return "input '\(input)' has rank \(rank) (at most \(limit))"
        case .condition(let caveat, let detail): return "\(detail) (\(caveat.trimmingTrailingPeriod))"
        case .subgraph(let why): return why
        case .partitionRule(let why): return why
        }
    }

    /// The groups (``kind``) in the order reports list them.
    public static let reportOrder = ["sub-graph", "operator", "condition", "rank", "dynamic shape", "partition rule"]

    /// The group a report lists the node under.
    public var kind: String {
        switch self {
        case .op: return "operator"
        case .dynamicShape: return "dynamic shape"
        case .rank: return "rank"
        case .condition: return "condition"
        case .subgraph: return "sub-graph"
        case .partitionRule: return "partition rule"
        }
    }
}

/// A target's decision on one node, onnxscope's and the usability checker's side by side.
public struct NodeSupport: Sendable {
    public let scope: Int
    public let node: Int
    public let name: String
    /// `domain:op`.
    public let op: String
    /// onnxscope's decision: every condition checked on the model.
    public var supported: Bool { blockers.isEmpty }
    /// A Constant node of the model as written: ORT makes it an initializer at load, so no EP
    /// ever sees it; onnxscope's counts leave it out (the usability checker's do not).
    public var isConstantNode: Bool { op == "ai.onnx:Constant" }
    public let blockers: [Blocker]
    /// Conditions the model could not settle (shape unknown, caveat no rule checks).
    public let unverified: [String]
    /// What ORT's usability checker decides for the node (op listed, shapes fixed as it judges
    /// them, rank), used to reproduce its numbers and explain where onnxscope differs.
    public let checker: CheckerDecision

    public init(scope: Int, node: Int, name: String, op: String, blockers: [Blocker], unverified: [String], checker: CheckerDecision) {
        self.scope = scope; self.node = node; self.name = name; self.op = op
        self.blockers = blockers; self.unverified = unverified; self.checker = checker
    }

    /// The same node with other blockers (a partitioning rule's verdict on a decided node).
    func with(blockers: [Blocker]) -> NodeSupport {
        NodeSupport(scope: scope, node: node, name: name, op: op, blockers: blockers, unverified: unverified, checker: checker)
    }
}

/// The usability checker's per-node decision, reproduced.
public struct CheckerDecision: Sendable, Hashable {
    public var opListed: Bool
    public var shapesFixed: Bool
    public var rankSupported: Bool
    public var supported: Bool { opListed && shapesFixed && rankSupported }

    public init(opListed: Bool, shapesFixed: Bool, rankSupported: Bool) {
        self.opListed = opListed; self.shapesFixed = shapesFixed; self.rankSupported = rankSupported
    }
}

/// Decides support for nodes of one model on one target.
public struct NodeSupportChecker {
    public let catalog: CapabilityCatalog
    let index: GraphIndex
    let shapes: ShapeInferenceResult
    /// Shapes as onnx's shape inference (no data propagation) knows them: the checker's view.
    let checkerShapes: ShapeInferenceResult
    /// When false, shapes are not required to be fixed (the checker's "if the shapes were
    /// fixed" rerun, and onnxscope's with every free dim bound).
    let requireFixedShapes: Bool
    /// The model's opset imports by domain (`""` for ai.onnx), for version-dependent rules.
    let opsets: [String: Int64]

    public init(catalog: CapabilityCatalog, index: GraphIndex, shapes: ShapeInferenceResult,
                checkerShapes: ShapeInferenceResult? = nil, requireFixedShapes: Bool, opsets: [String: Int64] = [:]) {
        self.catalog = catalog; self.index = index; self.shapes = shapes; self.checkerShapes = checkerShapes ?? shapes
        self.requireFixedShapes = requireFixedShapes && catalog.requiresFixedShapes
        self.opsets = opsets
    }

    /// `model`'s opset imports keyed as ``NodeContext`` reads them.
    public static func opsets(of model: Model) -> [String: Int64] {
        var out: [String: Int64] = [:]
        for o in model.opsetImports { out[o.domain == "ai.onnx" ? "" : o.domain] = o.version }
        return out
    }

    public func support(scope s: Int, node n: Int) -> NodeSupport {
        let node = index.scopes[s].node(n)
        let key = (node.domain.isEmpty ? "ai.onnx" : node.domain) + ":" + node.opType
        let context = NodeContext(node: node, scope: s, index: index, shapes: shapes, opsets: opsets, nodeID: n)
        var blockers: [Blocker] = []
        var unverified: [String] = []
        let capability = catalog.capability(for: node)
        if s != 0, let why = catalog.subgraphLimitation { blockers.append(.subgraph(why)) }
        if let capability {
            for rule in capability.rules + catalog.commonRules {
                switch rule.evaluate(context) {
                case .holds: break
                case .fails(let detail): blockers.append(.condition(caveat: rule.caveat, detail: detail))
                case .unknown(let why): unverified.append(why)
                }
            }
        } else {
            blockers.append(.op(key))
        }
        if requireFixedShapes, let (input, dims) = firstDynamicInput(context) {
            blockers.append(.dynamicShape(input: input, dims: dims))
        }
        if let limit = catalog.maxRank, let (input, rank) = firstOverRank(context, limit: limit) {
            blockers.append(.rank(input: input, rank: rank, limit: limit))
        }
        let checker = CheckerDecision(opListed: capability != nil && capability!.checkerMisses == nil,
                                      shapesFixed: !requireFixedShapes || checkerSeesFixedInputs(context),
                                      rankSupported: checkerRankSupported(context))
        return NodeSupport(scope: s, node: n, name: index.scopes[s].displayName(n), op: key,
                           blockers: blockers, unverified: unverified, checker: checker)
    }

    /// The first input (optional inputs left out are fine) whose shape is not fixed.
    func firstDynamicInput(_ c: NodeContext) -> (String, [String])? {
        for (i, name) in c.node.inputs.enumerated() where !name.isEmpty {
            if c.isConstant(name) { continue }
            guard let dims = c.facts(i)?.dims else { return (name, []) }
            if !dims.allSatisfy({ ($0.intValue ?? 0) > 0 }) { return (name, dims.map(\.description)) }
        }
        return nil
    }

    func firstOverRank(_ c: NodeContext, limit: Int) -> (String, Int)? {
        for (i, name) in c.node.inputs.enumerated() where !name.isEmpty {
            if let r = c.rank(i), r > limit { return (name, r) }
        }
        if c.node.opType == "Transpose", let perm = c.node.attribute("perm")?.ints, perm.count > limit {
            return (c.node.inputs.first ?? "", perm.count)
        }
        return nil
    }

    /// The checker's `_is_fixed_shape_value` over every input name, empty ones included: a
    /// value onnx's shape inference typed is fixed when all its dims are positive numbers, or
    /// when its rank is unknown (an empty shape reads as a scalar); an initializer is fixed; a
    /// value shape inference left out (and a missing optional input, "") is not.
    func checkerSeesFixedInputs(_ c: NodeContext) -> Bool {
        c.node.inputs.allSatisfy { checkerSeesFixed($0, c) }
    }

    func checkerSeesFixed(_ name: String, _ c: NodeContext) -> Bool {
        guard !name.isEmpty else { return false }
        if let f = checkerShapes.facts(name, scope: c.scope), f.origin != .initializer {
            guard f.elementType != nil || f.dims != nil else { return false }
            guard !f.isSequence, let dims = f.dims else { return true }
            return dims.allSatisfy { ($0.intValue ?? 0) > 0 }
        }
        return c.isConstant(name) || isInitializer(name, c)
    }

    func isInitializer(_ name: String, _ c: NodeContext) -> Bool {
        var s: Int? = c.scope
        while let cur = s {
            if index.scopes[cur].initializer(named: name) != nil { return true }
            s = index.scopes[cur].parent?.scope
        }
        return false
    }

    /// The checker skips its rank check when it ignores shapes, except Transpose's perm length.
    func checkerRankSupported(_ c: NodeContext) -> Bool {
        guard let limit = catalog.maxRank else { return true }
        if c.node.opType == "Transpose", let perm = c.node.attributes.first?.ints, perm.count > limit { return false }
        guard requireFixedShapes else { return true }
        for name in c.node.inputs where !name.isEmpty {
            if let f = checkerShapes.facts(name, scope: c.scope), !f.isSequence, let r = f.rank, r > limit { return false }
        }
        return true
    }
}

extension String {
    var trimmingTrailingPeriod: String { hasSuffix(".") ? String(dropLast()) : self }
}
