import Foundation
import OnnxGraph
import OnnxModel

/// Per node of the main graph: int8 or float, and why. The plan is what the user edits
/// (`--exclude`, `--include`, `--op-types`, a plan file, the explorer's toggles); the
/// rewriter follows it.
public struct QuantizationPlan: Sendable, Equatable {
    public enum Precision: String, Sendable, Codable { case int8, float }

    /// Why a node has its precision.
    public enum Reason: Sendable, Equatable, CustomStringConvertible {
        /// int8 by default: ORT fuses it into `kernel`.
        case fusesInto(kernel: String)
        /// Data movement between int8 values: keeps its input's scale.
        case sharesInputScale
        /// Relu/Clip folded into the output quantization of the node before.
        case foldedInto(node: String)
        /// The user asked (`--include`, `--exclude`, a plan file, a toggle).
        case user(Precision)
        /// Its op type was not in `--op-types`.
        case opTypeNotSelected
        /// Kept float: not quantizable.
        case notQuantizable(String)
        /// Kept float by default (quantizable, but usually costs accuracy for little speed).
        case floatByDefault(String)
        /// Data movement whose input is float.
        case inputIsFloat
        /// Relu/Clip that cannot fold (its producer is float, or its input has other readers).
        case cannotFold(String)
        /// Mul/Div by a constant between int8 values: folded into a DequantizeLinear's scale.
        case scaleFolded(factor: Double)
        /// Kept float by the accuracy-driven fallback search.
        case fallback
        /// Kept float by the speed check: its kind measured faster float on this machine.
        case slowerAsInt8(kind: String)

        public var description: String {
            switch self {
            case .fusesInto(let k): return "fuses into \(k)"
            case .sharesInputScale: return "data movement between int8 values (keeps its input's scale)"
            case .foldedInto(let n): return "clamp folded into the output quantization of \(n)"
            case .user(let p): return "set to \(p.rawValue) by the user"
            case .opTypeNotSelected: return "op type not in --op-types"
            case .notQuantizable(let why): return why
            case .floatByDefault(let why): return why
            case .inputIsFloat: return "its input is float, so it stays float"
            case .cannotFold(let why): return why
            case .scaleFolded(let f): return String(format: "multiplies by %.6g: folded into the scale of its input's DequantizeLinear (exact, no kernel runs)", f)
            case .fallback: return "kept float by the accuracy fallback"
            case .slowerAsInt8(let kind): return "kept float by --speed-check: the model ran faster with every \(kind) float on this machine"
            }
        }
    }

    public struct Decision: Sendable, Equatable {
        public var node: Int
        public var name: String
        public var opType: String
        public var role: QuantizationRole
        public var precision: Precision
        public var reason: Reason
    }

    /// One per main-graph node, in graph order.
    public internal(set) var decisions: [Decision]

    public var int8Nodes: [Decision] { decisions.filter { $0.precision == .int8 } }
    public func decision(named name: String) -> Decision? { decisions.first { $0.name == name } }
}

/// What the user chose, before the plan is worked out.
public struct PlanRequest: Sendable, Equatable {
    /// Only these compute op types are quantized by default (empty: all).
    public var opTypes: Set<String> = []
    /// Node names forced float.
    public var exclude: Set<String> = []
    /// Node names forced int8 (when quantizable).
    public var include: Set<String> = []
    /// Per node from a plan file: name → precision.
    public var overrides: [String: QuantizationPlan.Precision] = [:]
    /// Node names the fallback search keeps float.
    public var fallback: Set<String> = []
    /// Node names the speed check keeps float, with their kind ("MaxPool", "Conv (depthwise)").
    public var slowerAsInt8: [String: String] = [:]
    /// Nodes the calibrated ranges say to keep float, with why (see ``QuantizationPlan/rangeHazards(analysis:ranges:)``).
    /// The user's choices override these.
    public var rangeHazards: [String: String] = [:]
    public init() {}
}

extension PlanRequest {
    /// What the user (or the fallback search) asked for `name`, if anything: the fallback and
    /// `--exclude` keep it float, `--include` makes it int8, else the plan file's choice.
    public func choice(for name: String) -> QuantizationPlan.Precision? {
        if fallback.contains(name) || slowerAsInt8[name] != nil { return .float }
        if exclude.contains(name) { return .float }
        if include.contains(name) { return .int8 }
        return overrides[name]
    }
}

public struct PlanError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ d: String) { description = d }
}

extension QuantizationPlan {
    /// Works out every node's precision. Compute ops are decided first (defaults, then the
    /// user's choices); data movement and Relu/Clip then follow their neighbours in topological
    /// order, so no Q/DQ pair is ever left alone between float ops.
    public init(analysis: GraphAnalysis, request: PlanRequest) throws {
        let scope = analysis.index.main
        let facts = { (v: String) in analysis.shapes.facts(v) }
        let names = (0..<scope.nodeCount).map { scope.displayName($0) }
        let known = Set(names)
        for n in request.exclude.union(request.include).union(request.overrides.keys) where !known.contains(n) {
            throw PlanError("no node named '\(n)' in the main graph")
        }
        let unknownOps = request.opTypes.subtracting(QuantizableOps.computeOpTypes)
        if !unknownOps.isEmpty {
            throw PlanError("--op-types: \(unknownOps.sorted().joined(separator: ", ")) cannot be quantized (choose from \(QuantizableOps.computeOpTypes.joined(separator: ", ")))")
        }
        var decisions: [Decision] = (0..<scope.nodeCount).map { i in
            let node = scope.node(i)
            let role = QuantizableOps.role(of: node, in: scope, facts: facts)
            return Decision(node: i, name: names[i], opType: node.opType, role: role, precision: .float,
                            reason: { if case .none(let why) = role { return .notQuantizable(why) }; return .inputIsFloat }())
        }
        for (i, d) in decisions.enumerated() where request.include.contains(d.name) || request.overrides[d.name] == .int8 {
            if case .none(let why) = d.role { throw PlanError("\(names[i]) (\(d.opType)) cannot be int8: \(why)") }
        }
        // Compute ops.
        for i in decisions.indices {
            guard case .compute(let kernel) = decisions[i].role else { continue }
            let op = decisions[i].opType
            var precision: Precision = .int8
            var reason: Reason = .fusesInto(kernel: kernel)
            if !request.opTypes.isEmpty && !request.opTypes.contains(op) { precision = .float; reason = .opTypeNotSelected }
            else if op == "Softmax" { precision = .float; reason = .floatByDefault("Softmax kept float by default: 8-bit probabilities lose ties and small classes (--include to quantize)") }
            else if op == "Mul", scope.node(i).inputs.count == 2, scope.node(i).inputs[0] == scope.node(i).inputs[1] {
                precision = .float; reason = .floatByDefault("squares its input (x·x, as in decomposed LayerNorm/GELU): 8 bits of x leave about 4 of x² (--include to quantize)")
            }
            else if let why = request.rangeHazards[decisions[i].name] { precision = .float; reason = .floatByDefault(why) }
            else if op == "Add" || op == "Mul", !scope.node(i).inputs.contains(where: { Self.fedByMatrixOp($0, scope: scope, facts: facts) }) {
                precision = .float
                reason = .floatByDefault("elementwise \(op) not fed by a Conv/MatMul/Gemm (as inside decomposed LayerNorm or GELU): 8 bits there cost accuracy for little speed (--include to quantize)")
            }
            if let u = request.choice(for: decisions[i].name) { precision = u; reason = Self.userReason(request, decisions[i].name, u) }
            decisions[i].precision = precision
            decisions[i].reason = reason
        }
        // A value is quantized when an int8 node produces it or reads it.
        var producerOf: [String: Int] = [:]
        for i in 0..<scope.nodeCount { for o in scope.node(i).outputs where !o.isEmpty { producerOf[o] = i } }
        let graphOutputs = Set(scope.graph.outputs.map(\.name))
        func readByInt8Compute(_ v: String) -> Bool {
            scope.consumers(of: v).contains { c in
                if case .compute = decisions[c].role { return decisions[c].precision == .int8 }
                return false
            }
        }
        // Read by an int8 compute node directly, or through data movement and other rescales
        // (a decoder's `q · scaling → Reshape → Transpose → MatMul`).
        func reachesInt8Compute(_ v: String, depth: Int = 0) -> Bool {
            if readByInt8Compute(v) { return true }
            guard depth < 8 else { return false }
            return scope.consumers(of: v).contains { c in
                switch decisions[c].role {
                case .sharedScale: return scope.node(c).inputs.first == v && scope.node(c).outputs.contains { !$0.isEmpty && reachesInt8Compute($0, depth: depth + 1) }
                case .rescale(_, let slot): return scope.node(c).inputs[slot] == v && reachesInt8Compute(scope.node(c).outputs[0], depth: depth + 1)
                default: return false
                }
            }
        }
        func quantizedAlready(_ v: String) -> Bool {
            if let p = producerOf[v], decisions[p].precision == .int8 { return true }
            return readByInt8Compute(v)
        }
        for i in scope.topologicalOrder {
            let node = scope.node(i)
            switch decisions[i].role {
            case .sharedScale:
                let input = node.inputs[0]
                let userFloat = request.choice(for: decisions[i].name) == .float
                if userFloat { decisions[i].reason = Self.userReason(request, decisions[i].name, .float); continue }
                if scope.constantTensor(named: input) == nil, quantizedAlready(input) {
                    decisions[i].precision = .int8
                    decisions[i].reason = request.choice(for: decisions[i].name) == .int8 ? .user(.int8) : .sharesInputScale
                }
            case .rescale(let factor, let slot):
                if request.choice(for: decisions[i].name) == .float { decisions[i].reason = Self.userReason(request, decisions[i].name, .float); continue }
                // Only inside an int8 chain: a rescale whose result only float nodes read would
                // force its input (a MatMul's attention scores, a Gemm's logits) into 8 bits.
                if quantizedAlready(node.inputs[slot]), reachesInt8Compute(node.outputs[0]) {
                    decisions[i].precision = .int8
                    decisions[i].reason = .scaleFolded(factor: factor)
                } else if request.choice(for: decisions[i].name) == .int8 {
                    decisions[i].reason = .cannotFold("a constant factor folds into a scale only between int8 values: its input or every reader of its result is float")
                }
            case .foldableActivation:
                let input = node.inputs[0]
                if request.choice(for: decisions[i].name) == .float { decisions[i].reason = Self.userReason(request, decisions[i].name, .float); continue }
                guard let p = producerOf[input], decisions[p].precision == .int8, case .compute = decisions[p].role else {
                    decisions[i].reason = .cannotFold("its input does not come from an int8 node, so there is no quantized output to fold the clamp into"); continue
                }
                guard scope.consumers(of: input).count == 1, !graphOutputs.contains(input) else {
                    decisions[i].reason = .cannotFold("the value before it is also read elsewhere, so the clamp cannot move into its quantization"); continue
                }
                if node.opType == "Clip", let lo = Self.clipBound(node, scope: scope, slot: 1, attribute: "min"), lo > 0 {
                    decisions[i].reason = .cannotFold("Clip's lower bound is above 0"); continue
                }
                decisions[i].precision = .int8
                decisions[i].reason = .foldedInto(node: names[p])
            default: break
            }
        }
        self.decisions = decisions
    }

    /// Nodes whose calibrated ranges make 8 bits fail, by name with the reason:
    /// - a value spanning more than ±1e5 (attention masks built as `(1 − mask)·float.min`,
    ///   sentinels): one scale for it rounds every real value to zero;
    /// - a Concat whose inputs' ranges differ more than 32× (YOLO heads joining pixel boxes
    ///   and 0–1 scores): the shared output scale leaves the smallest input a few levels.
    public static func rangeHazards(analysis: GraphAnalysis, ranges: [String: ValueRange]) -> [String: String] {
        let scope = analysis.index.main
        var out: [String: String] = [:]
        func magnitude(_ v: String) -> Double? { ranges[v].map { Swift.max(abs($0.min), abs($0.max)) } }
        for i in 0..<scope.nodeCount {
            let node = scope.node(i)
            guard case .compute = QuantizableOps.role(of: node, in: scope, facts: { analysis.shapes.facts($0) }) else { continue }
            let values = (node.inputs + node.outputs).filter { !$0.isEmpty && scope.constantTensor(named: $0) == nil }
            if let huge = values.first(where: { (magnitude($0) ?? 0) > 1e5 }) {
                out[scope.displayName(i)] = String(format: "'%@' spans ±%.3g (a mask or sentinel, not data): one 8-bit scale would round every real value to 0", huge, magnitude(huge)!)
                continue
            }
            if node.opType == "Concat" {
                let m = node.inputs.compactMap(magnitude).filter { $0 > 0 }
                if let lo = m.min(), let hi = m.max(), hi / lo > 32 {
                    out[scope.displayName(i)] = String(format: "its inputs' ranges differ %.0f× (%.3g vs %.3g): one shared scale would leave the smallest a few levels", hi / lo, lo, hi)
                }
            }
        }
        return out
    }

    /// True when `v` comes from a Conv/ConvTranspose/MatMul/Gemm, directly or through
    /// activations and data movement: the residual and bias Adds (and SiLU's Mul) that sit
    /// between integer layers, where quantizing them keeps the chain integer.
    static func fedByMatrixOp(_ v: String, scope: GraphScope, facts: (String) -> ValueFacts? = { _ in nil }, depth: Int = 0) -> Bool {
        guard depth < 16, !v.isEmpty, let p = scope.producerNode(of: v) else { return false }
        let n = scope.node(p)
        switch n.opType {
        case "Conv", "ConvTranspose", "MatMul", "Gemm": return true
        case "Relu", "Clip", "LeakyRelu", "Sigmoid", "HardSigmoid": return fedByMatrixOp(n.inputs[0], scope: scope, facts: facts, depth: depth + 1)
        case "Mul", "Div":
            guard n.inputs.count == 2 else { return false }
            // A rescale (by a constant) passes its input through.
            if case .rescale(_, let slot) = QuantizableOps.role(of: n, in: scope, facts: facts) {
                return fedByMatrixOp(n.inputs[slot], scope: scope, facts: facts, depth: depth + 1)
            }
            // A gate computed from x itself: SiLU x · Sigmoid(x) (YOLO, EfficientNet), hard-swish
            // x · relu6(x + 3) / 6 (MobileNetV3, PP-OCR).
            for (a, b) in [(n.inputs[0], n.inputs[1]), (n.inputs[1], n.inputs[0])] where Self.isGate(b, of: a, scope: scope) {
                return fedByMatrixOp(a, scope: scope, facts: facts, depth: depth + 1)
            }
            return false
        default:
            return QuantizableOps.sharedScaleOps.contains(n.opType) && fedByMatrixOp(n.inputs[0], scope: scope, facts: facts, depth: depth + 1)
        }
    }

    /// True when `g` is computed from `x` alone through elementwise steps with constants
    /// (Sigmoid, HardSigmoid, Clip, Relu, Add/Sub/Mul/Div by a constant): `x`'s own gate.
    static func isGate(_ g: String, of x: String, scope: GraphScope, depth: Int = 0) -> Bool {
        guard depth < 6, let p = scope.producerNode(of: g) else { return false }
        let n = scope.node(p)
        guard n.isDefaultDomain else { return false }
        let data = n.inputs.filter { !$0.isEmpty && scope.constantTensor(named: $0) == nil }
        guard data.count == 1 else { return false }
        switch n.opType {
        case "Sigmoid", "HardSigmoid", "Clip", "Relu", "Add", "Sub", "Mul", "Div":
            return data[0] == x || isGate(data[0], of: x, scope: scope, depth: depth + 1)
        default:
            return false
        }
    }

    /// Why a node has the precision `request` chose for it.
    static func userReason(_ request: PlanRequest, _ name: String, _ p: Precision) -> Reason {
        if request.fallback.contains(name) { return .fallback }
        if let kind = request.slowerAsInt8[name] { return .slowerAsInt8(kind: kind) }
        return .user(p)
    }

    /// A constant Clip bound (input `slot` for opset ≥ 11, else the attribute).
    static func clipBound(_ node: Node, scope: GraphScope, slot: Int, attribute: String) -> Double? {
        if slot < node.inputs.count, !node.inputs[slot].isEmpty, let t = scope.constantTensor(named: node.inputs[slot]) {
            return (try? Model.tensorValues(t))?.first
        }
        return node.attribute(attribute).map { Double($0.f) }
    }
}

extension Model {
    /// Values of a tensor that is not tied to a model file (initializers with inline data).
    static func tensorValues(_ t: Tensor) throws -> [Double] {
        try values(of: tensorData(t, baseDirectory: nil), type: t.dataType, name: t.name)
    }
}

/// The plan as a JSON file (`--write-plan`), and back (`--plan`).
public enum PlanFile {
    struct Entry: Codable { var name: String; var op: String; var precision: QuantizationPlan.Precision; var reason: String }
    struct Document: Codable { var version: Int; var nodes: [Entry] }

    public static func encode(_ plan: QuantizationPlan) throws -> Data {
        let doc = Document(version: 1, nodes: plan.decisions.filter { $0.role.isQuantizable }.map {
            Entry(name: $0.name, op: $0.opType, precision: $0.precision, reason: $0.reason.description)
        })
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try e.encode(doc)
    }

    /// Node name → precision, as a plan file says.
    public static func decode(_ data: Data, path: String) throws -> [String: QuantizationPlan.Precision] {
        let doc: Document
        do { doc = try JSONDecoder().decode(Document.self, from: data) } catch {
            throw PlanError("\(path): not a plan file (\(error))")
        }
        guard doc.version == 1 else { throw PlanError("\(path): plan version \(doc.version) is not supported (1 is)") }
        return Dictionary(doc.nodes.map { ($0.name, $0.precision) }, uniquingKeysWith: { $1 })
    }
}
